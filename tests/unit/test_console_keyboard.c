/*
 * tests/unit/test_console_keyboard.c — host tests for the console's key
 * history to text mapping (apps/console/keyboard.c).
 *
 * A fake struct fomos_input is fed edges the way drivers/input/input.c records them
 * (count first, then the slot; key states alongside). Checked: every
 * printable ASCII character typed the way tools/qmp.py types it (shift
 * held around the key) comes back as itself, from an independent US-layout
 * table; caps lock; editing and scrolling keys; ctrl commands; events
 * that arrive before the console existed; more than 64 events between two
 * polls; the history count going backwards; software key repeat timing;
 * and the output limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "apps/console/keyboard.h"

#define K_LSHIFT   42
#define K_RSHIFT   54
#define K_LCTRL	   29
#define K_CAPSLOCK 58
#define K_ENTER	   28
#define K_KPENTER  96
#define K_BS	   14
#define K_UP	   103
#define K_DOWN	   108
#define K_LEFT	   105
#define K_PGUP	   104
#define K_PGDN	   109
#define K_HOME	   102
#define K_END	   107
#define K_DELETE   111
#define K_ESC	   1
#define K_A	   30
#define K_C	   46
#define K_L	   38
#define K_V	   47
#define K_X	   45

/* The US layout, written independently of keyboard.c: for each evdev code
 * of a printable key, its unshifted and shifted character. */
static const struct {
	uint16_t code;
	char plain, shifted;
} us_keys[] = {
    {2, '1', '!'},  {3, '2', '@'},   {4, '3', '#'},  {5, '4', '$'},  {6, '5', '%'},
    {7, '6', '^'},  {8, '7', '&'},   {9, '8', '*'},  {10, '9', '('}, {11, '0', ')'},
    {12, '-', '_'}, {13, '=', '+'},  {16, 'q', 'Q'}, {17, 'w', 'W'}, {18, 'e', 'E'},
    {19, 'r', 'R'}, {20, 't', 'T'},  {21, 'y', 'Y'}, {22, 'u', 'U'}, {23, 'i', 'I'},
    {24, 'o', 'O'}, {25, 'p', 'P'},  {26, '[', '{'}, {27, ']', '}'}, {30, 'a', 'A'},
    {31, 's', 'S'}, {32, 'd', 'D'},  {33, 'f', 'F'}, {34, 'g', 'G'}, {35, 'h', 'H'},
    {36, 'j', 'J'}, {37, 'k', 'K'},  {38, 'l', 'L'}, {39, ';', ':'}, {40, '\'', '"'},
    {41, '`', '~'}, {43, '\\', '|'}, {44, 'z', 'Z'}, {45, 'x', 'X'}, {46, 'c', 'C'},
    {47, 'v', 'V'}, {48, 'b', 'B'},  {49, 'n', 'N'}, {50, 'm', 'M'}, {51, ',', '<'},
    {52, '.', '>'}, {53, '/', '?'},  {57, ' ', ' '},
};

#define NKEYS (sizeof(us_keys) / sizeof(us_keys[0]))

static struct fomos_input in;
static struct kbd kb;
static struct kbd_event ev[KBD_MAX_EVENTS];

static int setup(void **state)
{
	(void)state;
	memset(&in, 0, sizeof(in));
	kbd_init(&kb, &in);
	return 0;
}

/* Records one edge as drivers/input/input.c does. */
static void edge(size_t code, bool down)
{
	in.history_last_index++;
	in.history[in.history_last_index % FOMOS_INPUT_HISTORY] =
	    (struct fomos_key_event){.trigger = down, .key = code};
	in.keys[code] = down ? FOMOS_KEY_ON_FROM_OFF : FOMOS_KEY_OFF_FROM_ON;
}

static void tap(size_t code)
{
	edge(code, true);
	edge(code, false);
}

/* Types ch like tools/qmp.py type_text: shift down around the key. */
static void type_char(char ch)
{
	for (size_t i = 0; i < NKEYS; i++) {
		bool shift = us_keys[i].shifted == ch && us_keys[i].plain != ch;

		if (us_keys[i].plain == ch || shift) {
			if (shift) {
				edge(K_LSHIFT, true);
			}
			tap(us_keys[i].code);
			if (shift) {
				edge(K_LSHIFT, false);
			}
			return;
		}
	}
	fail_msg("no key types '%c'", ch);
}

