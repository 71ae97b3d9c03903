/*
 * tests/unit/test_psf_malformed.c — host tests for lib/psf.c on hostile
 * input.
 *
 * A font comes from a file, so the parser must refuse every broken one
 * with an error code and never read outside the bytes it was given:
 * - one error code per kind of broken header, with the output untouched;
 * - every truncation of small built fonts and of the kernel's Terminus
 *   font is refused;
 * - random bit flips and random header fields (fixed seed, reproducible).
 * Each input sits in an exact-size heap block, so ASan reports any read
 * outside it; parsed results are exercised and range-checked. The rules
 * for well-formed fonts are in test_psf.c; the shared helpers in
 * psf_test_util.c. Run from the repository root.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/psf.h"
#include "tests/unit/psf_test_util.h"

/* -------------------------------------------------- broken headers --- */

/* Sets the little-endian u32 at off. */
static void set32(struct built *b, size_t off, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		b->data[off + (size_t)i] = (uint8_t)(v >> (8 * i));
	}
}

static void test_bad_headers(void **state)
{
	static const struct {
		size_t off;
		uint32_t value;
		int want;
	} cases[] = {
	    {0, 0x864ab573u, PSF_EMAGIC},
	    {4, 1, PSF_EHEADER},
	    {8, 31, PSF_EHEADER},
	    {8, 0xFFFFFFFFu, PSF_ETRUNC},
	    {12, 2, PSF_EHEADER},
	    {16, 0, PSF_ECOUNT},
	    {16, 0xFFFFFFFFu, PSF_ECOUNT},
	    {16, 65536, PSF_EGLYPHS},
	    {20, 7, PSF_ESIZE},
	    {20, 0xFFFFFFFFu, PSF_ESIZE},
	    {24, 0, PSF_ESIZE},
	    {24, 65, PSF_ESIZE},
	    {28, 0, PSF_ESIZE},
	    {28, 65, PSF_ESIZE},
	    {28, 9, PSF_ESIZE},
	};
	struct built b;
	struct psf_font f;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		build_psf2(&b, 8, 5, 3, table2, sizeof(table2));
		set32(&b, cases[i].off, cases[i].value);
		memset(&f, 0xA5, sizeof(f));
		assert_int_equal(parse_built(&f, &b), cases[i].want);
		assert_int_equal(f.version, 0xA5); /* untouched on failure */
	}
}

static void test_bad_headers_more(void **state)
{
	struct built b;
	struct psf_font f;

	(void)state;
	/* Zero width with a matching zero charsize is still no font. */
	build_psf2(&b, 8, 5, 3, NULL, 0);
	set32(&b, 28, 0);
	set32(&b, 20, 0);
	assert_int_equal(parse_built(&f, &b), PSF_ESIZE);
	/* A larger header is fine: glyphs start at headersize. */
	build_psf2(&b, 2, 8, 1, NULL, 0);
	set32(&b, 8, 34);
	b.data[b.len++] = 0x77;
	b.data[b.len++] = 0x88;
	assert_int_equal(parse_built(&f, &b), 0);
	assert_int_equal(psf_glyph(&f, 1)[0], 0x88);
	/* PSF1: unknown mode bit, zero or huge height. */
	uint16_t none = 0;
	build_psf1(&b, 0x08, 8, &none, 0);
	assert_int_equal(parse_built(&f, &b), PSF_EHEADER);
	b.data[2] = 0;
	b.data[3] = 0;
	assert_int_equal(parse_built(&f, &b), PSF_ESIZE);
	b.data[3] = 65;
	assert_int_equal(parse_built(&f, &b), PSF_ESIZE);
	assert_int_equal(psf_parse(&f, "", 0), PSF_EMAGIC);
	assert_int_equal(psf_parse(&f, "\x36\x04\x00", 3), PSF_ETRUNC);
	assert_int_equal(psf_parse(&f, "\x72\xb5\x4a\x86", 4), PSF_ETRUNC);
}

/* ---------------------------------------------------- hostile input --- */

