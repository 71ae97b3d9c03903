/*
 * apps/cursor/draw.h — the cursor's few pixel operations, clipped.
 *
 * All of them take screen coordinates that may lie partly or wholly off the
 * screen (the arrow hangs off the right and bottom edges when the pointer
 * is there) and write only the pixels inside it. `rows` is the number of
 * rows that really exist (min(h, len / w)).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "fomos.h"

struct cursor_colour {
	uint8_t r, g, b;
};

struct cursor_screen {
	struct fomos_rgba *px;
	int64_t w;
	int64_t rows;
};

/* Blends c over the pixel at (x, y) with opacity alpha/256 (0..256). */
void cursor_blend(const struct cursor_screen *s, int64_t x, int64_t y, struct cursor_colour c,
		  uint32_t alpha);

/* A round dot of radius r centred on (cx, cy), blended with alpha/256. */
void cursor_dot(const struct cursor_screen *s, int64_t cx, int64_t cy, int64_t r,
		struct cursor_colour c, uint32_t alpha);
