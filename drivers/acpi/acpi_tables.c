/*
 * ACPI table decoders; see acpi_tables.h. Layouts are those of the ACPI
 * specification (RSDP 5.2.5, header 5.2.6, RSDT/XSDT 5.2.7-8, MADT 5.2.12)
 * and of the PCI Firmware specification (MCFG, table 4-3).
 *
 * Rule of every function here: a length read from the table is compared
 * with the caller's bound before anything is read through it, and offsets
 * are compared by subtraction from the bound so that no sum can overflow.
 */
#include "drivers/acpi/acpi_tables.h"

#include "lib/bytes.h"
#include "lib/string.h"

/* MADT entry types we read, and the bytes each must have. */
enum {
	MADT_LAPIC = 0,		/* 8 bytes */
	MADT_IOAPIC = 1,	/* 12 */
	MADT_OVERRIDE = 2,	/* 10 */
	MADT_LAPIC_ADDRESS = 5, /* 12 */
	MADT_X2APIC = 9,	/* 16 */
};

#define MADT_ENTRIES_AT 44u /* header, local APIC address, flags */
#define MCFG_ENTRIES_AT 44u /* header, 8 reserved bytes */
#define MCFG_ENTRY_LEN	16u
#define LAPIC_ENABLED	0x1u

/* An ID field as a C string without its space padding. */
static void copy_id(char *dst, const uint8_t *src, size_t n)
{
	memcpy(dst, src, n);
	while (n > 0 && (dst[n - 1] == ' ' || dst[n - 1] == '\0')) {
		n--;
	}
	dst[n] = '\0';
}

uint8_t acpi_checksum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t sum = 0;
	for (size_t i = 0; i < n; i++) {
		sum = (uint8_t)(sum + b[i]);
	}
	return sum;
}

int acpi_rsdp_parse(const void *p, size_t len, struct acpi_rsdp_info *out)
{
	const uint8_t *b = p;

	memset(out, 0, sizeof(*out));
	if (p == NULL || len < ACPI_RSDP_V1_LEN) {
		return ACPI_E_TRUNCATED;
	}
	if (memcmp(b, "RSD PTR ", 8) != 0) {
		return ACPI_E_SIGNATURE;
	}
	if (acpi_checksum(b, ACPI_RSDP_V1_LEN) != 0) {
		return ACPI_E_CHECKSUM;
	}
	out->revision = b[15];
	copy_id(out->oem_id, b + 9, 6);
	out->rsdt = load_le32(b + 16);
	if (out->revision < 2) {
		return ACPI_OK;
	}
	/* ACPI 2.0+: a length field (bytes 20-23) and a checksum over it all. */
	if (len < ACPI_RSDP_V2_LEN) {
		return ACPI_E_TRUNCATED;
	}
	uint32_t length = load_le32(b + 20);
	if (length < ACPI_RSDP_V2_LEN || length > len) {
		return ACPI_E_LENGTH;
	}
	if (acpi_checksum(b, length) != 0) {
		return ACPI_E_CHECKSUM;
	}
	out->xsdt = load_le64(b + 24);
	out->use_xsdt = out->xsdt != 0;
	return ACPI_OK;
}

int acpi_table_check(const void *p, size_t len, const char *signature, struct acpi_header_info *out)
{
	const uint8_t *b = p;

	memset(out, 0, sizeof(*out));
	if (p == NULL || len < ACPI_HEADER_LEN) {
		return ACPI_E_TRUNCATED;
	}
	memcpy(out->signature, b, 4);
	out->signature[4] = '\0';
	out->length = load_le32(b + 4);
	out->revision = b[8];
	copy_id(out->oem_id, b + 10, 6);
	copy_id(out->oem_table_id, b + 16, 8);
	if (signature != NULL && memcmp(b, signature, 4) != 0) {
		return ACPI_E_SIGNATURE;
	}
	if (out->length < ACPI_HEADER_LEN || out->length > len) {
		return ACPI_E_LENGTH;
	}
	if (acpi_checksum(b, out->length) != 0) {
		return ACPI_E_CHECKSUM;
	}
	return ACPI_OK;
}

uint32_t acpi_table_length(const void *p, size_t len)
{
	if (p == NULL || len < ACPI_HEADER_LEN) {
		return 0;
	}
	return load_le32((const uint8_t *)p + 4);
}

/* The table's own length, clipped to what the caller can read. */
static size_t table_len(const void *p, size_t len)
{
	uint32_t length = acpi_table_length(p, len);
	return length < len ? length : len;
}

size_t acpi_sdt_count(const void *sdt, size_t len, bool xsdt)
{
	size_t n = table_len(sdt, len);
	if (n < ACPI_HEADER_LEN) {
		return 0;
	}
	return (n - ACPI_HEADER_LEN) / (xsdt ? 8u : 4u);
}

uint64_t acpi_sdt_entry(const void *sdt, size_t len, bool xsdt, size_t i)
{
	const uint8_t *b = sdt;
	if (i >= acpi_sdt_count(sdt, len, xsdt)) {
		return 0;
	}
	if (xsdt) {
		return load_le64(b + ACPI_HEADER_LEN + 8 * i);
	}
	return load_le32(b + ACPI_HEADER_LEN + 4 * i);
}

