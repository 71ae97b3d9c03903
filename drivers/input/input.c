/*
 * drivers/input/input.c — the key state machine, the key history ring and the pointer.
 *
 * A key's state byte encodes three facts: was it down at the last frame
 * step, is it down now, and did it change in between. Every value of
 * enum fomos_key_state is one consistent combination of those (OFF and ON
 * are the "no change" pair; the four others are transitional). An event
 * that really changes the key flips "down now" and sets "changed"; the
 * frame step forgets "was" and "changed". This reproduces the original
 * Fomos (bootloader/kernel/src/globals.rs, KeyState::handle_incoming_state
 * and KeyState::step) for every frame with at most two changes per key, and
 * keeps the documented meaning for longer bursts where the original's
 * catch-all arms lose an edge (see docs/input.md).
 *
 * A report that does not change the key (autorepeat) is dropped before it
 * reaches the state machine or the history, so a held key stays
 * ON_FROM_OFF for its whole first frame and the history holds edges only.
 *
 * Cost: an event is O(1). The frame step touches only the keys listed in
 * changed[]: a key enters the list when it leaves OFF/ON and leaves it at
 * the step, so the list never holds a code twice.
 */
#include "drivers/input/input.h"

#include "lib/string.h"

/* State after a report that really changes the key (see the file comment). */
static uint8_t input_key_next(uint8_t cur, bool down)
{
	switch (cur) {
	case FOMOS_KEY_OFF:		 /* up, unchanged */
	case FOMOS_KEY_OFF_TRANSIENT_ON: /* was up, is up, changed */
		return FOMOS_KEY_ON_FROM_OFF;
	case FOMOS_KEY_ON_FROM_OFF: /* was up, is down */
		return FOMOS_KEY_OFF_TRANSIENT_ON;
	case FOMOS_KEY_ON:		 /* down, unchanged */
	case FOMOS_KEY_ON_TRANSIENT_OFF: /* was down, is down, changed */
		return FOMOS_KEY_OFF_FROM_ON;
	case FOMOS_KEY_OFF_FROM_ON: /* was down, is up */
		return FOMOS_KEY_ON_TRANSIENT_OFF;
	default:
		/* Only this file writes keys[]; keep a sane value regardless. */
		return down ? FOMOS_KEY_ON_FROM_OFF : FOMOS_KEY_OFF_FROM_ON;
	}
}

static bool input_key_is_stable(uint8_t state)
{
	return state == FOMOS_KEY_OFF || state == FOMOS_KEY_ON;
}

static uint32_t input_clamp_dim(uint32_t v)
{
	return v == 0 ? 1 : v;
}

/* v clamped to [0, limit - 1]; 64-bit, so a position plus a delta cannot wrap. */
static size_t input_clamp(int64_t v, uint32_t limit)
{
	if (v < 0) {
		return 0;
	}
	if (v >= (int64_t)limit) {
		return (size_t)limit - 1;
	}
	return (size_t)v;
}

/* Device value v in [0, max] to [0, pixels - 1], rounded to nearest. */
static size_t input_scale(uint32_t v, uint32_t max, uint32_t pixels)
{
	if (max == 0) {
		return 0;
	}
	if (v > max) {
		v = max;
	}
	return (size_t)(((uint64_t)v * (pixels - 1) + max / 2) / max);
}

void input_init(struct input_state *s, uint32_t screen_w, uint32_t screen_h)
{
	memset(s, 0, sizeof(*s));
	s->screen_w = input_clamp_dim(screen_w);
	s->screen_h = input_clamp_dim(screen_h);
	s->live.mouse_x = s->screen_w / 2;
	s->live.mouse_y = s->screen_h / 2;
}

void input_set_screen(struct input_state *s, uint32_t screen_w, uint32_t screen_h)
{
	s->screen_w = input_clamp_dim(screen_w);
	s->screen_h = input_clamp_dim(screen_h);
	if (s->live.mouse_x >= s->screen_w) {
		s->live.mouse_x = s->screen_w - 1;
	}
	if (s->live.mouse_y >= s->screen_h) {
		s->live.mouse_y = s->screen_h - 1;
	}
}

void input_key(struct input_state *s, uint16_t code, bool down)
{
	if (code >= FOMOS_INPUT_KEYS) {
		s->ignored_events++;
		return;
	}
	uint8_t cur = s->live.keys[code];

	if (fomos_key_is_down(cur) == down) {
		s->repeated_events++;
		return;
	}
	if (input_key_is_stable(cur)) {
		s->changed[s->changed_count++] = code;
	}
	s->live.keys[code] = input_key_next(cur, down);

	/* As the original: count first, then write, so event n sits at n % 64. */
	s->live.history_last_index++;
	struct fomos_key_event *e =
	    &s->live.history[s->live.history_last_index % FOMOS_INPUT_HISTORY];
	e->trigger = down;
	e->key = code;
}

void input_wheel(struct input_state *s, int32_t steps)
{
	uint16_t code = steps > 0 ? FOMOS_BTN_WHEEL_UP : FOMOS_BTN_WHEEL_DOWN;
	int32_t n = steps > 0 ? steps : -steps;
	for (int32_t i = 0; i < n && i < INPUT_WHEEL_MAX_STEPS; i++) {
		input_key(s, code, true);
		input_key(s, code, false);
	}
}

void input_mouse_move(struct input_state *s, int32_t dx, int32_t dy)
{
	s->live.mouse_x = input_clamp((int64_t)s->live.mouse_x + dx, s->screen_w);
	s->live.mouse_y = input_clamp((int64_t)s->live.mouse_y + dy, s->screen_h);
}

void input_mouse_abs(struct input_state *s, uint32_t x, uint32_t y, uint32_t max_x, uint32_t max_y)
{
	s->live.mouse_x = input_scale(x, max_x, s->screen_w);
	s->live.mouse_y = input_scale(y, max_y, s->screen_h);
}

void input_snapshot(const struct input_state *s, struct fomos_input *out)
{
	memcpy(out, &s->live, sizeof(*out));
}

void input_step_frame(struct input_state *s)
{
	for (uint32_t i = 0; i < s->changed_count; i++) {
		uint8_t *k = &s->live.keys[s->changed[i]];

		*k = fomos_key_is_down(*k) ? FOMOS_KEY_ON : FOMOS_KEY_OFF;
	}
	s->changed_count = 0;
}
