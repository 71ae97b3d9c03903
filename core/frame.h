/*
 * The frame loop: a task woken by its own timer at the frame rate (60 Hz).
 * Each frame: snapshot the input, draw (every app once, in start order;
 * without apps the boot screen and a pointer test pattern), present what
 * changed, step the key states.
 * It owns the system's input state, which the input drivers update between
 * frames. Frame, draw and present times are logged every few seconds.
 */
#pragma once

#include "core/input.h"

#define FRAME_HZ 60

void frame_start(void);

/* The live input state the drivers feed (core/input.h). */
struct input_state *frame_input(void);
