/*
 * lib/rect.h — cutting rectangles: what two have in common, and what is
 * left of one once a part of it is taken away. The compositor uses them
 * to compose each part of the screen from the one thing on top there
 * (desktop/compositor.c), so nothing hidden is drawn.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lib/canvas.h"

/* The part of a inside the rectangle at (x, y), w x h (any values are
 * safe); false when they do not meet. */
bool rect_intersect(struct canvas_rect a, int64_t x, int64_t y, int64_t w, int64_t h,
		    struct canvas_rect *out);

/* What is left of a without hole, which lies inside a: at most four
 * disjoint rectangles (above, below, left, right of it) into out; how many. */
unsigned rect_subtract(struct canvas_rect a, struct canvas_rect hole, struct canvas_rect out[4]);
