/*
 * The frame loop: a task woken by its own timer at the frame rate (60 Hz).
 * Each frame: snapshot the input, draw (every app once, in start order;
 * without apps the boot screen and a pointer test pattern), present what
 * changed, step the key states. The input it snapshots is the input
 * core's (drivers/input/input_core.h). Frame, draw and present times are
 * logged every few seconds.
 */
#pragma once

#include <stdint.h>

#define FRAME_HZ 60

void frame_start(void);

/*
 * Call hook after every frame with when it started (its input snapshot),
 * finished drawing and finished presenting (NULL: no hook).
 */
void frame_set_hook(void (*hook)(uint64_t start_ns, uint64_t drawn_ns, uint64_t presented_ns));
