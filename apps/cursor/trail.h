/*
 * apps/cursor/trail.h — the fading trail: where the pointer was during the
 * last CURSOR_TRAIL frames.
 *
 * A ring of positions, one pushed per call (so a still pointer's trail
 * shrinks into the arrow within a quarter of a second at 60 Hz). It lives
 * in the app's store; it is plain data, no pointers, so it survives
 * anything that copies the store.
 */
#pragma once

#include <stdint.h>

#include "apps/cursor/draw.h"

#define CURSOR_TRAIL 16 /* positions kept */

struct cursor_point {
	int32_t x, y;
};

struct cursor_trail {
	struct cursor_point at[CURSOR_TRAIL];
	uint32_t next;	/* slot the next push writes */
	uint32_t count; /* valid entries, <= CURSOR_TRAIL */
};

void cursor_trail_push(struct cursor_trail *t, int32_t x, int32_t y);

/* Draws the kept positions, oldest faintest and smallest; positions equal
 * to the newest one (the pointer, under the arrow) are skipped. */
void cursor_trail_draw(const struct cursor_trail *t, const struct cursor_screen *s);
