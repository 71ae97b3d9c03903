/*
 * lib/rect.c — see rect.h.
 */
#include "lib/rect.h"

static int64_t rect_max(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int64_t rect_min(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

bool rect_intersect(struct canvas_rect a, int64_t x, int64_t y, int64_t w, int64_t h,
		    struct canvas_rect *out)
{
	int64_t x0 = rect_max(a.x, x), x1 = rect_min((int64_t)a.x + a.w, x + rect_max(w, 0));
	int64_t y0 = rect_max(a.y, y), y1 = rect_min((int64_t)a.y + a.h, y + rect_max(h, 0));
	if (x0 >= x1 || y0 >= y1) {
		return false;
	}
	*out = (struct canvas_rect){(uint32_t)x0, (uint32_t)y0, (uint32_t)(x1 - x0),
				    (uint32_t)(y1 - y0)};
	return true;
}

unsigned rect_subtract(struct canvas_rect a, struct canvas_rect hole, struct canvas_rect out[4])
{
	unsigned n = 0;
	uint32_t a_bottom = a.y + a.h, hole_bottom = hole.y + hole.h;
	if (hole.y > a.y) {
		out[n++] = (struct canvas_rect){a.x, a.y, a.w, hole.y - a.y};
	}
	if (hole_bottom < a_bottom) {
		out[n++] = (struct canvas_rect){a.x, hole_bottom, a.w, a_bottom - hole_bottom};
	}
	if (hole.x > a.x) {
		out[n++] = (struct canvas_rect){a.x, hole.y, hole.x - a.x, hole.h};
	}
	if (hole.x + hole.w < a.x + a.w) {
		out[n++] = (struct canvas_rect){hole.x + hole.w, hole.y,
						a.x + a.w - hole.x - hole.w, hole.h};
	}
	return n;
}
