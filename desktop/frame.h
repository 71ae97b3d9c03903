/*
 * The frame loop: a task woken by its own timer at the frame rate (60 Hz).
 * Each frame: snapshot the input, draw (every app once, in start order;
 * without apps the boot screen and a pointer test pattern), present what
 * changed, step the key states.
 * It owns the system's input state, which the input drivers update between
 * frames. Frame, draw and present times are logged every few seconds.
 */
#pragma once

#include <stdint.h>

#include "drivers/input/input.h"

#define FRAME_HZ 60

void frame_start(void);

/* The live input state the drivers feed (drivers/input/input.h). */
struct input_state *frame_input(void);

/*
 * A display backend showed a present it sent at sent_ns (virtio-gpu: its
 * RESOURCE_FLUSH was answered). The first one logs
 * `frame: first frame presented at N us` (kernel entry to that moment).
 */
void frame_presented(uint64_t sent_ns);

/* When the first present was shown (clock_ns() time), or 0 until then. */
uint64_t frame_first_presented_ns(void);
