/*
 * tests/unit/test_input.c — host tests for drivers/input/input.c and the input part of
 * include/fomos.h.
 *
 * Key states are checked three ways: a hand-written table of event
 * sequences (within a frame and across frames) with the expected value;
 * every sequence of up to 11 presses, releases and frame steps against an
 * independent model (was down at the step / is down / changed since); and,
 * for the sequences the original Fomos handles exactly (at most two real
 * changes per frame, no repeats), against a transcription of the original's
 * transition table. Also: many keys at once against the model, the history
 * ring (first index, wrap, thousands of wraps), pointer clamping at every
 * edge, absolute scaling, out-of-range codes, and an "app" reading a
 * snapshot, and hand-laid bytes, through a const struct fomos_input *.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/input-event-codes.h>

#include "drivers/input/input.h"
#include "drivers/input/input_core.h"
#include "include/fomos.h"

/* The few evdev codes the header names must be Linux's. */
_Static_assert(FOMOS_KEY_ESC == KEY_ESC && FOMOS_KEY_1 == KEY_1 && FOMOS_KEY_0 == KEY_0, "evdev");
_Static_assert(FOMOS_KEY_BACKSPACE == KEY_BACKSPACE && FOMOS_KEY_TAB == KEY_TAB, "evdev");
_Static_assert(FOMOS_KEY_Q == KEY_Q && FOMOS_KEY_W == KEY_W && FOMOS_KEY_E == KEY_E, "evdev");
_Static_assert(FOMOS_KEY_R == KEY_R && FOMOS_KEY_T == KEY_T && FOMOS_KEY_Y == KEY_Y, "evdev");
_Static_assert(FOMOS_KEY_U == KEY_U && FOMOS_KEY_I == KEY_I && FOMOS_KEY_O == KEY_O, "evdev");
_Static_assert(FOMOS_KEY_P == KEY_P && FOMOS_KEY_A == KEY_A && FOMOS_KEY_S == KEY_S, "evdev");
_Static_assert(FOMOS_KEY_D == KEY_D && FOMOS_KEY_F == KEY_F && FOMOS_KEY_G == KEY_G, "evdev");
_Static_assert(FOMOS_KEY_H == KEY_H && FOMOS_KEY_J == KEY_J && FOMOS_KEY_K == KEY_K, "evdev");
_Static_assert(FOMOS_KEY_L == KEY_L && FOMOS_KEY_Z == KEY_Z && FOMOS_KEY_X == KEY_X, "evdev");
_Static_assert(FOMOS_KEY_C == KEY_C && FOMOS_KEY_V == KEY_V && FOMOS_KEY_B == KEY_B, "evdev");
_Static_assert(FOMOS_KEY_N == KEY_N && FOMOS_KEY_M == KEY_M && FOMOS_KEY_ENTER == KEY_ENTER,
	       "evdev");
_Static_assert(FOMOS_KEY_LEFTCTRL == KEY_LEFTCTRL && FOMOS_KEY_LEFTALT == KEY_LEFTALT, "evdev");
_Static_assert(FOMOS_KEY_LEFTSHIFT == KEY_LEFTSHIFT && FOMOS_KEY_RIGHTSHIFT == KEY_RIGHTSHIFT,
	       "evdev");
_Static_assert(FOMOS_KEY_SPACE == KEY_SPACE && FOMOS_KEY_UP == KEY_UP && FOMOS_KEY_DOWN == KEY_DOWN,
	       "evdev");
_Static_assert(FOMOS_KEY_LEFT == KEY_LEFT && FOMOS_KEY_RIGHT == KEY_RIGHT, "evdev");
_Static_assert(FOMOS_BTN_LEFT == BTN_LEFT && FOMOS_BTN_RIGHT == BTN_RIGHT, "evdev");
_Static_assert(FOMOS_BTN_MIDDLE == BTN_MIDDLE, "evdev");

#define W 1280
#define H 800

/* ---------------------------------------------------------- helpers ---- */

static struct input_state *new_state(uint32_t w, uint32_t h)
{
	struct input_state *s = malloc(sizeof(*s));

