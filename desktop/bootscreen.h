/*
 * The boot screen: the system's name, what it found (CPU, memory, display,
 * firmware) with a clock that ticks, and below it the kernel log as it is
 * written — so what the serial console says is also what a person sees,
 * including an exception report. Until apps exist it is the whole desktop.
 *
 * While the kernel boots, log lines are drawn and presented at once. Once
 * the frame loop runs (bootscreen_defer_to_frames), lines only mark the
 * log panel for redrawing in the next frame's bootscreen_update(), so all
 * drawing happens in frame order; a fatal line is still drawn at once,
 * since after a panic no frame comes, and a new screen (a display that
 * appears or changes size) is painted in the next bootscreen_update() too:
 * when apps cover the screen, it never is (8 ms saved from the first
 * frame).
 */
#pragma once

#include <stdbool.h>

#include "boot/multiboot2.h"

/* Take over the display's back buffer (now and after every resize). */
void bootscreen_init(const struct boot_info *info);

/* The display's redraw hook: back must be painted from scratch. */
struct canvas;
void bootscreen_redraw(struct canvas *back);

/* From now on, draw log lines and new screens in bootscreen_update() only. */
void bootscreen_defer_to_frames(void);

/* Whether bootscreen_update() has anything to redraw this frame. */
bool bootscreen_pending(void);

/* Per frame: redraw what changed (log panel, the clock once a second). */
void bootscreen_update(void);
