/*
 * apps/cursor/trail.c — see trail.h.
 */
#include "apps/cursor/trail.h"

static const struct cursor_colour cursor_trail_colour = {150, 225, 255};

void cursor_trail_push(struct cursor_trail *t, int32_t x, int32_t y)
{
	t->at[t->next] = (struct cursor_point){x, y};
	t->next = (t->next + 1) % CURSOR_TRAIL;
	if (t->count < CURSOR_TRAIL) {
		t->count++;
	}
}

static bool cursor_same(struct cursor_point a, struct cursor_point b)
{
	return a.x == b.x && a.y == b.y;
}

void cursor_trail_draw(const struct cursor_trail *t, const struct cursor_screen *s)
{
	if (t->count == 0) {
		return;
	}
	struct cursor_point newest = t->at[(t->next + CURSOR_TRAIL - 1) % CURSOR_TRAIL];
	struct cursor_point last = newest;

	/* age 1 is the position before the newest, age count-1 the oldest */
	for (uint32_t age = t->count - 1; age >= 1; age--) {
		struct cursor_point p = t->at[(t->next + CURSOR_TRAIL - 1 - age) % CURSOR_TRAIL];
		uint32_t fade = CURSOR_TRAIL - age; /* 1 (oldest) .. 15 */

		if (cursor_same(p, newest) || cursor_same(p, last)) {
			continue;
		}
		last = p;
		cursor_dot(s, p.x, p.y, 1 + fade / 6, cursor_trail_colour, fade * 14);
	}
}
