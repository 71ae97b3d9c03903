/*
 * Host tests for drivers/acpi/acpi_tables.c: builders lay out an RSDP, an
 * RSDT/XSDT, a MADT and an MCFG the way firmware does, and the decoders
 * must read every field back. Then the hostile cases: every truncation,
 * bad checksums, length fields that lie in both directions, MADT entries
 * with zero, short or overlong lengths, full arrays, random corruption.
 *
 * Every decode of a hostile input reads from a heap copy of exactly the
 * bytes it is allowed to see, so ASan reports any read past the bound.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/acpi/acpi_tables.h"
#include "tests/unit/acpi_test_util.h"

static void add_ioapic(struct table *t, uint8_t id, uint32_t addr, uint32_t gsi_base)
{
	uint8_t e[12] = {1, 12, id, 0};
	put32(e + 4, addr);
	put32(e + 8, gsi_base);
	add(t, e, sizeof(e));
}

static void add_override(struct table *t, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	uint8_t e[10] = {2, 10, 0, irq};
	put32(e + 4, gsi);
	put16(e + 8, flags);
	add(t, e, sizeof(e));
}

/* A q35-like MADT: one CPU, one IOAPIC, overrides 0->2 and 10 (level, high). */
static void build_madt(struct table *t)
{
	uint8_t fixed[8];
	put32(fixed, 0xfee00000);
	put32(fixed + 4, 1);
	begin_table(t, "APIC");
	add(t, fixed, sizeof(fixed));
	add(t, (uint8_t[]){0, 8, 0, 0, 1, 0, 0, 0}, 8); /* local APIC 0, enabled */
	add(t, (uint8_t[]){0, 8, 1, 1, 0, 0, 0, 0}, 8); /* local APIC 1, disabled */
	add_ioapic(t, 0, 0xfec00000, 0);
	add_override(t, 0, 2, 0);
	add_override(t, 10, 10, 0xd);
	add(t, (uint8_t[]){4, 6, 0xff, 0, 0, 1}, 6); /* local APIC NMI: ignored */
	end_table(t);
}

static void build_mcfg(struct table *t, int entries)
{
	begin_table(t, "MCFG");
	add(t, (uint8_t[8]){0}, 8);
	for (int i = 0; i < entries; i++) {
		uint8_t e[16] = {0};
		put64(e, 0xb0000000ull + ((uint64_t)i << 28));
		put16(e + 8, (uint16_t)i);
		e[10] = 0;
		e[11] = 255;
		add(t, e, sizeof(e));
	}
	end_table(t);
}

static void build_rsdp(uint8_t *p, uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
	memset(p, 0, ACPI_RSDP_V2_LEN);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "BOCHS ", 6);
	p[15] = revision;
	put32(p + 16, rsdt);
	fix_checksum(p, ACPI_RSDP_V1_LEN, 8);
	if (revision >= 2) {
		put32(p + 20, ACPI_RSDP_V2_LEN);
		put64(p + 24, xsdt);
		fix_checksum(p, ACPI_RSDP_V2_LEN, 32);
	}
}

static void rsdp_decodes_v1_and_v2(void **state)
{
	(void)state;
	uint8_t p[ACPI_RSDP_V2_LEN];
	struct acpi_rsdp_info r;

	build_rsdp(p, 0, 0x1ffe22b5, 0);
	assert_int_equal(acpi_rsdp_parse(p, ACPI_RSDP_V1_LEN, &r), ACPI_OK);
	assert_int_equal(r.rsdt, 0x1ffe22b5);
	assert_false(r.use_xsdt);
	assert_string_equal(r.oem_id, "BOCHS");

	build_rsdp(p, 2, 0x1000, 0x1fb7d0e8);
	assert_int_equal(acpi_rsdp_parse(p, sizeof(p), &r), ACPI_OK);
	assert_int_equal(r.revision, 2);
	assert_true(r.use_xsdt);
	assert_int_equal(r.xsdt, 0x1fb7d0e8);
}

