/*
 * tests/unit/psf_test_util.c — helpers shared by the PSF host tests.
 *
 * Loading real fonts (`gzip -dc` through popen, so no zlib), exact-size
 * copies for ASan, the invariants every parsed font must meet, and small
 * fonts built byte by byte. Linked into test_psf and test_psf_malformed;
 * see psf_test_util.h for what each helper promises.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/psf_test_util.h"

uint8_t *load_gz(const char *path, size_t *len)
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

uint8_t *dup_exact(const uint8_t *data, size_t len)
{
	uint8_t *copy = malloc(len > 0 ? len : 1);

	assert_non_null(copy);
	memcpy(copy, data, len);
	return copy;
}

uint32_t glyph_index(const struct psf_font *f, uint32_t cp)
{
	const uint8_t *g = psf_glyph(f, cp);

	assert_non_null(g);
	assert_true(g >= f->glyphs);
	assert_int_equal((size_t)(g - f->glyphs) % f->glyph_size, 0);
	return (uint32_t)((size_t)(g - f->glyphs) / f->glyph_size);
}

/* Invariants of any successfully parsed font over data[0..len). Reads every
 * byte of the glyphs it looks up, so ASan checks them. */
void check_parsed(const struct psf_font *f, const uint8_t *data, size_t len)
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

void build_psf2(struct built *b, uint32_t count, uint32_t w, uint32_t h, const void *table,
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

void build_psf1(struct built *b, uint8_t mode, uint8_t height, const uint16_t *table,
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

int parse_built(struct psf_font *f, const struct built *b)
{
	return psf_parse(f, b->data, b->len);
}

/* A PSF2 table exercising every rule, one glyph's entry per line. */
const uint8_t table2[] = {
    0xFF,				/* 0: nothing */
    'A',  0xFE, 'A',  0xCC, 0x81, 0xFF, /* 1: 'A', sequence A + U+0301 */
    0xFE, 'X',	0xFF,			/* 2: only a sequence 'X' */
    0xC3, 0xA9, 0xE2, 0x98, 0xBA, 0xFF, /* 3: U+00E9, U+263A */
    'A',  0xE2, 0x98, 0xBA, 0xFF,	/* 4: both again: first wins */
    0x80, 0xC3, '?',  0xFF,		/* 5: two invalid bytes, '?' */
    0xEF, 0xBF, 0xBD, 0xFF,		/* 6: U+FFFD */
    0xC4, 0x80, 0xFF,			/* 7: U+0100 */
};
