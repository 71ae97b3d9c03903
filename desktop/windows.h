/*
 * Windows: the window manager and compositor of the frame loop.
 *
 * An app that opened a window (include/fomos.h, version 6) draws into a
 * surface of its own, in its arena, which no other app can write. The
 * desktop places it (the first centred, the next ones cascaded), stacks
 * it (the newest and the last clicked on top), decorates it (a title bar
 * with the app's name and pid and a close box) and, after every app ran,
 * copies it over the shared screen the windowless apps drew, bottom to
 * top, with the pointer on top of them all.
 *
 * Focus and input: a click on a window focuses and raises it (and a click
 * outside every window gives the focus back to the shared screen); a drag
 * of its title bar moves it; its close box ends its app; Alt+Tab raises
 * and focuses the bottom window. Keys reach only the window with the
 * focus, or the windowless apps when none has it; mouse buttons and the
 * wheel reach the window under the pointer (or the one a press is held
 * in), and a windowed app sees the pointer relative to its surface
 * (runtime/input_view.h).
 *
 * The focus moves at frame granularity: keys that arrive in the same frame
 * as the click that moves it go to the window clicked. Their true order
 * is not known: the keyboard and the tablet are two virtio devices, two
 * queues without timestamps, drained by two tasks.
 *
 * Not done yet: resizing.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "desktop/chords.h"
#include "include/fomos.h"

struct app;

/* Before the apps run: windows come and go, clicks, drags, focus, and what input reaches whom. */
void windows_before_apps(const struct fomos_input *in, const struct chords *chords);

#define WINDOWS_MAX    32
#define WINDOW_TITLE_H 22 /* the title bar above a surface */
#define WINDOW_CLOSE_W 22 /* the close box at its right end */

/* A window as it is shown. */
struct window_view {
	uint64_t pid;
	int32_t x, y; /* the surface's top-left on the screen; the title bar is above */
	uint32_t w, h;
	bool focused;
	const struct app *app;
};

/* The windows, bottom to top, into out (WINDOWS_MAX of them); how many. */
unsigned windows_stack(struct window_view *out);

/* Whether (x, y) is over a window or its title bar. */
bool windows_under(int64_t x, int64_t y);
