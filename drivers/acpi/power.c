/*
 * Reboot and power-off; see power.h. power_init() is the decode step: it
 * keeps only registers it can drive (I/O ports, or memory it maps now,
 * uncached), so machine_reboot() and machine_poweroff() never allocate or
 * map, and work with the heap in any state.
 *
 * Each reset method is given RESET_WAIT_MS to take effect before the next
 * is tried; power-off is given POWER_OFF_WAIT_MS. Real chipsets act within
 * microseconds; the margin is for QEMU, whose vCPU may run on for a moment
 * until its main loop handles the request.
 */
#include "drivers/acpi/power.h"

#include <stdbool.h>

#include "arch/x86_64/cpu.h"
#include "kernel/clock.h"
#include "kernel/log.h"
#include "mm/vmm.h"

#define RESET_WAIT_MS	  100u
#define POWER_OFF_WAIT_MS 100u

#define PCI_RESET_PORT	0xcf9u /* PCI reset control register (Intel chipsets and QEMU) */
#define PCI_RESET_SYS	0x02u  /* hard reset once RST_CPU is set */
#define PCI_RESET_CPU	0x04u  /* the 0 -> 1 transition resets */
#define KBC_STATUS_PORT 0x64u
#define KBC_INPUT_FULL	0x02u /* the controller has not taken the last byte yet */
#define KBC_PULSE_RESET 0xfeu /* pulse output line 0, the CPU's reset line */

/* A register power_init() accepted: an I/O port, or mapped memory. */
struct power_reg {
	bool present;
	uint8_t space; /* ACPI_GAS_IO or ACPI_GAS_MEMORY */
	uint16_t port;
	volatile void *mmio;
};

static bool have_fadt;
static struct power_reg reset_reg, pm1a_cnt, pm1b_cnt;
static uint8_t reset_value;
static bool have_s5;
static struct acpi_sleep_type s5;
static const char *reset_tried; /* the reset method announced last */

static void reg_write8(const struct power_reg *r, uint8_t v)
{
	if (r->space == ACPI_GAS_IO) {
		outb(r->port, v);
	} else {
		*(volatile uint8_t *)r->mmio = v;
	}
}

static uint16_t reg_read16(const struct power_reg *r)
{
	return r->space == ACPI_GAS_IO ? inw(r->port) : *(volatile uint16_t *)r->mmio;
}

static void reg_write16(const struct power_reg *r, uint16_t v)
{
	if (r->space == ACPI_GAS_IO) {
		outw(r->port, v);
	} else {
		*(volatile uint16_t *)r->mmio = v;
	}
}

/* Accept a decoded register of `bytes` bytes; `name` is for the log. */
static struct power_reg reg_prepare(const struct acpi_gas *g, size_t bytes, const char *name)
{
	struct power_reg r = {.space = g->space};

	if (g->address == 0) {
		return (struct power_reg){0};
	}
	if (g->space == ACPI_GAS_IO) {
		r.port = (uint16_t)g->address; /* acpi_fadt_parse() kept it in range */
	} else if (g->space == ACPI_GAS_MEMORY) {
		r.mmio = vmm_map_mmio(g->address, bytes, VMM_CACHE_UNCACHED);
	} else {
		log_info("power", "%s is in %s space, which Fomos does not drive: not used", name,
			 acpi_gas_space_name(g->space));
		return (struct power_reg){0};
	}
	r.present = true;
	return r;
}

void power_init(const struct acpi_fadt *fadt, const struct acpi_sleep_type *sleep)
{
	have_fadt = true;
	if (fadt->flags & ACPI_FADT_HW_REDUCED) {
		log_info("power", "hardware-reduced ACPI: power-off needs the sleep control "
				  "register, which Fomos does not drive");
	}
	reset_reg = reg_prepare(&fadt->reset_reg, 1, "the reset register");
	reset_value = fadt->reset_value;
	pm1a_cnt = reg_prepare(&fadt->pm1a_cnt, 2, "PM1a_CNT");
	pm1b_cnt = reg_prepare(&fadt->pm1b_cnt, 2, "PM1b_CNT");
	have_s5 = sleep != NULL;
	if (sleep != NULL) {
		s5 = *sleep;
	}
}