static void rsdp_refuses_bad_input(void **state)
{
	(void)state;
	uint8_t p[ACPI_RSDP_V2_LEN];
	struct acpi_rsdp_info r;

	build_rsdp(p, 2, 0x1000, 0x2000);
	for (size_t n = 0; n < ACPI_RSDP_V2_LEN; n++) {
		uint8_t *copy = exact(p, n);
		assert_int_equal(acpi_rsdp_parse(copy, n, &r), ACPI_E_TRUNCATED);
		free(copy);
	}
	assert_int_equal(acpi_rsdp_parse(NULL, 36, &r), ACPI_E_TRUNCATED);

	p[0] = 'X';
	assert_int_equal(acpi_rsdp_parse(p, sizeof(p), &r), ACPI_E_SIGNATURE);
	build_rsdp(p, 2, 0x1000, 0x2000);
	p[16] ^= 1; /* first checksum */
	assert_int_equal(acpi_rsdp_parse(p, sizeof(p), &r), ACPI_E_CHECKSUM);
	build_rsdp(p, 2, 0x1000, 0x2000);
	p[24] ^= 1; /* only the extended checksum covers the XSDT address */
	assert_int_equal(acpi_rsdp_parse(p, sizeof(p), &r), ACPI_E_CHECKSUM);

	/* The length field lies: larger than what is readable, or too small. */
	uint32_t lies[] = {37, 4096, 0xffffffffu, 0, 20, 35};
	for (size_t i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
		build_rsdp(p, 2, 0x1000, 0x2000);
		put32(p + 20, lies[i]);
		fix_checksum(p, ACPI_RSDP_V1_LEN, 8);
		uint8_t *copy = exact(p, sizeof(p));
		assert_int_equal(acpi_rsdp_parse(copy, sizeof(p), &r), ACPI_E_LENGTH);
		free(copy);
	}
}

static void header_check_and_lying_lengths(void **state)
{
	(void)state;
	struct table t;
	struct acpi_header_info h;

	build_madt(&t);
	assert_int_equal(acpi_table_check(t.buf, t.len, "APIC", &h), ACPI_OK);
	assert_string_equal(h.signature, "APIC");
	assert_string_equal(h.oem_id, "FOMOS");
	assert_string_equal(h.oem_table_id, "TESTTBL");
	assert_int_equal(h.length, t.len);
	assert_int_equal(acpi_table_length(t.buf, t.len), t.len);
	assert_int_equal(acpi_table_check(t.buf, t.len, "MCFG", &h), ACPI_E_SIGNATURE);

	/* Every truncation of the readable bytes, length field unchanged. */
	for (uint32_t n = 0; n < t.len; n++) {
		uint8_t *copy = exact(t.buf, n);
		int want = n < ACPI_HEADER_LEN ? ACPI_E_TRUNCATED : ACPI_E_LENGTH;
		assert_int_equal(acpi_table_check(copy, n, NULL, &h), want);
		free(copy);
	}
	/* Length fields below the header, or far beyond the buffer. */
	uint32_t lies[] = {0, 1, 35, t.len + 1, 0x7fffffffu, 0xffffffffu};
	for (size_t i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
		struct table bad = t;
		put32(bad.buf + 4, lies[i]);
		uint8_t *copy = exact(bad.buf, t.len);
		assert_int_equal(acpi_table_check(copy, t.len, NULL, &h), ACPI_E_LENGTH);
		assert_int_equal(acpi_madt_parse(copy, t.len, &(struct acpi_madt){0}),
				 ACPI_E_LENGTH);
		free(copy);
	}
	t.buf[50] ^= 0x40;
	assert_int_equal(acpi_table_check(t.buf, t.len, NULL, &h), ACPI_E_CHECKSUM);
}

static void root_tables_list_addresses(void **state)
{
	(void)state;
	struct table t;

	begin_table(&t, "RSDT");
	add(&t, (uint32_t[]){0x1000, 0x2000, 0x3000}, 12);
	end_table(&t);
	assert_int_equal(acpi_sdt_count(t.buf, t.len, false), 3);
	assert_int_equal(acpi_sdt_entry(t.buf, t.len, false, 2), 0x3000);
	assert_int_equal(acpi_sdt_entry(t.buf, t.len, false, 3), 0);
	/* A shorter readable bound clips the list, whatever the length says. */
	assert_int_equal(acpi_sdt_count(t.buf, ACPI_HEADER_LEN + 5, false), 1);
	assert_int_equal(acpi_sdt_count(t.buf, 10, false), 0);

	begin_table(&t, "XSDT");
	add(&t, (uint64_t[]){0x100000000ull, 0x2000}, 16);
	add(&t, (uint8_t[]){1, 2, 3}, 3); /* a partial entry: ignored */
	end_table(&t);
	assert_int_equal(acpi_sdt_count(t.buf, t.len, true), 2);
	assert_int_equal(acpi_sdt_entry(t.buf, t.len, true, 0), 0x100000000ull);
}

