/*
 * apps/background/backdrop.c — renders the static background once (see
 * backdrop.h).
 *
 * The gradient runs from a deep navy/violet top edge to teal at the bottom,
 * plus a soft light behind the picture. Colours are computed in 8.8 fixed
 * point and ordered-dithered (4x4 Bayer) down to 8 bits, so the slow
 * gradient shows no bands. No floating point and no per-pixel division:
 * this runs once, but under QEMU TCG even once matters (about a million
 * pixels).
 *
 * Invariant: after bg_backdrop_build() every pixel of px is opaque
 * (alpha 255), so copying it to the screen fully replaces the last frame.
 */
#include "apps/background/backdrop.h"

#include "apps/background/pixel.h"

/* Corner colours of the gradient, 8-bit r, g, b. */
static const int32_t bg_top_left[3] = {12, 16, 44};
static const int32_t bg_top_right[3] = {40, 18, 68};
static const int32_t bg_bottom[3] = {8, 66, 92};
static const int32_t bg_glow[3] = {46, 58, 74}; /* added at the glow's centre */

/* 4x4 Bayer thresholds, scaled to the 1/256 fraction of an 8.8 colour. */
static const uint8_t bg_bayer[4][4] = {
    {8, 136, 40, 168},
    {200, 72, 232, 104},
    {56, 184, 24, 152},
    {248, 120, 216, 88},
};

/* Where the soft light sits and how far it reaches. */
struct bg_glow_shape {
	int64_t cx, cy;
	int64_t r2;	/* radius squared */
	uint64_t inv32; /* 2^32 / r2 */
};

/* The glow's strength at (x, y) in 1/256 units: (1 - d^2/r^2)^2. */
static int32_t bg_glow_weight(const struct bg_glow_shape *g, int64_t x, int64_t y)
{
	int64_t dx = x - g->cx, dy = y - g->cy;
	int64_t rest = g->r2 - (dx * dx + dy * dy);

	if (rest <= 0) {
		return 0;
	}
	int32_t f = (int32_t)(((uint64_t)rest * g->inv32) >> 24); /* 0..256 */
	return (f * f) >> 8;
}

static uint8_t bg_dither(int32_t c88, uint8_t threshold)
{
	int32_t c = (c88 + threshold) >> 8;

	return (uint8_t)(c < 0 ? 0 : (c > 255 ? 255 : c));
}

/* One row of the gradient; top88 is the top edge's colour per column. */
static void bg_gradient_row(struct bg_backdrop *bd, size_t y, const int32_t (*top88)[3],
			    const struct bg_glow_shape *glow)
{
	int32_t ty = (int32_t)(y * 256 / (bd->h > 1 ? bd->h - 1 : 1));
	struct fomos_rgba *row = bd->px + y * bd->w;

	for (size_t x = 0; x < bd->w; x++) {
		int32_t gw = bg_glow_weight(glow, (int64_t)x, (int64_t)y);
		uint8_t t = bg_bayer[y & 3][x & 3];
		uint8_t ch[3];

		for (int i = 0; i < 3; i++) {
			int32_t c = top88[x][i] + (((bg_bottom[i] << 8) - top88[x][i]) * ty >> 8);
			ch[i] = bg_dither(c + bg_glow[i] * gw, t);
		}
		row[x] = (struct fomos_rgba){ch[0], ch[1], ch[2], 255};
	}
}

static int bg_gradient(struct fomos_context *ctx, struct bg_backdrop *bd,
		       const struct bg_glow_shape *glow)
{
	int32_t(*top88)[3] = ctx->calloc(bd->w * sizeof(*top88), 16);

	if (top88 == NULL) {
		return -1;
	}
	for (size_t x = 0; x < bd->w; x++) {
		int32_t tx = (int32_t)(x * 256 / (bd->w > 1 ? bd->w - 1 : 1));
		for (int i = 0; i < 3; i++) {
			top88[x][i] =
			    (bg_top_left[i] << 8) + (bg_top_right[i] - bg_top_left[i]) * tx;
		}
	}
	for (size_t y = 0; y < bd->h; y++) {
		bg_gradient_row(bd, y, top88, glow);
	}
	ctx->cdalloc(top88, bd->w * sizeof(*top88), 16);
	return 0;
}

/* Premultiplied `pic` over the opaque backdrop, top-left at (x0, y0); the
 * caller has made sure it fits. */
static void bg_composite(struct bg_backdrop *bd, const struct bg_picture *pic, size_t x0, size_t y0)
{
	for (size_t y = 0; y < pic->h; y++) {
		const struct fomos_rgba *s = pic->px + y * pic->w;
		struct fomos_rgba *d = bd->px + (y0 + y) * bd->w + x0;

		for (size_t x = 0; x < pic->w; x++) {
			uint32_t keep = 255u - s[x].a;

			if (keep == 255) {
				continue;
			}
			d[x].r = (uint8_t)(s[x].r + bg_mul255(d[x].r, keep));
			d[x].g = (uint8_t)(s[x].g + bg_mul255(d[x].g, keep));
			d[x].b = (uint8_t)(s[x].b + bg_mul255(d[x].b, keep));
		}
	}
}

/*
 * Sets *fit to `pic` halved until each side is at most `limit` pixels.
 * Returns true when *fit is a new picture the caller must free, false when
 * it is `pic` itself or empty (nothing fits, or out of memory).
 */
static bool bg_fit_picture(struct fomos_context *ctx, const struct bg_picture *pic, size_t limit,
			   struct bg_picture *fit)
{
	bool owned = false;

	*fit = *pic;
	while (fit->px != NULL && (fit->w > limit || fit->h > limit)) {
		struct bg_picture half;

		bg_picture_halved(ctx, fit, &half);
		if (owned) {
			bg_picture_free(ctx, fit);
		}
		*fit = half;
		owned = half.px != NULL;
	}
	return owned;
}

int bg_backdrop_build(struct fomos_context *ctx, struct bg_backdrop *bd, size_t w, size_t h,
		      const struct bg_picture *pic)
{
	size_t side = w < h ? w : h;
	struct bg_picture fit;
	bool owned = bg_fit_picture(ctx, pic, side / 3, &fit);
	size_t margin = side / 32;
	size_t x0 = w - margin - fit.w, y0 = margin;
	size_t reach = fit.px != NULL ? (fit.w > fit.h ? fit.w : fit.h) * 3 / 2 : side / 2;
	struct bg_glow_shape glow = {
	    .cx = (int64_t)(x0 + fit.w / 2),
	    .cy = (int64_t)(y0 + fit.h / 2),
	    .r2 = (int64_t)(reach * reach) + 1,
	};
	int rc = -1;

	glow.inv32 = ((uint64_t)1 << 32) / (uint64_t)glow.r2;
	*bd = (struct bg_backdrop){ctx->calloc(w * h * sizeof(*bd->px), 64), w, h};
	if (bd->px == NULL) {
		goto out;
	}
	if (bg_gradient(ctx, bd, &glow) < 0) {
		bg_backdrop_free(ctx, bd);
		goto out;
	}
	if (fit.px != NULL) {
		bg_composite(bd, &fit, x0, y0);
	}
	rc = 0;
out:
	if (owned) {
		bg_picture_free(ctx, &fit);
	}
	return rc;
}

void bg_backdrop_free(struct fomos_context *ctx, struct bg_backdrop *bd)
{
	if (bd->px != NULL) {
		ctx->cdalloc(bd->px, bd->w * bd->h * sizeof(*bd->px), 64);
	}
	*bd = (struct bg_backdrop){0};
}
