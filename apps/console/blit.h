/*
 * apps/console/blit.h — copying finished window rows to the screen as
 * cheaply as QEMU's software CPU allows.
 *
 * Most of a console row is plain background to the right of its text. So
 * a row is described by a span: copy pixels [0, used) from the cached row,
 * fill [used, w - 1) with one colour, copy the last pixel (the window's
 * right border). Filling the plain part instead of copying it cuts the
 * window's cost per frame by about a third under TCG (figures in blit.c).
 *
 * blit_analyse finds the span of a row once, when the row is rendered;
 * blit_row runs every frame. Pixels are uint32_t (memory order r, g, b, a).
 */
#pragma once

#include <stdint.h>

struct blit_span {
	uint32_t used; /* pixels to copy from the left, < w */
	uint32_t fill; /* colour of pixels used .. w - 2 */
};

/* The span of a row of w >= 2 pixels: fill is the colour of pixel w - 2,
 * used ends after the last pixel before w - 1 of another colour. */
struct blit_span blit_analyse(const uint32_t *row, uint32_t w);

/* The span that describes both a and b (rows of w pixels). */
struct blit_span blit_merge(struct blit_span a, struct blit_span b, uint32_t w);

/* Writes the w pixels of row src, described by s, to dst. */
void blit_row(uint32_t *dst, const uint32_t *src, uint32_t w, struct blit_span s);
