/*
 * drivers/input/input.h — the live input state that input drivers feed and apps see.
 *
 * Drivers (virtio-input keyboard, mouse, tablet) report events between
 * frames through input_key / input_mouse_move / input_mouse_abs. The frame
 * loop calls input_snapshot to get the struct fomos_input every app of that
 * frame reads, and input_step_frame after all apps ran, which ages the key
 * states (ON_FROM_OFF -> ON, ...). docs/input.md has the state machine.
 *
 * Pure logic: no locks, no allocation, no hardware. Interrupt handlers must
 * not call in; the state belongs to the one executor loop (drivers are tasks
 * of that loop), so no two calls ever overlap.
 *
 * Invariants of struct input_state:
 *   - 1 <= screen_w, 1 <= screen_h; live.mouse_x < screen_w, live.mouse_y < screen_h.
 *   - live.keys[c] is transitional (neither OFF nor ON) exactly when c is
 *     in changed[0 .. changed_count), and each code is listed at most once,
 *     so changed_count <= FOMOS_INPUT_KEYS and stepping costs O(changed keys).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "include/fomos.h"

struct input_state {
	struct fomos_input live;	    /* what the next snapshot will show */
	uint32_t screen_w;		    /* pointer range, pixels, >= 1 */
	uint32_t screen_h;		    /* pointer range, pixels, >= 1 */
	uint32_t changed_count;		    /* entries used in changed[] */
	uint16_t changed[FOMOS_INPUT_KEYS]; /* keys in a transitional state */
	uint64_t ignored_events;	    /* key events with code >= 1024 */
	uint64_t repeated_events;	    /* down while down / up while up */
};

/* All keys OFF, empty history, pointer at the centre of a w x h screen (0 -> 1). */
void input_init(struct input_state *s, uint32_t screen_w, uint32_t screen_h);

/* The screen changed size: a w x h pointer range (0 -> 1); the pointer is clamped into it. */
void input_set_screen(struct input_state *s, uint32_t screen_w, uint32_t screen_h);

/*
 * Key or button `code` (evdev) went down or up. Codes >= 1024 are ignored
 * and counted. A report that does not change the key (down while already
 * down: autorepeat, evdev value 2, or a repeated press; up while already up)
 * is counted and otherwise ignored: no transition, no history entry.
 * Otherwise the key transitions and one event is appended to the history.
 */
void input_key(struct input_state *s, uint16_t code, bool down);

/*
 * The wheel turned `steps` notches (evdev REL_WHEEL: positive away from
 * the user). Apps see each notch as a press and release of
 * FOMOS_BTN_WHEEL_UP (positive) or FOMOS_BTN_WHEEL_DOWN: two history
 * events, and the key OFF_TRANSIENT_ON for the frame. At most
 * INPUT_WHEEL_MAX_STEPS notches per report (a device claiming more is
 * clamped: the history holds 64 events).
 */
#define INPUT_WHEEL_MAX_STEPS 8
void input_wheel(struct input_state *s, int32_t steps);

/* Relative pointer motion (mouse): add dx, dy, clamp to the screen. */
void input_mouse_move(struct input_state *s, int32_t dx, int32_t dy);

/*
 * Absolute pointer position (tablet, touch screen): device coordinates
 * x in [0, max_x], y in [0, max_y] are scaled to [0, w-1] x [0, h-1]
 * (0 -> 0, max -> w-1, rounded to nearest). Values above max are clamped;
 * an axis with max 0 maps to 0. The call sets both axes: a driver that gets
 * X and Y as separate events keeps the last device value of the other one.
 */
void input_mouse_abs(struct input_state *s, uint32_t x, uint32_t y, uint32_t max_x, uint32_t max_y);

/* Copy the state apps see this frame into *out. */
void input_snapshot(const struct input_state *s, struct fomos_input *out);

/* End of a frame: every transitional key becomes OFF or ON (O(changed keys)). */
void input_step_frame(struct input_state *s);