static void madt_decodes_q35_layout(void **state)
{
	(void)state;
	struct table t;
	struct acpi_madt m;
	uint16_t flags;

	build_madt(&t);
	uint8_t *copy = exact(t.buf, t.len);
	assert_int_equal(acpi_madt_parse(copy, t.len, &m), ACPI_OK);
	free(copy);
	assert_int_equal(m.lapic_address, 0xfee00000);
	assert_int_equal(m.flags, 1);
	assert_int_equal(m.cpu_count, 1);
	assert_int_equal(m.ioapic_count, 1);
	assert_int_equal(m.ioapics[0].address, 0xfec00000);
	assert_int_equal(m.ioapics[0].gsi_base, 0);
	assert_int_equal(m.override_count, 2);
	assert_int_equal(m.skipped, 0);
	assert_int_equal(acpi_madt_isa_gsi(&m, 0, &flags), 2);
	assert_int_equal(flags, 0);
	assert_int_equal(acpi_madt_isa_gsi(&m, 10, &flags), 10);
	assert_int_equal(flags & ACPI_INTI_TRIGGER_MASK, ACPI_INTI_TRIGGER_LEVEL);
	assert_int_equal(flags & ACPI_INTI_POLARITY_MASK, ACPI_INTI_POLARITY_HIGH);
	assert_int_equal(acpi_madt_isa_gsi(&m, 4, &flags), 4);
	assert_int_equal(flags, 0);
	assert_int_equal(acpi_madt_isa_gsi(NULL, 7, &flags), 7);
}

/* Cut the MADT at every length and re-sign it: a consistent but short table. */
static void madt_every_consistent_truncation(void **state)
{
	(void)state;
	struct table full, t;
	struct acpi_madt m;

	build_madt(&full);
	for (uint32_t n = ACPI_HEADER_LEN; n <= full.len; n++) {
		t = full;
		t.len = n;
		end_table(&t);
		uint8_t *copy = exact(t.buf, n);
		int err = acpi_madt_parse(copy, n, &m);
		free(copy);
		if (n < 44) {
			assert_int_equal(err, ACPI_E_LENGTH);
		} else {
			assert_true(err == ACPI_OK || err == ACPI_E_MALFORMED);
			assert_true(m.ioapic_count <= 1 && m.override_count <= 2);
		}
	}
}

