/*
 * tests/unit/test_psf.c — host tests for lib/psf.c on well-formed fonts.
 *
 * Two kinds of evidence:
 * - real fonts: the kernel's own Terminus font and every other console font
 *   Debian ships (PSF1 and PSF2) parse, and lookups agree with a reference
 *   reading of each unicode table written independently here;
 * - small hand-built fonts pin down the rules: sequences skipped, first
 *   mapping wins, fallback order U+FFFD, '?', glyph 0, identity without a
 *   table; and the UTF-8 decoder the tables are read with.
 * Broken headers, truncated files and random mutations are in
 * test_psf_malformed.c; the helpers both use are in psf_test_util.c.
 *
 * Fonts are unpacked with `gzip -dc` through popen (no zlib needed). Run
 * from the repository root; the font directory is absolute anyway.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/psf.h"
#include "tests/unit/psf_test_util.h"

/* ------------------------------------------- reference table reading --- */

/* Code point -> first glyph listing it, read independently of lib/psf.c
 * (except for UTF-8 decoding, tested on its own below). */
#define REF_MAX	       4096
#define REF_CODEPOINTS 0x110000

struct ref_map {
	uint32_t cp[REF_MAX];
	uint32_t glyph[REF_MAX];
	size_t n;
	uint8_t seen[REF_CODEPOINTS / 8];
};

static void ref_add(struct ref_map *m, uint32_t cp, uint32_t glyph)
{
	assert_true(cp < REF_CODEPOINTS);
	if (m->seen[cp / 8] & (1u << (cp % 8))) {
		return;
	}
	m->seen[cp / 8] |= (uint8_t)(1u << (cp % 8));
	assert_true(m->n < REF_MAX);
	m->cp[m->n] = cp;
	m->glyph[m->n++] = glyph;
}

static void ref_read_psf2(struct ref_map *m, const uint8_t *t, size_t len)
{
	uint32_t glyph = 0;
	bool seq = false;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int n;

		if (t[i] == 0xFF || t[i] == 0xFE) {
			glyph += t[i] == 0xFF;
			seq = t[i] == 0xFE;
			i++;
			continue;
		}
		n = psf_utf8_decode(t + i, len - i, &cp);
		assert_true(n > 0); /* the real fonts have valid tables */
		if (!seq) {
			ref_add(m, cp, glyph);
		}
		i += (size_t)n;
	}
}

static void ref_read_psf1(struct ref_map *m, const uint8_t *t, size_t len)
{
	uint32_t glyph = 0;
	bool seq = false;

	for (size_t i = 0; i + 1 < len; i += 2) {
		uint32_t v = t[i] | (uint32_t)t[i + 1] << 8;

		if (v == 0xFFFF || v == 0xFFFE) {
			glyph += v == 0xFFFF;
			seq = v == 0xFFFE;
		} else if (!seq) {
			ref_add(m, v, glyph);
		}
	}
}

/* Every mapping in the reference agrees with psf_glyph; with `all` false
 * only the fast-path ones (< 256) are checked, to keep the run short. */
static void cross_check(const struct psf_font *f, bool all)
{
	static struct ref_map m;

	m.n = 0;
	memset(m.seen, 0, sizeof(m.seen));
	assert_non_null(f->table);
	if (f->version == 2) {
		ref_read_psf2(&m, f->table, f->table_len);
	} else {
		ref_read_psf1(&m, f->table, f->table_len);
	}
	assert_true(m.n > 0);
	for (size_t i = 0; i < m.n; i++) {
		if (all || m.cp[i] < PSF_DIRECT) {
			assert_int_equal(glyph_index(f, m.cp[i]), m.glyph[i]);
		}
	}
}

/* ------------------------------------------------------- real fonts --- */

static void test_terminus(void **state)
{
	struct psf_font f;
	size_t len;
	uint8_t *data = load_gz(TERMINUS, &len);

	(void)state;
	assert_non_null(data); /* the kernel embeds this very file */
	assert_int_equal(psf_parse(&f, data, len), 0);
	check_parsed(&f, data, len);
	assert_int_equal(f.version, 2);
	assert_int_equal(f.width, 10);
	assert_int_equal(f.height, 20);
	assert_int_equal(f.glyph_count, 512);
	assert_int_equal(f.row_bytes, 2);
	assert_int_equal(f.glyph_size, 40);
	/* The table ends exactly at the end of the file. */
	assert_ptr_equal(f.table + f.table_len, data + len);

	assert_int_equal(glyph_index(&f, 'A'), 65);
	assert_int_equal(glyph_index(&f, 0xE9), 130);	/* é, CP437 slot */
	assert_int_equal(glyph_index(&f, 0x2588), 219); /* █ */
	assert_int_equal(glyph_index(&f, 0xFFFD), 4);
	assert_int_equal(glyph_index(&f, 0x4E00), 4); /* not in the font */
	assert_int_equal(glyph_index(&f, 0x10FFFF), 4);
	assert_int_equal(glyph_index(&f, 0x01), 4); /* control: not mapped */
	assert_int_equal(f.fallback, 4);

	/* █ fills all 10 columns of all 20 rows; the 6 padding bits stay 0. */
	const uint8_t *block = psf_glyph(&f, 0x2588);
	for (uint32_t row = 0; row < f.height; row++) {
		assert_int_equal(block[row * 2], 0xFF);
		assert_int_equal(block[row * 2 + 1], 0xC0);
	}
	/* ' ' is blank; 'A' and 'é' are not, and differ from 'e'. */
	const uint8_t *space = psf_glyph(&f, ' ');
	for (uint32_t b = 0; b < f.glyph_size; b++) {
		assert_int_equal(space[b], 0);
	}
	assert_memory_not_equal(psf_glyph(&f, 'A'), space, f.glyph_size);
	assert_memory_not_equal(psf_glyph(&f, 0xE9), psf_glyph(&f, 'e'), f.glyph_size);
	cross_check(&f, true);
	free(data);
}

