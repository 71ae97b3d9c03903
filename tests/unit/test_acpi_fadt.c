/*
 * Host tests for drivers/acpi/acpi_fadt.c: a q35-like FADT (what QEMU
 * builds: reset register at I/O 0xcf9, PM1a control at I/O 0x604) must
 * decode field by field, an ACPI 1.0 one without the later fields, and the
 * 64-bit X_ fields must win over the 32-bit ones. Then \_S5 in AML byte
 * streams: every integer encoding and PkgLength size, the ACPI 1.0
 * one-integer form, and what must be refused (missing, a method, names
 * instead of constants, lengths that lie, values out of range).
 *
 * Hostile inputs are decoded from heap copies of exactly the readable
 * bytes (acpi_test_util.h), so ASan reports any read past the bound.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/acpi/acpi_fadt.h"
#include "drivers/acpi/acpi_tables.h"
#include "tests/unit/acpi_test_util.h"

#define FADT_V1_LEN   116u
#define FADT_V3_LEN   244u /* what QEMU builds for q35 */
#define FADT_V6_LEN   276u
#define Q35_DSDT      0x7fe0040u
#define Q35_PM1A_CNT  0x604u
#define Q35_RESET_REG 0xcf9u

static void put_gas(uint8_t *p, uint8_t space, uint8_t width, uint8_t access, uint64_t address)
{
	p[0] = space;
	p[1] = width;
	p[2] = 0;
	p[3] = access;
	put64(p + 4, address);
}

/* A q35-like FADT cut to `length` bytes (fields past it are not in it). */
static void build_fadt(struct table *t, uint32_t length)
{
	begin_table(t, "FACP");
	t->buf[8] = 3;
	put32(t->buf + 40, Q35_DSDT);
	put32(t->buf + 64, Q35_PM1A_CNT);
	t->buf[89] = 2; /* PM1_CNT_LEN */
	put32(t->buf + 112, ACPI_FADT_RESET_REG_SUP | 0x1a5);
	put_gas(t->buf + 116, ACPI_GAS_IO, 8, 1, Q35_RESET_REG);
	t->buf[128] = 0x0f;
	put64(t->buf + 140, Q35_DSDT);
	put_gas(t->buf + 172, ACPI_GAS_IO, 16, 2, Q35_PM1A_CNT);
	t->len = length;
	end_table(t);
}

static int fadt_of(const struct table *t, struct acpi_fadt *f)
{
	uint8_t *copy = exact(t->buf, t->len);
	int err = acpi_fadt_parse(copy, t->len, f);
	free(copy);
	return err;
}

static void fadt_decodes_q35_layout(void **state)
{
	(void)state;
	struct table t;
	struct acpi_fadt f;

	build_fadt(&t, FADT_V3_LEN);
	assert_int_equal(fadt_of(&t, &f), ACPI_OK);
	assert_int_equal(f.dsdt, Q35_DSDT);
	assert_true(f.flags & ACPI_FADT_RESET_REG_SUP);
	assert_int_equal(f.reset_reg.space, ACPI_GAS_IO);
	assert_int_equal(f.reset_reg.address, Q35_RESET_REG);
	assert_int_equal(f.reset_reg.bit_width, 8);
	assert_int_equal(f.reset_value, 0x0f);
	assert_int_equal(f.pm1a_cnt.space, ACPI_GAS_IO);
	assert_int_equal(f.pm1a_cnt.address, Q35_PM1A_CNT);
	assert_int_equal(f.pm1a_cnt.bit_width, 16);
	assert_int_equal(f.pm1b_cnt.address, 0);
	assert_string_equal(acpi_gas_space_name(f.reset_reg.space), "I/O");
	assert_string_equal(acpi_gas_space_name(ACPI_GAS_MEMORY), "memory");
	assert_string_equal(acpi_gas_space_name(0x7f), "unknown space");
}