/* Polls and collects the KBD_CHAR events as a string. */
static size_t poll_text(uint64_t now, char *out, size_t cap)
{
	size_t n = kbd_poll(&kb, &in, now, ev, KBD_MAX_EVENTS);
	size_t len = 0;

	for (size_t i = 0; i < n && len + 1 < cap; i++) {
		assert_int_equal(ev[i].kind, KBD_CHAR);
		out[len++] = ev[i].ch;
	}
	out[len] = '\0';
	return len;
}

static void test_every_printable_character(void **state)
{
	char got[64];

	(void)state;
	/* A few characters per poll: 3 edges each (5 with shift) < 64. */
	for (int c = ' '; c <= '~'; c += 8) {
		char want[9];
		size_t n = 0;

		for (int d = c; d <= '~' && d < c + 8; d++) {
			type_char((char)d);
			want[n++] = (char)d;
		}
		want[n] = '\0';
		poll_text(0, got, sizeof(got));
		assert_string_equal(got, want);
	}
}

static void test_right_shift_and_caps_lock(void **state)
{
	char got[16];

	(void)state;
	edge(K_RSHIFT, true);
	tap(K_A);
	tap(2);
	edge(K_RSHIFT, false);
	tap(K_A);
	tap(K_CAPSLOCK);
	tap(K_A);
	tap(2); /* caps lock does not shift digits */
	edge(K_LSHIFT, true);
	tap(K_A); /* shift under caps lock gives lower case */
	edge(K_LSHIFT, false);
	tap(K_CAPSLOCK);
	tap(K_A);
	poll_text(0, got, sizeof(got));
	assert_string_equal(got, "A!aA1aa");
}

static void expect_kinds(const uint8_t *want, size_t n)
{
	size_t got = kbd_poll(&kb, &in, 0, ev, KBD_MAX_EVENTS);

	assert_int_equal(got, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ev[i].kind, want[i]);
	}
}

static void test_editing_keys(void **state)
{
	static const uint8_t want[] = {
	    KBD_ENTER,	     KBD_ENTER,	  KBD_BACKSPACE,  KBD_DELETE,	    KBD_LEFT,
	    KBD_HOME,	     KBD_END,	  KBD_HISTORY_UP, KBD_HISTORY_DOWN, KBD_SCROLL_UP,
	    KBD_SCROLL_DOWN, KBD_PAGE_UP, KBD_PAGE_DOWN,  KBD_WHEEL_UP,	    KBD_WHEEL_DOWN,
	};

	(void)state;
	tap(K_ENTER);
	tap(K_KPENTER);
	tap(K_BS);
	tap(K_DELETE);
	tap(K_LEFT);
	tap(K_HOME);
	tap(K_END);
	tap(K_UP);
	tap(K_DOWN);
	edge(K_LSHIFT, true);
	tap(K_UP);
	tap(K_DOWN);
	edge(K_LSHIFT, false);
	tap(K_PGUP);
	tap(K_PGDN);
	tap(FOMOS_BTN_WHEEL_UP); /* a wheel notch: a press and a release */
	tap(FOMOS_BTN_WHEEL_DOWN);
	tap(K_ESC); /* no meaning: nothing */
	expect_kinds(want, sizeof(want));
}

static void test_ctrl_commands(void **state)
{
	static const uint8_t want[] = {KBD_CANCEL, KBD_CLEAR, KBD_HOME, KBD_CHAR};

	(void)state;
	edge(K_LCTRL, true);
	tap(K_C);
	tap(K_L);
	tap(K_X); /* ignored */
	tap(K_A);
	edge(K_LCTRL, false);
	tap(K_C);
	expect_kinds(want, sizeof(want));
	assert_int_equal(ev[3].ch, 'c');
}

/* ctrl+shift+C and V are the clipboard's; ctrl+C alone still cancels. */
static void test_ctrl_shift_copy_and_paste(void **state)
{
	static const uint8_t want[] = {KBD_COPY, KBD_PASTE, KBD_CANCEL};

	(void)state;
	edge(K_LCTRL, true);
	edge(K_RSHIFT, true);
	tap(K_C);
	tap(K_V);
	edge(K_RSHIFT, false);
	tap(K_C);
	edge(K_LCTRL, false);
	expect_kinds(want, sizeof(want));
}

static void test_events_before_init_are_ignored(void **state)
{
	char got[8];

	(void)state;
	tap(K_A);
	edge(K_LSHIFT, true); /* still held when the console starts */
	kbd_init(&kb, &in);
	assert_int_equal(kbd_poll(&kb, &in, 0, ev, KBD_MAX_EVENTS), 0);
	tap(K_A);
	poll_text(0, got, sizeof(got));
	assert_string_equal(got, "A");
}

