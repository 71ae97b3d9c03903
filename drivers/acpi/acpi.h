/*
 * ACPI table discovery: from the RSDP copy GRUB hands over, walk the RSDT
 * or XSDT, check every table, and keep what the kernel uses: the MCFG
 * (where PCI Express configuration space is mapped), the MADT (the local
 * APIC, the IOAPICs and the ISA interrupt overrides) and the FADT (reset
 * and power-off registers, handed to drivers/acpi/power.c). No AML: the
 * DSDT is not interpreted, so interrupt routing comes from the MADT and
 * the PCI interrupt line registers (see docs/pci.md); only the \_S5
 * package is picked out of it, by pattern (see acpi_fadt.h).
 *
 * Bad firmware data never panics: a table that fails its checks is logged
 * and skipped, and a missing table reads as "absent" through the getters.
 *
 * acpi_init() runs once at boot, after the heap and the page tables
 * (init/main.c); the getters are for the IOAPIC and PCI code after it.
 */
#pragma once

#include <stdint.h>

#include "boot/multiboot2.h"
#include "drivers/acpi/acpi_tables.h"

/* 0, or a negative ACPI_E_* code when there is no usable root table. */
int acpi_init(const struct boot_info *info);

/* The decoded MADT, or NULL when the firmware gave none that was valid. */
const struct acpi_madt *acpi_madt(void);

/* The ECAM window covering PCI segment `segment`, or NULL. */
const struct acpi_mcfg_entry *acpi_mcfg_segment(uint16_t segment);

/*
 * The GSI an ISA IRQ arrives on, through the MADT's interrupt source
 * overrides; *flags gets the override's ACPI_INTI_* flags (0, "conforms to
 * the bus", when there is none and the IRQ maps to the same GSI number).
 */
uint32_t acpi_isa_irq_to_gsi(uint8_t irq, uint16_t *flags);