/* Parses data[0..len) from an exact-size copy; checks a success. */
static int parse_copy(const uint8_t *data, size_t len)
{
	struct psf_font f;
	uint8_t *copy = dup_exact(data, len);
	int r = psf_parse(&f, copy, len);

	if (r == 0) {
		check_parsed(&f, copy, len);
	} else {
		assert_true(r >= PSF_ETABLE && r <= PSF_ETRUNC);
	}
	free(copy);
	return r;
}

static void test_every_truncation(void **state)
{
	uint16_t table1[512];
	struct built b;
	size_t len;
	uint8_t *term = load_gz(TERMINUS, &len);

	(void)state;
	for (size_t i = 0; i < 256; i++) {
		table1[2 * i] = (uint16_t)(0x2400 + i);
		table1[2 * i + 1] = 0xFFFF;
	}
	build_psf2(&b, 8, 5, 3, table2, sizeof(table2));
	for (size_t n = 0; n < b.len; n++) {
		assert_true(parse_copy(b.data, n) < 0);
	}
	assert_int_equal(parse_copy(b.data, b.len), 0);
	/* Without a table the glyph bitmaps are all there is to check. */
	build_psf2(&b, 20, 12, 3, NULL, 0);
	for (size_t n = 0; n < b.len; n++) {
		assert_true(parse_copy(b.data, n) < 0);
	}
	assert_int_equal(parse_copy(b.data, b.len), 0);
	build_psf1(&b, 0x02, 4, table1, 512);
	for (size_t n = 0; n < b.len; n++) {
		assert_true(parse_copy(b.data, n) < 0);
	}
	assert_int_equal(parse_copy(b.data, b.len), 0);
	assert_non_null(term);
	for (size_t n = 0; n < len; n++) {
		assert_true(parse_copy(term, n) < 0);
	}
	free(term);
}

static uint64_t rng_state = 0x2545f4914f6cdd1du;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Flips 1..8 random bits, mostly in the header and the table, where the
 * parser's decisions are; sometimes stores a random u32 in the header. */
static void mutate(uint8_t *d, size_t len, size_t table_off)
{
	int flips = 1 + (int)(rng() % 8);

	for (int i = 0; i < flips; i++) {
		size_t at;

		switch (rng() % 4) {
		case 0:
			at = rng() % len;
			break;
		case 1:
			at = rng() % (len < 36 ? len : 36);
			break;
		default:
			at = table_off + rng() % (len - table_off);
			break;
		}
		d[at] ^= (uint8_t)(1u << (rng() % 8));
	}
	if (rng() % 4 == 0 && len >= 32) {
		size_t off = 4 * (rng() % 8);
		uint32_t v = (uint32_t)rng();

		/* Separate statements: the order of two rng() calls in one
		 * expression is unspecified, and the run must be reproducible. */
		v >>= rng() % 32;

		for (int i = 0; i < 4; i++) {
			d[off + (size_t)i] = (uint8_t)(v >> (8 * i));
		}
	}
}

static void fuzz(const uint8_t *data, size_t len, size_t table_off, int rounds)
{
	int ok = 0;

	for (int i = 0; i < rounds; i++) {
		uint8_t *copy = dup_exact(data, len);

		mutate(copy, len, table_off);
		if (rng() % 8 == 0) {
			/* Also cut the mutated file short. */
			ok += parse_copy(copy, rng() % len) == 0;
		} else {
			ok += parse_copy(copy, len) == 0;
		}
		free(copy);
	}
	print_message("fuzz: %d of %d mutants parsed\n", ok, rounds);
}

static void test_random_mutations(void **state)
{
	struct built b;
	size_t len;
	uint8_t *term = load_gz(TERMINUS, &len);

	(void)state;
	build_psf2(&b, 8, 5, 3, table2, sizeof(table2));
	fuzz(b.data, b.len, 32 + 8 * 3, 20000);
	assert_non_null(term);
	fuzz(term, len, 32 + 512 * 40, 3000);
	free(term);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bad_headers),
	    cmocka_unit_test(test_bad_headers_more),
	    cmocka_unit_test(test_every_truncation),
	    cmocka_unit_test(test_random_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
