/*
 * The input core; see input_core.h. It owns the live state and forwards
 * each report to the pure state machine of drivers/input/input.c.
 */
#include "drivers/input/input_core.h"

#include <stddef.h>

#include "drivers/input/input.h"

static struct input_state state = {.screen_w = 1, .screen_h = 1};
static bool screen_known; /* sized for a real screen at least once */
static void (*event_hook)(void);
static void (*wake)(void);
static uint64_t changes;

static void changed(void)
{
	changes++;
	if (wake != NULL) {
		wake();
	}
	if (event_hook != NULL) {
		event_hook();
	}
}

void input_core_set_screen(uint32_t w, uint32_t h)
{
	if (w == 0 || h == 0) {
		input_init(&state, 1, 1);
	} else if (screen_known) {
		input_set_screen(&state, w, h);
	} else {
		input_init(&state, w, h); /* the pointer to the centre */
		screen_known = true;
	}
}

void input_report_key(uint16_t code, uint32_t value)
{
	input_key(&state, code, value != 0);
	if (value <= 1) {
		changed(); /* autorepeat is counted by input_key, nothing more */
	}
}

void input_report_wheel(int32_t steps)
{
	if (steps != 0) {
		input_wheel(&state, steps);
		changed();
	}
}

void input_report_rel(int32_t dx, int32_t dy)
{
	input_mouse_move(&state, dx, dy);
	changed();
}

void input_report_abs(uint32_t x, uint32_t y, uint32_t max_x, uint32_t max_y)
{
	input_mouse_abs(&state, x, y, max_x, max_y);
	changed();
}

void input_core_snapshot(struct fomos_input *out)
{
	input_snapshot(&state, out);
}

void input_core_step_frame(void)
{
	input_step_frame(&state);
}

void input_core_set_event_hook(void (*hook)(void))
{
	event_hook = hook;
}

uint64_t input_core_changes(void)
{
	return changes;
}

void input_core_set_wake(void (*fn)(void))
{
	wake = fn;
}
