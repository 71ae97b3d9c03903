/*
 * lib/canvas.c — rectangles and text into a 32-bit pixel buffer.
 *
 * Every operation has the same shape: clip the target box against the
 * canvas once (canvas_clip, in 64-bit arithmetic so no int32 input can
 * overflow it), then run plain row loops over the visible part only, then
 * grow the dirty box. Inner loops touch a row through a pointer and call
 * nothing; glyphs are scaled with a repeat counter instead of a division
 * per pixel.
 *
 * Invariants: dirty is empty or lies inside [0, width) x [0, height); no
 * pixel outside that range is ever written; scale-1 text is the scaled
 * path with scale 1 (one glyph renderer, not two).
 *
 * Callers: see lib/canvas.h.
 */
#include "lib/canvas.h"

#include <stdbool.h>

#define CANVAS_INT32_MAX 0x7FFFFFFF

/* Pen positions stop growing here: far past any int32 result, and far from
 * overflowing int64 even with one more step (width * scale < 2^39). */
#define CANVAS_PEN_LIMIT ((int64_t)1 << 40)

static bool canvas_rect_empty(const struct canvas_rect *r)
{
	return r->w == 0 || r->h == 0;
}

/* Intersects the box (x, y, w, h) with the canvas. Returns false if
 * nothing of it is visible. */
static bool canvas_clip(const struct canvas *c, int64_t x, int64_t y, int64_t w, int64_t h,
			struct canvas_rect *out)
{
	int64_t x0 = x < 0 ? 0 : x;
	int64_t y0 = y < 0 ? 0 : y;
	int64_t x1 = x + w;
	int64_t y1 = y + h;

	if (x1 > (int64_t)c->width) {
		x1 = c->width;
	}
	if (y1 > (int64_t)c->height) {
		y1 = c->height;
	}
	if (w <= 0 || h <= 0 || x0 >= x1 || y0 >= y1) {
		return false;
	}
	out->x = (uint32_t)x0;
	out->y = (uint32_t)y0;
	out->w = (uint32_t)(x1 - x0);
	out->h = (uint32_t)(y1 - y0);
	return true;
}

/* Grows dirty to cover r (already clipped). */
static void canvas_add_dirty(struct canvas *c, const struct canvas_rect *r)
{
	struct canvas_rect *d = &c->dirty;
	uint32_t x1;
	uint32_t y1;

	if (canvas_rect_empty(d)) {
		*d = *r;
		return;
	}
	x1 = d->x + d->w > r->x + r->w ? d->x + d->w : r->x + r->w;
	y1 = d->y + d->h > r->y + r->h ? d->y + d->h : r->y + r->h;
	d->x = d->x < r->x ? d->x : r->x;
	d->y = d->y < r->y ? d->y : r->y;
	d->w = x1 - d->x;
	d->h = y1 - d->y;
}

int canvas_init(struct canvas *c, uint32_t *pixels, uint32_t width, uint32_t height,
		uint32_t stride)
{
	if (pixels == NULL || stride < width) {
		return CANVAS_EINVAL;
	}
	c->pixels = pixels;
	c->width = width;
	c->height = height;
	c->stride = stride;
	c->dirty = (struct canvas_rect){0, 0, 0, 0};
	return 0;
}

void canvas_fill_rect(struct canvas *c, int32_t x, int32_t y, int32_t w, int32_t h, uint32_t color)
{
	struct canvas_rect r;
	uint32_t *row;

	if (!canvas_clip(c, x, y, w, h, &r)) {
		return;
	}
	row = c->pixels + (size_t)r.y * c->stride + r.x;
	for (uint32_t j = 0; j < r.h; j++, row += c->stride) {
		for (uint32_t i = 0; i < r.w; i++) {
			row[i] = color;
		}
	}
	canvas_add_dirty(c, &r);
}

void canvas_mark_dirty(struct canvas *c, int32_t x, int32_t y, int32_t w, int32_t h)
{
	struct canvas_rect r;

	if (canvas_clip(c, x, y, w, h, &r)) {
		canvas_add_dirty(c, &r);
	}
}

struct canvas_rect canvas_take_dirty(struct canvas *c)
{
	struct canvas_rect d = c->dirty;

	c->dirty = (struct canvas_rect){0, 0, 0, 0};
	return d;
}

