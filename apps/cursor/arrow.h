/*
 * apps/cursor/arrow.h — the arrow: a small bitmap drawn with its tip (the
 * hotspot) at the pointer, and the mouse-button indicator beside it.
 */
#pragma once

#include <stdint.h>

#include "apps/cursor/draw.h"

/* Which mouse buttons are down, one bit each. */
enum cursor_buttons {
	CURSOR_LEFT = 1,
	CURSOR_MIDDLE = 2,
	CURSOR_RIGHT = 4,
};

/* Draws the arrow with its tip at (x, y): a soft shadow, a dark outline
 * and a fill whose colour says which button is down (white when none). */
void cursor_draw_arrow(const struct cursor_screen *s, int64_t x, int64_t y, unsigned buttons);

/* One dot per button that is down (left, middle, right, in that order),
 * just below the arrow's tail, in that button's colour. */
void cursor_draw_buttons(const struct cursor_screen *s, int64_t x, int64_t y, unsigned buttons);
