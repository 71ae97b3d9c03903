/*
 * apps/background/backdrop.h — the static part of the background.
 *
 * Everything on the background that does not move (a dithered gradient, a
 * soft glow, the decoded picture composited over it with its alpha) is
 * rendered once into a buffer exactly the size of the screen. Each frame
 * then only copies that buffer to ctx->fb: one memcpy, since both have
 * the same width (row stride). It is rebuilt only when the screen size
 * changes.
 *
 * Ownership: px comes from ctx->calloc (w * h * 4 bytes, align 64) and goes
 * back through bg_backdrop_free().
 */
#pragma once

#include <stddef.h>

#include "apps/background/picture.h"
#include "fomos.h"

struct bg_backdrop {
	struct fomos_rgba *px; /* NULL when not built */
	size_t w;
	size_t h;
};

/*
 * Renders a w x h backdrop with `pic` (may be empty) in the top-right
 * corner, halved as often as needed for each side to be at most a third of
 * the screen's smaller side (512x512 becomes 256x256 on 1280x800). The
 * corner, because the console's window sits in the middle of the default
 * desktop and would hide a centred picture. Returns 0, or
 * negative when out of memory (*bd is then empty).
 */
int bg_backdrop_build(struct fomos_context *ctx, struct bg_backdrop *bd, size_t w, size_t h,
		      const struct bg_picture *pic);

void bg_backdrop_free(struct fomos_context *ctx, struct bg_backdrop *bd);
