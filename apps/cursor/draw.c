/*
 * apps/cursor/draw.c — see draw.h.
 */
#include "apps/cursor/draw.h"

static uint8_t cursor_mix(uint32_t dst, uint32_t src, uint32_t alpha)
{
	return (uint8_t)((dst * (256 - alpha) + src * alpha) >> 8);
}

void cursor_blend(const struct cursor_screen *s, int64_t x, int64_t y, struct cursor_colour c,
		  uint32_t alpha)
{
	if (x < 0 || y < 0 || x >= s->w || y >= s->rows) {
		return;
	}
	struct fomos_rgba *p = &s->px[y * s->w + x];

	alpha = alpha > 256 ? 256 : alpha;
	p->r = cursor_mix(p->r, c.r, alpha);
	p->g = cursor_mix(p->g, c.g, alpha);
	p->b = cursor_mix(p->b, c.b, alpha);
	p->a = 255;
}

void cursor_dot(const struct cursor_screen *s, int64_t cx, int64_t cy, int64_t r,
		struct cursor_colour c, uint32_t alpha)
{
	/* r*r + r keeps the disc round at small radii (no lone pixels at the
	 * four extremes). */
	int64_t limit = r * r + r;

	for (int64_t dy = -r; dy <= r; dy++) {
		for (int64_t dx = -r; dx <= r; dx++) {
			if (dx * dx + dy * dy <= limit) {
				cursor_blend(s, cx + dx, cy + dy, c, alpha);
			}
		}
	}
}