	assert_non_null(s);
	memset(s, 0xa5, sizeof(*s)); /* input_init must not rely on zeroed memory */
	input_init(s, w, h);
	return s;
}

/* Applies "P" (press), "R" (release), "|" (frame step) to key `code`. */
static void apply(struct input_state *s, uint16_t code, const char *seq)
{
	for (const char *c = seq; *c != '\0'; c++) {
		if (*c == 'P') {
			input_key(s, code, true);
		} else if (*c == 'R') {
			input_key(s, code, false);
		} else {
			input_step_frame(s);
		}
	}
}

/* The model: the three facts a state encodes, and their encoding. */
struct model_key {
	bool was;
	bool now;
	bool changed;
};

static uint8_t model_state(struct model_key k)
{
	if (!k.changed) {
		return k.now ? FOMOS_KEY_ON : FOMOS_KEY_OFF;
	}
	if (k.now) {
		return k.was ? FOMOS_KEY_ON_TRANSIENT_OFF : FOMOS_KEY_ON_FROM_OFF;
	}
	return k.was ? FOMOS_KEY_OFF_FROM_ON : FOMOS_KEY_OFF_TRANSIENT_ON;
}

/* Returns true when the event is a real change (one history entry). */
static bool model_event(struct model_key *k, bool down)
{
	if (k->now == down) {
		return false;
	}
	k->now = down;
	k->changed = true;
	return true;
}

static void model_step(struct model_key *k)
{
	k->was = k->now;
	k->changed = false;
}

/* The original Fomos (globals.rs, KeyState): every event goes through this. */
static uint8_t original_event(uint8_t cur, bool b)
{
	if (cur == FOMOS_KEY_OFF && b) {
		return FOMOS_KEY_ON_FROM_OFF;
	}
	if (cur == FOMOS_KEY_ON && !b) {
		return FOMOS_KEY_OFF_FROM_ON;
	}
	if (cur == FOMOS_KEY_OFF_FROM_ON && b) {
		return FOMOS_KEY_ON_TRANSIENT_OFF;
	}
	if (cur == FOMOS_KEY_ON_FROM_OFF && !b) {
		return FOMOS_KEY_OFF_TRANSIENT_ON;
	}
	return b ? FOMOS_KEY_ON : FOMOS_KEY_OFF;
}

static uint8_t original_step(uint8_t cur)
{
	if (cur == FOMOS_KEY_OFF_TRANSIENT_ON || cur == FOMOS_KEY_OFF_FROM_ON) {
		return FOMOS_KEY_OFF;
	}
	if (cur == FOMOS_KEY_ON_FROM_OFF || cur == FOMOS_KEY_ON_TRANSIENT_OFF) {
		return FOMOS_KEY_ON;
	}
	return cur;
}

/* The changed-list invariant of drivers/input/input.h, checked over all 1024 keys. */
static void check_changed_list(const struct input_state *s)
{
	uint8_t listed[FOMOS_INPUT_KEYS] = {0};

	assert_true(s->changed_count <= FOMOS_INPUT_KEYS);
	for (uint32_t i = 0; i < s->changed_count; i++) {
		assert_true(s->changed[i] < FOMOS_INPUT_KEYS);
		assert_int_equal(listed[s->changed[i]], 0);
		listed[s->changed[i]] = 1;
	}
	for (unsigned c = 0; c < FOMOS_INPUT_KEYS; c++) {
		uint8_t k = s->live.keys[c];
		bool stable = k == FOMOS_KEY_OFF || k == FOMOS_KEY_ON;

		assert_int_equal(listed[c], !stable);
	}
}

/* ------------------------------------------------------- key states ---- */

struct seq_case {
	const char *seq;
	uint8_t want;
	size_t events; /* history entries the sequence adds */
};

