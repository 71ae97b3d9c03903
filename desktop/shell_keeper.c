/*
 * Keeping a shell; see shell_keeper.h.
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

static struct {
	bool armed; /* a shell has run: from now on one is kept */
	uint64_t checked_ms, started_ms;
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

void shell_keeper_frame(const struct chords *chords)
{
	const char *name = app_shell_name();
	if (name == NULL) {
		return;
	}
	if (chords->new_shell) {
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