int acpi_mcfg_parse(const void *p, size_t len, struct acpi_mcfg *out)
{
	struct acpi_header_info h;
	const uint8_t *b = p;

	int err = acpi_table_check(p, len, "MCFG", &h);
	memset(out, 0, sizeof(*out));
	if (err != ACPI_OK) {
		return err;
	}
	if (h.length < MCFG_ENTRIES_AT) {
		return ACPI_E_LENGTH;
	}
	for (size_t at = MCFG_ENTRIES_AT; h.length - at >= MCFG_ENTRY_LEN; at += MCFG_ENTRY_LEN) {
		struct acpi_mcfg_entry e = {
		    .base = load_le64(b + at),
		    .segment = load_le16(b + at + 8),
		    .start_bus = b[at + 10],
		    .end_bus = b[at + 11],
		};
		if (e.end_bus < e.start_bus || out->count == ACPI_MAX_MCFG) {
			out->dropped++;
			continue;
		}
		out->entries[out->count++] = e;
	}
	return ACPI_OK;
}

/* Minimum length of a MADT entry of `type`; 2 for types we do not read. */
static uint8_t madt_entry_min(uint8_t type)
{
	switch (type) {
	case MADT_LAPIC:
		return 8;
	case MADT_IOAPIC:
	case MADT_LAPIC_ADDRESS:
		return 12;
	case MADT_OVERRIDE:
		return 10;
	case MADT_X2APIC:
		return 16;
	default:
		return 2;
	}
}

static void madt_add_ioapic(struct acpi_madt *out, const uint8_t *e)
{
	if (out->ioapic_count == ACPI_MAX_IOAPICS) {
		out->skipped++;
		return;
	}
	struct acpi_ioapic *io = &out->ioapics[out->ioapic_count++];
	io->id = e[2];
	io->address = load_le32(e + 4);
	io->gsi_base = load_le32(e + 8);
}

static void madt_add_override(struct acpi_madt *out, const uint8_t *e)
{
	if (out->override_count == ACPI_MAX_OVERRIDE) {
		out->skipped++;
		return;
	}
	struct acpi_override *o = &out->overrides[out->override_count++];
	o->bus = e[2];
	o->source = e[3];
	o->gsi = load_le32(e + 4);
	o->flags = load_le16(e + 8);
}

/* One entry whose length has been checked against its type. */
static void madt_entry(struct acpi_madt *out, const uint8_t *e)
{
	switch (e[0]) {
	case MADT_LAPIC:
		out->cpu_count += (load_le32(e + 4) & LAPIC_ENABLED) != 0;
		break;
	case MADT_X2APIC:
		out->cpu_count += (load_le32(e + 8) & LAPIC_ENABLED) != 0;
		break;
	case MADT_IOAPIC:
		madt_add_ioapic(out, e);
		break;
	case MADT_OVERRIDE:
		madt_add_override(out, e);
		break;
	case MADT_LAPIC_ADDRESS:
		out->lapic_address = load_le64(e + 4);
		break;
	default:
		break;
	}
}

int acpi_madt_parse(const void *p, size_t len, struct acpi_madt *out)
{
	struct acpi_header_info h;
	const uint8_t *b = p;

	int err = acpi_table_check(p, len, "APIC", &h);
	memset(out, 0, sizeof(*out));
	if (err != ACPI_OK) {
		return err;
	}
	if (h.length < MADT_ENTRIES_AT) {
		return ACPI_E_LENGTH;
	}
	out->lapic_address = load_le32(b + 36);
	out->flags = load_le32(b + 40);
	for (size_t at = MADT_ENTRIES_AT; at < h.length;) {
		size_t left = h.length - at;
		if (left < 2 || b[at + 1] < 2 || b[at + 1] > left) {
			return ACPI_E_MALFORMED; /* cannot find the next entry */
		}
		if (b[at + 1] < madt_entry_min(b[at])) {
			out->skipped++;
		} else {
			madt_entry(out, b + at);
		}
		at += b[at + 1];
	}
	return ACPI_OK;
}

uint32_t acpi_madt_isa_gsi(const struct acpi_madt *madt, uint8_t irq, uint16_t *flags)
{
	for (size_t i = 0; madt != NULL && i < madt->override_count; i++) {
		const struct acpi_override *o = &madt->overrides[i];
		if (o->bus == 0 && o->source == irq) {
			*flags = o->flags;
			return o->gsi;
		}
	}
	*flags = 0;
	return irq;
}

const char *acpi_error_name(int err)
{
	switch (err) {
	case ACPI_OK:
		return "ok";
	case ACPI_E_TRUNCATED:
		return "truncated";
	case ACPI_E_SIGNATURE:
		return "wrong signature";
	case ACPI_E_CHECKSUM:
		return "bad checksum";
	case ACPI_E_LENGTH:
		return "bad length";
	case ACPI_E_MALFORMED:
		return "malformed";
	case ACPI_E_NOT_FOUND:
		return "not found";
	case ACPI_E_UNSUPPORTED:
		return "unsupported encoding";
	default:
		return "unknown error";
	}
}
