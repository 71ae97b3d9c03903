/*
 * apps/console/draw.c — fills and glyphs, four pixels per store (see
 * draw.h).
 *
 * A glyph row of up to 16 pixels is read as one 16-bit word, MSB first.
 * Each whole group of four pixels is one table lookup and one 16-byte copy
 * (__builtin_memcpy of a constant size compiles to a vector load and
 * store; the app is built freestanding, where a plain memcpy would be a
 * call). A last partial group (width 10 = 4 + 4 + 2) is stored pixel by
 * pixel, so nothing is ever written outside the glyph's own cell.
 */
#include "apps/console/draw.h"

void draw_table(uint32_t tab[16][4], uint32_t fg, uint32_t bg)
{
	for (unsigned n = 0; n < 16; n++) {
		for (unsigned i = 0; i < 4; i++) {
			tab[n][i] = (n & (8u >> i)) ? fg : bg;
		}
	}
}

void draw_fill(uint32_t *dst, size_t stride, uint32_t w, uint32_t h, uint32_t color)
{
	for (uint32_t y = 0; y < h; y++, dst += stride) {
		for (uint32_t x = 0; x < w; x++) {
			dst[x] = color;
		}
	}
}

void draw_glyph(uint32_t *dst, size_t stride, const struct psf_font *f, const uint8_t *glyph,
		const uint32_t tab[16][4])
{
	uint32_t groups = f->width / 4;
	uint32_t rest = f->width % 4;

	for (uint32_t y = 0; y < f->height; y++, dst += stride, glyph += f->row_bytes) {
		uint32_t bits = (uint32_t)glyph[0] << 8;
		uint32_t *p = dst;
		uint32_t shift = 12;

		if (f->row_bytes > 1) {
			bits |= glyph[1];
		}
		for (uint32_t k = 0; k < groups; k++, p += 4, shift -= 4) {
			__builtin_memcpy(p, tab[(bits >> shift) & 15], 16);
		}
		for (uint32_t i = 0; i < rest; i++) {
			p[i] = tab[(bits >> shift) & 15][i];
		}
	}
}

void draw_text(uint32_t *dst, size_t stride, const struct psf_font *f, const char *s, size_t n,
	       const uint32_t tab[16][4])
{
	for (size_t i = 0; i < n; i++, dst += f->width) {
		if (s[i] != ' ') {
			draw_glyph(dst, stride, f, psf_glyph(f, (uint8_t)s[i]), tab);
		}
	}
}
