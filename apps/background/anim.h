/*
 * apps/background/anim.h — the moving part of the background, drawn every
 * frame over the copied backdrop.
 *
 * Two glowing sine ribbons drift along the bottom of the screen (below the
 * console's window on the default desktop) and a few soft bubbles wander
 * over it on Lissajous paths. Everything is a pure function of the time
 * (ctx->start_time), so the animation needs no state besides a sine table,
 * and two frames a second apart always differ.
 *
 * Cost: about 35 000 pixels per frame on a 1280x800 screen (3% of it),
 * added as light (saturating add), integer arithmetic only.
 */
#pragma once

#include <stdint.h>

#include "fomos.h"

#define BG_SIN_STEPS 1024  /* angle units per turn; a power of two */
#define BG_SIN_ONE   16384 /* sin = 1.0 in the table's Q14 */

struct bg_anim {
	int16_t sin[BG_SIN_STEPS]; /* sin(2 pi i / BG_SIN_STEPS), Q14 */
};

/* The rectangles a frame of the animation drew into: one per ribbon and bubble. */
#define BG_ANIM_BOXES 7
struct bg_box {
	size_t x0, y0, x1, y1; /* x0 <= x < x1, y0 <= y < y1; empty when x0 == x1 */
};
struct bg_boxes {
	struct bg_box box[BG_ANIM_BOXES];
};

/* Fills the sine table (integer only, error below 0.2%). */
void bg_anim_init(struct bg_anim *a);

/* Draws the frame for time t_ms (milliseconds) into fb, clipped; where, into *drawn. */
void bg_anim_draw(const struct bg_anim *a, const struct fomos_framebuffer *fb, uint64_t t_ms,
		  struct bg_boxes *drawn);
