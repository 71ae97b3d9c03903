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
 * Not done yet: damage (the whole screen is presented every frame the
 * apps run), resizing, and surfaces in snapshots (a restored app opens
 * its window again).
 */
#pragma once

#include "desktop/chords.h"
#include "include/fomos.h"
#include "lib/canvas.h"

/* Before the apps run: windows come and go, clicks, drags, focus, and what input reaches whom. */
void windows_before_apps(const struct fomos_input *in, const struct chords *chords);

/* After the apps ran: the windows and the pointer onto the screen. */
void windows_after_apps(struct canvas *screen, const struct fomos_input *in);
