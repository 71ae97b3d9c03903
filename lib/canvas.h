/*
 * lib/canvas.h — drawing rectangles and PSF text into a 32-bit pixel buffer.
 *
 * The kernel draws its boot screen and console into the same kind of buffer
 * apps get (struct fomos_rgba: bytes r, g, b, a in memory), then a present
 * step copies it to virtio-gpu or the boot framebuffer. To let that step
 * copy only what changed, every operation grows `dirty`, the bounding box
 * of all pixels written since the last canvas_take_dirty().
 *
 * Rules: every operation clips to the canvas, so any coordinates are safe
 * (negative, past the edge, huge). Colours are written as-is, no blending;
 * the one exception is a text background whose alpha byte is 0
 * (CANVAS_TRANSPARENT), which is not drawn at all. Text is UTF-8; each
 * invalid byte is drawn as U+FFFD. No control characters are interpreted
 * ('\n' is just a glyph): line layout is the caller's business.
 *
 * Callers: the boot screen, the kernel console. Not thread-safe; a canvas
 * belongs to one task.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/psf.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "canvas colours assume a little-endian CPU (memory order r, g, b, a)"
#endif

/* A pixel as a uint32_t: memory bytes r, g, b, a, so 0xAABBGGRR. */
#define CANVAS_RGBA(r, g, b, a)                                                                    \
	((uint32_t)((r)&0xFF) | (uint32_t)((g)&0xFF) << 8 | (uint32_t)((b)&0xFF) << 16 |           \
	 (uint32_t)((a)&0xFF) << 24)
#define CANVAS_RGB(r, g, b) CANVAS_RGBA(r, g, b, 255)
#define CANVAS_TRANSPARENT  CANVAS_RGBA(0, 0, 0, 0)

enum canvas_error {
	CANVAS_EINVAL = -1,
};

/* A rectangle of pixels; empty when w or h is 0. */
struct canvas_rect {
	uint32_t x;
	uint32_t y;
	uint32_t w;
	uint32_t h;
};

struct canvas {
	uint32_t *pixels; /* row y starts at pixels + y * stride */
	uint32_t width;
	uint32_t height;
	uint32_t stride;	  /* in pixels, >= width */
	struct canvas_rect dirty; /* always inside the canvas */
};

/* Sets up a canvas over caller-owned pixels; nothing is dirty yet. Returns
 * CANVAS_EINVAL if stride < width or pixels is NULL. */
int canvas_init(struct canvas *c, uint32_t *pixels, uint32_t width, uint32_t height,
		uint32_t stride);

void canvas_fill_rect(struct canvas *c, int32_t x, int32_t y, int32_t w, int32_t h, uint32_t color);

/* Adds a rectangle to the dirty area without drawing (for pixels written
 * directly, e.g. by apps into the shared buffer). */
void canvas_mark_dirty(struct canvas *c, int32_t x, int32_t y, int32_t w, int32_t h);

/* Returns the dirty area and resets it to empty. */
struct canvas_rect canvas_take_dirty(struct canvas *c);

/* Draws one glyph cell (f->width x f->height) with its top-left at (x, y). */
void canvas_draw_glyph(struct canvas *c, const struct psf_font *f, int32_t x, int32_t y,
		       uint32_t codepoint, uint32_t fg, uint32_t bg);

/* Draws len bytes of UTF-8 on one line; returns the advance in pixels
 * (code points * f->width, saturated at INT32_MAX). */
int32_t canvas_draw_text(struct canvas *c, const struct psf_font *f, int32_t x, int32_t y,
			 const char *s, size_t len, uint32_t fg, uint32_t bg);

/* The same with every font pixel drawn as a scale x scale block: the text
 * box for big titles. An opaque bg fills the whole box, which is
 * canvas_text_width() wide and f->height * scale tall. scale 0 draws
 * nothing. */
int32_t canvas_draw_text_scaled(struct canvas *c, const struct psf_font *f, int32_t x, int32_t y,
				const char *s, size_t len, uint32_t scale, uint32_t fg,
				uint32_t bg);

/* Width in pixels that canvas_draw_text_scaled would advance (for
 * centring), saturated at INT32_MAX. */
int32_t canvas_text_width(const struct psf_font *f, const char *s, size_t len, uint32_t scale);