static const struct seq_case seq_cases[] = {
    {"", FOMOS_KEY_OFF, 0},
    {"|", FOMOS_KEY_OFF, 0},
    {"P", FOMOS_KEY_ON_FROM_OFF, 1},
    {"P|", FOMOS_KEY_ON, 1},
    {"P||", FOMOS_KEY_ON, 1},
    {"PR", FOMOS_KEY_OFF_TRANSIENT_ON, 2}, /* click within one frame */
    {"PR|", FOMOS_KEY_OFF, 2},
    {"P|R", FOMOS_KEY_OFF_FROM_ON, 2},
    {"P|R|", FOMOS_KEY_OFF, 2},
    {"P|RP", FOMOS_KEY_ON_TRANSIENT_OFF, 3}, /* release+press within one frame */
    {"P|RP|", FOMOS_KEY_ON, 3},
    {"P|R|P", FOMOS_KEY_ON_FROM_OFF, 3},
    {"PR|P", FOMOS_KEY_ON_FROM_OFF, 3},
    {"P|RP|R", FOMOS_KEY_OFF_FROM_ON, 4},
    /* Autorepeat and redundant reports: no transition, no history. */
    {"R", FOMOS_KEY_OFF, 0},
    {"PP", FOMOS_KEY_ON_FROM_OFF, 1},
    {"PPPP", FOMOS_KEY_ON_FROM_OFF, 1},
    {"P|P", FOMOS_KEY_ON, 1},
    {"P|PPP|P", FOMOS_KEY_ON, 1},
    {"P|RR", FOMOS_KEY_OFF_FROM_ON, 2},
    {"PRR", FOMOS_KEY_OFF_TRANSIENT_ON, 2},
    {"PPRR", FOMOS_KEY_OFF_TRANSIENT_ON, 2},
    {"P|RPP", FOMOS_KEY_ON_TRANSIENT_OFF, 3},
    /* Three or more changes in a frame (the original says On / Off / ...). */
    {"PRP", FOMOS_KEY_ON_FROM_OFF, 3},
    {"PRPR", FOMOS_KEY_OFF_TRANSIENT_ON, 4},
    {"PRPRP", FOMOS_KEY_ON_FROM_OFF, 5},
    {"P|RPR", FOMOS_KEY_OFF_FROM_ON, 4},
    {"P|RPRP", FOMOS_KEY_ON_TRANSIENT_OFF, 5},
    {"PRP|", FOMOS_KEY_ON, 3},
    {"P|RPR|", FOMOS_KEY_OFF, 4},
};

static void test_transition_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(seq_cases) / sizeof(seq_cases[0]); i++) {
		const struct seq_case *tc = &seq_cases[i];
		struct input_state *s = new_state(W, H);

		apply(s, FOMOS_KEY_A, tc->seq);
		if (s->live.keys[FOMOS_KEY_A] != tc->want ||
		    s->live.history_last_index != tc->events) {
			print_error("\"%s\": state %u want %u, events %zu want %zu\n", tc->seq,
				    s->live.keys[FOMOS_KEY_A], tc->want, s->live.history_last_index,
				    tc->events);
			fail();
		}
		check_changed_list(s);
		free(s);
	}
}

/* Does seq (P/R/|) have at most two real changes per frame and no repeats? */
static bool original_is_exact(const char *seq)
{
	bool down = false;
	int in_frame = 0;

	for (const char *c = seq; *c != '\0'; c++) {
		if (*c == '|') {
			in_frame = 0;
			continue;
		}
		if ((*c == 'P') == down || ++in_frame > 2) {
			return false;
		}
		down = !down;
	}
	return true;
}

/* Runs seq on a fresh state, checking every step against model and original. */
static void check_sequence(struct input_state *s, const char *seq)
{
	struct model_key m = {false, false, false};
	uint8_t orig = FOMOS_KEY_OFF;
	size_t events = 0;
	bool exact = original_is_exact(seq);

	input_init(s, W, H);
	for (const char *c = seq; *c != '\0'; c++) {
		if (*c == '|') {
			input_step_frame(s);
			model_step(&m);
			orig = original_step(orig);
		} else {
			input_key(s, KEY_B, *c == 'P');
			events += model_event(&m, *c == 'P');
			orig = original_event(orig, *c == 'P');
		}
		uint8_t got = s->live.keys[KEY_B];

		if (got != model_state(m) || (exact && got != orig) ||
		    s->live.history_last_index != events ||
		    s->changed_count != (uint32_t)m.changed) {
			print_error("\"%s\" at %zu: got %u model %u original %u\n", seq,
				    (size_t)(c - seq), got, model_state(m), orig);
			fail();
		}
	}
}

