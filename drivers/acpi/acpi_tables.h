/*
 * Decoding the ACPI tables the kernel needs: the RSDP, the table header
 * every system description table shares, the RSDT/XSDT lists of tables,
 * the MCFG (where PCI Express configuration space is) and the MADT
 * (interrupt controllers and how ISA interrupts reach them).
 *
 * This is the "decode" step for data written by the firmware: every
 * function takes a pointer and the number of bytes it may read, checks
 * each length field against that bound before using it, and either fills
 * a plain struct or returns a negative ACPI_E_* code. Nothing here maps
 * memory, allocates or logs, so the same file is built on the host and
 * tested with well-formed, truncated, corrupt and lying tables
 * (tests/unit/test_acpi.c). drivers/acpi/acpi.c does the mapping.
 *
 * Multi-byte fields are little-endian and unaligned: read through memcpy.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACPI_HEADER_LEN	  36u /* the shared system description table header */
#define ACPI_RSDP_V1_LEN  20u /* ACPI 1.0 RSDP, covered by the first checksum */
#define ACPI_RSDP_V2_LEN  36u /* ACPI 2.0+ RSDP with the XSDT address */
#define ACPI_MAX_IOAPICS  8
#define ACPI_MAX_OVERRIDE 16
#define ACPI_MAX_MCFG	  8

enum acpi_error {
	ACPI_OK = 0,
	ACPI_E_TRUNCATED = -1,	 /* fewer bytes than the structure needs */
	ACPI_E_SIGNATURE = -2,	 /* not the structure we were looking for */
	ACPI_E_CHECKSUM = -3,	 /* bytes do not sum to zero */
	ACPI_E_LENGTH = -4,	 /* a length field is too small or past the bound */
	ACPI_E_MALFORMED = -5,	 /* inconsistent inside (e.g. a zero-length entry) */
	ACPI_E_NOT_FOUND = -6,	 /* the object looked for is not there */
	ACPI_E_UNSUPPORTED = -7, /* there, but in a form we cannot decode */
};

/* What the RSDP says: where the root table is and which kind it is. */
struct acpi_rsdp_info {
	uint8_t revision;
	char oem_id[7]; /* NUL-terminated, padding removed */
	uint32_t rsdt;	/* physical address; 0 if absent */
	uint64_t xsdt;	/* physical address; 0 before ACPI 2.0 */
	bool use_xsdt;	/* revision >= 2 and an XSDT address */
};

/* The decoded shared header of a system description table. */
struct acpi_header_info {
	char signature[5]; /* NUL-terminated, e.g. "APIC" (never trimmed) */
	uint32_t length;   /* whole table, header included */
	uint8_t revision;
	char oem_id[7];
	char oem_table_id[9];
};

struct acpi_mcfg_entry {
	uint64_t base; /* ECAM address of bus 0 of this segment group */
	uint16_t segment;
	uint8_t start_bus, end_bus;
};

struct acpi_mcfg {
	size_t count;
	struct acpi_mcfg_entry entries[ACPI_MAX_MCFG];
	size_t dropped; /* entries beyond ACPI_MAX_MCFG or with end < start */
};

struct acpi_ioapic {
	uint8_t id;
	uint32_t address;  /* physical, of the register window */
	uint32_t gsi_base; /* first global system interrupt it serves */
};

/* MPS INTI flags of an override: polarity in bits 0-1, trigger in 2-3. */
#define ACPI_INTI_POLARITY_MASK 0x3u
#define ACPI_INTI_POLARITY_BUS	0x0u /* conforms to the bus */
#define ACPI_INTI_POLARITY_HIGH 0x1u
#define ACPI_INTI_POLARITY_LOW	0x3u
#define ACPI_INTI_TRIGGER_MASK	0xcu
#define ACPI_INTI_TRIGGER_BUS	0x0u
#define ACPI_INTI_TRIGGER_EDGE	0x4u
#define ACPI_INTI_TRIGGER_LEVEL 0xcu

struct acpi_override {
	uint8_t bus;	/* 0 = ISA */
	uint8_t source; /* bus-relative IRQ */
	uint32_t gsi;
	uint16_t flags; /* ACPI_INTI_* */
};

struct acpi_madt {
	uint64_t lapic_address; /* after any address override entry */
	uint32_t flags;		/* bit 0: legacy 8259s present */
	size_t cpu_count;	/* enabled local APICs (or x2APICs) */
	size_t ioapic_count;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	size_t override_count;
	struct acpi_override overrides[ACPI_MAX_OVERRIDE];
	size_t skipped; /* entries too short for their type, or beyond our arrays */
};

/*
 * The RSDP at p, of which len bytes are readable: signature "RSD PTR ",
 * the ACPI 1.0 checksum, and for revision >= 2 also the length field and
 * the extended checksum over it.
 */
int acpi_rsdp_parse(const void *p, size_t len, struct acpi_rsdp_info *out);

/*
 * A table header at p with len readable bytes: the length field must be at
 * least the header and at most len, and the whole table must sum to zero.
 * With signature non-NULL the table must also carry that signature.
 */
int acpi_table_check(const void *p, size_t len, const char *signature,
		     struct acpi_header_info *out);

/* The length field of the header at p, or 0 when len cannot hold a header. */
uint32_t acpi_table_length(const void *p, size_t len);

/* Number of table addresses in a checked RSDT (4-byte) or XSDT (8-byte). */
size_t acpi_sdt_count(const void *sdt, size_t len, bool xsdt);

/* Address i of a checked RSDT/XSDT; 0 when i is out of range. */
uint64_t acpi_sdt_entry(const void *sdt, size_t len, bool xsdt, size_t i);

/* Decode a checked MCFG ("MCFG" signature and checksum are verified too). */
int acpi_mcfg_parse(const void *p, size_t len, struct acpi_mcfg *out);

/*
 * Decode a checked MADT ("APIC"). An entry shorter than its type needs is
 * skipped (counted); an entry whose length is below 2 or runs past the end
 * ends the walk with ACPI_E_MALFORMED, keeping what came before it.
 */
int acpi_madt_parse(const void *p, size_t len, struct acpi_madt *out);

/*
 * The GSI ISA IRQ `irq` arrives on according to the MADT's overrides, with
 * the override's flags in *flags; identity and flags 0 without an override.
 */
uint32_t acpi_madt_isa_gsi(const struct acpi_madt *madt, uint8_t irq, uint16_t *flags);

/* Sum of n bytes modulo 256: zero for a valid ACPI checksum. */
uint8_t acpi_checksum(const void *p, size_t n);

const char *acpi_error_name(int err);
