/*
 * tests/unit/psf_test_util.h — helpers shared by the PSF host tests.
 *
 * test_psf.c (real fonts and the parsing rules) and test_psf_malformed.c
 * (broken headers, truncation, mutation) read the same fonts and build the
 * same small fonts by hand; the helpers live once, in psf_test_util.c,
 * which both binaries link (UNIT_SRCS_psf*). They fail the running cmocka
 * test on an impossible result, so only cmocka tests may call them.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/psf.h"

#define FONT_DIR "/usr/share/consolefonts"
#define TERMINUS FONT_DIR "/Uni2-Terminus20x10.psf.gz"

/* Unpacks a .psf.gz into an exact-size heap block; NULL if unreadable. */
uint8_t *load_gz(const char *path, size_t *len);

/* An exact-size heap copy, so ASan reports any read past data[len - 1]. */
uint8_t *dup_exact(const uint8_t *data, size_t len);

/* The index of the glyph psf_glyph returns for cp, checked to be one. */
uint32_t glyph_index(const struct psf_font *f, uint32_t cp);

/* Invariants of any successfully parsed font over data[0..len). Reads every
 * byte of the glyphs it looks up, so ASan checks them. */
void check_parsed(const struct psf_font *f, const uint8_t *data, size_t len);

/* A font built by hand; glyph i's bytes are all i + 1, so a bitmap tells
 * which glyph it is. */
struct built {
	uint8_t data[8192];
	size_t len;
};

void build_psf2(struct built *b, uint32_t count, uint32_t w, uint32_t h, const void *table,
		size_t table_len);
void build_psf1(struct built *b, uint8_t mode, uint8_t height, const uint16_t *table,
		size_t entries);
int parse_built(struct psf_font *f, const struct built *b);

/* A PSF2 table exercising every rule, for an 8-glyph font (see the .c). */
extern const uint8_t table2[32];
