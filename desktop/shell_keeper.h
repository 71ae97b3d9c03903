/*
 * The shell is never lost. The boot manifest marks the desktop's shell
 * (`console caps=apps,jobs shell`, runtime/manifest.h); besides restarting
 * when it crashes or runs over its budget (its policy), the desktop:
 *   - starts a new one when none runs (killed, stopped as a crash loop,
 *     exited), within a second, once a shell has run at all (a boot with
 *     apps=none stays without one);
 *   - opens another one on Ctrl+Alt+T, whatever else runs.
 * Called by the frame loop once per frame.
 */
#pragma once

#include "desktop/chords.h"

/* Act on this frame's chords, and now and then look whether a shell runs. */
void shell_keeper_frame(const struct chords *chords);