/* One visible row of a scaled glyph: n pixels starting `off` pixels into
 * the scaled row whose font bits are `bits`. */
static void canvas_glyph_row(uint32_t *dst, const uint8_t *bits, uint32_t n, uint32_t off,
			     uint32_t scale, uint32_t fg, uint32_t bg, bool opaque)
{
	uint32_t col = off / scale;
	uint32_t rep = off % scale;

	for (uint32_t i = 0; i < n; i++) {
		if (bits[col >> 3] & (0x80u >> (col & 7))) {
			dst[i] = fg;
		} else if (opaque) {
			dst[i] = bg;
		}
		if (++rep == scale) {
			rep = 0;
			col++;
		}
	}
}

/* Draws a glyph bitmap magnified by scale (>= 1) at (x, y). */
static void canvas_blit(struct canvas *c, const struct psf_font *f, const uint8_t *glyph, int64_t x,
			int64_t y, uint32_t scale, uint32_t fg, uint32_t bg)
{
	struct canvas_rect r;
	bool opaque = (bg >> 24) != 0; /* alpha 0: transparent background */
	uint32_t *row;
	uint32_t off;

	if (!canvas_clip(c, x, y, (int64_t)f->width * scale, (int64_t)f->height * scale, &r)) {
		return;
	}
	off = (uint32_t)((int64_t)r.x - x);
	row = c->pixels + (size_t)r.y * c->stride + r.x;
	for (uint32_t j = 0; j < r.h; j++, row += c->stride) {
		uint32_t font_row = (uint32_t)(((int64_t)r.y + j - y) / scale);

		canvas_glyph_row(row, glyph + (size_t)font_row * f->row_bytes, r.w, off, scale, fg,
				 bg, opaque);
	}
	canvas_add_dirty(c, &r);
}

void canvas_draw_glyph(struct canvas *c, const struct psf_font *f, int32_t x, int32_t y,
		       uint32_t codepoint, uint32_t fg, uint32_t bg)
{
	canvas_blit(c, f, psf_glyph(f, codepoint), x, y, 1, fg, bg);
}

/* Decodes the code point at s[*i], advancing *i; invalid bytes give
 * U+FFFD one byte at a time. */
static uint32_t canvas_next_codepoint(const char *s, size_t len, size_t *i)
{
	uint32_t cp;
	int n = psf_utf8_decode((const uint8_t *)s + *i, len - *i, &cp);

	if (n < 0) {
		*i += 1;
		return PSF_REPLACEMENT;
	}
	*i += (size_t)n;
	return cp;
}

static int32_t canvas_saturate(int64_t v)
{
	return v > CANVAS_INT32_MAX ? CANVAS_INT32_MAX : (int32_t)v;
}

static int64_t canvas_advance(int64_t pen, int64_t step)
{
	return pen < CANVAS_PEN_LIMIT ? pen + step : pen;
}

int32_t canvas_draw_text_scaled(struct canvas *c, const struct psf_font *f, int32_t x, int32_t y,
				const char *s, size_t len, uint32_t scale, uint32_t fg, uint32_t bg)
{
	int64_t step = (int64_t)f->width * scale;
	int64_t pen = x;
	size_t i = 0;

	if (scale == 0) {
		return 0;
	}
	while (i < len) {
		uint32_t cp = canvas_next_codepoint(s, len, &i);

		/* Only visible cells pay for the glyph lookup. */
		if (pen < (int64_t)c->width && pen + step > 0) {
			canvas_blit(c, f, psf_glyph(f, cp), pen, y, scale, fg, bg);
		}
		pen = canvas_advance(pen, step);
	}
	return canvas_saturate(pen - x);
}

int32_t canvas_draw_text(struct canvas *c, const struct psf_font *f, int32_t x, int32_t y,
			 const char *s, size_t len, uint32_t fg, uint32_t bg)
{
	return canvas_draw_text_scaled(c, f, x, y, s, len, 1, fg, bg);
}

int32_t canvas_text_width(const struct psf_font *f, const char *s, size_t len, uint32_t scale)
{
	int64_t step = (int64_t)f->width * scale;
	int64_t pen = 0;
	size_t i = 0;

	while (i < len) {
		canvas_next_codepoint(s, len, &i);
		pen = canvas_advance(pen, step);
	}
	return canvas_saturate(pen);
}