static void test_lost_events(void **state)
{
	char got[80];
	size_t n;

	(void)state;
	edge(K_LSHIFT, true);
	for (int i = 0; i < 50; i++) {
		tap(K_A); /* 100 edges: the first 36 fall out of the ring */
	}
	n = poll_text(0, got, sizeof(got));
	assert_int_equal(kb.lost, 37);
	assert_int_equal(n, 32);
	assert_int_equal(got[0], 'A'); /* shift resynchronised from keys[] */
	edge(K_LSHIFT, false);
	tap(K_A);
	poll_text(0, got, sizeof(got));
	assert_string_equal(got, "a");
}

static void test_count_going_backwards(void **state)
{
	char got[8];

	(void)state;
	tap(K_A);
	poll_text(0, got, sizeof(got));
	in.history_last_index = 0;
	assert_int_equal(kbd_poll(&kb, &in, 0, ev, KBD_MAX_EVENTS), 0);
	tap(K_A);
	poll_text(0, got, sizeof(got));
	assert_string_equal(got, "a");
}

static void test_key_repeat(void **state)
{
	char got[16];

	(void)state;
	edge(K_A, true);
	assert_int_equal(poll_text(1000, got, sizeof(got)), 1);
	assert_int_equal(poll_text(1000 + KBD_REPEAT_DELAY_MS - 1, got, sizeof(got)), 0);
	assert_int_equal(poll_text(1000 + KBD_REPEAT_DELAY_MS, got, sizeof(got)), 1);
	assert_int_equal(poll_text(1000 + KBD_REPEAT_DELAY_MS + 1, got, sizeof(got)), 0);
	assert_int_equal(
	    poll_text(1000 + KBD_REPEAT_DELAY_MS + 3 * KBD_REPEAT_INTERVAL_MS, got, sizeof(got)),
	    3);
	/* A long stall: one burst, then the backlog is dropped. */
	assert_int_equal(poll_text(100000, got, sizeof(got)), KBD_REPEAT_BURST);
	assert_int_equal(poll_text(100001, got, sizeof(got)), 0);
	assert_int_equal(poll_text(100000 + KBD_REPEAT_INTERVAL_MS, got, sizeof(got)), 1);
	/* Shift pressed while held: the repeats follow it. */
	edge(K_LSHIFT, true);
	assert_int_equal(poll_text(100000 + 2 * KBD_REPEAT_INTERVAL_MS, got, sizeof(got)), 1);
	assert_string_equal(got, "A");
	edge(K_A, false);
	assert_int_equal(poll_text(200000, got, sizeof(got)), 0);
}

static void test_repeat_stops_on_other_key_and_enter(void **state)
{
	char got[16];

	(void)state;
	edge(K_A, true);
	edge(46, true); /* c, while a is still held: c repeats now */
	assert_int_equal(poll_text(0, got, sizeof(got)), 2);
	assert_int_equal(poll_text(KBD_REPEAT_DELAY_MS, got, sizeof(got)), 1);
	assert_string_equal(got, "c");
	edge(46, false);
	assert_int_equal(poll_text(2 * KBD_REPEAT_DELAY_MS, got, sizeof(got)), 0);
	edge(K_A, false);
	edge(K_ENTER, true);
	assert_int_equal(kbd_poll(&kb, &in, 0, ev, KBD_MAX_EVENTS), 1);
	assert_int_equal(kbd_poll(&kb, &in, 10 * KBD_REPEAT_DELAY_MS, ev, KBD_MAX_EVENTS), 0);
}

static void test_output_limit(void **state)
{
	(void)state;
	for (int i = 0; i < 10; i++) {
		tap(K_A);
	}
	assert_int_equal(kbd_poll(&kb, &in, 0, ev, 3), 3);
	assert_int_equal(kbd_poll(&kb, &in, 0, ev, 3), 0); /* the rest were dropped */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_every_printable_character, setup),
	    cmocka_unit_test_setup(test_right_shift_and_caps_lock, setup),
	    cmocka_unit_test_setup(test_editing_keys, setup),
	    cmocka_unit_test_setup(test_ctrl_commands, setup),
	    cmocka_unit_test_setup(test_ctrl_shift_copy_and_paste, setup),
	    cmocka_unit_test_setup(test_events_before_init_are_ignored, setup),
	    cmocka_unit_test_setup(test_lost_events, setup),
	    cmocka_unit_test_setup(test_count_going_backwards, setup),
	    cmocka_unit_test_setup(test_key_repeat, setup),
	    cmocka_unit_test_setup(test_repeat_stops_on_other_key_and_enter, setup),
	    cmocka_unit_test_setup(test_output_limit, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
