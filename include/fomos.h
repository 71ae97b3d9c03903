/*
 * include/fomos.h — the Fomos app ABI: everything an app and the kernel agree on.
 *
 * An app is one function, int32_t _start(struct fomos_context *ctx), called
 * once per frame; every effect it has goes through ctx. This header is that
 * contract and nothing else: self-contained C11, it includes only <stdint.h>,
 * <stddef.h> and <stdbool.h>, so an app needs no other file from this tree.
 *
 * The layouts are FIXED (docs: DESIGN.md §2): the first version is binary
 * compatible with the apps of the original (Rust) Fomos, so every field has
 * the offset the original gave it, and a _Static_assert below pins each one.
 * Fields are only ever appended; nothing is moved or reinterpreted.
 *
 * This revision holds the pixel format and the input state; the context that
 * points at them (struct fomos_context) is added by a later revision.
 *
 * Who uses it: apps (read-only view of input, the pixel format), the kernel's
 * app runtime (fills the context) and core/input.c (produces the input state).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------- pixels ---- */

/* One pixel of the shared back buffer: bytes r, g, b, a in memory order. */
struct fomos_rgba {
	uint8_t r, g, b, a;
};

_Static_assert(sizeof(struct fomos_rgba) == 4, "fomos_rgba is 4 bytes");
_Static_assert(offsetof(struct fomos_rgba, r) == 0, "fomos_rgba.r");
_Static_assert(offsetof(struct fomos_rgba, g) == 1, "fomos_rgba.g");
_Static_assert(offsetof(struct fomos_rgba, b) == 2, "fomos_rgba.b");
_Static_assert(offsetof(struct fomos_rgba, a) == 3, "fomos_rgba.a");

/* -------------------------------------------------------------- input ---- */

/*
 * State of one key or button, as seen by an app during one frame. The
 * kernel steps it once per frame (after every app ran), so the transitional
 * values live for exactly one frame:
 *
 *   OFF               up now, up at the previous frame, no change between
 *   OFF_FROM_ON       up now, was down at the previous frame (released)
 *   OFF_TRANSIENT_ON  up now, was up at the previous frame, but went down
 *                     and up again in between (a click shorter than a frame)
 *   ON_FROM_OFF       down now, was up at the previous frame (pressed)
 *   ON_TRANSIENT_OFF  down now, was down at the previous frame, but went up
 *                     and down again in between
 *   ON                down now, down at the previous frame, no change between
 *
 * A key is down exactly when its value is >= 128 (fomos_key_is_down).
 */
enum fomos_key_state {
	FOMOS_KEY_OFF = 0,
	FOMOS_KEY_OFF_FROM_ON = 1,
	FOMOS_KEY_OFF_TRANSIENT_ON = 2,
	FOMOS_KEY_ON_FROM_OFF = 128,
	FOMOS_KEY_ON_TRANSIENT_OFF = 129,
	FOMOS_KEY_ON = 130,
};

/* Number of key slots (Linux evdev codes 0..1023) and history entries. */
#define FOMOS_INPUT_KEYS    1024
#define FOMOS_INPUT_HISTORY 64

/*
 * Key and button codes are Linux evdev codes (linux/input-event-codes.h);
 * mouse buttons live in the same keys[] array. A few that apps commonly
 * need; any other evdev code below 1024 works the same way.
 */
