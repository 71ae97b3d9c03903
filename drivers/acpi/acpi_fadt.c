/*
 * FADT and \_S5 decoders; see acpi_fadt.h. Layouts are those of the ACPI
 * specification: the FADT (5.2.9), the Generic Address Structure
 * (5.2.3.2) and the AML encodings of NameOp, PackageOp, PkgLength and
 * integer constants (20.2.3-20.2.5).
 *
 * Same rule as acpi_tables.c: every offset is compared with the bound by
 * subtraction before a byte is read through it.
 */
#include "drivers/acpi/acpi_fadt.h"

#include "drivers/acpi/acpi_tables.h"
#include "lib/bytes.h"
#include "lib/string.h"

/* FADT field offsets. */
#define FADT_DSDT	    40u
#define FADT_PM1A_CNT_BLK   64u
#define FADT_PM1B_CNT_BLK   68u
#define FADT_PM1_CNT_LEN    89u
#define FADT_FLAGS	    112u
#define FADT_V1_LEN	    116u /* the ACPI 1.0 table ends after the flags */
#define FADT_RESET_REG	    116u
#define FADT_RESET_VALUE    128u
#define FADT_X_DSDT	    140u
#define FADT_X_PM1A_CNT_BLK 172u
#define FADT_X_PM1B_CNT_BLK 184u
#define GAS_LEN		    12u

#define IO_PORT_MAX	  0xffffu
#define PHYS_ADDR_LIMIT	  (1ull << 52) /* the architectural maximum on x86-64 */
#define PM1_CNT_MIN_BYTES 2u	       /* SLP_EN is bit 13 */

/* AML bytes (ACPI 20.2). */
#define AML_ZERO_OP	 0x00u
#define AML_ONE_OP	 0x01u
#define AML_NAME_OP	 0x08u
#define AML_BYTE_PREFIX	 0x0au
#define AML_WORD_PREFIX	 0x0bu
#define AML_DWORD_PREFIX 0x0cu
#define AML_QWORD_PREFIX 0x0eu
#define AML_PACKAGE_OP	 0x12u
#define AML_ROOT_CHAR	 0x5cu /* '\' */
#define AML_ONES_OP	 0xffu

/* Does the table of `length` bytes hold the n bytes at `at`? */
static bool has_field(uint32_t length, size_t at, size_t n)
{
	return at <= length && n <= length - at;
}

static struct acpi_gas gas_at(const uint8_t *p)
{
	return (struct acpi_gas){
	    .space = p[0],
	    .bit_width = p[1],
	    .bit_offset = p[2],
	    .access_size = p[3],
	    .address = load_le64(p + 4),
	};
}

/* Present, in I/O or memory space, at an address that space can have. */
static bool gas_io_or_memory(const struct acpi_gas *g)
{
	if (g->space == ACPI_GAS_IO) {
		return g->address != 0 && g->address <= IO_PORT_MAX;
	}
	return g->space == ACPI_GAS_MEMORY && g->address != 0 && g->address < PHYS_ADDR_LIMIT;
}

/* The X_ register at x_at if usable, else the legacy I/O block at legacy_at. */
static struct acpi_gas pm1_cnt(const uint8_t *b, uint32_t length, size_t x_at, size_t legacy_at)
{
	if (has_field(length, x_at, GAS_LEN)) {
		struct acpi_gas x = gas_at(b + x_at);
		if (gas_io_or_memory(&x)) {
			return x;
		}
	}
	struct acpi_gas g = {
	    .space = ACPI_GAS_IO,
	    .bit_width = (uint8_t)(8 * b[FADT_PM1_CNT_LEN]),
	    .address = load_le32(b + legacy_at),
	};
	if (g.address > IO_PORT_MAX || b[FADT_PM1_CNT_LEN] < PM1_CNT_MIN_BYTES) {
		return (struct acpi_gas){0};
	}
	return g;
}

/* The reset register, which may also be in PCI configuration space. */
static void fadt_reset(const uint8_t *b, uint32_t length, struct acpi_fadt *out)
{
	if (!(out->flags & ACPI_FADT_RESET_REG_SUP) ||
	    !has_field(length, FADT_RESET_REG, GAS_LEN + 1)) {
		return;
	}
	struct acpi_gas g = gas_at(b + FADT_RESET_REG);
	if (gas_io_or_memory(&g) || (g.space == ACPI_GAS_PCI_CONFIG && g.address != 0)) {
		out->reset_reg = g;
		out->reset_value = b[FADT_RESET_VALUE];
	}
}

int acpi_fadt_parse(const void *p, size_t len, struct acpi_fadt *out)
{
	struct acpi_header_info h;
	const uint8_t *b = p;

	int err = acpi_table_check(p, len, "FACP", &h);
	memset(out, 0, sizeof(*out));
	if (err != ACPI_OK) {
		return err;
	}
	if (h.length < FADT_V1_LEN) {
		return ACPI_E_LENGTH;
	}
	out->flags = load_le32(b + FADT_FLAGS);
	out->dsdt = load_le32(b + FADT_DSDT);
	if (has_field(h.length, FADT_X_DSDT, 8) && load_le64(b + FADT_X_DSDT) != 0) {
		out->dsdt = load_le64(b + FADT_X_DSDT);
	}
	out->pm1a_cnt = pm1_cnt(b, h.length, FADT_X_PM1A_CNT_BLK, FADT_PM1A_CNT_BLK);
	out->pm1b_cnt = pm1_cnt(b, h.length, FADT_X_PM1B_CNT_BLK, FADT_PM1B_CNT_BLK);
	fadt_reset(b, h.length, out);
	return ACPI_OK;
}

