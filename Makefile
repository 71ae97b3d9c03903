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
	-fno-builtin-printf -DFOMOS_KERNEL -I. -MMD -MP
KERNEL_ASFLAGS := -g -I. -MMD -MP
KERNEL_LDFLAGS := -nostdlib -static -Wl,--build-id=none \
	-Wl,-z,max-page-size=4096 -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments \
	-T arch/x86_64/linker.ld

# Kernel sources: every .c/.S under these trees belongs to the kernel.
KERNEL_DIRS := arch/x86_64 boot kernel mm drivers drivers/acpi drivers/input drivers/pci drivers/rtc drivers/virtio fs runtime services persist jobs desktop bench init lib tests/kernel
KERNEL_SRCS := $(sort $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c $(d)/*.S)))
KERNEL_OBJS := $(patsubst %,$(BUILD)/kernel/%.o,$(KERNEL_SRCS)) \
	$(BUILD)/kernel/font.o

FONT_PSF_GZ := /usr/share/consolefonts/Uni2-Terminus20x10.psf.gz

.PHONY: all kernel iso apps run debug test test-faults unit-tests e2e-tests deps format check-format check-layers checks clean help bench

all: iso

# The apps are built with the kernel: ./fomos runs `make iso` or `make
# kernel` and then packs $(BUILD)/apps/ (see the apps section below).
kernel: $(BUILD)/kernel.elf apps
iso: $(BUILD)/fomos.iso apps

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

# ------------------------------------------------------------------- apps ----
# Every folder apps/NAME/ holding a .c file or an app.mk is an app, built
# into $(BUILD)/apps/NAME.elf; a folder with neither (yet) is skipped, and an
# ELF whose folder went away is removed. The runner packs $(BUILD)/apps/*.elf
# and $(BUILD)/apps/boot.manifest (a copy of apps/boot.manifest: the apps
# that start at boot, in z-order) into the apps.tar boot module.
#
# A C app is every apps/NAME/*.c plus the sources its apps/NAME/app.mk lists
# in APP_SRCS_NAME (e.g. lib/canvas.c), compiled and linked in one step with
# APP_CFLAGS and APP_CFLAGS_NAME into a static-pie ELF. An app built any
# other way sets APP_CMD_NAME in its app.mk: a command run inside apps/NAME/
# that writes $(APP_OUT); define it with `=`, not `:=`, so that APP_OUT is
# expanded for the target. Each ELF must pass tools/check-app-elf (type,
# relocations, entry point) to count as built. docs/running.md has examples.

APP_CC     ?= $(CC)
RUSTC      ?= rustc
APP_CFLAGS := -std=c11 -O2 -ffreestanding -fno-stack-protector -fPIE -static-pie \
	-nostdlib -Wall -Wextra -Werror -I include -I .
APP_OUT     = $(abspath $@)

APPS     := $(sort $(patsubst apps/%/,%,$(dir $(wildcard apps/*/*.c apps/*/app.mk))))
APP_ELFS := $(patsubst %,$(BUILD)/apps/%.elf,$(APPS))

-include $(wildcard apps/*/app.mk)