/* Smaller fonts of both versions, fully cross-checked. */
static void test_other_fonts(void **state)
{
	static const char *const names[] = {
	    "Lat15-VGA16.psf.gz",	 /* PSF1, 256 glyphs, table */
	    "Uni2-VGA16.psf.gz",	 /* PSF1, 512 glyphs, table */
	    "Lat2-Terminus16.psf.gz",	 /* PSF1, 8x16 */
	    "Uni3-Terminus32x16.psf.gz", /* PSF2, 16 wide: 2 bytes per row */
	    "Uni3-Terminus12x6.psf.gz",	 /* PSF2, 6 wide */
	    "Uni2-Fixed13.psf.gz",	 "Greek-VGA8.psf.gz",
	};
	char path[256];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct psf_font f;
		size_t len;
		uint8_t *data;

		snprintf(path, sizeof(path), FONT_DIR "/%s", names[i]);
		data = load_gz(path, &len);
		if (data == NULL) {
			print_message("skipping missing %s\n", path);
			continue;
		}
		assert_int_equal(psf_parse(&f, data, len), 0);
		check_parsed(&f, data, len);
		cross_check(&f, true);
		free(data);
	}
}

/* Every console font installed parses; the fast path agrees with the
 * reference. */
static void test_all_installed_fonts(void **state)
{
	DIR *dir = opendir(FONT_DIR);
	struct dirent *e;
	char path[512];
	int count[3] = {0, 0, 0};

	(void)state;
	if (dir == NULL) {
		skip();
	}
	while ((e = readdir(dir)) != NULL) {
		struct psf_font f;
		size_t len;
		uint8_t *data;

		if (strstr(e->d_name, ".psf") == NULL) {
			continue;
		}
		snprintf(path, sizeof(path), FONT_DIR "/%s", e->d_name);
		data = load_gz(path, &len);
		assert_non_null(data);
		if (psf_parse(&f, data, len) != 0) {
			fail_msg("%s does not parse", path);
		}
		check_parsed(&f, data, len);
		if (f.table != NULL) {
			cross_check(&f, false);
		}
		count[f.version]++;
		free(data);
	}
	closedir(dir);
	print_message("parsed %d PSF1 and %d PSF2 fonts\n", count[1], count[2]);
	assert_true(count[1] > 0 && count[2] > 0);
}

/* ---------------------------------------------------- built fonts --- */

static void test_psf2_rules(void **state)
{
	struct built b;
	struct psf_font f;

	(void)state;
	build_psf2(&b, 8, 5, 3, table2, sizeof(table2));
	assert_int_equal(parse_built(&f, &b), 0);
	check_parsed(&f, b.data, b.len);
	assert_int_equal(f.row_bytes, 1);
	assert_int_equal(glyph_index(&f, 'A'), 1);
	assert_int_equal(glyph_index(&f, 0xE9), 3);
	assert_int_equal(glyph_index(&f, 0x263A), 3);
	assert_int_equal(glyph_index(&f, '?'), 5);
	assert_int_equal(glyph_index(&f, 0x100), 7);
	assert_int_equal(f.fallback, 6);
	assert_int_equal(glyph_index(&f, 'X'), 6);   /* only in a sequence */
	assert_int_equal(glyph_index(&f, 0x301), 6); /* only in a sequence */
	assert_int_equal(glyph_index(&f, 'B'), 6);
	assert_int_equal(glyph_index(&f, 0x1F600), 6);
	assert_int_equal(psf_glyph(&f, 0x100)[0], 8); /* bitmap of glyph 7 */
}

static void test_fallback_order(void **state)
{
	static const uint8_t with_question[] = {0xFF, '?', 0xFF, 'a', 0xFF};
	static const uint8_t without[] = {0xFF, 'b', 0xFF, 'a', 0xFF};
	struct built b;
	struct psf_font f;

	(void)state;
	build_psf2(&b, 3, 8, 8, with_question, sizeof(with_question));
	assert_int_equal(parse_built(&f, &b), 0);
	assert_int_equal(f.fallback, 1);
	assert_int_equal(glyph_index(&f, 0x2603), 1);
	build_psf2(&b, 3, 8, 8, without, sizeof(without));
	assert_int_equal(parse_built(&f, &b), 0);
	assert_int_equal(f.fallback, 0);
	assert_int_equal(glyph_index(&f, 'z'), 0);
	assert_int_equal(glyph_index(&f, 'a'), 2);
}

