/*
 * apps/console/keyboard.h — turns the key history into typed characters
 * and editing commands.
 *
 * The kernel gives the console its window's read-only struct fomos_input
 * each frame (only while the window has the focus do keys reach it): key
 * states plus a 64-entry ring of key edges (docs/input.md).
 * Typing needs the edges in order (shift down, a down, a up, shift up can
 * all land in one frame), so the console reads the ring, not the states:
 * kbd_poll handles every event after the last index it saw, tracking the
 * modifiers itself (US layout), and appends one struct kbd_event per
 * meaningful press.
 *
 * Key repeat: the kernel adds no history entries for a held key, so
 * kbd_poll times it: a repeatable key held for KBD_REPEAT_DELAY_MS emits
 * again every KBD_REPEAT_INTERVAL_MS (at most KBD_REPEAT_BURST per call,
 * so a stalled frame does not flood the line).
 *
 * If more than 64 events arrived since the last call the oldest are lost;
 * kbd_poll then counts them in `lost` and resynchronises the modifiers
 * from the key states.
 *
 * Pure logic over the input struct: no allocation, host-tested by
 * tests/unit/test_console_keyboard.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "include/fomos.h"

#define KBD_REPEAT_DELAY_MS    400
#define KBD_REPEAT_INTERVAL_MS 33
#define KBD_REPEAT_BURST       4

/* Most events one kbd_poll can return: a full ring plus a repeat burst. */
#define KBD_MAX_EVENTS (FOMOS_INPUT_HISTORY + KBD_REPEAT_BURST)

enum kbd_kind {
	KBD_CHAR = 1,	  /* ch is a printable ASCII character (space..~) */
	KBD_ENTER,	  /* Enter or keypad Enter */
	KBD_BACKSPACE,	  /* delete before the cursor */
	KBD_DELETE,	  /* delete under the cursor */
	KBD_LEFT,	  /* cursor left */
	KBD_RIGHT,	  /* cursor right */
	KBD_HOME,	  /* Home or ctrl+A */
	KBD_END,	  /* End or ctrl+E */
	KBD_HISTORY_UP,	  /* Up: previous command */
	KBD_HISTORY_DOWN, /* Down: next command */
	KBD_SCROLL_UP,	  /* shift+Up: scrollback one line */
	KBD_SCROLL_DOWN,  /* shift+Down */
	KBD_PAGE_UP,	  /* PageUp or shift+PageUp: scrollback half a page */
	KBD_PAGE_DOWN,	  /* PageDown */
	KBD_CANCEL,	  /* ctrl+C: abandon the line */
	KBD_CLEAR,	  /* ctrl+L: clear the screen */
	KBD_KILL_LINE,	  /* ctrl+U: erase the line */
	KBD_WHEEL_UP,	  /* a mouse wheel notch away from the user: scrollback */
	KBD_WHEEL_DOWN,	  /* a notch towards the user */
	KBD_COPY,	  /* ctrl+shift+C: the selection to the clipboard */
	KBD_PASTE,	  /* ctrl+shift+V: the clipboard typed into the line */
};

struct kbd_event {
	uint8_t kind; /* enum kbd_kind */
	char ch;      /* for KBD_CHAR */
};

struct kbd {
	size_t seen;		 /* last history index handled */
	bool shift[2];		 /* left, right */
	bool ctrl[2];		 /* left, right */
	bool caps_lock;		 /* toggled by each Caps Lock press */
	uint16_t repeat_key;	 /* evdev code being held for repeat, 0 = none */
	uint64_t repeat_next_ms; /* when it repeats next */
	uint64_t lost;		 /* events that fell out of the ring unseen */
};

/* Starts reading after the events already in `in` (typing done before the
 * console existed is not replayed). */
void kbd_init(struct kbd *k, const struct fomos_input *in);

/* Handles the events since the last call and any due repeat at time now_ms
 * (milliseconds, monotonic). Writes up to `max` events to out and returns
 * how many; max >= KBD_MAX_EVENTS never drops one. */
size_t kbd_poll(struct kbd *k, const struct fomos_input *in, uint64_t now_ms, struct kbd_event *out,
		size_t max);
