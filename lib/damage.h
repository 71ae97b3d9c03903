/*
 * lib/damage.h — the parts of a screen that changed, as a short list of
 * rectangles.
 *
 * The compositor composes, and the display presents, only what is in the
 * list. The rectangles never overlap: one that touches or overlaps another
 * is merged into their bounding box (so no pixel is composed or sent
 * twice), and when the list is full the two whose bounding box wastes the
 * fewest pixels are merged. The list therefore always covers everything
 * added, often a little more, never less. Everything is clipped to the
 * screen given at damage_init().
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lib/canvas.h"

#define DAMAGE_MAX 6 /* a virtio-gpu present sends one transfer per rectangle */

struct damage {
	uint32_t width, height; /* the screen everything is clipped to */
	unsigned n;
	struct canvas_rect r[DAMAGE_MAX];
};

/* An empty list for a width x height screen. */
void damage_init(struct damage *d, uint32_t width, uint32_t height);

/* Add the rectangle at (x, y), w x h, clipped to the screen (any values are safe). */
void damage_add(struct damage *d, int64_t x, int64_t y, int64_t w, int64_t h);

/*
 * Add pixels first .. end-1 of an image `stride` pixels wide whose top-left
 * is at (x, y): their row if they lie in one, else all of their rows.
 */
void damage_add_span(struct damage *d, int64_t x, int64_t y, uint64_t first, uint64_t end,
		     uint32_t stride);

/* Add all of the screen. */
void damage_add_all(struct damage *d);

/* Add every rectangle of another list. */
void damage_merge(struct damage *d, const struct damage *from);

/* How many pixels the list covers. */
uint64_t damage_pixels(const struct damage *d);

/* The bounding box of two rectangles (either may be empty). */
struct canvas_rect damage_union(struct canvas_rect a, struct canvas_rect b);