/* Every sequence over {P, R, |} up to length 11 (265720 sequences). */
static void test_all_sequences(void **state)
{
	(void)state;
	struct input_state *s = new_state(W, H);
	char seq[12];
	static const char ops[3] = {'P', 'R', '|'};

	for (size_t len = 0; len < sizeof(seq); len++) {
		size_t total = 1;

		for (size_t i = 0; i < len; i++) {
			total *= 3;
		}
		for (size_t n = 0; n < total; n++) {
			size_t v = n;

			for (size_t i = 0; i < len; i++, v /= 3) {
				seq[i] = ops[v % 3];
			}
			seq[len] = '\0';
			check_sequence(s, seq);
		}
	}
	free(s);
}

/* Random events on many keys at once, whole keyboard checked at every step. */
static void test_many_keys_random(void **state)
{
	(void)state;
	struct input_state *s = new_state(W, H);
	static struct model_key m[FOMOS_INPUT_KEYS];
	size_t events = 0;

	memset(m, 0, sizeof(m));
	srand(12345);
	for (int frame = 0; frame < 2000; frame++) {
		int n = rand() % 40;

		for (int i = 0; i < n; i++) {
			/* Few distinct codes, so bursts on one key happen. */
			uint16_t code = (uint16_t)(rand() % 8 * 131 % FOMOS_INPUT_KEYS);
			bool down = rand() % 2;

			input_key(s, code, down);
			events += model_event(&m[code], down);
		}
		for (unsigned c = 0; c < FOMOS_INPUT_KEYS; c++) {
			assert_int_equal(s->live.keys[c], model_state(m[c]));
		}
		check_changed_list(s);
		assert_int_equal(s->live.history_last_index, events);
		input_step_frame(s);
		for (unsigned c = 0; c < FOMOS_INPUT_KEYS; c++) {
			model_step(&m[c]);
		}
		assert_int_equal(s->changed_count, 0);
	}
	free(s);
}

/* Every key changes in one frame: the changed list fills exactly. */
static void test_all_keys_one_frame(void **state)
{
	(void)state;
	struct input_state *s = new_state(W, H);

	for (unsigned c = 0; c < FOMOS_INPUT_KEYS; c++) {
		input_key(s, (uint16_t)c, true);
	}
	for (unsigned c = 0; c < FOMOS_INPUT_KEYS; c++) {
		input_key(s, (uint16_t)c, false);
	}
	assert_int_equal(s->changed_count, FOMOS_INPUT_KEYS);
	check_changed_list(s);
	for (unsigned c = 0; c < FOMOS_INPUT_KEYS; c++) {
		assert_int_equal(s->live.keys[c], FOMOS_KEY_OFF_TRANSIENT_ON);
	}
	input_step_frame(s);
	assert_int_equal(s->changed_count, 0);
	for (unsigned c = 0; c < FOMOS_INPUT_KEYS; c++) {
		assert_int_equal(s->live.keys[c], FOMOS_KEY_OFF);
	}
	assert_int_equal(s->live.history_last_index, 2 * FOMOS_INPUT_KEYS);
	free(s);
}

static void test_out_of_range_and_repeat_counters(void **state)
{
	(void)state;
	struct input_state *s = new_state(W, H);
	struct fomos_input before;

	input_snapshot(s, &before);
	input_key(s, FOMOS_INPUT_KEYS, true);
	input_key(s, FOMOS_INPUT_KEYS, false);
	input_key(s, 0xffff, true);
	assert_int_equal(s->ignored_events, 3);
	input_key(s, FOMOS_INPUT_KEYS - 1, true); /* the last valid code */
	input_key(s, FOMOS_INPUT_KEYS - 1, true);
	input_key(s, FOMOS_KEY_A, false);
	assert_int_equal(s->repeated_events, 2);
	assert_int_equal(s->ignored_events, 3);
	assert_int_equal(s->live.keys[FOMOS_INPUT_KEYS - 1], FOMOS_KEY_ON_FROM_OFF);
	assert_int_equal(s->live.history_last_index, 1);
	/* Nothing but that one key and its history entry changed. */
	before.keys[FOMOS_INPUT_KEYS - 1] = FOMOS_KEY_ON_FROM_OFF;
	before.history_last_index = 1;
	before.history[1].trigger = true;
	before.history[1].key = FOMOS_INPUT_KEYS - 1;
	assert_memory_equal(&before, &s->live, sizeof(before));
	free(s);
}