static void test_no_table(void **state)
{
	struct built b;
	struct psf_font f;

	(void)state;
	build_psf2(&b, 300, 12, 4, NULL, 0);
	assert_int_equal(parse_built(&f, &b), 0);
	check_parsed(&f, b.data, b.len);
	assert_null(f.table);
	assert_int_equal(f.row_bytes, 2);
	assert_int_equal(glyph_index(&f, 'A'), 'A');
	assert_int_equal(glyph_index(&f, 0xE9), 0xE9);
	assert_int_equal(glyph_index(&f, 299), 299);
	assert_int_equal(glyph_index(&f, 300), '?');
	build_psf2(&b, 10, 8, 8, NULL, 0); /* too few for '?' */
	assert_int_equal(parse_built(&f, &b), 0);
	assert_int_equal(glyph_index(&f, 'A'), 0);
	assert_int_equal(glyph_index(&f, 9), 9);
}

static void test_psf1_rules(void **state)
{
	/* Glyph 0: 'A', seq 'X'; glyph 1: U+FFFD; glyph 2: U+0100, 'A';
	 * the rest: nothing. */
	uint16_t table[256 + 8];
	size_t n = 0;
	struct built b;
	struct psf_font f;

	(void)state;
	table[n++] = 'A';
	table[n++] = 0xFFFE;
	table[n++] = 'X';
	table[n++] = 0xFFFF;
	table[n++] = 0xFFFD;
	table[n++] = 0xFFFF;
	table[n++] = 0x100;
	table[n++] = 'A';
	table[n++] = 0xFFFF;
	for (int i = 3; i < 256; i++) {
		table[n++] = 0xFFFF;
	}
	build_psf1(&b, 0x06, 9, table, n);
	assert_int_equal(parse_built(&f, &b), 0);
	check_parsed(&f, b.data, b.len);
	assert_int_equal(f.version, 1);
	assert_int_equal(f.width, 8);
	assert_int_equal(f.height, 9);
	assert_int_equal(glyph_index(&f, 'A'), 0);
	assert_int_equal(glyph_index(&f, 'X'), 1);
	assert_int_equal(glyph_index(&f, 0x100), 2);
	assert_int_equal(glyph_index(&f, 0x1F600), 1);
	/* One terminator short: the table is incomplete. */
	build_psf1(&b, 0x02, 9, table, n - 1);
	assert_int_equal(parse_built(&f, &b), PSF_ETABLE);
	/* An odd trailing byte after a complete table is ignored. */
	build_psf1(&b, 0x02, 9, table, n);
	b.data[b.len++] = 0x41;
	assert_int_equal(parse_built(&f, &b), 0);
}

static void test_utf8_decode(void **state)
{
	static const struct {
		const char *s;
		int len;
		uint32_t cp;
	} cases[] = {
	    {"A", 1, 'A'},
	    {"\xc3\xa9", 2, 0xE9},
	    {"\xe2\x96\x88", 3, 0x2588},
	    {"\xf0\x9f\x98\x80", 4, 0x1F600},
	    {"\xf4\x8f\xbf\xbf", 4, 0x10FFFF},
	    {"\x80", -1, 0},
	    {"\xc3", -1, 0},
	    {"\xc3\x28", -1, 0},
	    {"\xc0\x80", -1, 0}, /* overlong */
	    {"\xe0\x80\xaf", -1, 0},
	    {"\xed\xa0\x80", -1, 0}, /* surrogate */
	    {"\xf4\x90\x80\x80", -1, 0},
	    {"\xf8\x88\x80\x80\x80", -1, 0},
	    {"\xfe", -1, 0},
	    {"\xff", -1, 0},
	};
	uint32_t cp;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = strlen(cases[i].s);
		uint8_t *s = dup_exact((const uint8_t *)cases[i].s, n);

		cp = 0;
		assert_int_equal(psf_utf8_decode(s, n, &cp), cases[i].len);
		if (cases[i].len > 0) {
			assert_int_equal(cp, cases[i].cp);
		}
		free(s);
	}
	assert_int_equal(psf_utf8_decode((const uint8_t *)"", 0, &cp), -1);
	/* Length-limited: a sequence cut by n is invalid. */
	assert_int_equal(psf_utf8_decode((const uint8_t *)"\xe2\x96\x88", 2, &cp), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8_decode), cmocka_unit_test(test_terminus),
	    cmocka_unit_test(test_other_fonts), cmocka_unit_test(test_all_installed_fonts),
	    cmocka_unit_test(test_psf2_rules),	cmocka_unit_test(test_fallback_order),
	    cmocka_unit_test(test_no_table),	cmocka_unit_test(test_psf1_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
