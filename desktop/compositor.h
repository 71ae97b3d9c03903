/*
 * The compositor: what the screen shows once the apps of a frame ran.
 *
 * Bottom to top: the shared layer the windowless apps drew into
 * (drivers/display.h), the windows in their stacking order with the title
 * bars the system draws (desktop/windows.h), and the system's arrow where
 * the pointer is over a window (elsewhere the cursor app's own, in the
 * shared layer, shows).
 *
 * Only what changed is composed into the back buffer and presented: the
 * damage. Nobody reports it; the compositor finds it out:
 *   - what the apps wrote: the CPU marks every 4 KiB page written (the
 *     page tables' dirty bits), of the shared layer's alias and of each
 *     surface, and the compositor reads and clears those bits every frame
 *     (a page is about a row of the screen, so damage comes in rows);
 *   - what the desktop changed: a window that appeared, went, moved, was
 *     raised or lost the focus (its old and its new place), and the arrow
 *     (where it was and where it is).
 * A new screen (a display switch) and the first frame with apps are
 * composed whole.
 */
#pragma once

#include "include/fomos.h"
#include "lib/canvas.h"

/* Compose what changed into back from layer, and hand it to the display to present. */
void compositor_frame(struct canvas *back, const struct canvas *layer,
		      const struct fomos_input *in);

/* The back buffer was drawn by someone else (no apps ran): compose all of it next time. */
void compositor_forget(void);