/* ACPI 1.0: no reset register even with the flag, 32-bit fields only. */
static void fadt_v1_has_no_later_fields(void **state)
{
	(void)state;
	struct table t;
	struct acpi_fadt f;

	build_fadt(&t, FADT_V1_LEN);
	assert_int_equal(fadt_of(&t, &f), ACPI_OK);
	assert_int_equal(f.reset_reg.address, 0);
	assert_int_equal(f.pm1a_cnt.space, ACPI_GAS_IO);
	assert_int_equal(f.pm1a_cnt.address, Q35_PM1A_CNT);
	assert_int_equal(f.dsdt, Q35_DSDT);
}

static void fadt_prefers_x_fields(void **state)
{
	(void)state;
	struct table t;
	struct acpi_fadt f;

	build_fadt(&t, FADT_V6_LEN);
	put64(t.buf + 140, 0x123456789000ull);
	put_gas(t.buf + 172, ACPI_GAS_MEMORY, 16, 2, 0xfed80004ull);
	put32(t.buf + 68, 0x704); /* PM1b: only the 32-bit field, X_ left 0 */
	end_table(&t);
	assert_int_equal(fadt_of(&t, &f), ACPI_OK);
	assert_int_equal(f.dsdt, 0x123456789000ull);
	assert_int_equal(f.pm1a_cnt.space, ACPI_GAS_MEMORY);
	assert_int_equal(f.pm1a_cnt.address, 0xfed80004ull);
	assert_int_equal(f.pm1b_cnt.space, ACPI_GAS_IO);
	assert_int_equal(f.pm1b_cnt.address, 0x704);

	/* An X_ register that cannot be used falls back to the 32-bit block. */
	put_gas(t.buf + 172, ACPI_GAS_IO, 16, 2, 0x10000);
	end_table(&t);
	assert_int_equal(fadt_of(&t, &f), ACPI_OK);
	assert_int_equal(f.pm1a_cnt.space, ACPI_GAS_IO);
	assert_int_equal(f.pm1a_cnt.address, Q35_PM1A_CNT);
	put_gas(t.buf + 172, ACPI_GAS_PCI_CONFIG, 16, 2, 0x1f0040);
	end_table(&t);
	assert_int_equal(fadt_of(&t, &f), ACPI_OK);
	assert_int_equal(f.pm1a_cnt.address, Q35_PM1A_CNT);
}

static void fadt_reset_register_rules(void **state)
{
	(void)state;
	struct table t;
	struct acpi_fadt f;

	build_fadt(&t, FADT_V3_LEN); /* a reset register without the flag */
	put32(t.buf + 112, 0x1a5);
	end_table(&t);
	assert_int_equal(fadt_of(&t, &f), ACPI_OK);
	assert_int_equal(f.reset_reg.address, 0);

	build_fadt(&t, FADT_V3_LEN); /* in memory space */
	put_gas(t.buf + 116, ACPI_GAS_MEMORY, 8, 1, 0xfed00000);
	end_table(&t);
	assert_int_equal(fadt_of(&t, &f), ACPI_OK);
	assert_int_equal(f.reset_reg.space, ACPI_GAS_MEMORY);
	assert_int_equal(f.reset_reg.address, 0xfed00000);

	build_fadt(&t, FADT_V3_LEN); /* PCI config space: kept, power.c decides */
	put_gas(t.buf + 116, ACPI_GAS_PCI_CONFIG, 8, 1, 0x1f00000044ull);
	end_table(&t);
	assert_int_equal(fadt_of(&t, &f), ACPI_OK);
	assert_int_equal(f.reset_reg.space, ACPI_GAS_PCI_CONFIG);

	/* Spaces we do not know, ports beyond 16 bits, address 0: absent. */
	const struct {
		uint8_t space;
		uint64_t address;
	} bad[] = {{0x7f, 0xcf9},
		   {ACPI_GAS_IO, 0x10000},
		   {ACPI_GAS_IO, 0},
		   {ACPI_GAS_MEMORY, 0},
		   {ACPI_GAS_MEMORY, 1ull << 60}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		build_fadt(&t, FADT_V3_LEN);
		put_gas(t.buf + 116, bad[i].space, 8, 1, bad[i].address);
		end_table(&t);
		assert_int_equal(fadt_of(&t, &f), ACPI_OK);
		assert_int_equal(f.reset_reg.address, 0);
	}
}

