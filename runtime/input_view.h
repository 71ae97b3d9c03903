/*
 * One app's view of the input. The system has one input state (the input
 * core's snapshot); which part of it reaches an app depends on windows:
 * keys go to the window with the focus, mouse buttons to the window under
 * the pointer, and a windowed app sees the pointer relative to its
 * surface. An app must never see keys typed into another window, not even
 * later from the history ring, so every view keeps a history of its own:
 * the events delivered to it, numbered by its own count. A key pressed
 * while a view had the focus is released in that view even after the
 * focus moved (as the press went there, so does the release: no modifier
 * stays stuck in a window that lost the focus mid-chord).
 *
 * The desktop decides the rule for each app every frame
 * (desktop/windows.h); the runtime builds the view it passes the app.
 * Pure logic over struct fomos_input, host-tested by
 * tests/unit/test_input_view.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "include/fomos.h"

struct input_view {
	size_t seen; /* the system history's count handled */
	size_t last; /* this view's own history count */
	struct fomos_key_event ring[FOMOS_INPUT_HISTORY];
	uint8_t down[FOMOS_INPUT_KEYS / 8]; /* keys whose press it got and release not yet */
};

/* What reaches one view this frame. */
struct input_view_rule {
	bool keys;     /* keys, and their history */
	bool buttons;  /* mouse buttons and the wheel, and their history */
	int32_t x, y;  /* the view's origin on the screen (a window's surface) */
	uint32_t w, h; /* its size, the pointer clamped into it; 0 x 0: the screen as it is */
};

/*
 * A view that starts at its next build: the system's events before that
 * are not for it.
 */
void input_view_start(struct input_view *v);

/* True for the codes that follow the pointer: mouse buttons and the wheel. */
bool input_view_is_pointer_code(size_t code);

/*
 * This frame's view: the system's events since the last call that the
 * rule lets through are appended to v's history (when more than 64 came,
 * the oldest are gone, as for the system's ring); out gets the pointer,
 * the key states the rule lets through (the others OFF) and v's history.
 */
void input_view_build(struct input_view *v, const struct fomos_input *system,
		      const struct input_view_rule *rule, struct fomos_input *out);
