/*
 * The desktop's key chords, read once per frame from the key history (not
 * the key states: QMP and fast typists press and release all the keys of
 * a chord within one frame, and only the order of the events says that
 * the last key went down while the others were held):
 *   Ctrl+Alt+T  a new shell (desktop/shell_keeper.h)
 *   Alt+Tab     the focus to the next window (desktop/windows.h)
 * The keys still reach the app with the focus too.
 */
#pragma once

#include <stdbool.h>

#include "include/fomos.h"

struct chords {
	bool new_shell, next_window;
};

/* The chords pressed since the last call. */
void chords_read(const struct fomos_input *in, struct chords *out);
