/*
 * kmain(): the order in which the kernel comes up, called by boot.S in long
 * mode on the boot stack with the multiboot2 magic and boot-info address.
 *
 *   serial -> CPU tables (GDT, IDT) -> CPU features -> boot info ->
 *   physical memory -> page tables -> heap -> APIC -> clock calibration
 *   begun -> ACPI tables, IOAPIC, PCI enumeration -> clock -> screen ->
 *   devices (drivers become tasks) -> apps -> frame loop -> [benchmark] ->
 *   executor
 *
 * Each step only uses the ones before it. After boot the kernel either
 * runs the self-tests (command line `selftest`) and exits, or enters the
 * executor loop for good (kernel/executor.h); with `bench`, a benchmark task
 * in that loop measures, reports and exits (bench/bench.c, a boot mode:
 * kernel/boot_mode.h).
 */
#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/trap.h"
#include "boot/multiboot2.h"
#include "desktop/bootscreen.h"
#include "desktop/frame.h"
#include "drivers/acpi/acpi.h"
#include "drivers/display.h"
#include "drivers/fb.h"
#include "drivers/ioapic.h"
#include "drivers/pci/pci.h"
#include "drivers/rtc/cmos_rtc.h"
#include "drivers/serial.h"
#include "drivers/virtio/virtio.h"
#include "fs/volume.h"
#include "init/cpu_report.h"
#include "jobs/job.h"
#include "kernel/boot_mode.h"
#include "kernel/clock.h"
#include "kernel/cmdline.h"
#include "kernel/exception_report.h"
#include "kernel/executor.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "persist/session.h"
#include "runtime/app.h"
#include "runtime/app_archive.h"
#include "tests/kernel/selftest.h"

static struct boot_info boot_info;

void kmain(uint32_t magic, uint32_t mbi_phys);

static void apply_log_level(const char *cmdline)
{
	static const char *const names[] = {"debug", "info", "warn", "error"};
	for (int i = 0; i < 4; i++) {
		if (cmdline_is(cmdline, "loglevel", names[i])) {
			log_set_threshold((enum log_level)i);
		}
	}
}

static void read_boot_info(uint32_t magic, uint32_t mbi_phys)
{
	if (magic != MB2_BOOTLOADER_MAGIC) {
		panic("boot: not started by a multiboot2 loader (magic %#x)", magic);
	}
	int err = mb2_parse(phys_to_virt(mbi_phys), MB2_MAX_SIZE, &boot_info);
	if (err != MB2_OK) {
		panic("boot: malformed multiboot2 information (error %d)", err);
	}
	apply_log_level(boot_info.cmdline);
	log_info("boot", "loader \"%s\", %s firmware, command line \"%s\"", boot_info.loader_name,
		 boot_info.efi_booted ? "UEFI" : "BIOS", boot_info.cmdline);
	for (size_t i = 0; i < boot_info.mmap_count; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];
		log_info("mem", "%016llx-%016llx %8llu KiB %s", (unsigned long long)e->base,
			 (unsigned long long)(e->base + e->length),
			 (unsigned long long)(e->length >> 10), mb2_memory_type_name(e->type));
	}
}

static void log_modules(void)
{
	for (size_t i = 0; i < boot_info.module_count; i++) {
		const struct boot_module *m = &boot_info.modules[i];
		log_info("boot", "module %s %llu bytes at %#llx", m->name,
			 (unsigned long long)(m->end - m->start), (unsigned long long)m->start);
	}
}

static void start_display(void)
{
	struct display_backend *fb = fb_init(&boot_info);
	if (fb != NULL) {
		display_set_backend(fb);
	}
	bootscreen_init(&boot_info);
}

void kmain(uint32_t magic, uint32_t mbi_phys)
{
	uint64_t entry_tsc = rdtsc();

	serial_init();
	log_info("boot", "Fomos in C: an operating system where an app is a function");
	cpu_detect();
	gdt_init();
	trap_init();
	exception_report_install();
	cpu_init();
	cpu_report();
	read_boot_info(magic, mbi_phys);
	pmm_init(&boot_info, mbi_phys);
	vmm_init();
	heap_init();
	uint64_t apic_phys = lapic_phys_base();
	lapic_init(vmm_map_mmio(apic_phys, PAGE_SIZE, VMM_CACHE_UNCACHED));
	log_info("apic", "local APIC %u at %#llx enabled, legacy PIC masked", lapic_id(),
		 (unsigned long long)apic_phys);
	clock_calibration_begin();
	acpi_init(&boot_info);
	ioapic_init();
	pci_init(&boot_info);
	log_modules();
	clock_init(entry_tsc);
	cmos_rtc_init();
	irq_enable();
	start_display();
	log_info("boot", "ready in %llu ms", (unsigned long long)clock_ms());

	/* In test mode a panic ends the run, unless asked to stay on screen. */
	panic_exit_on_panic(!cmdline_is(boot_info.cmdline, "panic", "halt"));
	if (cmdline_is(boot_info.cmdline, "selftest", "fault")) {
		selftest_fault();
	}
	if (cmdline_is(boot_info.cmdline, "selftest", "")) {
		selftest_run_and_exit();
	}
	panic_exit_on_panic(false);
	virtio_probe_all();
	volume_init();
	app_runtime_init();
	app_archive_init(&boot_info);
	job_init();
	if (!cmdline_is(boot_info.cmdline, "apps", "none")) {
		session_boot();
	}
	frame_start();
	boot_modes_start(boot_info.cmdline);
	executor_run();
}