static void madt_bad_entry_lengths(void **state)
{
	(void)state;
	struct table t;
	struct acpi_madt m;
	uint8_t fixed[8] = {0, 0, 0xe0, 0xfe, 0, 0, 0, 0};

	/* Length 0 and 1 cannot advance: the walk ends, keeping what came before. */
	for (uint8_t bad = 0; bad < 2; bad++) {
		begin_table(&t, "APIC");
		add(&t, fixed, 8);
		add_ioapic(&t, 3, 0xfec00000, 0);
		add(&t, (uint8_t[]){1, bad, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 12);
		end_table(&t);
		assert_int_equal(acpi_madt_parse(t.buf, t.len, &m), ACPI_E_MALFORMED);
		assert_int_equal(m.ioapic_count, 1);
		assert_int_equal(m.ioapics[0].id, 3);
	}
	/* An entry claiming to run past the end of the table. */
	begin_table(&t, "APIC");
	add(&t, fixed, 8);
	add(&t, (uint8_t[]){2, 40, 0, 0, 0, 0, 0, 0, 0, 0}, 10);
	end_table(&t);
	uint8_t *copy = exact(t.buf, t.len);
	assert_int_equal(acpi_madt_parse(copy, t.len, &m), ACPI_E_MALFORMED);
	free(copy);
	assert_int_equal(m.override_count, 0);
	/* Too short for its type: skipped, the walk goes on. */
	begin_table(&t, "APIC");
	add(&t, fixed, 8);
	add(&t, (uint8_t[]){1, 8, 5, 0, 0, 0, 0xc0, 0xfe}, 8);
	add(&t, (uint8_t[]){2, 6, 0, 9, 9, 0}, 6);
	add(&t, (uint8_t[]){0x7f, 3, 0}, 3); /* unknown type */
	add_override(&t, 9, 9, 0xd);
	end_table(&t);
	copy = exact(t.buf, t.len);
	assert_int_equal(acpi_madt_parse(copy, t.len, &m), ACPI_OK);
	free(copy);
	assert_int_equal(m.ioapic_count, 0);
	assert_int_equal(m.override_count, 1);
	assert_int_equal(m.skipped, 2);
}

static void madt_arrays_do_not_overflow(void **state)
{
	(void)state;
	struct table t;
	struct acpi_madt m;
	uint8_t fixed[8] = {0};
	uint8_t addr_override[12] = {5, 12};

	begin_table(&t, "APIC");
	add(&t, fixed, 8);
	for (int i = 0; i < ACPI_MAX_IOAPICS + 3; i++) {
		add_ioapic(&t, (uint8_t)i, 0xfec00000u + 0x1000u * (uint32_t)i, 24u * (uint32_t)i);
	}
	for (int i = 0; i < ACPI_MAX_OVERRIDE + 2; i++) {
		add_override(&t, (uint8_t)i, (uint32_t)i, 0);
	}
	put64(addr_override + 4, 0x123456789000ull);
	add(&t, addr_override, 12);
	end_table(&t);
	assert_int_equal(acpi_madt_parse(t.buf, t.len, &m), ACPI_OK);
	assert_int_equal(m.ioapic_count, ACPI_MAX_IOAPICS);
	assert_int_equal(m.override_count, ACPI_MAX_OVERRIDE);
	assert_int_equal(m.skipped, 5);
	assert_int_equal(m.lapic_address, 0x123456789000ull);
}

static void mcfg_decodes_and_bounds(void **state)
{
	(void)state;
	struct table t;
	struct acpi_mcfg m;

	build_mcfg(&t, 1);
	uint8_t *copy = exact(t.buf, t.len);
	assert_int_equal(acpi_mcfg_parse(copy, t.len, &m), ACPI_OK);
	free(copy);
	assert_int_equal(m.count, 1);
	assert_int_equal(m.entries[0].base, 0xb0000000);
	assert_int_equal(m.entries[0].start_bus, 0);
	assert_int_equal(m.entries[0].end_bus, 255);

	for (uint32_t n = 0; n < t.len; n++) {
		copy = exact(t.buf, n);
		assert_true(acpi_mcfg_parse(copy, n, &m) < 0);
		free(copy);
	}
	build_mcfg(&t, ACPI_MAX_MCFG + 2);
	t.buf[44 + 16 + 10] = 9; /* second entry: start bus 9 > end bus 8 */
	t.buf[44 + 16 + 11] = 8;
	end_table(&t);
	assert_int_equal(acpi_mcfg_parse(t.buf, t.len, &m), ACPI_OK);
	assert_int_equal(m.count, ACPI_MAX_MCFG);
	assert_int_equal(m.dropped, 2);
	assert_int_equal(m.entries[1].segment, 2);

	build_mcfg(&t, 0); /* no entries at all: valid, empty */
	assert_int_equal(acpi_mcfg_parse(t.buf, t.len, &m), ACPI_OK);
	assert_int_equal(m.count, 0);
	begin_table(&t, "MCFG"); /* shorter than its reserved field */
	end_table(&t);
	assert_int_equal(acpi_mcfg_parse(t.buf, t.len, &m), ACPI_E_LENGTH);
}

/* Random bytes in the entry area, re-signed: decode or refuse, never overrun. */
static void madt_survives_random_corruption(void **state)
{
	(void)state;
	struct table full, t;
	struct acpi_madt m;

	build_madt(&full);
	srand(1234);
	for (int round = 0; round < 20000; round++) {
		t = full;
		for (int k = 0; k < 1 + rand() % 4; k++) {
			t.buf[44 + rand() % (int)(t.len - 44)] = (uint8_t)rand();
		}
		end_table(&t);
		uint8_t *copy = exact(t.buf, t.len);
		int err = acpi_madt_parse(copy, t.len, &m);
		free(copy);
		assert_true(err == ACPI_OK || err == ACPI_E_MALFORMED);
		assert_true(m.ioapic_count <= ACPI_MAX_IOAPICS);
		assert_true(m.override_count <= ACPI_MAX_OVERRIDE);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rsdp_decodes_v1_and_v2),
	    cmocka_unit_test(rsdp_refuses_bad_input),
	    cmocka_unit_test(header_check_and_lying_lengths),
	    cmocka_unit_test(root_tables_list_addresses),
	    cmocka_unit_test(madt_decodes_q35_layout),
	    cmocka_unit_test(madt_every_consistent_truncation),
	    cmocka_unit_test(madt_bad_entry_lengths),
	    cmocka_unit_test(madt_arrays_do_not_overflow),
	    cmocka_unit_test(mcfg_decodes_and_bounds),
	    cmocka_unit_test(madt_survives_random_corruption),
	};
	return cmocka_run_group_tests_name("acpi", tests, NULL, NULL);
}