/* ---------------------------------------------------------- history ---- */

static void test_history_first_events(void **state)
{
	(void)state;
	struct input_state *s = new_state(W, H);
	struct fomos_input in;

	input_snapshot(s, &in);
	assert_int_equal(in.history_last_index, 0); /* no event yet */
	input_key(s, FOMOS_KEY_A, true);
	input_key(s, FOMOS_BTN_LEFT, true);
	input_key(s, FOMOS_KEY_A, false);
	input_snapshot(s, &in);
	assert_int_equal(in.history_last_index, 3);
	/* Slot 0 is untouched until the ring wraps; the first event is slot 1. */
	assert_false(in.history[0].trigger);
	assert_int_equal(in.history[0].key, 0);
	assert_true(in.history[1].trigger);
	assert_int_equal(in.history[1].key, FOMOS_KEY_A);
	assert_true(in.history[2].trigger);
	assert_int_equal(in.history[2].key, FOMOS_BTN_LEFT);
	assert_false(in.history[3].trigger);
	assert_int_equal(in.history[3].key, FOMOS_KEY_A);
	/* The bytes an original app reads: bool 1/0, zero padding. */
	const unsigned char *b = (const unsigned char *)&in.history[1];
	static const unsigned char want[16] = {1, 0, 0, 0, 0, 0, 0, 0, KEY_A, 0, 0, 0, 0, 0, 0, 0};

	assert_memory_equal(b, want, sizeof(want));
	assert_int_equal(((const unsigned char *)&in.history[3])[0], 0);
	free(s);
}

/* A wheel notch is a press and a release in the history; too many are clamped. */
static void test_wheel(void **state)
{
	(void)state;
	struct input_state *s = new_state(W, H);
	struct fomos_input in;

	input_wheel(s, 2);
	input_wheel(s, -1);
	input_wheel(s, 0);
	input_snapshot(s, &in);
	assert_int_equal(in.history_last_index, 6);
	static const struct {
		bool trigger;
		size_t key;
	} want[6] = {{true, FOMOS_BTN_WHEEL_UP},   {false, FOMOS_BTN_WHEEL_UP},
		     {true, FOMOS_BTN_WHEEL_UP},   {false, FOMOS_BTN_WHEEL_UP},
		     {true, FOMOS_BTN_WHEEL_DOWN}, {false, FOMOS_BTN_WHEEL_DOWN}};
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(in.history[i + 1].trigger, want[i].trigger);
		assert_int_equal(in.history[i + 1].key, want[i].key);
	}
	assert_int_equal(in.keys[FOMOS_BTN_WHEEL_UP], FOMOS_KEY_OFF_TRANSIENT_ON);
	assert_int_equal(in.keys[FOMOS_BTN_WHEEL_DOWN], FOMOS_KEY_OFF_TRANSIENT_ON);
	input_step_frame(s);
	input_wheel(s, -1000);
	input_snapshot(s, &in);
	assert_int_equal(in.history_last_index, 6 + 2 * INPUT_WHEEL_MAX_STEPS);
	input_key(s, FOMOS_BTN_WHEEL_DOWN, false); /* QEMU's own release after a notch */
	input_snapshot(s, &in);
	assert_int_equal(in.history_last_index, 6 + 2 * INPUT_WHEEL_MAX_STEPS);
	free(s);
}

/* Event number n (1-based) of the wrap test: alternating press/release of
 * a key that depends on n, so every slot's content is predictable. */
static uint16_t wrap_code(size_t n)
{
	return (uint16_t)(((n + 1) / 2) % 500);
}

