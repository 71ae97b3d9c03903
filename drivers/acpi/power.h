/*
 * Rebooting and powering off the machine, for the shell's `reboot` and
 * `shutdown` and anything else that must end the session the way a real
 * machine does (not through QEMU's isa-debug-exit, which only the tests use).
 *
 * Reboot tries, in order, until one works: the ACPI reset register (when
 * the FADT offers one in I/O or memory space), the PCI reset control
 * register at port 0xcf9, the 8042 keyboard controller's reset line, and
 * finally a triple fault, which every x86 machine answers with a reset.
 * Power-off is ACPI S5: the \_S5 sleep type from the DSDT written into the
 * PM1 control register(s) with SLP_EN. Without an AML interpreter the _PTS
 * method is not run first; firmware that needs it will not power off, and
 * machine_poweroff() says so and returns.
 *
 * power_init() is called once by acpi_init() with what it decoded; the
 * machine_* calls are for any kernel code after boot (they spin on the
 * clock, so not before clock_init()). See docs/power.md.
 */
#pragma once

#include "drivers/acpi/acpi_fadt.h"

enum power_error {
	POWER_E_NO_FADT = -1,  /* the firmware gave no valid FADT */
	POWER_E_NO_PM1 = -2,   /* the FADT names no usable PM1a control register */
	POWER_E_NO_S5 = -3,    /* the DSDT has no \_S5 package we could decode */
	POWER_E_STILL_ON = -4, /* S5 was entered and the machine kept running */
};

/*
 * Take the decoded FADT and \_S5 (NULL when the DSDT had none): check and
 * map the registers so that the calls below only write. Called by
 * acpi_init() alone, at most once.
 */
void power_init(const struct acpi_fadt *fadt, const struct acpi_sleep_type *s5);

/* Reset the machine. Logs the method it tries first, and each fallback. */
__attribute__((noreturn)) void machine_reboot(void);

/*
 * Power the machine off (ACPI S5), interrupts off meanwhile. Returns only
 * on failure: a negative POWER_E_* code, after logging why; the caller
 * keeps running with interrupts as they were.
 */
int machine_poweroff(void);
