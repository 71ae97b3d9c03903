/*
 * tests/unit/test_damage.c — host tests for lib/damage.c.
 *
 * Random rectangles are added to a list and, pixel by pixel on a small
 * screen, every pixel added must be covered, the rectangles must not
 * overlap and must stay on the screen; a few exact cases pin the merging
 * rules (bands of rows become one rectangle, far apart ones stay apart).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/damage.h"

#define W 97
#define H 61

static unsigned covering(const struct damage *d, uint32_t x, uint32_t y)
{
	unsigned n = 0;
	for (unsigned i = 0; i < d->n; i++) {
		const struct canvas_rect *r = &d->r[i];
		n += x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h;
	}
	return n;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static int64_t rnd(int64_t lo, int64_t hi)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return lo + (int64_t)(rng % (uint64_t)(hi - lo + 1));
}

static void test_random_lists_cover_everything_added(void **state)
{
	(void)state;
	static uint8_t added[H][W];
	for (int round = 0; round < 400; round++) {
		struct damage d;
		damage_init(&d, W, H);
		memset(added, 0, sizeof(added));
		int count = (int)rnd(1, 20);
		for (int k = 0; k < count; k++) {
			int64_t x = rnd(-20, W + 5), y = rnd(-20, H + 5);
			int64_t w = rnd(-3, 40), h = rnd(-3, 30);
			damage_add(&d, x, y, w, h);
			for (int64_t yy = y; yy < y + h; yy++) {
				for (int64_t xx = x; xx < x + w; xx++) {
					if (xx >= 0 && xx < W && yy >= 0 && yy < H) {
						added[yy][xx] = 1;
					}
				}
			}
		}
		assert_true(d.n <= DAMAGE_MAX);
		uint64_t covered = 0;
		for (uint32_t y = 0; y < H; y++) {
			for (uint32_t x = 0; x < W; x++) {
				unsigned c = covering(&d, x, y);
				assert_true(c <= 1); /* disjoint */
				assert_true(c == 1 || !added[y][x]);
				covered += c;
			}
		}
		assert_int_equal(covered, damage_pixels(&d)); /* all of it on the screen */
	}
}

static void test_bands_of_rows_become_one(void **state)
{
	(void)state;
	struct damage d;
	damage_init(&d, W, H);
	for (int y = 10; y < 30; y += 2) {
		damage_add(&d, 0, y, W, 2);
	}
	assert_int_equal(d.n, 1);
	assert_int_equal(d.r[0].y, 10);
	assert_int_equal(d.r[0].h, 20);
	assert_int_equal(d.r[0].w, W);
}

static void test_far_apart_stay_apart(void **state)
{
	(void)state;
	struct damage d;
	damage_init(&d, W, H);
	damage_add(&d, 0, 0, 5, 5);
	damage_add(&d, 90, 50, 5, 5);
	damage_add(&d, 5, 5, 5, 5); /* touches the first at a corner only */
	assert_int_equal(d.n, 3);
	assert_int_equal(damage_pixels(&d), 75);
}

static void test_a_full_list_merges_the_closest(void **state)
{
	(void)state;
	struct damage d;
	damage_init(&d, 1000, 1000);
	for (int i = 0; i < DAMAGE_MAX; i++) {
		damage_add(&d, i * 100, i * 100, 10, 10);
	}
	assert_int_equal(d.n, DAMAGE_MAX);
	damage_add(&d, 12, 12, 4, 4); /* next to the first */
	assert_int_equal(d.n, DAMAGE_MAX);
	assert_int_equal(damage_pixels(&d), 5 * 100 + 16 * 16);
}

static void test_hostile_values_are_clipped(void **state)
{
	(void)state;
	struct damage d;
	damage_init(&d, W, H);
	damage_add(&d, INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX);
	damage_add(&d, INT64_MIN, 0, INT64_MAX, 1);
	damage_add(&d, 3, 3, 0, 9);
	damage_add(&d, 3, 3, -5, 9);
	assert_int_equal(d.n, 0);
	damage_add(&d, -10, -10, INT64_MAX, INT64_MAX);
	assert_int_equal(d.n, 1);
	assert_int_equal(damage_pixels(&d), (uint64_t)W * H);
	damage_add_all(&d);
	assert_int_equal(d.n, 1);
}

static void test_merge_and_union(void **state)
{
	(void)state;
	struct damage a, b;
	damage_init(&a, W, H);
	damage_init(&b, W, H);
	damage_add(&a, 1, 1, 2, 2);
	damage_add(&b, 50, 40, 3, 3);
	damage_merge(&a, &b);
	assert_int_equal(a.n, 2);
	struct canvas_rect u = damage_union(a.r[0], a.r[1]);
	assert_int_equal(u.x, 1);
	assert_int_equal(u.w, 52);
	assert_int_equal(u.h, 42);
	struct canvas_rect empty = {7, 7, 0, 0};
	u = damage_union(empty, a.r[0]);
	assert_memory_equal(&u, &a.r[0], sizeof(u));
}

static void test_spans_of_pixels(void **state)
{
	(void)state;
	struct damage d;
	damage_init(&d, W, H);
	damage_add_span(&d, 10, 5, 3 * 20 + 2, 3 * 20 + 7, 20); /* inside row 3 */
	assert_int_equal(d.n, 1);
	assert_int_equal(d.r[0].x, 12);
	assert_int_equal(d.r[0].y, 8);
	assert_int_equal(d.r[0].w, 5);
	assert_int_equal(d.r[0].h, 1);
	damage_init(&d, W, H);
	damage_add_span(&d, 10, 5, 19, 41, 20); /* rows 0 to 2, all of them */
	assert_int_equal(d.n, 1);
	assert_int_equal(d.r[0].x, 10);
	assert_int_equal(d.r[0].y, 5);
	assert_int_equal(d.r[0].w, 20);
	assert_int_equal(d.r[0].h, 3);
	damage_add_span(&d, 0, 0, 5, 5, 20);			  /* empty */
	damage_add_span(&d, 0, 0, 0, 99, 0);			  /* no stride */
	damage_add_span(&d, 0, 0, UINT64_MAX - 1, UINT64_MAX, 1); /* far below */
	assert_int_equal(d.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_random_lists_cover_everything_added),
	    cmocka_unit_test(test_bands_of_rows_become_one),
	    cmocka_unit_test(test_far_apart_stay_apart),
	    cmocka_unit_test(test_a_full_list_merges_the_closest),
	    cmocka_unit_test(test_hostile_values_are_clipped),
	    cmocka_unit_test(test_merge_and_union),
	    cmocka_unit_test(test_spans_of_pixels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
