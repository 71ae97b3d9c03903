/*
 * Host tests for runtime/input_view.c: what of the system's input reaches
 * one app's view — keys only with the focus, buttons and the wheel only
 * under the pointer, the pointer relative to a window and clamped into it,
 * and a history of the view's own in which no event the view was not
 * given ever appears, also after focus comes back or the ring wraps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/input_view.h"

static struct fomos_input sys;

static void event(size_t key, bool down)
{
	sys.history_last_index++;
	sys.history[sys.history_last_index % FOMOS_INPUT_HISTORY] =
	    (struct fomos_key_event){.trigger = down, .key = key};
	sys.keys[key] = down ? FOMOS_KEY_ON_FROM_OFF : FOMOS_KEY_OFF_FROM_ON;
}

static void reset(void)
{
	memset(&sys, 0, sizeof(sys));
}

/* A view that starts now (its first build, with nothing to deliver). */
static void start(struct input_view *v)
{
	struct fomos_input out;
	struct input_view_rule none = {0};
	input_view_start(v);
	input_view_build(v, &sys, &none, &out);
}

static void test_keys_follow_the_focus(void **state)
{
	(void)state;
	reset();
	struct input_view a, b;
	struct fomos_input out;
	struct input_view_rule focused = {.keys = true, .buttons = true};
	struct input_view_rule other = {.keys = false, .buttons = false};
	event(FOMOS_KEY_A, true); /* before the views began: for neither */
	start(&a);
	start(&b);
	event(FOMOS_KEY_E, true);
	event(FOMOS_KEY_E, false);
	input_view_build(&a, &sys, &focused, &out);
	assert_int_equal(out.history_last_index, 2);
	assert_int_equal(out.history[1].key, FOMOS_KEY_E);
	assert_true(out.history[1].trigger);
	assert_false(out.history[2].trigger);
	input_view_build(&b, &sys, &other, &out);
	assert_int_equal(out.history_last_index, 0);
	assert_int_equal(out.keys[FOMOS_KEY_E], FOMOS_KEY_OFF);
	assert_int_equal(out.keys[FOMOS_KEY_A], FOMOS_KEY_OFF);

	/* The focus moves to b: it sees what comes now, never what a got. */
	event(FOMOS_KEY_X, true);
	input_view_build(&a, &sys, &other, &out);
	assert_int_equal(out.history_last_index, 2);
	input_view_build(&b, &sys, &focused, &out);
	assert_int_equal(out.history_last_index, 1);
	assert_int_equal(out.history[1].key, FOMOS_KEY_X);
	assert_int_equal(out.keys[FOMOS_KEY_X], FOMOS_KEY_ON_FROM_OFF);
}

/* A key pressed with the focus is released where it was pressed, after the focus moved. */
static void test_release_follows_the_press(void **state)
{
	(void)state;
	reset();
	struct input_view a;
	struct fomos_input out;
	start(&a);
	struct input_view_rule focused = {.keys = true}, other = {0};
	event(FOMOS_KEY_LEFTCTRL, true);
	input_view_build(&a, &sys, &focused, &out);
	event(FOMOS_KEY_LEFTCTRL, false); /* after the focus went elsewhere */
	event(FOMOS_KEY_Q, true);	  /* typed into the other window: not for a */
	event(FOMOS_KEY_Q, false);
	input_view_build(&a, &sys, &other, &out);
	assert_int_equal(out.history_last_index, 2);
	assert_int_equal(out.history[2].key, FOMOS_KEY_LEFTCTRL);
	assert_false(out.history[2].trigger);
}

static void test_buttons_and_wheel_follow_the_pointer(void **state)
{
	(void)state;
	reset();
	struct input_view v;
	struct fomos_input out;
	start(&v);
	struct input_view_rule keys_only = {.keys = true, .buttons = false};
	event(FOMOS_BTN_LEFT, true);
	event(FOMOS_BTN_WHEEL_UP, true);
	event(FOMOS_KEY_Q, true);
	input_view_build(&v, &sys, &keys_only, &out);
	assert_int_equal(out.history_last_index, 1);
	assert_int_equal(out.history[1].key, FOMOS_KEY_Q);
	assert_int_equal(out.keys[FOMOS_BTN_LEFT], FOMOS_KEY_OFF);
	assert_int_equal(out.keys[FOMOS_KEY_Q], FOMOS_KEY_ON_FROM_OFF);
	assert_true(input_view_is_pointer_code(FOMOS_BTN_RIGHT));
	assert_false(input_view_is_pointer_code(FOMOS_KEY_ENTER));
}

static void test_pointer_relative_and_clamped(void **state)
{
	(void)state;
	reset();
	struct input_view v;
	struct fomos_input out;
	start(&v);
	struct input_view_rule win = {.x = 100, .y = 50, .w = 200, .h = 100};
	sys.mouse_x = 150;
	sys.mouse_y = 60;
	input_view_build(&v, &sys, &win, &out);
	assert_int_equal(out.mouse_x, 50);
	assert_int_equal(out.mouse_y, 10);
	sys.mouse_x = 10;
	sys.mouse_y = 900;
	input_view_build(&v, &sys, &win, &out);
	assert_int_equal(out.mouse_x, 0);
	assert_int_equal(out.mouse_y, 99);
	struct input_view_rule screen = {.keys = true};
	input_view_build(&v, &sys, &screen, &out);
	assert_int_equal(out.mouse_x, 10);
	assert_int_equal(out.mouse_y, 900);
}

/* More than 64 events between two frames: the oldest are gone, the count is exact. */
static void test_many_events_and_wrap(void **state)
{
	(void)state;
	reset();
	struct input_view v;
	struct fomos_input out;
	struct input_view_rule all = {.keys = true, .buttons = true};
	start(&v);
	for (size_t i = 0; i < 100; i++) {
		event(FOMOS_KEY_1 + i % 9, i % 2 == 0);
	}
	input_view_build(&v, &sys, &all, &out);
	assert_int_equal(out.history_last_index, 64);
	size_t newest = out.history_last_index % FOMOS_INPUT_HISTORY;
	assert_int_equal(out.history[newest].key, FOMOS_KEY_1 + 99 % 9);
	for (size_t i = 0; i < 70; i++) {
		event(FOMOS_KEY_0, i % 2 == 0);
		input_view_build(&v, &sys, &all, &out);
	}
	assert_int_equal(out.history_last_index, 134);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keys_follow_the_focus),
	    cmocka_unit_test(test_release_follows_the_press),
	    cmocka_unit_test(test_buttons_and_wheel_follow_the_pointer),
	    cmocka_unit_test(test_pointer_relative_and_clamped),
	    cmocka_unit_test(test_many_events_and_wrap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
