/*
 * Host tests of the app ABI's layout (include/fomos.h, docs/design.md §2).
 *
 * The header pins every offset with _Static_assert, so a wrong layout does
 * not even compile; these tests restate the table of §2 at run time (one
 * failing line names the field) and check that the frozen oldest context
 * an old app is built against (apps/old_context/fomos_v0.h) is a prefix of
 * today's: the same bytes mean the same things.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Both headers declare the app's _start, each with its own context type. */
#define _start old_app_start
#include "apps/old_context/fomos_v0.h"
#undef _start
#include "include/fomos.h"

static void context_matches_the_design_table(void **state)
{
	(void)state;
	assert_int_equal(offsetof(struct fomos_context, version), 0);
	assert_int_equal(offsetof(struct fomos_context, start_time), 8);
	assert_int_equal(offsetof(struct fomos_context, log), 16);
	assert_int_equal(offsetof(struct fomos_context, pid), 24);
	assert_int_equal(offsetof(struct fomos_context, fb.pixels), 32);
	assert_int_equal(offsetof(struct fomos_context, fb.len), 40);
	assert_int_equal(offsetof(struct fomos_context, fb.w), 48);
	assert_int_equal(offsetof(struct fomos_context, fb.h), 56);
	assert_int_equal(offsetof(struct fomos_context, calloc), 64);
	assert_int_equal(offsetof(struct fomos_context, cdalloc), 72);
	assert_int_equal(offsetof(struct fomos_context, store), 80);
	assert_int_equal(offsetof(struct fomos_context, input), 88);
	assert_int_equal(offsetof(struct fomos_context, time_ns), 96);
}

static void input_matches_the_design_table(void **state)
{
	(void)state;
	assert_int_equal(offsetof(struct fomos_input, mouse_x), 0);
	assert_int_equal(offsetof(struct fomos_input, mouse_y), 8);
	assert_int_equal(offsetof(struct fomos_input, keys), 16);
	assert_int_equal(offsetof(struct fomos_input, history_last_index), 1040);
	assert_int_equal(offsetof(struct fomos_input, history), 1048);
	assert_int_equal(sizeof(struct fomos_key_event), 16);
	assert_int_equal(sizeof(struct fomos_input), 2072);
	assert_int_equal(FOMOS_KEY_OFF, 0);
	assert_int_equal(FOMOS_KEY_OFF_FROM_ON, 1);
	assert_int_equal(FOMOS_KEY_OFF_TRANSIENT_ON, 2);
	assert_int_equal(FOMOS_KEY_ON_FROM_OFF, 128);
	assert_int_equal(FOMOS_KEY_ON_TRANSIENT_OFF, 129);
	assert_int_equal(FOMOS_KEY_ON, 130);
}

static void oldest_context_is_a_prefix(void **state)
{
	(void)state;
	assert_int_equal(offsetof(struct fomos_v0_context, version),
			 offsetof(struct fomos_context, version));
	assert_int_equal(offsetof(struct fomos_v0_context, start_time),
			 offsetof(struct fomos_context, start_time));
	assert_int_equal(offsetof(struct fomos_v0_context, log),
			 offsetof(struct fomos_context, log));
	assert_int_equal(offsetof(struct fomos_v0_context, pid),
			 offsetof(struct fomos_context, pid));
	assert_int_equal(offsetof(struct fomos_v0_context, fb), offsetof(struct fomos_context, fb));
	assert_true(sizeof(struct fomos_v0_context) <= offsetof(struct fomos_context, calloc));
}

static void return_values_are_distinct(void **state)
{
	(void)state;
	assert_int_equal(FOMOS_CONTINUE, 0);
	assert_int_equal(FOMOS_EXIT, 1);
	assert_int_equal(FOMOS_SLEEP_MS(250) & ~0xffffff, FOMOS_SLEEP_FLAG);
	assert_int_equal(FOMOS_SLEEP_MS(250) & 0xffffff, 250);
	assert_true(FOMOS_SLEEP_MS(1) > FOMOS_EXIT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(context_matches_the_design_table),
	    cmocka_unit_test(input_matches_the_design_table),
	    cmocka_unit_test(oldest_context_is_a_prefix),
	    cmocka_unit_test(return_values_are_distinct),
	};
	return cmocka_run_group_tests_name("abi", tests, NULL, NULL);
}