static void test_history_wraps(void **state)
{
	(void)state;
	struct input_state *s = new_state(W, H);
	struct fomos_input in;
	const size_t checkpoints[] = {63, 64, 65, 127, 128, 129, 64 * 1000 + 7, 64 * 5000};
	size_t n = 0;

	for (size_t cp = 0; cp < sizeof(checkpoints) / sizeof(checkpoints[0]); cp++) {
		while (n < checkpoints[cp]) {
			n++;
			input_key(s, wrap_code(n), n % 2 == 1);
			if (n % 2 == 0) {
				input_step_frame(s);
			}
		}
		input_snapshot(s, &in);
		assert_int_equal(in.history_last_index, n);
		/* The newest 64 events, newest first. */
		for (size_t back = 0; back < FOMOS_INPUT_HISTORY && back < n; back++) {
			size_t e = n - back;
			const struct fomos_key_event *ev = &in.history[e % FOMOS_INPUT_HISTORY];

			assert_int_equal(ev->key, wrap_code(e));
			assert_int_equal(ev->trigger, e % 2 == 1);
		}
	}
	free(s);
}

/* An app that remembers the last index it handled sees each event once. */
static void test_history_reader(void **state)
{
	(void)state;
	struct input_state *s = new_state(W, H);
	struct fomos_input in;
	size_t seen = 0;
	size_t presses = 0;

	for (int frame = 0; frame < 1000; frame++) {
		for (int i = 0; i < frame % 7; i++) {
			input_key(s, FOMOS_KEY_SPACE, (s->live.history_last_index % 2) == 0);
		}
		input_snapshot(s, &in);
		assert_true(in.history_last_index - seen <= FOMOS_INPUT_HISTORY);
		for (size_t i = seen + 1; i <= in.history_last_index; i++) {
			presses += in.history[i % FOMOS_INPUT_HISTORY].trigger;
		}
		seen = in.history_last_index;
		input_step_frame(s);
	}
	assert_int_equal(presses, (seen + 1) / 2);
	free(s);
}

/* ---------------------------------------------------------- pointer ---- */

static void assert_mouse(const struct input_state *s, size_t x, size_t y)
{
	assert_int_equal(s->live.mouse_x, x);
	assert_int_equal(s->live.mouse_y, y);
}

static void test_mouse_relative_edges(void **state)
{
	(void)state;
	struct input_state *s = new_state(W, H);

	assert_mouse(s, W / 2, H / 2);
	input_mouse_move(s, -(W / 2), -(H / 2)); /* exactly to the top left */
	assert_mouse(s, 0, 0);
	input_mouse_move(s, -1, -1);
	assert_mouse(s, 0, 0);
	input_mouse_move(s, W - 1, H - 1); /* exactly to the bottom right */
	assert_mouse(s, W - 1, H - 1);
	input_mouse_move(s, 1, 1);
	assert_mouse(s, W - 1, H - 1);
	input_mouse_move(s, INT32_MAX, INT32_MIN); /* top right */
	assert_mouse(s, W - 1, 0);
	input_mouse_move(s, INT32_MIN, INT32_MAX); /* bottom left */
	assert_mouse(s, 0, H - 1);
	input_mouse_move(s, 5, -7);
	assert_mouse(s, 5, H - 8);
	input_mouse_move(s, 0, 0);
	assert_mouse(s, 5, H - 8);
	free(s);
}

static void test_mouse_degenerate_screens(void **state)
{
	(void)state;
	struct input_state *s = new_state(0, 0); /* treated as 1 x 1 */

	assert_int_equal(s->screen_w, 1);
	assert_int_equal(s->screen_h, 1);
	assert_mouse(s, 0, 0);
	input_mouse_move(s, 100, -100);
	assert_mouse(s, 0, 0);
	input_mouse_abs(s, 0x7fff, 0x7fff, 0x7fff, 0x7fff);
	assert_mouse(s, 0, 0);
	input_set_screen(s, 1, UINT32_MAX);
	input_mouse_move(s, INT32_MAX, INT32_MAX);
	assert_mouse(s, 0, INT32_MAX);
	input_mouse_abs(s, 7, UINT32_MAX, 9, UINT32_MAX);
	assert_mouse(s, 0, (size_t)UINT32_MAX - 1);
	free(s);
}

