/*
 * apps/background/picture.c — the embedded PNG and what is done to the
 * decoded picture before it is composited (see picture.h; decoding itself
 * is in decode.c).
 *
 * The PNG's bytes are linked into the app by tools/embed.S as
 * bg_picture_png .. bg_picture_png_end (read-only data). Hidden visibility
 * makes the compiler address them PC-relative, so they cost no relocation.
 */
#include "apps/background/picture.h"

#define BG_HIDDEN __attribute__((visibility("hidden")))

extern const uint8_t bg_picture_png[] BG_HIDDEN;
extern const uint8_t bg_picture_png_end[] BG_HIDDEN;

const uint8_t *bg_picture_file(size_t *size)
{
	*size = (size_t)(bg_picture_png_end - bg_picture_png);
	return bg_picture_png;
}

/* The average of four premultiplied pixels, rounded. */
static struct fomos_rgba bg_average4(struct fomos_rgba a, struct fomos_rgba b, struct fomos_rgba c,
				     struct fomos_rgba d)
{
	return (struct fomos_rgba){
	    (uint8_t)((a.r + b.r + c.r + d.r + 2) >> 2),
	    (uint8_t)((a.g + b.g + c.g + d.g + 2) >> 2),
	    (uint8_t)((a.b + b.b + c.b + d.b + 2) >> 2),
	    (uint8_t)((a.a + b.a + c.a + d.a + 2) >> 2),
	};
}

int bg_picture_halved(struct fomos_context *ctx, const struct bg_picture *src,
		      struct bg_picture *dst)
{
	uint32_t w = src->w / 2, h = src->h / 2;

	*dst = (struct bg_picture){0};
	if (w == 0 || h == 0) {
		return -1;
	}
	struct fomos_rgba *px = ctx->calloc((size_t)w * h * sizeof(*px), 16);
	if (px == NULL) {
		return -1;
	}
	for (uint32_t y = 0; y < h; y++) {
		const struct fomos_rgba *s0 = src->px + (size_t)2 * y * src->w;
		const struct fomos_rgba *s1 = s0 + src->w;

		for (uint32_t x = 0; x < w; x++) {
			px[(size_t)y * w + x] =
			    bg_average4(s0[2 * x], s0[2 * x + 1], s1[2 * x], s1[2 * x + 1]);
		}
	}
	*dst = (struct bg_picture){px, w, h};
	return 0;
}

void bg_picture_free(struct fomos_context *ctx, struct bg_picture *pic)
{
	if (pic->px != NULL) {
		ctx->cdalloc(pic->px, (size_t)pic->w * pic->h * sizeof(*pic->px), 16);
	}
	*pic = (struct bg_picture){0};
}