#define FOMOS_KEY_ESC	     1
#define FOMOS_KEY_1	     2 /* KEY_1..KEY_9 are 2..10, KEY_0 is 11 */
#define FOMOS_KEY_0	     11
#define FOMOS_KEY_BACKSPACE  14
#define FOMOS_KEY_TAB	     15
#define FOMOS_KEY_Q	     16
#define FOMOS_KEY_W	     17
#define FOMOS_KEY_E	     18
#define FOMOS_KEY_R	     19
#define FOMOS_KEY_T	     20
#define FOMOS_KEY_Y	     21
#define FOMOS_KEY_U	     22
#define FOMOS_KEY_I	     23
#define FOMOS_KEY_O	     24
#define FOMOS_KEY_P	     25
#define FOMOS_KEY_ENTER	     28
#define FOMOS_KEY_LEFTCTRL   29
#define FOMOS_KEY_A	     30
#define FOMOS_KEY_S	     31
#define FOMOS_KEY_D	     32
#define FOMOS_KEY_F	     33
#define FOMOS_KEY_G	     34
#define FOMOS_KEY_H	     35
#define FOMOS_KEY_J	     36
#define FOMOS_KEY_K	     37
#define FOMOS_KEY_L	     38
#define FOMOS_KEY_LEFTSHIFT  42
#define FOMOS_KEY_Z	     44
#define FOMOS_KEY_X	     45
#define FOMOS_KEY_C	     46
#define FOMOS_KEY_V	     47
#define FOMOS_KEY_B	     48
#define FOMOS_KEY_N	     49
#define FOMOS_KEY_M	     50
#define FOMOS_KEY_RIGHTSHIFT 54
#define FOMOS_KEY_LEFTALT    56
#define FOMOS_KEY_SPACE	     57
#define FOMOS_KEY_UP	     103
#define FOMOS_KEY_LEFT	     105
#define FOMOS_KEY_RIGHT	     106
#define FOMOS_KEY_DOWN	     108
#define FOMOS_BTN_LEFT	     0x110
#define FOMOS_BTN_RIGHT	     0x111
#define FOMOS_BTN_MIDDLE     0x112

/*
 * One entry of the key history: `key` (an evdev code) went down
 * (trigger == true) or up (trigger == false). Autorepeat of a held key does
 * not add entries.
 */
struct fomos_key_event {
	bool trigger;
	/* 7 bytes of padding (zero) */
	size_t key;
};

/*
 * The input state an app sees during one frame. It does not change while
 * the frame runs: every app of a frame sees the same snapshot.
 *
 * mouse_x, mouse_y: the pointer in pixels, always inside the screen
 *   (0 <= mouse_x < width, 0 <= mouse_y < height).
 * keys: one enum fomos_key_state value per evdev code.
 * history: a ring of the latest key events. history_last_index counts the
 *   events since boot: the newest event is history[history_last_index % 64],
 *   the one before it at (history_last_index - 1) % 64, and so on, 64 deep.
 *   The count is incremented *before* an event is written, so the first
 *   event ever is index 1 (slot 1) and history_last_index == 0 means "no
 *   event yet"; slot 0 stays zero until the ring wraps. An app that keeps
 *   the last index it handled, `seen`, reads the new events as indices
 *   seen + 1 .. history_last_index; if that span is longer than 64 it has
 *   missed the oldest ones.
 */
struct fomos_input {
	size_t mouse_x;
	size_t mouse_y;
	uint8_t keys[FOMOS_INPUT_KEYS];
	size_t history_last_index;
	struct fomos_key_event history[FOMOS_INPUT_HISTORY];
};

_Static_assert(sizeof(bool) == 1, "bool is one byte, as in the original ABI");
_Static_assert(sizeof(size_t) == 8, "the ABI is x86-64 LP64");
_Static_assert(offsetof(struct fomos_key_event, trigger) == 0, "fomos_key_event.trigger");
_Static_assert(offsetof(struct fomos_key_event, key) == 8, "fomos_key_event.key");
_Static_assert(sizeof(struct fomos_key_event) == 16, "fomos_key_event is 16 bytes");
_Static_assert(offsetof(struct fomos_input, mouse_x) == 0, "fomos_input.mouse_x");
_Static_assert(offsetof(struct fomos_input, mouse_y) == 8, "fomos_input.mouse_y");
_Static_assert(offsetof(struct fomos_input, keys) == 16, "fomos_input.keys");
_Static_assert(offsetof(struct fomos_input, history_last_index) == 1040,
	       "fomos_input.history_last_index");
_Static_assert(offsetof(struct fomos_input, history) == 1048, "fomos_input.history");
_Static_assert(sizeof(struct fomos_input) == 2072, "fomos_input is 2072 bytes");
_Static_assert(_Alignof(struct fomos_input) == 8, "fomos_input is 8-byte aligned");

/* True when a key in state `state` is held down (states >= 128). */
static inline bool fomos_key_is_down(uint8_t state)
{
	return state >= FOMOS_KEY_ON_FROM_OFF;
}

/* True when evdev code `code` is held down; false for codes out of range. */
static inline bool fomos_input_key_down(const struct fomos_input *in, size_t code)
{
	return code < FOMOS_INPUT_KEYS && fomos_key_is_down(in->keys[code]);
}
