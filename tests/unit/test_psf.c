/*
 * tests/unit/test_psf.c — host tests for lib/psf.c.
 *
 * Three kinds of evidence:
 * - real fonts: the kernel's own Terminus font and every other console font
 *   Debian ships (PSF1 and PSF2) parse, and lookups agree with a reference
 *   reading of each unicode table written independently here;
 * - small hand-built fonts pin down the rules: sequences skipped, first
 *   mapping wins, fallback order U+FFFD, '?', glyph 0, identity without a
 *   table, and one error code per kind of broken header;
 * - hostile input: every truncation, random bit flips and random header
 *   fields. Each input sits in an exact-size heap block, so ASan reports
 *   any read outside it; parsed results are exercised and range-checked.
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

#define FONT_DIR "/usr/share/consolefonts"
#define TERMINUS FONT_DIR "/Uni2-Terminus20x10.psf.gz"

/* ------------------------------------------------------------ helpers --- */

/* Unpacks a .psf.gz into an exact-size heap block; NULL if unreadable. */
static uint8_t *load_gz(const char *path, size_t *len)
{
	char cmd[512];
	size_t cap = 1 << 16;
	size_t n = 0;
	uint8_t *buf = malloc(cap);
	FILE *p;

	snprintf(cmd, sizeof(cmd), "gzip -dc '%s' 2>/dev/null", path);
	p = popen(cmd, "r");
	if (p == NULL || buf == NULL) {
		free(buf);
		return NULL;
	}
	for (size_t got; (got = fread(buf + n, 1, cap - n, p)) > 0;) {
		n += got;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	if (pclose(p) != 0 || n == 0) {
		free(buf);
		return NULL;
	}
	uint8_t *exact = malloc(n);
	assert_non_null(exact);
	memcpy(exact, buf, n);
	free(buf);
	*len = n;
	return exact;
}

static uint8_t *dup_exact(const uint8_t *data, size_t len)
{
	uint8_t *copy = malloc(len > 0 ? len : 1);

	assert_non_null(copy);
	memcpy(copy, data, len);
	return copy;
}

static uint32_t glyph_index(const struct psf_font *f, uint32_t cp)
{
	const uint8_t *g = psf_glyph(f, cp);

	assert_non_null(g);
	assert_true(g >= f->glyphs);
	assert_int_equal((size_t)(g - f->glyphs) % f->glyph_size, 0);
	return (uint32_t)((size_t)(g - f->glyphs) / f->glyph_size);
}

/* Invariants of any successfully parsed font over data[0..len). Reads every
 * byte of the glyphs it looks up, so ASan checks them. */
static void check_parsed(const struct psf_font *f, const uint8_t *data, size_t len)
{
	static const uint32_t probes[] = {0,	  'A',	  0xE9,	  0xFF,	    0x100,
					  0x263A, 0x2588, 0xFFFD, 0x10FFFF, 0xFFFFFFFF};
	unsigned sum = 0;

	assert_true(f->glyph_count >= 1 && f->glyph_count <= PSF_MAX_GLYPHS);
	assert_true(f->width >= 1 && f->width <= PSF_MAX_DIM);
	assert_true(f->height >= 1 && f->height <= PSF_MAX_DIM);
	assert_true(f->glyphs >= data);
	assert_true((size_t)(f->glyphs - data) + (size_t)f->glyph_count * f->glyph_size <= len);
	if (f->table != NULL) {
		assert_true((size_t)(f->table - data) + f->table_len <= len);
	}
	assert_true(f->fallback < f->glyph_count);
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		const uint8_t *g = psf_glyph(f, probes[i]);

		assert_true(glyph_index(f, probes[i]) < f->glyph_count);
		for (uint32_t b = 0; b < f->glyph_size; b++) {
			sum += g[b];
		}
	}
	for (uint32_t cp = 0; cp < PSF_DIRECT; cp++) {
		assert_true(f->direct[cp] < f->glyph_count);
	}
	(void)sum;
}

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

struct built {
	uint8_t data[8192];
	size_t len;
};

static void put32(struct built *b, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		b->data[b->len++] = (uint8_t)(v >> (8 * i));
	}
}

static void put_bytes(struct built *b, const void *p, size_t n)
{
	assert_true(b->len + n <= sizeof(b->data));
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

/* Glyph i's bytes are all i + 1, so a bitmap tells which glyph it is. */
static void put_glyphs(struct built *b, uint32_t count, uint32_t size)
{
	for (uint32_t i = 0; i < count; i++) {
		for (uint32_t j = 0; j < size; j++) {
			b->data[b->len++] = (uint8_t)(i + 1);
		}
	}
}

static void build_psf2(struct built *b, uint32_t count, uint32_t w, uint32_t h, const void *table,
		       size_t table_len)
{
	uint32_t size = h * ((w + 7) / 8);

	b->len = 0;
	put32(b, 0x864ab572u);
	put32(b, 0);
	put32(b, 32);
	put32(b, table != NULL ? 1 : 0);
	put32(b, count);
	put32(b, size);
	put32(b, h);
	put32(b, w);
	put_glyphs(b, count, size);
	if (table != NULL) {
		put_bytes(b, table, table_len);
	}
}

static void build_psf1(struct built *b, uint8_t mode, uint8_t height, const uint16_t *table,
		       size_t entries)
{
	b->len = 0;
	b->data[b->len++] = 0x36;
	b->data[b->len++] = 0x04;
	b->data[b->len++] = mode;
	b->data[b->len++] = height;
	put_glyphs(b, (mode & 1) ? 512 : 256, height);
	for (size_t i = 0; i < entries; i++) {
		b->data[b->len++] = (uint8_t)table[i];
		b->data[b->len++] = (uint8_t)(table[i] >> 8);
	}
}

static int parse_built(struct psf_font *f, const struct built *b)
{
	return psf_parse(f, b->data, b->len);
}

/* A PSF2 table exercising every rule, one glyph's entry per line. */
static const uint8_t table2[] = {
    0xFF,				/* 0: nothing */
    'A',  0xFE, 'A',  0xCC, 0x81, 0xFF, /* 1: 'A', sequence A + U+0301 */
    0xFE, 'X',	0xFF,			/* 2: only a sequence 'X' */
    0xC3, 0xA9, 0xE2, 0x98, 0xBA, 0xFF, /* 3: U+00E9, U+263A */
    'A',  0xE2, 0x98, 0xBA, 0xFF,	/* 4: both again: first wins */
    0x80, 0xC3, '?',  0xFF,		/* 5: two invalid bytes, '?' */
    0xEF, 0xBF, 0xBD, 0xFF,		/* 6: U+FFFD */
    0xC4, 0x80, 0xFF,			/* 7: U+0100 */
};

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
	    cmocka_unit_test(test_utf8_decode),	     cmocka_unit_test(test_terminus),
	    cmocka_unit_test(test_other_fonts),	     cmocka_unit_test(test_all_installed_fonts),
	    cmocka_unit_test(test_psf2_rules),	     cmocka_unit_test(test_fallback_order),
	    cmocka_unit_test(test_no_table),	     cmocka_unit_test(test_psf1_rules),
	    cmocka_unit_test(test_bad_headers),	     cmocka_unit_test(test_bad_headers_more),
	    cmocka_unit_test(test_every_truncation), cmocka_unit_test(test_random_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
