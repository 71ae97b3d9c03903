# apps/attacks/app.mk — the isolation test's attackers: one binary per
# attack, attack_NAME.elf, each built from attacks.c with -DATTACK_NAME
# (and ATTACK_NAME, the name it logs under). The folder itself builds no
# app of its own.
ATTACKS := read_image read_arena read_stack read_context write_arena write_stack \
	write_context read_kernel cli popf_spin hlt port_io wrmsr mov_cr3 wrpkru xrstor \
	pointer_other list_other stats_other job_other pointer_kernel gate_middle \
	forged_arguments ungiven_gate forged_header context_overwrite
ATTACK_ELFS := $(patsubst %,$(BUILD)/apps/attack_%.elf,$(ATTACKS))
APP_ELFS := $(filter-out $(BUILD)/apps/attacks.elf,$(APP_ELFS)) $(ATTACK_ELFS)

$(ATTACK_ELFS): $(BUILD)/apps/attack_%.elf: apps/attacks/attacks.c include/fomos.h tools/check-app-elf
	@mkdir -p $(dir $@)
	@echo "  APP     $@"
	$(Q)$(APP_CC) $(APP_CFLAGS) -DATTACK_$* -DATTACK_NAME='"attack_$*"' -o $@ $<
	$(Q)tools/check-app-elf $@ || { rm -f $@; exit 1; }