static void fadt_pm1_rules(void **state)
{
	(void)state;
	struct table t;
	struct acpi_fadt f;

	build_fadt(&t, FADT_V1_LEN); /* PM1_CNT_LEN 1 cannot hold SLP_EN */
	t.buf[89] = 1;
	end_table(&t);
	assert_int_equal(fadt_of(&t, &f), ACPI_OK);
	assert_int_equal(f.pm1a_cnt.address, 0);

	build_fadt(&t, FADT_V1_LEN); /* a hardware-reduced platform: no blocks */
	put32(t.buf + 64, 0);
	put32(t.buf + 112, ACPI_FADT_HW_REDUCED);
	end_table(&t);
	assert_int_equal(fadt_of(&t, &f), ACPI_OK);
	assert_int_equal(f.pm1a_cnt.address, 0);
	assert_true(f.flags & ACPI_FADT_HW_REDUCED);
}

static void fadt_refuses_bad_tables(void **state)
{
	(void)state;
	struct table t;
	struct acpi_fadt f;

	build_fadt(&t, FADT_V3_LEN);
	for (uint32_t n = 0; n < t.len; n++) { /* the length field says more */
		uint8_t *copy = exact(t.buf, n);
		int want = n < ACPI_HEADER_LEN ? ACPI_E_TRUNCATED : ACPI_E_LENGTH;
		assert_int_equal(acpi_fadt_parse(copy, n, &f), want);
		free(copy);
	}
	t.buf[100] ^= 1;
	assert_int_equal(fadt_of(&t, &f), ACPI_E_CHECKSUM);
	build_fadt(&t, FADT_V3_LEN);
	memcpy(t.buf, "APIC", 4);
	end_table(&t);
	assert_int_equal(fadt_of(&t, &f), ACPI_E_SIGNATURE);
	assert_int_equal(acpi_fadt_parse(NULL, 244, &f), ACPI_E_TRUNCATED);
}

/* Cut and re-signed at every length: each field is read only when present. */
static void fadt_every_consistent_truncation(void **state)
{
	(void)state;
	struct table t;
	struct acpi_fadt f;

	for (uint32_t n = ACPI_HEADER_LEN; n <= FADT_V6_LEN; n++) {
		build_fadt(&t, n);
		int err = fadt_of(&t, &f);
		if (n < FADT_V1_LEN) {
			assert_int_equal(err, ACPI_E_LENGTH);
			continue;
		}
		assert_int_equal(err, ACPI_OK);
		assert_int_equal(f.reset_reg.address, n >= 129 ? Q35_RESET_REG : 0);
		assert_int_equal(f.pm1a_cnt.address, Q35_PM1A_CNT);
		assert_int_equal(f.pm1a_cnt.access_size, n >= 184 ? 2 : 0); /* X_ or legacy */
		assert_int_equal(f.dsdt, Q35_DSDT);
	}
}

/* ---------------------------------------------------------------- \_S5 */

/* QEMU's q35 DSDT declares _S3, _S4 and _S5 like this, among other AML. */
#define Q35_S5_AT  33u /* after the scope, _S3 (12 bytes) and _S4 (14) */
#define Q35_S5_END 45u
static const uint8_t q35_aml[] = {
    0x10, 0x06, 0x5c, '_', 'S', 'B',  '_',				  /* Scope (\_SB) {} */
    0x08, '_',	'S',  '3', '_', 0x12, 0x06, 0x04, 0x01, 0x01, 0x00, 0x00, /* _S3 */
    0x08, '_',	'S',  '4', '_', 0x12, 0x08, 0x04, 0x0a, 0x02, 0x0a, 0x02, 0x00, 0x00, /* _S4 */
    0x08, '_',	'S',  '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00,	      /* _S5 */
    0x14, 0x07, '_',  'P', 'T', 'S',  0x01, 0xa3, /* Method (_PTS, 1) { Noop } */
};

static int s5_of(const uint8_t *aml, size_t n, struct acpi_sleep_type *out)
{
	uint8_t *copy = exact(aml, n);
	int err = acpi_s5_parse(copy, n, out);
	free(copy);
	return err;
}

#define AML(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

