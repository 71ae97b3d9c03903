/*
 * apps/background/main.c — the desktop background app: _start.
 *
 * The first app of the desktop (bottom of the z-order): every frame it
 * repaints the whole screen, which is what lets the apps above it draw
 * only their own pixels. To afford that at 60 Hz under QEMU TCG, the frame
 * is split in two:
 *   - the static part (gradient, glow, the PNG picture) is rendered once
 *     into a screen-sized buffer (backdrop.c) and copied with one memcpy;
 *   - the moving part (anim.c) touches about 3% of the pixels.
 * The PNG is decoded once, at the first call (decode.c), never per frame.
 *
 * State: everything lives in struct bg_state, hung off *ctx->store at the
 * first call; the stack holds nothing across calls. When the screen size
 * changes the backdrop is rebuilt from the kept, decoded picture.
 * If memory runs out the app still clears the screen every frame (flat
 * grey via memset) rather than leave stale pixels behind.
 */
#include "apps/background/anim.h"
#include "apps/background/backdrop.h"
#include "apps/background/log.h"
#include "apps/background/picture.h"
#include "apps/background/stats.h"
#include "fomos.h"
#include "lib/string.h"

struct bg_state {
	struct bg_picture picture; /* as decoded, full size */
	struct bg_backdrop backdrop;
	struct bg_anim anim;
	struct bg_stats stats;
	bool backdrop_failed; /* logged once; retried on a size change */
};

/* Rows of fb that really exist: h, unless len says fewer. */
static size_t bg_screen_rows(const struct fomos_framebuffer *fb)
{
	if (fb->pixels == NULL || fb->w == 0) {
		return 0;
	}
	size_t rows = fb->len / fb->w;
	return rows < fb->h ? rows : fb->h;
}

static struct bg_state *bg_setup(struct fomos_context *ctx)
{
	struct bg_state *s = ctx->calloc(sizeof(*s), 16);

	if (s == NULL) {
		bg_logf(ctx, "out of memory for the state (%zu bytes)", sizeof(*s));
		return NULL;
	}
	bg_anim_init(&s->anim);

	size_t size;
	const uint8_t *png = bg_picture_file(&size);
	uint64_t t0 = bg_now_ns(ctx);
	if (bg_picture_decode(ctx, png, size, &s->picture) == 0) {
		uint64_t us = (bg_now_ns(ctx) - t0) / 1000;
		bg_logf(ctx, "picture: %zu-byte PNG decoded to %ux%u in %llu.%03llu ms", size,
			s->picture.w, s->picture.h, (unsigned long long)(us / 1000),
			(unsigned long long)(us % 1000));
	}
	return s;
}

/* Makes s->backdrop match a w x h screen; false if it cannot be had. */
static bool bg_backdrop_ready(struct fomos_context *ctx, struct bg_state *s, size_t w, size_t h)
{
	if (s->backdrop.px != NULL && s->backdrop.w == w && s->backdrop.h == h) {
		return true;
	}
	if (s->backdrop_failed && s->backdrop.w == w && s->backdrop.h == h) {
		return false;
	}
	bg_backdrop_free(ctx, &s->backdrop);
	uint64_t t0 = bg_now_ns(ctx);
	if (bg_backdrop_build(ctx, &s->backdrop, w, h, &s->picture) < 0) {
		bg_logf(ctx, "out of memory for a %zux%zu backdrop: flat screen instead", w, h);
		s->backdrop = (struct bg_backdrop){NULL, w, h};
		s->backdrop_failed = true;
		return false;
	}
	s->backdrop_failed = false;
	bg_logf(ctx, "backdrop %zux%zu rendered in %llu us", w, h,
		(unsigned long long)((bg_now_ns(ctx) - t0) / 1000));
	return true;
}

int32_t _start(struct fomos_context *ctx)
{
	uint64_t t0 = bg_now_ns(ctx);
	struct bg_state *s = *ctx->store;
	bool first = s == NULL;

	if (first) {
		s = bg_setup(ctx);
		if (s == NULL) {
			return -1;
		}
		*ctx->store = s;
	}
	size_t h = bg_screen_rows(&ctx->fb);
	if (h == 0) {
		return FOMOS_CONTINUE;
	}
	size_t bytes = ctx->fb.w * h * sizeof(struct fomos_rgba);
	if (bg_backdrop_ready(ctx, s, ctx->fb.w, h)) {
		memcpy(ctx->fb.pixels, s->backdrop.px, bytes); /* same stride: one copy */
	} else {
		memset(ctx->fb.pixels, 0x30, bytes);
	}
	bg_anim_draw(&s->anim, &ctx->fb, ctx->start_time);
	if (!first) {
		bg_stats_add(ctx, &s->stats, t0); /* the setup call would skew the mean */
	}
	return FOMOS_CONTINUE;
}