static void test_set_screen_reclamps(void **state)
{
	(void)state;
	struct input_state *s = new_state(W, H);

	input_mouse_move(s, W, H);
	assert_mouse(s, W - 1, H - 1);
	input_set_screen(s, 640, 480); /* smaller: clamped */
	assert_mouse(s, 639, 479);
	input_set_screen(s, 1920, 1080); /* larger: unchanged */
	assert_mouse(s, 639, 479);
	input_mouse_move(s, 10000, 10000);
	assert_mouse(s, 1919, 1079);
	input_set_screen(s, 1920, 100); /* one axis only */
	assert_mouse(s, 1919, 99);
	input_set_screen(s, 0, 0);
	assert_mouse(s, 0, 0);
	free(s);
}

static void test_mouse_absolute_scaling(void **state)
{
	(void)state;
	struct input_state *s = new_state(W, H);
	const uint32_t max = 0x7fff; /* QEMU's virtio tablet range */

	input_mouse_abs(s, 0, 0, max, max);
	assert_mouse(s, 0, 0);
	input_mouse_abs(s, max, max, max, max);
	assert_mouse(s, W - 1, H - 1);
	input_mouse_abs(s, max + 1, UINT32_MAX, max, max); /* beyond the range */
	assert_mouse(s, W - 1, H - 1);
	input_mouse_abs(s, max / 2, max / 4, max, max);
	assert_mouse(s, 639, 200);	/* 639.98 and 200.23, rounded */
	input_mouse_abs(s, 1, 1, 2, 4); /* half, quarter */
	assert_mouse(s, 640, 200);	/* 639.5 rounds up; 199.75 -> 200 */
	input_mouse_abs(s, 5, 5, 0, 0); /* no range: 0 */
	assert_mouse(s, 0, 0);
	input_mouse_abs(s, UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX);
	assert_mouse(s, W - 1, H - 1);
	input_mouse_abs(s, UINT32_MAX - 1, 1, UINT32_MAX, UINT32_MAX);
	assert_mouse(s, W - 1, 0);
	/* Monotonic, and every pixel column reachable from a 0..max device. */
	size_t last = 0;
	size_t hits = 0;

	for (uint32_t x = 0; x <= max; x++) {
		input_mouse_abs(s, x, 0, max, max);
		assert_true(s->live.mouse_x >= last && s->live.mouse_x <= last + 1);
		hits += s->live.mouse_x != last;
		last = s->live.mouse_x;
	}
	assert_int_equal(hits, W - 1);
	free(s);
}

/* --------------------------------------------------------- app view ---- */

/* What an app does: read input only through the ABI header. */
static int app_read(const struct fomos_input *in, size_t *x, size_t *y)
{
	*x = in->mouse_x;
	*y = in->mouse_y;
	int bits = 0;

	bits |= fomos_input_key_down(in, FOMOS_BTN_LEFT) << 0;
	bits |= (in->keys[FOMOS_BTN_LEFT] == FOMOS_KEY_ON_FROM_OFF) << 1;
	bits |= fomos_input_key_down(in, FOMOS_KEY_A) << 2;
	bits |= (in->keys[FOMOS_KEY_A] == FOMOS_KEY_OFF_FROM_ON) << 3;
	bits |= fomos_input_key_down(in, FOMOS_INPUT_KEYS) << 4; /* out of range: never */
	bits |= fomos_key_is_down(in->keys[FOMOS_KEY_SPACE]) << 5;
	return bits;
}

static void test_app_reads_snapshot(void **state)
{
	(void)state;
	struct input_state *s = new_state(W, H);
	struct fomos_input *frame = malloc(sizeof(*frame)); /* exact size for ASan */
	size_t x;
	size_t y;

	assert_non_null(frame);
	input_key(s, FOMOS_KEY_A, true);
	input_step_frame(s);
	input_key(s, FOMOS_KEY_A, false);
	input_key(s, FOMOS_BTN_LEFT, true);
	input_mouse_move(s, 3, -4);
	input_snapshot(s, frame);
	assert_int_equal(app_read(frame, &x, &y), 1 | 2 | 8);
	assert_int_equal(x, W / 2 + 3);
	assert_int_equal(y, H / 2 - 4);
	/* Later driver events and the frame step do not touch the snapshot. */
	input_step_frame(s);
	input_key(s, FOMOS_KEY_SPACE, true);
	input_mouse_move(s, 100, 100);
	assert_int_equal(app_read(frame, &x, &y), 1 | 2 | 8);
	assert_int_equal(x, W / 2 + 3);
	input_snapshot(s, frame);
	assert_int_equal(app_read(frame, &x, &y), 1 | 32);
	free(frame);
	free(s);
}