static void s5_q35(void **state)
{
	(void)state;
	struct acpi_sleep_type s = {9, 9};

	assert_int_equal(s5_of(q35_aml, sizeof(q35_aml), &s), ACPI_OK);
	assert_int_equal(s.a, 0);
	assert_int_equal(s.b, 0);
}

static void expect_s5(const uint8_t *aml, size_t n, uint8_t a, uint8_t b)
{
	struct acpi_sleep_type s;

	assert_int_equal(s5_of(aml, n, &s), ACPI_OK);
	assert_int_equal(s.a, a);
	assert_int_equal(s.b, b);
}

static void s5_every_encoding(void **state)
{
	(void)state;
	/* BytePrefix, as most PC firmware writes Package () { 0x07, 0x07, ... }. */
	expect_s5(AML(0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x07, 0, 0), 5,
		  7);
	expect_s5(AML(0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x01, 0x00), 1, 0);
	expect_s5(AML(0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x02, 0x0b, 7, 0, 0x0b, 6, 0), 7, 6);
	expect_s5(
	    AML(0x08, '_', 'S', '5', '_', 0x12, 0x0c, 0x02, 0x0c, 3, 0, 0, 0, 0x0c, 4, 0, 0, 0), 3,
	    4);
	expect_s5(AML(0x08, '_', 'S', '5', '_', 0x12, 0x14, 0x02, 0x0e, 6, 0, 0, 0, 0, 0, 0, 0,
		      0x0e, 5, 0, 0, 0, 0, 0, 0, 0),
		  6, 5);
	/* Name (\_S5, ...) with the root prefix. */
	expect_s5(AML(0x08, 0x5c, '_', 'S', '5', '_', 0x12, 0x07, 0x04, 0x0a, 0x07, 0, 0, 0), 7, 0);
	/* Two-byte PkgLength: 0x49 0x00 = 9; 0x41 0x01 = 1 + (1 << 4) = 17. */
	expect_s5(AML(0x08, '_', 'S', '5', '_', 0x12, 0x49, 0x00, 0x04, 0x0a, 5, 0x0a, 5, 0, 0), 5,
		  5);
	expect_s5(AML(0x08, '_', 'S', '5', '_', 0x12, 0x41, 0x01, 0x0c, 0x0a, 2, 0x0a, 3, 0, 0, 0,
		      0, 0, 0, 0, 0, 0, 0),
		  2, 3);
	/* ACPI 1.0: one integer, SLP_TYPa in byte 0 and SLP_TYPb in byte 1. */
	expect_s5(AML(0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x01, 0x0b, 0x05, 0x07), 5, 7);
	expect_s5(AML(0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x01, 0x00), 0, 0);
	/* A reference to \_S5 before the declaration is not the declaration. */
	expect_s5(AML(0x70, 0x5c, '_', 'S', '5', '_', 0x60, 0x08, '_', 'S', '5', '_', 0x12, 0x04,
		      0x02, 0x01, 0x01),
		  1, 1);
}

static void expect_s5_error(const uint8_t *aml, size_t n, int err)
{
	struct acpi_sleep_type s;

	assert_int_equal(s5_of(aml, n, &s), err);
}