apps: $(APP_ELFS) $(BUILD)/apps/boot.manifest
	$(Q)rm -f $(filter-out $(APP_ELFS),$(wildcard $(BUILD)/apps/*.elf))

$(BUILD)/apps/boot.manifest: apps/boot.manifest
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

# What building app $(1) reads: its folder, its extra sources and the
# headers beside them, and the ABI (C and Rust).
app_inputs = $(wildcard apps/$(1)/*) $(APP_SRCS_$(1)) \
	$(wildcard $(addsuffix *.h,$(sort $(dir $(APP_SRCS_$(1)))))) include/fomos.h include/fomos.rs

.SECONDEXPANSION:
$(BUILD)/apps/%.elf: $$(call app_inputs,$$*) tools/check-app-elf
	@mkdir -p $(dir $@)
	@echo "  APP     $@"
	$(Q)$(if $(value APP_CMD_$*),cd apps/$* && $(APP_CMD_$*), \
		$(APP_CC) $(APP_CFLAGS) $(APP_CFLAGS_$*) -o $@ $(wildcard apps/$*/*.c apps/$*/*.S) $(APP_SRCS_$*))
	$(Q)tools/check-app-elf $@ || { rm -f $@; exit 1; }

# ------------------------------------------------------------ host tests ----
# Host unit tests compile the real kernel sources (never copies) with the
# host compiler, ASan and UBSan, against cmocka. test_NAME.c is linked with
# the sources in UNIT_SRCS_NAME (below: derived from its includes).

HOST_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -I. -DHOST_TEST \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -MMD -MP
HOST_LDLIBS := -lcmocka

UNIT_TESTS := $(sort $(patsubst tests/unit/test_%.c,%,$(wildcard tests/unit/test_*.c)))
UNIT_BINS  := $(patsubst %,$(BUILD)/host/test_%,$(UNIT_TESTS))

# What each host test links comes from the layout, not from a hand-kept
# list: tools/host-sources follows the test's includes to the modules
# behind them (DIR/NAME.h -> DIR/NAME*.c) and writes UNIT_SRCS_NAME and
# FUZZ_SRCS_NAME into $(BUILD)/host/sources.mk, once per make run (the
# file is rewritten only when a list changes).
$(shell $(PYTHON) tools/host-sources --make $(BUILD)/host/sources.mk)
include $(BUILD)/host/sources.mk

.SECONDEXPANSION:
$(BUILD)/host/test_%: tests/unit/test_%.c $$(UNIT_SRCS_$$*) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $< $(UNIT_SRCS_$*) $(HOST_LDLIBS)

# The headers each test binary was built from (-MMD): a changed kernel
# header rebuilds the tests that use it.
-include $(wildcard $(BUILD)/host/*.d)

# test_tar also reads archives written by Python's tarfile, the runner's
# packer: tests/unit/gen_tar_fixtures.py turns them into a header.
# test_xxhash64's oracle is the reference implementation (libxxhash-dev).
$(BUILD)/host/test_xxhash64: HOST_LDLIBS += -lxxhash

$(BUILD)/host/test_tar: $(BUILD)/host/tar_fixtures.h
$(BUILD)/host/test_tar: HOST_CFLAGS += -I$(BUILD)/host
$(BUILD)/host/tar_fixtures.h: tests/unit/gen_tar_fixtures.py
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) $< $@

# test_elf and test_elf_malformed load real apps: tests/unit/elf_fixtures/*.c
# built as static-pie by gcc and clang, and with the original Fomos build
# line, `gcc -nostdlib -static -fPIE -pie`, which gives ET_EXEC at 0x400000.
ELF_FIXTURE_DIR := $(BUILD)/host/elf_fixtures
ELF_FIXTURES := $(addprefix $(ELF_FIXTURE_DIR)/,pointers_gcc.elf pointers_clang.elf \
	pointers_exec.elf bss_gcc.elf plain_exec.elf)
ELF_PIE_FLAGS := -nostdlib -static-pie -fPIE -O2 -ffreestanding -fno-stack-protector
$(BUILD)/host/test_elf $(BUILD)/host/test_elf_malformed: $(ELF_FIXTURES)
$(BUILD)/host/test_elf $(BUILD)/host/test_elf_malformed: \
	HOST_CFLAGS += -DELF_FIXTURE_DIR='"$(ELF_FIXTURE_DIR)"'
$(ELF_FIXTURE_DIR)/%_gcc.elf: tests/unit/elf_fixtures/%.c
	@mkdir -p $(dir $@)
	$(Q)gcc $(ELF_PIE_FLAGS) -o $@ $<
$(ELF_FIXTURE_DIR)/%_clang.elf: tests/unit/elf_fixtures/%.c
	@mkdir -p $(dir $@)
	$(Q)clang $(ELF_PIE_FLAGS) -o $@ $<
$(ELF_FIXTURE_DIR)/%_exec.elf: tests/unit/elf_fixtures/%.c
	@mkdir -p $(dir $@)
	$(Q)gcc -nostdlib -static -fPIE -pie -o $@ $<

# ------------------------------------------------------------------ fuzz ----
# libFuzzer targets, built by clang: tests/fuzz/fuzz_NAME.c with the sources
# of test_NAME. `make unit-tests` runs each for 10 s through
# tests/fuzz/run-fuzzers (TAP, so the result lands in build/results/);
# `make fuzz` runs each for 5 minutes. Seeds: $(BUILD)/host/NAME_fixtures/.

.PHONY: fuzz fuzz-quick
FUZZ_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -I. -DHOST_TEST \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_TARGETS := $(sort $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS := $(patsubst %,$(BUILD)/host/fuzz_%,$(FUZZ_TARGETS))
FUZZ_SEEDS := $(ELF_FIXTURES)

$(BUILD)/host/fuzz_%: tests/fuzz/fuzz_%.c $$(FUZZ_SRCS_$$*)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $^

fuzz-quick: $(FUZZ_BINS) $(FUZZ_SEEDS)
	@tests/fuzz/run-fuzzers 10

fuzz: $(FUZZ_BINS) $(FUZZ_SEEDS)
	@tests/fuzz/run-fuzzers 300

# ------------------------------------------------------- host benchmarks ----
# Host benchmarks (tests/bench/NAME.c -> $(BUILD)/bench/NAME): the real kernel
# allocators against glibc on one workload, and thread round trips on the
# host Linux. They print `bench: name=... key=value` lines for
# tools/bench.py. Optimized and without sanitizers: they measure speed; the
# unit tests check correctness.

BENCH_CFLAGS := -std=c11 -O2 -march=x86-64-v2 -g -Wall -Wextra -Werror -I. -DHOST_TEST -pthread
BENCH_BINS   := $(BUILD)/bench/alloc_bench $(BUILD)/bench/thread_pingpong

# Which kernel sources each benchmark links, and the headers it reads.
BENCH_SRCS_alloc_bench     := mm/tlsf.c mm/buddy.c
BENCH_SRCS_thread_pingpong :=
$(BUILD)/bench/alloc_bench: mm/tlsf.h mm/buddy.h

.PHONY: bench-host
bench-host: $(BENCH_BINS)

$(BUILD)/bench/%: tests/bench/%.c $$(BENCH_SRCS_$$*) $(wildcard tests/bench/*.h)
	@mkdir -p $(dir $@)
	@echo "  BENCH   $@"
	$(Q)$(CC) $(BENCH_CFLAGS) -o $@ $< $(BENCH_SRCS_$*)

# ----------------------------------------------------------- entry points ----

deps:
	@tools/ensure-deps

unit-tests: deps $(UNIT_BINS) $(FUZZ_BINS) $(FUZZ_SEEDS)
	@mkdir -p $(BUILD)/results
	@tools/run-unit-tests $(UNIT_BINS) tests/fuzz/run-fuzzers

e2e-tests: deps iso
	@mkdir -p $(BUILD)/results
	@tools/run-e2e-tests

# The longer crash-safety run: 100 random kills during saves (make test does 20).
test-faults: deps iso
	@mkdir -p $(BUILD)/results
	@FOMOS_FAULT_TRIALS=$${FOMOS_FAULT_TRIALS:-100} tools/run-e2e-tests -k test_kill_during_saves

# -k: a failing suite must not keep the other from running; the summary
# counts a suite that left no results as failed.
checks:
	@mkdir -p $(BUILD)/results
	@tools/run-checks $(BUILD)/results

test: deps
	@rm -rf $(BUILD)/results
	@$(MAKE) -k --no-print-directory checks unit-tests e2e-tests; \
	$(PYTHON) tools/test-summary.py --expect check --expect unit --expect e2e $(BUILD)/results

# make bench: figures against references measured in the same run (tools/bench.py).
bench: deps iso bench-host
	@tools/ensure-deps bench
	@$(PYTHON) tools/bench.py --build $(BUILD)

# make run keeps a disk (apps, snapshots) across runs: DISK=FILE picks another.
DISK ?= $(BUILD)/disk.img
run: deps iso
	./fomos run --reboot --disk $(DISK)

debug: deps iso
	./fomos run --gdb

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

# The house format, checked (make test runs it): the files that differ.
check-format:
	@clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

# The one include rule (docs/architecture.md), checked: file:line of any
# include that reaches a layer above its own (make test runs it).
check-layers:
	@$(PYTHON) tools/check-layers

clean:
	rm -rf $(BUILD)

help:
	@echo "make run     build and boot Fomos in QEMU (window, or VNC when headless), disk $(BUILD)/disk.img"
	@echo "make test    host unit tests (ASan/UBSan) and boot tests in QEMU"
	@echo "make test-faults  kill QEMU during snapshot saves 100 times (make test: 20)"
	@echo "make fuzz    run the libFuzzer targets for 5 minutes (make test: 10 s)"
	@echo "make debug   boot paused, with QEMU's gdb stub and a ready gdb command"
	@echo "make iso     build build/fomos.iso"
	@echo "make apps    build every apps/NAME/ into build/apps/NAME.elf"
	@echo "make format  clang-format every C file (house style: .clang-format)"
	@echo "make check-format  the files clang-format would change (make test runs it)"
	@echo "make check-layers  includes that break the layering rule (make test runs it)"
	@echo "make bench   measured performance, each figure beside a reference (about 5 minutes)"
	@echo "make CC=clang ...   build with clang"
