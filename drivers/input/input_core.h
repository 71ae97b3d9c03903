/*
 * The input core: the system's one input state, which input drivers report
 * into and the frame loop reads, the way Linux's input core sits between
 * its device drivers and its handlers. Drivers call the input_report_*
 * functions as events arrive (between frames, from executor tasks, never
 * from an interrupt handler); the frame loop takes one snapshot per frame
 * and ages the key states after the apps ran. The state machine itself is
 * drivers/input/input.h.
 *
 * Observers (the benchmark's latency probe) attach one hook that is told
 * of every event group that changed the state.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "include/fomos.h"

/*
 * Size the pointer range to a w x h screen. The first call with a real
 * screen (w, h > 0) puts the pointer at its centre; later calls clamp it
 * into the new size. 0 x 0 means no screen yet (a 1 x 1 range).
 */
void input_core_set_screen(uint32_t w, uint32_t h);

/* Key or button `code` (evdev): value 0 up, 1 down, 2 autorepeat. */
void input_report_key(uint16_t code, uint32_t value);
/* The wheel turned `steps` notches (REL_WHEEL; drivers/input/input.h's input_wheel). */
void input_report_wheel(int32_t steps);
/* One motion group of a relative device (mouse), summed up to its EV_SYN. */
void input_report_rel(int32_t dx, int32_t dy);
/* One motion group of an absolute device: x in [0, max_x], y in [0, max_y]. */
void input_report_abs(uint32_t x, uint32_t y, uint32_t max_x, uint32_t max_y);

/* This frame's input, as every app of the frame sees it. */
void input_core_snapshot(struct fomos_input *out);
/* After the frame's apps ran: transitional keys settle (drivers/input/input.h). */
void input_core_step_frame(void);

/*
 * Call hook (NULL: none) after every report that changed the state: a key
 * going down or up, a motion group. It runs in the reporting driver's task.
 */
void input_core_set_event_hook(void (*hook)(void));

/* How many reports changed the state so far (a key down or up, a motion group). */
uint64_t input_core_changes(void);

/* Call fn (NULL: none) after every report that changed the state: the
 * frame loop's wake-up, so that it may show the input before its next
 * tick. Unlike the event hook it is the frame loop's own, always set. */
void input_core_set_wake(void (*fn)(void));
