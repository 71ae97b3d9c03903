/*
 * tests/unit/test_rect.c — host tests for lib/rect.c: intersections with
 * any coordinates (negative, huge, empty), and subtraction checked pixel
 * by pixel: the pieces are disjoint, lie inside the rectangle, miss the
 * hole and, with it, cover every pixel of the rectangle.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/rect.h"

static void test_intersect(void **state)
{
	struct canvas_rect a = {10, 20, 100, 50}, out;
	(void)state;
	assert_true(rect_intersect(a, 0, 0, 50, 30, &out));
	assert_int_equal(out.x, 10);
	assert_int_equal(out.y, 20);
	assert_int_equal(out.w, 40);
	assert_int_equal(out.h, 10);
	assert_true(rect_intersect(a, -1000, -1000, 5000, 5000, &out)); /* all of a */
	assert_memory_equal(&out, &a, sizeof(a));
	assert_false(rect_intersect(a, 110, 20, 10, 10, &out)); /* just right of it */
	assert_false(rect_intersect(a, 20, 30, 0, 10, &out));	/* empty */
	assert_false(rect_intersect(a, 20, 30, -5, 10, &out));
	assert_false(rect_intersect(a, INT64_MIN / 2, 0, 10, 10, &out));
}

/* Every hole inside a 12 x 9 rectangle. */
static void test_subtract_covers_exactly(void **state)
{
	const struct canvas_rect a = {3, 5, 12, 9};
	(void)state;
	for (uint32_t hx = a.x; hx < a.x + a.w; hx++) {
		for (uint32_t hy = a.y; hy < a.y + a.h; hy++) {
			for (uint32_t hw = 1; hx + hw <= a.x + a.w; hw++) {
				for (uint32_t hh = 1; hy + hh <= a.y + a.h; hh += 2) {
					struct canvas_rect hole = {hx, hy, hw, hh}, out[4];
					unsigned n = rect_subtract(a, hole, out);
					uint8_t seen[20][20] = {{0}};
					for (uint32_t y = hy; y < hy + hh; y++) {
						for (uint32_t x = hx; x < hx + hw; x++) {
							seen[y][x]++;
						}
					}
					assert_true(n <= 4);
					for (unsigned i = 0; i < n; i++) {
						assert_true(out[i].w > 0 && out[i].h > 0);
						for (uint32_t y = out[i].y; y < out[i].y + out[i].h;
						     y++) {
							for (uint32_t x = out[i].x;
							     x < out[i].x + out[i].w; x++) {
								seen[y][x]++;
							}
						}
					}
					for (uint32_t y = 0; y < 20; y++) {
						for (uint32_t x = 0; x < 20; x++) {
							bool in = x >= a.x && x < a.x + a.w &&
								  y >= a.y && y < a.y + a.h;
							assert_int_equal(seen[y][x], in ? 1 : 0);
						}
					}
				}
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_intersect),
	    cmocka_unit_test(test_subtract_covers_exactly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
