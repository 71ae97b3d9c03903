/*
 * apps/background/backdrop.c — renders the static background once (see
 * backdrop.h).
 *
 * The gradient runs from a deep navy/violet top edge to teal at the bottom,
 * plus a soft light behind the picture. Colours are computed in 8.8 fixed
 * point and ordered-dithered (4x4 Bayer) down to 8 bits, so the slow
 * gradient shows no bands. No floating point and no per-pixel division:
 * this runs once, but under QEMU TCG even once matters (about a million
 * pixels, ~50 ms): it runs a band of rows at a time, a few milliseconds
 * of each call, so no call of the app is long.
 *
 * Invariant: a backdrop bg_backdrop_step() hands over has every pixel
 * opaque (alpha 255), so copying it to the screen fully replaces the
 * last frame.
 */
#include "apps/background/backdrop.h"

#include "apps/background/pixel.h"
#include "apps/background/stats.h"

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

/* A backdrop being rendered, a band of rows per step. */
struct bg_build {
	struct bg_backdrop bd;
	struct bg_picture fit; /* the picture at its size on this screen */
	bool fit_owned;	       /* fit is a halved copy, freed with the build */
	size_t x0, y0;	       /* where fit goes */
	struct bg_glow_shape glow;
	int32_t (*top88)[3]; /* the top edge's colour per column */
	size_t next_row;     /* of the gradient; bd.h: composite next */
};

void bg_backdrop_abandon(struct fomos_context *ctx, struct bg_build *b)
{
	if (b == NULL) {
		return;
	}
	bg_backdrop_free(ctx, &b->bd);
	if (b->top88 != NULL) {
		ctx->cdalloc(b->top88, b->bd.w * sizeof(*b->top88), 16);
	}
	if (b->fit_owned) {
		bg_picture_free(ctx, &b->fit);
	}
	ctx->cdalloc(b, sizeof(*b), 16);
}

struct bg_build *bg_backdrop_begin(struct fomos_context *ctx, size_t w, size_t h,
				   const struct bg_picture *pic)
{
	struct bg_build *b = ctx->calloc(sizeof(*b), 16);
	if (b == NULL) {
		return NULL;
	}
	size_t side = w < h ? w : h;
	b->fit_owned = bg_fit_picture(ctx, pic, side / 3, &b->fit);
	size_t margin = side / 32;
	b->x0 = w - margin - b->fit.w;
	b->y0 = margin;
	size_t reach =
	    b->fit.px != NULL ? (b->fit.w > b->fit.h ? b->fit.w : b->fit.h) * 3 / 2 : side / 2;
	b->glow = (struct bg_glow_shape){
	    .cx = (int64_t)(b->x0 + b->fit.w / 2),
	    .cy = (int64_t)(b->y0 + b->fit.h / 2),
	    .r2 = (int64_t)(reach * reach) + 1,
	};
	b->glow.inv32 = ((uint64_t)1 << 32) / (uint64_t)b->glow.r2;
	b->bd = (struct bg_backdrop){ctx->calloc(w * h * sizeof(*b->bd.px), 64), w, h};
	b->top88 = ctx->calloc(w * sizeof(*b->top88), 16);
	if (b->bd.px == NULL || b->top88 == NULL) {
		bg_backdrop_abandon(ctx, b);
		return NULL;
	}
	for (size_t x = 0; x < w; x++) {
		int32_t tx = (int32_t)(x * 256 / (w > 1 ? w - 1 : 1));
		for (int i = 0; i < 3; i++) {
			b->top88[x][i] =
			    (bg_top_left[i] << 8) + (bg_top_right[i] - bg_top_left[i]) * tx;
		}
	}
	return b;
}

bool bg_backdrop_step(struct fomos_context *ctx, struct bg_build *b, uint64_t until_ns,
		      struct bg_backdrop *done)
{
	while (b->next_row < b->bd.h) {
		size_t end =
		    b->next_row + BG_BUILD_BAND < b->bd.h ? b->next_row + BG_BUILD_BAND : b->bd.h;
		for (; b->next_row < end; b->next_row++) {
			bg_gradient_row(&b->bd, b->next_row, b->top88, &b->glow);
		}
		if (bg_now_ns(ctx) >= until_ns) {
			return false;
		}
	}
	if (b->fit.px != NULL) {
		bg_composite(&b->bd, &b->fit, b->x0, b->y0);
	}
	*done = b->bd;
	b->bd = (struct bg_backdrop){0}; /* the caller's now */
	bg_backdrop_abandon(ctx, b);
	return true;
}

void bg_backdrop_free(struct fomos_context *ctx, struct bg_backdrop *bd)
{
	if (bd->px != NULL) {
		ctx->cdalloc(bd->px, bd->w * bd->h * sizeof(*bd->px), 64);
	}
	*bd = (struct bg_backdrop){0};
}