/* Does the "_S5_" at b + at follow a NameOp, with or without a root prefix? */
static bool s5_is_named(const uint8_t *b, size_t at)
{
	if (at >= 1 && b[at - 1] == AML_NAME_OP) {
		return true;
	}
	return at >= 2 && b[at - 1] == AML_ROOT_CHAR && b[at - 2] == AML_NAME_OP;
}

/*
 * A PkgLength in b[0, left): the lead byte's top two bits count the bytes
 * that follow it; alone, its low six bits are the length, else its low
 * four bits are the lowest nibble and each following byte 8 more bits.
 */
static bool aml_pkg_length(const uint8_t *b, size_t left, size_t *value, size_t *size)
{
	if (left == 0 || (size_t)(b[0] >> 6) >= left) {
		return false;
	}
	size_t follow = b[0] >> 6;
	size_t v = follow == 0 ? (b[0] & 0x3fu) : (b[0] & 0x0fu);
	for (size_t i = 1; i <= follow; i++) {
		v |= (size_t)b[i] << (4 + 8 * (i - 1));
	}
	*value = v;
	*size = 1 + follow;
	return true;
}

/* An integer constant in b[0, left); *size gets its encoded length. */
static int aml_integer(const uint8_t *b, size_t left, uint64_t *value, size_t *size)
{
	size_t n;

	if (left == 0) {
		return ACPI_E_MALFORMED;
	}
	switch (b[0]) {
	case AML_ZERO_OP:
	case AML_ONE_OP:
	case AML_ONES_OP:
		*value = b[0] == AML_ONES_OP ? UINT64_MAX : b[0];
		*size = 1;
		return ACPI_OK;
	case AML_BYTE_PREFIX:
		n = 1;
		break;
	case AML_WORD_PREFIX:
		n = 2;
		break;
	case AML_DWORD_PREFIX:
		n = 4;
		break;
	case AML_QWORD_PREFIX:
		n = 8;
		break;
	default:
		return ACPI_E_UNSUPPORTED; /* a name, a method call, ... */
	}
	if (left - 1 < n) {
		return ACPI_E_MALFORMED;
	}
	uint64_t v = 0;
	for (size_t i = n; i > 0; i--) {
		v = v << 8 | b[i];
	}
	*value = v;
	*size = 1 + n;
	return ACPI_OK;
}

/* The package b[0, left) right after the name: SLP_TYPa and SLP_TYPb. */
static int s5_package(const uint8_t *b, size_t left, struct acpi_sleep_type *out)
{
	size_t pkg_len, len_size, used;
	uint64_t a, b_typ;

	if (left == 0) {
		return ACPI_E_MALFORMED;
	}
	if (b[0] != AML_PACKAGE_OP) {
		return ACPI_E_UNSUPPORTED; /* a method, or a name of another type */
	}
	/* PkgLength counts its own bytes and what follows, not the PackageOp. */
	if (!aml_pkg_length(b + 1, left - 1, &pkg_len, &len_size) || pkg_len > left - 1 ||
	    pkg_len <= len_size) {
		return ACPI_E_MALFORMED;
	}
	const uint8_t *elems = b + 1 + len_size + 1; /* after NumElements */
	size_t elems_len = pkg_len - len_size - 1;
	uint8_t count = b[1 + len_size];
	if (count == 0) {
		return ACPI_E_MALFORMED;
	}
	int err = aml_integer(elems, elems_len, &a, &used);
	if (err == ACPI_OK && count == 1) {
		b_typ = (a >> 8) & 0xff; /* ACPI 1.0: one integer, a in byte 0, b in byte 1 */
		a &= 0xff;
	} else if (err == ACPI_OK) {
		err = aml_integer(elems + used, elems_len - used, &b_typ, &used);
	}
	if (err != ACPI_OK) {
		return err;
	}
	if (a > ACPI_SLP_TYP_MAX || b_typ > ACPI_SLP_TYP_MAX) {
		return ACPI_E_MALFORMED;
	}
	out->a = (uint8_t)a;
	out->b = (uint8_t)b_typ;
	return ACPI_OK;
}

int acpi_s5_parse(const void *aml, size_t len, struct acpi_sleep_type *out)
{
	const uint8_t *b = aml;

	memset(out, 0, sizeof(*out));
	if (b == NULL) {
		return ACPI_E_TRUNCATED;
	}
	for (size_t at = 0; len >= 4 && at <= len - 4; at++) {
		if (memcmp(b + at, "_S5_", 4) == 0 && s5_is_named(b, at)) {
			return s5_package(b + at + 4, len - at - 4, out);
		}
	}
	return ACPI_E_NOT_FOUND;
}

const char *acpi_gas_space_name(uint8_t space)
{
	switch (space) {
	case ACPI_GAS_MEMORY:
		return "memory";
	case ACPI_GAS_IO:
		return "I/O";
	case ACPI_GAS_PCI_CONFIG:
		return "PCI config";
	default:
		return "unknown space";
	}
}