static void s5_refusals(void **state)
{
	(void)state;
	expect_s5_error(q35_aml, Q35_S5_AT, ACPI_E_NOT_FOUND); /* up to _S4 only */
	expect_s5_error(AML(0x70, 0x5c, '_', 'S', '5', '_', 0x60), ACPI_E_NOT_FOUND);
	expect_s5_error(AML('_', 'S', '5'), ACPI_E_NOT_FOUND);
	/* A method whose PkgLength happens to be 8, and a name of an integer. */
	expect_s5_error(AML(0x14, 0x08, '_', 'S', '5', '_', 0x00, 0xa4, 0x00), ACPI_E_UNSUPPORTED);
	expect_s5_error(AML(0x08, '_', 'S', '5', '_', 0x0a, 0x05), ACPI_E_UNSUPPORTED);
	/* Elements that are names, values an interpreter would look up. */
	expect_s5_error(
	    AML(0x08, '_', 'S', '5', '_', 0x12, 0x0a, 0x02, 'S', 'L', 'P', 'A', 'S', 'L', 'P', 'B'),
	    ACPI_E_UNSUPPORTED);
	/* Lengths and counts that do not add up. */
	expect_s5_error(AML(0x08, '_', 'S', '5', '_'), ACPI_E_MALFORMED);
	expect_s5_error(AML(0x08, '_', 'S', '5', '_', 0x12), ACPI_E_MALFORMED);
	expect_s5_error(AML(0x08, '_', 'S', '5', '_', 0x12, 0xc5), ACPI_E_MALFORMED);
	expect_s5_error(AML(0x08, '_', 'S', '5', '_', 0x12, 0x02, 0x00), ACPI_E_MALFORMED);
	expect_s5_error(AML(0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x02, 0x00), ACPI_E_MALFORMED);
	expect_s5_error(AML(0x08, '_', 'S', '5', '_', 0x12, 0x3f, 0x02, 0x00, 0x00),
			ACPI_E_MALFORMED);
	expect_s5_error(AML(0x08, '_', 'S', '5', '_', 0x12, 0x01, 0x02, 0x00, 0x00),
			ACPI_E_MALFORMED);
	expect_s5_error(AML(0x08, '_', 'S', '5', '_', 0x12, 0x00, 0x02, 0x00, 0x00),
			ACPI_E_MALFORMED);
	/* A BytePrefix whose byte lies past the end of the package. */
	expect_s5_error(AML(0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x00, 0x0a, 0x05),
			ACPI_E_MALFORMED);
	/* Values SLP_TYP (3 bits) cannot hold. */
	expect_s5_error(AML(0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x08, 0x00),
			ACPI_E_MALFORMED);
	expect_s5_error(AML(0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0xff, 0x00),
			ACPI_E_MALFORMED);
	expect_s5_error(AML(0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x01, 0x0b, 0x05, 0x08),
			ACPI_E_MALFORMED);

	struct acpi_sleep_type s;
	assert_int_equal(acpi_s5_parse(NULL, 16, &s), ACPI_E_TRUNCATED);
}

/* The q35 stream cut at every length: found only whole, never overread. */
static void s5_every_truncation(void **state)
{
	(void)state;
	struct acpi_sleep_type s;
	for (size_t n = 0; n <= sizeof(q35_aml); n++) {
		int err = s5_of(q35_aml, n, &s);
		if (n >= Q35_S5_END) {
			assert_int_equal(err, ACPI_OK);
		} else {
			assert_true(err == ACPI_E_NOT_FOUND || err == ACPI_E_MALFORMED);
		}
	}
}

static void s5_survives_random_corruption(void **state)
{
	(void)state;
	uint8_t aml[sizeof(q35_aml)];
	struct acpi_sleep_type s;

	srand(5);
	for (int round = 0; round < 20000; round++) {
		memcpy(aml, q35_aml, sizeof(aml));
		for (int k = 0; k < 1 + rand() % 4; k++) {
			aml[rand() % (int)sizeof(aml)] = (uint8_t)rand();
		}
		int err = s5_of(aml, sizeof(aml), &s);
		assert_true(err == ACPI_OK || err == ACPI_E_NOT_FOUND ||
			    err == ACPI_E_UNSUPPORTED || err == ACPI_E_MALFORMED);
		if (err == ACPI_OK) {
			assert_true(s.a <= ACPI_SLP_TYP_MAX && s.b <= ACPI_SLP_TYP_MAX);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fadt_decodes_q35_layout),
	    cmocka_unit_test(fadt_v1_has_no_later_fields),
	    cmocka_unit_test(fadt_prefers_x_fields),
	    cmocka_unit_test(fadt_reset_register_rules),
	    cmocka_unit_test(fadt_pm1_rules),
	    cmocka_unit_test(fadt_refuses_bad_tables),
	    cmocka_unit_test(fadt_every_consistent_truncation),
	    cmocka_unit_test(s5_q35),
	    cmocka_unit_test(s5_every_encoding),
	    cmocka_unit_test(s5_refusals),
	    cmocka_unit_test(s5_every_truncation),
	    cmocka_unit_test(s5_survives_random_corruption),
	};
	return cmocka_run_group_tests_name("acpi_fadt", tests, NULL, NULL);
}
