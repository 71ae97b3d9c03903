/*
 * The app runtime: apps are functions (include/fomos.h). Each running app
 * has a pid, a name, its memory slot (runtime/app_memory.h), its context and
 * its store slot. Once per frame the frame loop calls app_run_frame(), which
 * calls every app once, in start order (z-order), in ring 3 on its own
 * stack (runtime/app_run.h).
 *
 * Lines an app logs appear as `[pid N name] text`; starting, exiting and
 * killing an app each log one line (`app: ...`).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "include/fomos.h"
#include "runtime/app_accounting.h"
#include "runtime/app_memory.h"
#include "runtime/app_run.h"
#include "runtime/input_view.h"

#define APP_NAME_MAX	   32
#define APP_SOURCE_ARCHIVE "archive" /* struct app.source of an app from the boot archive */

enum app_state {
	APP_RUNNING = FOMOS_APP_RUNNING,
	APP_SLEEPING = FOMOS_APP_SLEEPING,
	APP_EXITED = FOMOS_APP_EXITED,
};

/* Who the app is and where it came from: fixed from its start to its end. */
struct app_identity {
	uint64_t pid;
	char name[APP_NAME_MAX];
	char source[128]; /* where file came from: "archive" or its path on the disk */
	const void *file; /* its ELF file, for restarts and snapshots */
	size_t file_size;
	bool owns_file; /* file is a heap copy (read from the disk), freed with the app */
};

/* Where it is in its life, and what a call needs. */
struct app_run_state {
	enum app_state state;
	int32_t (*entry)(struct fomos_context *ctx);
	struct fomos_context ctx; /* the template: filled at launch and on every rights change */
	void *store;		  /* what the app left in *ctx->store at its last call */
	struct app_memory memory;
	bool restored;	    /* resumed from a snapshot rather than started fresh */
	uint32_t pinned;    /* a snapshot is reading its memory: not called, not freed */
	uint64_t wake_ms;   /* APP_SLEEPING until clock_ms() reaches it */
	char exit_why[128]; /* APP_EXITED: the line logged when it goes */
	struct app_window {
		uintptr_t pixels; /* its surface, a block of its arena; 0: no window */
		uint32_t w, h;
	} window;
	struct input_view view;	     /* a windowed app's input (the others share one) */
	struct input_view_rule rule; /* what reaches the view: the desktop's choice */
};

/* What it may do and what happens when it misbehaves. */
struct app_rights {
	uint32_t caps;		  /* bit per enum app_capability, granted by the boot manifest */
	uint32_t denied;	  /* bit per enum fomos_capability taken away */
	bool traced;		  /* its context's functions are the tracing wrappers */
	uint32_t budget_ms;	  /* time one call may take before it is aborted */
	uint32_t policy;	  /* enum fomos_policy: what a crash or abort leads to */
	bool top;		  /* in the top layer: called after every app that is not */
	uint64_t window_start_ms; /* the restart rate limit's current window */
	uint32_t window_restarts;
};

struct app {
	struct app_identity id;
	struct app_run_state run;
	struct app_accounting acct;
	struct app_rights rights;
	struct app *next; /* start order */
};

void app_runtime_init(void);

/*
 * Starting an app takes two steps, so that the layer that knows the app's
 * rights (services/app_start.h) can give it its Context in between:
 * app_prepare loads ELF `file` into memory slot `slot` (any free one when
 * negative) and returns the app with its pid, not yet running, or NULL
 * with the reason in why and, when error is not NULL, its kind in *error
 * (FOMOS_EBADAPP: the file is refused; FOMOS_ENOMEM: no memory or no free
 * slot, include/fomos.h); app_launch gives it ctx, the filled Context
 * template every call gets a copy of, and puts it last in the frame order
 * (it is first called in the next frame) — last before the top layer
 * (rights.top) unless it is in that layer itself; app_discard drops a prepared app
 * instead. `source` is "archive" or the file's disk path; with owns_file
 * the app frees file when it goes. A prepared app has no capability
 * (rights.caps 0), the default budget and the stop policy.
 */
struct app *app_prepare(const char *name, const void *file, size_t size, const char *source,
			bool owns_file, int slot, char *why, size_t why_len, int *error);
void app_launch(struct app *a, const struct fomos_context *ctx, const char *how);
void app_discard(struct app *a);

/*
 * Pinning keeps an app in place while a snapshot reads its memory: a
 * pinned app is not called, and a kill waits until it is unpinned.
 */
void app_pin(struct app *a);
void app_unpin(struct app *a);

/* The app with this pid, or NULL. */
struct app *app_find(uint64_t pid);

/* A running app called name, or NULL. */
struct app *app_find_name(const char *name);

/* Stop app pid and free everything it had; 0, or negative if none. */
int app_kill(uint64_t pid, const char *why);

/*
 * Call every app once (the frame loop); input is this frame's snapshot. A
 * windowed app gets its own view of it (run.rule); the others share one
 * view, by the rule of app_set_shared_input_rule.
 */
void app_run_frame(const struct fomos_input *input);

/* What of the input reaches the apps without a window (all of it until set). */
void app_set_shared_input_rule(const struct input_view_rule *rule);

/* Whether a's window has the keyboard focus this frame: what the user
 * types goes to it, and to no other app. */
bool app_has_focus(const struct app *a);

size_t app_count(void);

/* Apps in start order, for listing (NULL ends). */
struct app *app_first(void);

/*
 * Call a once, now: the one path every app call takes, the frame loop's
 * (app_run_frame) and the benchmark's alike: a fresh copy of its context
 * with this input, the guarded and budgeted call, its accounting, its
 * result applied (sleep, exit, crash policy). A sleeping app is called all
 * the same. False when the call ended the app (it exited or was stopped);
 * outside a frame it stays listed until the next frame reaps it.
 */
bool app_call_once(struct app *a, const struct fomos_input *input);
