/*
 * apps/background/main.c — the desktop background app: _start.
 *
 * The first app of the desktop (bottom of the z-order): every frame it
 * brings the whole screen back to its own picture, which is what lets the
 * apps above it draw only their own pixels. To afford that at 60 Hz under
 * QEMU TCG, the frame is split in two:
 *   - the static part (gradient, glow, the PNG picture) is rendered once
 *     into a screen-sized buffer (backdrop.c);
 *   - the moving part (anim.c) touches about 3% of the pixels;
 * and both go into a frame buffer of the app's own (frame.c), which is
 * written to the screen only where the screen differs from it, so what
 * did not change is not presented again.
 * The PNG is decoded once, at the second call (decode.c), never per
 * frame; the first call draws a flat screen, so the desktop's first frame
 * waits for neither, and the backdrop is rendered a slice per call after.
 *
 * State: everything lives in struct bg_state, hung off *ctx->store at the
 * first call; the stack holds nothing across calls. When the screen size
 * changes the backdrop is rebuilt from the kept, decoded picture.
 * Until the backdrop is there, or if memory for it runs out, the app
 * clears the screen every frame to the gradient's top colour rather than
 * leave stale pixels behind.
 */
#include "apps/background/anim.h"
#include "apps/background/backdrop.h"
#include "apps/background/frame.h"
#include "apps/background/log.h"
#include "apps/background/picture.h"
#include "apps/background/stats.h"
#include "fomos.h"
#include "lib/string.h"

#define BG_SLICE_NS 6000000ull /* of one call spent on the backdrop at most (plus a band) */

struct bg_state {
	struct bg_picture picture;   /* as decoded, full size */
	bool picture_tried;	     /* the decode ran (the picture may be empty) */
	struct bg_backdrop backdrop; /* complete, or px NULL */
	struct bg_build *build;	     /* a backdrop being rendered, or NULL */
	uint32_t build_calls;	     /* calls the build has taken so far */
	uint64_t build_ns;	     /* of work in them */
	struct bg_anim anim;
	struct bg_frame frame; /* backdrop + animation, shown where the screen differs */
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

static void bg_decode(struct fomos_context *ctx, struct bg_state *s)
{
	size_t size;
	const uint8_t *png = bg_picture_file(&size);
	uint64_t t0 = bg_now_ns(ctx);
	if (bg_picture_decode(ctx, png, size, &s->picture) == 0) {
		uint64_t us = (bg_now_ns(ctx) - t0) / 1000;
		bg_logf(ctx, "picture: %zu-byte PNG decoded to %ux%u in %llu.%03llu ms", size,
			s->picture.w, s->picture.h, (unsigned long long)(us / 1000),
			(unsigned long long)(us % 1000));
	}
	s->picture_tried = true;
}

/*
 * One call's share of getting a backdrop for a w x h screen: start a build
 * if none matches, or render more of it. Returns whether s->backdrop is
 * ready for this screen.
 */
static bool bg_backdrop_work(struct fomos_context *ctx, struct bg_state *s, size_t w, size_t h)
{
	if (s->backdrop.px != NULL && s->backdrop.w == w && s->backdrop.h == h) {
		return true;
	}
	if (s->build != NULL && (s->backdrop.w != w || s->backdrop.h != h)) {
		bg_backdrop_abandon(ctx, s->build); /* the screen changed under it */
		s->build = NULL;
	}
	if (s->build == NULL && s->backdrop_failed && s->backdrop.w == w && s->backdrop.h == h) {
		return false;
	}
	uint64_t t0 = bg_now_ns(ctx);
	if (s->build == NULL) {
		bg_backdrop_free(ctx, &s->backdrop);
		s->backdrop = (struct bg_backdrop){NULL, w, h};
		s->build = bg_backdrop_begin(ctx, w, h, &s->picture);
		s->build_calls = 0;
		s->build_ns = 0;
		s->backdrop_failed = s->build == NULL;
		if (s->build == NULL) {
			bg_logf(ctx, "out of memory for a %zux%zu backdrop: flat screen instead", w,
				h);
			return false;
		}
	}
	struct bg_backdrop done;
	bool finished = bg_backdrop_step(ctx, s->build, t0 + BG_SLICE_NS, &done);
	s->build_calls++;
	s->build_ns += bg_now_ns(ctx) - t0;
	if (!finished) {
		return false;
	}
	s->build = NULL;
	s->backdrop = done;
	bg_logf(ctx, "backdrop %zux%zu rendered in %llu us over %u calls", w, h,
		(unsigned long long)(s->build_ns / 1000), s->build_calls);
	return true;
}

/* The gradient's top-left colour, until the backdrop is there. */
static void bg_fill_flat(struct fomos_rgba *px, size_t n)
{
	uint64_t two = 0xff2c100cull << 32 | 0xff2c100cull; /* r 12, g 16, b 44, opaque */
	size_t i = 0;
	for (; i + 2 <= n; i += 2) {
		__builtin_memcpy(px + i, &two, sizeof(two));
	}
	if (i < n) {
		px[i] = (struct fomos_rgba){12, 16, 44, 255};
	}
}

/*
 * The first call only sets the state up and draws a flat screen, so the
 * desktop's first frame is not held up; the next decodes the picture, and
 * the ones after render the backdrop a slice at a time.
 */
int32_t _start(struct fomos_context *ctx)
{
	uint64_t t0 = bg_now_ns(ctx);
	struct bg_state *s = *ctx->store;
	bool first = s == NULL;

	if (first) {
		s = ctx->calloc(sizeof(*s), 16);
		if (s == NULL) {
			bg_logf(ctx, "out of memory for the state (%zu bytes)", sizeof(*s));
			return -1;
		}
		bg_anim_init(&s->anim);
		*ctx->store = s;
	}
	size_t h = bg_screen_rows(&ctx->fb);
	if (h == 0) {
		return FOMOS_CONTINUE;
	}
	bool ready = false;
	if (!first && !s->picture_tried) {
		bg_decode(ctx, s);
	} else if (!first) {
		ready = bg_backdrop_work(ctx, s, ctx->fb.w, h);
	}
	if (ready && bg_frame_draw(ctx, &s->frame, &s->backdrop, &s->anim, ctx->start_time)) {
		bg_frame_show(&s->frame, ctx->fb.pixels);
	} else {
		/* No frame buffer (yet): the whole screen, drawn directly. */
		struct bg_boxes drawn;
		if (ready) {
			memcpy(ctx->fb.pixels, s->backdrop.px,
			       ctx->fb.w * h * sizeof(struct fomos_rgba));
		} else {
			bg_fill_flat(ctx->fb.pixels, ctx->fb.w * h);
		}
		bg_anim_draw(&s->anim, &ctx->fb, ctx->start_time, &drawn);
	}
	if (ready) {
		bg_stats_add(ctx, &s->stats, t0); /* setup calls would skew the mean */
	}
	return FOMOS_CONTINUE;
}
