/*
 * apps/old_context — an app for the oldest Fomos context.
 *
 * Built against fomos_v0.h, a frozen copy of the five fields the original's
 * first apps knew (version, start_time, log, pid, fb), never against
 * include/fomos.h. That it runs on the current kernel shows the promise of
 * docs/design.md §2: fields are only appended, so old apps keep working.
 *
 * It logs "old context app, version N" once (N: the context version the
 * kernel passes, which is newer than the one this app knows) and draws a
 * small square sliding to and fro along the bottom of the screen, its
 * colour cycling. There is no calloc or store in this context, so the
 * picture is computed from start_time and pid alone; the one thing it
 * remembers, that it has logged, sits in its own .bss (each app instance
 * gets its own copy of its writable segments).
 */
#include "fomos_v0.h"

#define SIDE 24 /* the square, pixels */
#define LANE 32 /* distance between the lanes of several instances */

static int logged;

/* "old context app, version N" into line; returns its length. */
static uint32_t format_hello(char *line, uint8_t version)
{
	static const char text[] = "old context app, version ";
	uint32_t n = 0;

	for (; text[n] != '\0'; n++) {
		line[n] = text[n];
	}
	if (version >= 100) {
		line[n++] = (char)('0' + version / 100);
	}
	if (version >= 10) {
		line[n++] = (char)('0' + version / 10 % 10);
	}
	line[n++] = (char)('0' + version % 10);
	return n;
}

/* A triangle wave: 0, 1, ..., span, span - 1, ..., 1, 0, 1, ... */
static size_t bounce(uint64_t t, size_t span)
{
	if (span == 0) {
		return 0;
	}
	size_t phase = (size_t)(t % (2 * (uint64_t)span));
	return phase <= span ? phase : 2 * span - phase;
}

static void draw_square(const struct fomos_v0_context *ctx)
{
	const struct fomos_v0_framebuffer *fb = &ctx->fb;
	size_t lane = (size_t)(ctx->pid % 4);
	if (fb->pixels == NULL || fb->w < SIDE || fb->h < SIDE + 8 + 4 * LANE) {
		return;
	}
	size_t x0 = bounce(ctx->start_time / 4, fb->w - SIDE); /* 250 pixels a second */
	size_t y0 = fb->h - SIDE - 8 - lane * LANE;
	uint8_t hue = (uint8_t)(ctx->start_time / 16);
	struct fomos_v0_rgba c = {hue, (uint8_t)(255 - hue), (uint8_t)(ctx->pid * 64), 0xff};

	for (size_t y = 0; y < SIDE; y++) {
		struct fomos_v0_rgba *row = fb->pixels + (y0 + y) * fb->w + x0;
		for (size_t x = 0; x < SIDE; x++) {
			row[x] = c;
		}
	}
}

int32_t _start(struct fomos_v0_context *ctx)
{
	if (!logged) {
		char line[40];
		ctx->log(line, format_hello(line, ctx->version));
		logged = 1;
	}
	draw_square(ctx);
	return 0; /* the oldest apps knew no other return value: call me again */
}
