/*
 * apps/background/picture.h — the picture shown on the desktop background.
 *
 * The picture is a PNG embedded in the app at build time (apps/background/
 * app.mk names the file) and decoded once, at the app's first call, by
 * stb_image. What the rest of the app sees is plain pixels: premultiplied
 * r, g, b, a (colour already multiplied by alpha), so compositing is one
 * multiply per channel and a 2x2 box downscale stays exact.
 *
 * Ownership: a struct bg_picture's pixels come from ctx->calloc (exactly
 * w * h * 4 bytes, align 16) and go back through bg_picture_free().
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "fomos.h"

struct bg_picture {
	struct fomos_rgba *px; /* premultiplied, row stride w; NULL when empty */
	uint32_t w;
	uint32_t h;
};

/* The embedded PNG file, as linked in by tools/embed.S. */
const uint8_t *bg_picture_file(size_t *size);

/*
 * Decodes `size` bytes of PNG into *out (premultiplied RGBA). Returns 0, or
 * a negative value after logging one line that says why (a bad file, too
 * big, out of memory); *out is then empty.
 */
int bg_picture_decode(struct fomos_context *ctx, const uint8_t *png, size_t size,
		      struct bg_picture *out);

/* Makes *dst a copy of src at half its size (2x2 box filter; an odd last
 * row or column is dropped). Returns 0, or negative when out of memory or
 * src is too small to halve (*dst is then empty). */
int bg_picture_halved(struct fomos_context *ctx, const struct bg_picture *src,
		      struct bg_picture *dst);

void bg_picture_free(struct fomos_context *ctx, struct bg_picture *pic);
