/*
 * Keeping a shell; see shell_keeper.h.
 *
 * The chord is read from the input's key history, not from the key
 * states: QMP and fast typists press and release all three keys within
 * one frame, so only the order of the events says that T went down while
 * Ctrl and Alt were held.
 */
#include "desktop/shell_keeper.h"

#include <stdbool.h>
#include <stdint.h>

#include "kernel/clock.h"
#include "kernel/log.h"
#include "runtime/app.h"
#include "services/app_start.h"

#define CHECK_MS	   250	/* how often the keeper looks for a running shell */
#define RESTART_SPACING_MS 1000 /* at most one start a second, whatever happens */
#define KEY_RIGHTCTRL	   97
#define KEY_RIGHTALT	   100

static struct {
	bool armed; /* a shell has run: from now on one is kept */
	uint64_t checked_ms, started_ms;
	size_t seen;	/* history_last_index handled */
	bool ctrl, alt; /* held, as the history says */
} k;

static void start_shell(const char *why)
{
	uint64_t now = clock_ms();
	if (k.started_ms != 0 && now - k.started_ms < RESTART_SPACING_MS) {
		return;
	}
	k.started_ms = now;
	int64_t pid = app_start_shell();
	if (pid < 0) {
		log_warn("desktop", "%s: no shell could start (%s)", why, fomos_error_text(pid));
	} else {
		log_info("desktop", "%s: started shell pid %lld", why, (long long)pid);
	}
}

/* True when the new history events hold T pressed with Ctrl and Alt down. */
static bool chord_pressed(const struct fomos_input *in)
{
	bool pressed = false;
	size_t last = in->history_last_index;
	if (last - k.seen > FOMOS_INPUT_HISTORY) {
		k.seen = last - FOMOS_INPUT_HISTORY; /* the oldest are gone */
	}
	for (; k.seen < last; k.seen++) {
		const struct fomos_key_event *e = &in->history[(k.seen + 1) % FOMOS_INPUT_HISTORY];
		if (e->key == FOMOS_KEY_LEFTCTRL || e->key == KEY_RIGHTCTRL) {
			k.ctrl = e->trigger;
		} else if (e->key == FOMOS_KEY_LEFTALT || e->key == KEY_RIGHTALT) {
			k.alt = e->trigger;
		} else if (e->key == FOMOS_KEY_T && e->trigger && k.ctrl && k.alt) {
			pressed = true;
		}
	}
	return pressed;
}

void shell_keeper_frame(const struct fomos_input *in)
{
	const char *name = app_shell_name();
	if (name == NULL) {
		return;
	}
	if (chord_pressed(in)) {
		k.started_ms = 0; /* asked for: not spaced */
		start_shell("Ctrl+Alt+T");
	}
	uint64_t now = clock_ms();
	if (now - k.checked_ms < CHECK_MS) {
		return;
	}
	k.checked_ms = now;
	bool running = app_find_name(name) != NULL;
	k.armed = k.armed || running;
	if (k.armed && !running) {
		start_shell("no shell runs");
	}
}
