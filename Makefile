# Fomos in C — one plain Makefile for the kernel, the boot image, host tests and
# the run/test/debug entry points. `make help` lists the targets.
#
# Layout of the products (everything generated lives under build/):
#   build/kernel/...        kernel objects
#   build/kernel.elf        the multiboot2 kernel (with debug info and its own
#                           symbol table, see tools/gen-ksyms.py)
#   build/fomos.iso         the default boot image (BIOS + UEFI hybrid)
#   build/host/...          host unit tests, built with ASan/UBSan

CC      ?= cc
ifeq ($(origin CC),default)
CC      := gcc
endif
PYTHON  ?= python3
BUILD   ?= build

# Quiet by default; `make V=1` shows every command.
ifeq ($(V),1)
Q :=
else
Q := @
endif

# ---------------------------------------------------------------- kernel ----

KERNEL_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-fno-stack-protector -fno-pic -fno-pie -mno-red-zone -mcmodel=kernel \
	-mgeneral-regs-only -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-builtin-printf -I. -MMD -MP
KERNEL_ASFLAGS := -g -I. -MMD -MP
KERNEL_LDFLAGS := -nostdlib -static -Wl,--build-id=none \
	-Wl,-z,max-page-size=4096 -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments \
	-T arch/x86_64/linker.ld

# Kernel sources: every .c/.S under these trees belongs to the kernel.
KERNEL_DIRS := arch/x86_64 boot mm drivers drivers/acpi drivers/pci drivers/virtio core lib tests/kernel
KERNEL_SRCS := $(sort $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c $(d)/*.S)))
KERNEL_OBJS := $(patsubst %,$(BUILD)/kernel/%.o,$(KERNEL_SRCS)) \
	$(BUILD)/kernel/font.o

FONT_PSF_GZ := /usr/share/consolefonts/Uni2-Terminus20x10.psf.gz

.PHONY: all kernel iso run debug test unit-tests e2e-tests deps format clean help

all: iso

kernel: $(BUILD)/kernel.elf
iso: $(BUILD)/fomos.iso

$(BUILD)/kernel/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

# The boot font: Debian's Terminus console font, unpacked at build time and
# embedded as-is; lib/psf.c parses it at run time.
$(BUILD)/font.psf: $(FONT_PSF_GZ)
	@mkdir -p $(dir $@)
	$(Q)gzip -dc $< > $@

$(BUILD)/kernel/font.o: $(BUILD)/font.psf tools/embed.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) -c tools/embed.S -o $@ -DEMBED_FILE='"$(BUILD)/font.psf"' \
		-DEMBED_SYMBOL=font_psf

# Two links: the first gives the addresses of the kernel's functions, which
# become a symbol table (build/ksyms.S) linked into the second. The table sits
# after .text, so its size cannot move any function; gen-ksyms checks that.
$(BUILD)/kernel.pass1.elf: $(KERNEL_OBJS) $(BUILD)/kernel/ksyms-empty.o arch/x86_64/linker.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/kernel/ksyms-empty.o

$(BUILD)/kernel/ksyms-empty.o: tools/gen-ksyms.py
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) tools/gen-ksyms.py --empty > $(BUILD)/kernel/ksyms-empty.S
	$(Q)$(CC) -c $(BUILD)/kernel/ksyms-empty.S -o $@

$(BUILD)/kernel/ksyms.o: $(BUILD)/kernel.pass1.elf tools/gen-ksyms.py
	@echo "  KSYMS   $@"
	$(Q)$(PYTHON) tools/gen-ksyms.py $< > $(BUILD)/kernel/ksyms.S
	$(Q)$(CC) -c $(BUILD)/kernel/ksyms.S -o $@

$(BUILD)/kernel.elf: $(KERNEL_OBJS) $(BUILD)/kernel/ksyms.o
	@echo "  LD      $@"
	$(Q)$(CC) $(KERNEL_LDFLAGS) -Wl,-Map=$(BUILD)/kernel.map -o $@ $(KERNEL_OBJS) $(BUILD)/kernel/ksyms.o
	$(Q)$(PYTHON) tools/gen-ksyms.py --verify $(BUILD)/kernel.pass1.elf $@

$(BUILD)/fomos.iso: $(BUILD)/kernel.elf tools/mkiso
	tools/mkiso --kernel $(BUILD)/kernel.elf --out $@

-include $(KERNEL_OBJS:.o=.d)

# ------------------------------------------------------------ host tests ----
# Host unit tests compile the real kernel sources (never copies) with the
# host compiler, ASan and UBSan, against cmocka. test_NAME.c is linked with
# the sources listed in UNIT_SRCS_NAME.

HOST_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -I. -DHOST_TEST \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -MMD -MP
HOST_LDLIBS := -lcmocka

UNIT_TESTS := $(sort $(patsubst tests/unit/test_%.c,%,$(wildcard tests/unit/test_*.c)))
UNIT_BINS  := $(patsubst %,$(BUILD)/host/test_%,$(UNIT_TESTS))

# Which kernel sources each host test links (one line per test).
UNIT_SRCS_buddy      := mm/buddy.c
UNIT_SRCS_tlsf       := mm/tlsf.c
UNIT_SRCS_tlsf_stress := mm/tlsf.c
UNIT_SRCS_format     := lib/format.c
UNIT_SRCS_psf        := lib/psf.c tests/unit/psf_test_util.c
UNIT_SRCS_psf_malformed := lib/psf.c tests/unit/psf_test_util.c
UNIT_SRCS_canvas     := lib/canvas.c lib/psf.c
UNIT_SRCS_multiboot2 := boot/multiboot2.c core/cmdline.c
UNIT_SRCS_virtqueue  := drivers/virtio/virtqueue.c
UNIT_SRCS_input      := core/input.c
UNIT_SRCS_acpi       := drivers/acpi/acpi_tables.c


.SECONDEXPANSION:
$(BUILD)/host/test_%: tests/unit/test_%.c $$(UNIT_SRCS_$$*) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $< $(UNIT_SRCS_$*) $(HOST_LDLIBS)

# ----------------------------------------------------------- entry points ----

deps:
	@tools/ensure-deps

unit-tests: deps $(UNIT_BINS)
	@mkdir -p $(BUILD)/results
	@tools/run-unit-tests $(UNIT_BINS)

e2e-tests: deps iso
	@mkdir -p $(BUILD)/results
	@tools/run-e2e-tests

# -k: a failing suite must not keep the other from running; the summary
# counts a suite that left no results as failed.
test: deps
	@rm -rf $(BUILD)/results
	@$(MAKE) -k --no-print-directory unit-tests e2e-tests; \
	$(PYTHON) tools/test-summary.py --expect unit --expect e2e $(BUILD)/results

run: deps iso
	./fomos run

debug: deps iso
	./fomos run --gdb

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)

help:
	@echo "make run     build and boot Fomos in QEMU (window, or VNC when headless)"
	@echo "make test    host unit tests (ASan/UBSan) and boot tests in QEMU"
	@echo "make debug   boot paused, with QEMU's gdb stub and a ready gdb command"
	@echo "make iso     build build/fomos.iso"
	@echo "make format  clang-format every C file (house style: .clang-format)"
	@echo "make CC=clang ...   build with clang"
