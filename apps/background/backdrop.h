/*
 * apps/background/backdrop.h — the static part of the background.
 *
 * Everything on the background that does not move (a dithered gradient, a
 * soft glow, the decoded picture composited over it with its alpha) is
 * rendered once into a buffer exactly the size of the screen, a band of
 * rows per call (struct bg_build), so the first frames need not wait for
 * it. Each frame then only copies that buffer to ctx->fb: one memcpy,
 * since both have the same width (row stride). It is rebuilt only when
 * the screen size changes.
 *
 * Ownership: px comes from ctx->calloc (w * h * 4 bytes, align 64) and goes
 * back through bg_backdrop_free().
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apps/background/picture.h"
#include "fomos.h"

struct bg_backdrop {
	struct fomos_rgba *px; /* NULL when not built */
	size_t w;
	size_t h;
};

#define BG_BUILD_BAND 16 /* gradient rows between looks at the clock */

struct bg_build;

/*
 * Starts a w x h backdrop with `pic` (may be empty) in the top-right
 * corner, halved as often as needed for each side to be at most a third of
 * the screen's smaller side (512x512 becomes 256x256 on 1280x800). The
 * corner, because the console's window sits in the middle of the default
 * desktop and would hide a centred picture. NULL when out of memory.
 * pic must stay as it is until the build is done or abandoned.
 */
struct bg_build *bg_backdrop_begin(struct fomos_context *ctx, size_t w, size_t h,
				   const struct bg_picture *pic);

/*
 * Renders bands of rows until ctx's clock passes until_ns. True when the
 * backdrop is complete: *done is it (the build is gone); false: call
 * again.
 */
bool bg_backdrop_step(struct fomos_context *ctx, struct bg_build *b, uint64_t until_ns,
		      struct bg_backdrop *done);

/* Drops an unfinished build (NULL: nothing). */
void bg_backdrop_abandon(struct fomos_context *ctx, struct bg_build *b);

void bg_backdrop_free(struct fomos_context *ctx, struct bg_backdrop *bd);