/* Busy-wait: callers have interrupts off, so no sleeping on the alarm. */
static void spin_ms(uint64_t ms)
{
	uint64_t end = clock_ns() + ms * 1000000u;
	while (clock_ns() < end) {
		cpu_relax();
	}
}

/* Log the method about to be tried (and that the one before failed). */
static void reset_announce(const char *method)
{
	if (reset_tried == NULL) {
		log_info("power", "rebooting through %s", method);
	} else {
		log_warn("power", "still running %u ms after %s; trying %s", RESET_WAIT_MS,
			 reset_tried, method);
	}
	reset_tried = method;
}

static void reset_acpi(void)
{
	if (!reset_reg.present) {
		return;
	}
	reset_announce("the ACPI reset register");
	reg_write8(&reset_reg, reset_value);
	spin_ms(RESET_WAIT_MS);
}

static void reset_pci(void)
{
	reset_announce("the PCI reset control port 0xcf9");
	outb(PCI_RESET_PORT, PCI_RESET_SYS);
	outb(PCI_RESET_PORT, PCI_RESET_SYS | PCI_RESET_CPU);
	spin_ms(RESET_WAIT_MS);
}

static void reset_keyboard_controller(void)
{
	reset_announce("the keyboard controller (8042)");
	uint64_t give_up = clock_ns() + RESET_WAIT_MS * 1000000ull;
	while ((inb(KBC_STATUS_PORT) & KBC_INPUT_FULL) && clock_ns() < give_up) {
		cpu_relax();
	}
	outb(KBC_STATUS_PORT, KBC_PULSE_RESET);
	spin_ms(RESET_WAIT_MS);
}

/* No IDT: the breakpoint cannot be delivered, nor the faults that follow. */
static void reset_triple_fault(void)
{
	static const struct descriptor_table_pointer no_idt = {0, 0};

	reset_announce("a triple fault");
	__asm__ volatile("lidt %0; int3" : : "m"(no_idt) : "memory");
}

void machine_reboot(void)
{
	irq_disable();
	reset_tried = NULL;
	reset_acpi();
	reset_pci();
	reset_keyboard_controller();
	reset_triple_fault();
	for (;;) {
		__asm__ volatile("cli; hlt");
	}
}

/* PM1 control with SLP_TYP set to typ and SLP_EN clear, other bits kept. */
static uint16_t pm1_sleep_value(const struct power_reg *r, uint8_t typ)
{
	uint16_t v = reg_read16(r) & (uint16_t) ~(ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN);
	return v | (uint16_t)(typ << ACPI_PM1_SLP_TYP_SHIFT);
}

/* The error a power-off request would fail with now, or 0. */
static int poweroff_check(void)
{
	if (!have_fadt) {
		log_error("power", "cannot power off: no valid FADT");
		return POWER_E_NO_FADT;
	}
	if (!pm1a_cnt.present) {
		log_error("power",
			  "cannot power off: the FADT names no usable PM1a control register");
		return POWER_E_NO_PM1;
	}
	if (!have_s5) {
		log_error("power", "cannot power off: no \\_S5 sleep type from the DSDT");
		return POWER_E_NO_S5;
	}
	return 0;
}

int machine_poweroff(void)
{
	int err = poweroff_check();
	if (err != 0) {
		return err;
	}
	log_info("power", "powering off: ACPI S5, SLP_TYPa %u SLP_TYPb %u", s5.a, s5.b);
	bool was = irq_save();
	/* As ACPICA does: SLP_TYP into every block first, then SLP_EN too. */
	uint16_t a = pm1_sleep_value(&pm1a_cnt, s5.a);
	uint16_t b = pm1b_cnt.present ? pm1_sleep_value(&pm1b_cnt, s5.b) : 0;
	reg_write16(&pm1a_cnt, a);
	if (pm1b_cnt.present) {
		reg_write16(&pm1b_cnt, b);
	}
	reg_write16(&pm1a_cnt, a | ACPI_PM1_SLP_EN);
	if (pm1b_cnt.present) {
		reg_write16(&pm1b_cnt, b | ACPI_PM1_SLP_EN);
	}
	spin_ms(POWER_OFF_WAIT_MS);
	irq_restore(was);
	log_error("power", "still running %u ms after entering S5: power-off failed",
		  POWER_OFF_WAIT_MS);
	return POWER_E_STILL_ON;
}
