/*
 * tests/unit/test_console_selection.c — host tests for the console's text
 * selection (apps/console/selection.c): a drag marks text between cell
 * boundaries in reading order, whole rows in between, the copied text
 * drops trailing spaces and ends rows with '\n', the marked text stays on
 * its rows when more output scrolls them, and rows that fell out of the
 * scrollback are simply gone from it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "apps/console/selection.h"

static struct term t;
static struct sel s;

static int setup(void **state)
{
	(void)state;
	term_init(&t, 20, 4);
	s = (struct sel){0};
	return 0;
}

static void write_str(const char *str)
{
	term_write(&t, str, strlen(str), TERM_NORMAL);
}

/* A press at a, a move to b, a release there. */
static void drag(struct sel_point a, struct sel_point b)
{
	sel_pointer(&s, FOMOS_KEY_ON_FROM_OFF, a);
	sel_pointer(&s, FOMOS_KEY_ON, b);
	sel_pointer(&s, FOMOS_KEY_OFF_FROM_ON, b);
}

static const char *copied(void)
{
	static char out[256];
	size_t n = sel_text(&s, &t, out, sizeof(out) - 1);
	out[n] = '\0';
	return out;
}

static void test_a_drag_within_a_row(void **state)
{
	(void)state;
	write_str("echo hello world");
	drag((struct sel_point){0, 5}, (struct sel_point){0, 10});
	assert_true(sel_any(&s));
	assert_false(s.dragging);
	assert_string_equal(copied(), "hello");
	uint32_t from, to;
	assert_true(sel_columns(&s, 0, 16, &from, &to));
	assert_int_equal(from, 5);
	assert_int_equal(to, 10);
	assert_false(sel_columns(&s, 1, 16, &from, &to));
}

static void test_backwards_over_rows(void **state)
{
	(void)state;
	write_str("first row   ");
	write_str("second");
	write_str("third row");
	/* from the middle of the third row back to the middle of the first */
	drag((struct sel_point){2, 5}, (struct sel_point){0, 6});
	assert_string_equal(copied(), "row\nsecond\nthird");
	uint32_t from, to;
	assert_true(sel_columns(&s, 1, 6, &from, &to)); /* the row between: whole */
	assert_int_equal(from, 0);
	assert_int_equal(to, 6);
	assert_true(sel_columns(&s, 0, 12, &from, &to)); /* to the end of the row */
	assert_int_equal(from, 6);
	assert_int_equal(to, 12);
}

static void test_a_click_selects_nothing(void **state)
{
	(void)state;
	write_str("some text");
	drag((struct sel_point){0, 2}, (struct sel_point){0, 6});
	sel_pointer(&s, FOMOS_KEY_OFF_TRANSIENT_ON, (struct sel_point){0, 3}); /* a click */
	assert_false(sel_any(&s));
	assert_false(s.dragging);
	assert_int_equal(sel_text(&s, &t, (char[8]){0}, 8), 0);
}

static void test_release_without_press_is_nothing(void **state)
{
	(void)state;
	write_str("text");
	sel_pointer(&s, FOMOS_KEY_ON, (struct sel_point){0, 3}); /* held since before */
	sel_pointer(&s, FOMOS_KEY_OFF_FROM_ON, (struct sel_point){0, 4});
	assert_false(sel_any(&s));
}

static void test_stays_on_its_text_and_leaves_with_it(void **state)
{
	(void)state;
	write_str("keep me");
	drag((struct sel_point){0, 0}, (struct sel_point){0, 4});
	for (int i = 0; i < 10; i++) {
		write_str("more"); /* the view scrolls: the serials stay */
	}
	assert_string_equal(copied(), "keep");
	for (int i = 0; i < TERM_SCROLLBACK; i++) {
		write_str("more");
	}
	assert_true(sel_any(&s));
	assert_string_equal(copied(), ""); /* its row fell out of the scrollback */
}

static void test_the_copy_fits_its_buffer(void **state)
{
	(void)state;
	write_str("abcdefghij");
	drag((struct sel_point){0, 0}, (struct sel_point){0, 10});
	char out[4];
	assert_int_equal(sel_text(&s, &t, out, sizeof(out)), 4);
	assert_memory_equal(out, "abcd", 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_a_drag_within_a_row, setup),
	    cmocka_unit_test_setup(test_backwards_over_rows, setup),
	    cmocka_unit_test_setup(test_a_click_selects_nothing, setup),
	    cmocka_unit_test_setup(test_release_without_press_is_nothing, setup),
	    cmocka_unit_test_setup(test_stays_on_its_text_and_leaves_with_it, setup),
	    cmocka_unit_test_setup(test_the_copy_fits_its_buffer, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
