/*
 * Decoding what the kernel needs to reset and power off the machine: the
 * FADT's reset register and PM1 control registers, and the \_S5 object of
 * the DSDT, which says what to write into PM1 control to enter S5 (soft
 * off). See drivers/acpi/power.h for the code that acts on them.
 *
 * \_S5 is AML, and Fomos has no AML interpreter. Nearly every firmware
 * declares it as a plain `Name (_S5, Package () { a, b, ... })`, which is
 * recognisable bytes: NameOp "_S5_" PackageOp PkgLength NumElements and two
 * integer constants. acpi_s5_parse() finds exactly that form and refuses
 * anything else (a method, a reference to another name): without an
 * interpreter, guessing would mean writing a wrong value to a chipset
 * register.
 *
 * Like acpi_tables.c, this is the "decode" step on firmware bytes: bounds
 * first, no mapping, no logging, built on the host and tested with
 * synthetic tables (tests/unit/test_acpi_fadt.c).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Address spaces of a Generic Address Structure (ACPI 5.2.3.2). */
#define ACPI_GAS_MEMORY	    0u
#define ACPI_GAS_IO	    1u
#define ACPI_GAS_PCI_CONFIG 2u

/* FADT flags we read. */
#define ACPI_FADT_RESET_REG_SUP (1u << 10)
#define ACPI_FADT_HW_REDUCED	(1u << 20) /* no PM1 blocks: sleep registers instead */

/* PM1 control register fields (ACPI 4.8.3.2.1). */
#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_PM1_SLP_TYP_MASK  (7u << ACPI_PM1_SLP_TYP_SHIFT)
#define ACPI_PM1_SLP_EN	       (1u << 13)
#define ACPI_SLP_TYP_MAX       7u

/* A register as a Generic Address Structure; address 0 means "absent". */
struct acpi_gas {
	uint8_t space; /* ACPI_GAS_* */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size; /* 0 undefined, 1 byte, 2 word, 3 dword, 4 qword */
	uint64_t address;
};

struct acpi_fadt {
	uint32_t flags; /* ACPI_FADT_* */
	uint64_t dsdt;	/* physical; X_DSDT when the table has a nonzero one */
	/*
	 * X_PM1x_CNT_BLK when the table has one with a nonzero address in I/O
	 * or memory space; else PM1x_CNT_BLK, an I/O port. Absent: address 0.
	 */
	struct acpi_gas pm1a_cnt, pm1b_cnt;
	/* Absent (address 0) unless flags has ACPI_FADT_RESET_REG_SUP. */
	struct acpi_gas reset_reg;
	uint8_t reset_value;
};

/* SLP_TYPa and SLP_TYPb of a sleep state, each at most ACPI_SLP_TYP_MAX. */
struct acpi_sleep_type {
	uint8_t a, b;
};

/*
 * Decode a checked FADT ("FACP"; signature and checksum are verified). A
 * table shorter than the ACPI 1.0 FADT (116 bytes) is ACPI_E_LENGTH; the
 * fields later revisions added are read only when the length covers them.
 * An I/O-space register whose address does not fit a 16-bit port is
 * treated as absent.
 */
int acpi_fadt_parse(const void *p, size_t len, struct acpi_fadt *out);

/*
 * Find `Name (_S5, Package () { a, b, ... })` in the AML byte stream at
 * aml (the DSDT after its 36-byte header), len bytes. Elements may be
 * Zero, One, or a Byte/Word/DWord/QWord constant; a package of a single
 * integer carries SLP_TYPa in bits 0-7 and SLP_TYPb in bits 8-15 (the
 * ACPI 1.0 form). Errors: ACPI_E_NOT_FOUND (no such Name),
 * ACPI_E_UNSUPPORTED (found, but not as constants we can read),
 * ACPI_E_MALFORMED (lengths that run past the package or the buffer, a
 * package of no elements, a value above ACPI_SLP_TYP_MAX).
 */
int acpi_s5_parse(const void *aml, size_t len, struct acpi_sleep_type *out);

/* "I/O", "memory", "PCI config", ... for log lines. */
const char *acpi_gas_space_name(uint8_t space);