static void put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		p[i] = (unsigned char)(v >> (8 * i));
	}
}

/* Bytes laid out by hand at the original's offsets, read through the header. */
static void test_app_reads_raw_layout(void **state)
{
	(void)state;
	struct fomos_input in;
	unsigned char *b = (unsigned char *)&in;
	size_t x;
	size_t y;

	memset(b, 0, sizeof(in));
	put_u64(b + 0, 1234);
	put_u64(b + 8, 567);
	b[16 + FOMOS_BTN_LEFT] = FOMOS_KEY_ON_FROM_OFF;
	b[16 + FOMOS_KEY_A] = FOMOS_KEY_OFF_FROM_ON;
	b[16 + FOMOS_KEY_SPACE] = FOMOS_KEY_ON_TRANSIENT_OFF;
	put_u64(b + 1040, 64 + 5);
	b[1048 + 5 * 16] = 1;
	put_u64(b + 1048 + 5 * 16 + 8, FOMOS_KEY_Z);
	put_u64(b + 1048 + 63 * 16 + 8, FOMOS_BTN_RIGHT);

	const struct fomos_input *app_view = &in;

	assert_int_equal(app_read(app_view, &x, &y), 1 | 2 | 8 | 32);
	assert_int_equal(x, 1234);
	assert_int_equal(y, 567);
	const struct fomos_key_event *newest =
	    &app_view->history[app_view->history_last_index % FOMOS_INPUT_HISTORY];

	assert_true(newest->trigger);
	assert_int_equal(newest->key, FOMOS_KEY_Z);
	assert_false(app_view->history[63].trigger);
	assert_int_equal(app_view->history[63].key, FOMOS_BTN_RIGHT);
}

static unsigned wakes;

static void count_wake(void)
{
	wakes++;
}

/* The frame loop is woken by every report that changed the input, and
 * only by those: an autorepeat, a zero wheel step change nothing. */
static void test_core_wakes_the_frame_loop(void **state)
{
	(void)state;
	input_core_set_screen(640, 480);
	input_core_set_wake(count_wake);
	uint64_t before = input_core_changes();
	input_report_key(KEY_A, 1);
	input_report_key(KEY_A, 2); /* autorepeat */
	input_report_key(KEY_A, 0);
	input_report_wheel(0);
	input_report_wheel(1);
	input_report_abs(100, 100, 0x7fff, 0x7fff);
	input_report_rel(3, -2);
	assert_int_equal(input_core_changes() - before, 5);
	assert_int_equal(wakes, 5);
	input_core_set_wake(NULL);
	input_report_key(KEY_B, 1);
	assert_int_equal(wakes, 5);
	assert_int_equal(input_core_changes() - before, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_transition_table),
	    cmocka_unit_test(test_all_sequences),
	    cmocka_unit_test(test_many_keys_random),
	    cmocka_unit_test(test_all_keys_one_frame),
	    cmocka_unit_test(test_out_of_range_and_repeat_counters),
	    cmocka_unit_test(test_history_first_events),
	    cmocka_unit_test(test_history_wraps),
	    cmocka_unit_test(test_wheel),
	    cmocka_unit_test(test_history_reader),
	    cmocka_unit_test(test_mouse_relative_edges),
	    cmocka_unit_test(test_mouse_degenerate_screens),
	    cmocka_unit_test(test_set_screen_reclamps),
	    cmocka_unit_test(test_mouse_absolute_scaling),
	    cmocka_unit_test(test_app_reads_snapshot),
	    cmocka_unit_test(test_app_reads_raw_layout),
	    cmocka_unit_test(test_core_wakes_the_frame_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
