/*
 * apps/console/draw.h — the few pixel primitives the window needs: fill a
 * box, draw a PSF glyph or a line of ASCII text into a 32-bit buffer.
 *
 * Speed is the point (these run under a software-emulated CPU): a glyph is
 * drawn four pixels at a time by indexing a 16-entry colour table with the
 * next four bits of the bitmap and storing 16 bytes, instead of testing
 * every bit. Tables come from draw_table, one per (fg, bg) pair.
 *
 * No clipping: callers pass boxes inside their buffer (the window lays
 * itself out so that every cell fits). Fonts must be at most 16 pixels
 * wide (the window checks). Pixels are uint32_t in memory order r, g, b, a.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/psf.h"

/* A pixel as a uint32_t: memory bytes r, g, b, a (little-endian). */
#define DRAW_RGB(r, g, b) ((uint32_t)(r) | (uint32_t)(g) << 8 | (uint32_t)(b) << 16 | 0xFF000000u)

/* tab[bits] = the four pixels whose font bits (MSB = leftmost) are bits. */
void draw_table(uint32_t tab[16][4], uint32_t fg, uint32_t bg);

/* Fills a w x h box whose top-left pixel is at dst; rows stride apart. */
void draw_fill(uint32_t *dst, size_t stride, uint32_t w, uint32_t h, uint32_t color);

/* Draws one glyph bitmap of font f, top-left at dst. */
void draw_glyph(uint32_t *dst, size_t stride, const struct psf_font *f, const uint8_t *glyph,
		const uint32_t tab[16][4]);

/* Draws n bytes of ASCII left to right from dst, one cell per byte. Spaces
 * are skipped: the caller has already filled the background. */
void draw_text(uint32_t *dst, size_t stride, const struct psf_font *f, const char *s, size_t n,
	       const uint32_t tab[16][4]);
