/*
 * lib/damage.c — the damage list; see damage.h.
 */
#include "lib/damage.h"

void damage_init(struct damage *d, uint32_t width, uint32_t height)
{
	*d = (struct damage){.width = width, .height = height};
}

static uint64_t area(struct canvas_rect r)
{
	return (uint64_t)r.w * r.h;
}

struct canvas_rect damage_union(struct canvas_rect a, struct canvas_rect b)
{
	if (area(a) == 0) {
		return b;
	}
	if (area(b) == 0) {
		return a;
	}
	uint32_t x0 = a.x < b.x ? a.x : b.x, y0 = a.y < b.y ? a.y : b.y;
	uint32_t x1 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w;
	uint32_t y1 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;
	return (struct canvas_rect){x0, y0, x1 - x0, y1 - y0};
}

/*
 * Overlapping (the list stays disjoint), or side by side along a whole
 * edge (their union wastes nothing: consecutive bands of rows).
 */
static bool touch(struct canvas_rect a, struct canvas_rect b)
{
	bool overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
	bool stacked = a.x == b.x && a.w == b.w && (a.y + a.h == b.y || b.y + b.h == a.y);
	bool beside = a.y == b.y && a.h == b.h && (a.x + a.w == b.x || b.x + b.w == a.x);
	return overlap || stacked || beside;
}

static void remove_at(struct damage *d, unsigned i)
{
	d->r[i] = d->r[--d->n];
}

/* Pixels the union of a and b covers that neither does (an upper bound when they overlap). */
static uint64_t waste(struct canvas_rect a, struct canvas_rect b)
{
	uint64_t u = area(damage_union(a, b)), sum = area(a) + area(b);
	return u > sum ? u - sum : 0;
}

static void add_rect(struct damage *d, struct canvas_rect r)
{
	for (;;) {
		unsigned i = 0;
		while (i < d->n && !touch(d->r[i], r)) {
			i++;
		}
		if (i < d->n) {
			r = damage_union(r, d->r[i]);
			remove_at(d, i);
			continue;
		}
		if (d->n < DAMAGE_MAX) {
			d->r[d->n++] = r;
			return;
		}
		/* Full: merge r with the rectangle it wastes least with, then go round again. */
		unsigned best = 0;
		for (i = 1; i < d->n; i++) {
			if (waste(d->r[i], r) < waste(d->r[best], r)) {
				best = i;
			}
		}
		r = damage_union(r, d->r[best]);
		remove_at(d, best);
	}
}

void damage_add(struct damage *d, int64_t x, int64_t y, int64_t w, int64_t h)
{
	if (w <= 0 || h <= 0) {
		return;
	}
	int64_t x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
	int64_t x1 = x > INT64_MAX - w ? INT64_MAX : x + w;
	int64_t y1 = y > INT64_MAX - h ? INT64_MAX : y + h;
	x1 = x1 > (int64_t)d->width ? (int64_t)d->width : x1;
	y1 = y1 > (int64_t)d->height ? (int64_t)d->height : y1;
	if (x1 <= x0 || y1 <= y0) {
		return;
	}
	add_rect(d, (struct canvas_rect){(uint32_t)x0, (uint32_t)y0, (uint32_t)(x1 - x0),
					 (uint32_t)(y1 - y0)});
}

void damage_add_span(struct damage *d, int64_t x, int64_t y, uint64_t first, uint64_t end,
		     uint32_t stride)
{
	if (end <= first || stride == 0) {
		return;
	}
	uint64_t r0 = first / stride, r1 = (end - 1) / stride;
	if (r0 > UINT32_MAX) {
		return; /* below any screen */
	}
	if (r0 == r1) {
		damage_add(d, x + (int64_t)(first % stride), y + (int64_t)r0,
			   (int64_t)(end - first), 1);
	} else {
		uint64_t rows = r1 - r0 + 1;
		damage_add(d, x, y + (int64_t)r0, stride,
			   rows > UINT32_MAX ? UINT32_MAX : (int64_t)rows);
	}
}

void damage_add_all(struct damage *d)
{
	damage_add(d, 0, 0, d->width, d->height);
}

void damage_merge(struct damage *d, const struct damage *from)
{
	for (unsigned i = 0; i < from->n; i++) {
		const struct canvas_rect *r = &from->r[i];
		damage_add(d, r->x, r->y, r->w, r->h);
	}
}

uint64_t damage_pixels(const struct damage *d)
{
	uint64_t sum = 0;
	for (unsigned i = 0; i < d->n; i++) {
		sum += area(d->r[i]);
	}
	return sum;
}
