/*
 * The app runtime: apps are functions (include/fomos.h). Each running app
 * has a pid, a name, its memory slot (runtime/app_memory.h), its context and
 * its store slot. Once per frame the frame loop calls app_run_frame(), which
 * calls every app once, in start order (z-order), on the app stack.
 *
 * Lines an app logs appear as `[pid N name] text`; starting, exiting and
 * killing an app each log one line (`app: ...`).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/app_memory.h"
#include "runtime/app_run.h"
#include "include/fomos.h"

#define APP_NAME_MAX	   32
#define APP_SOURCE_ARCHIVE "archive" /* struct app.source of an app from the boot archive */

enum app_state {
	APP_RUNNING = FOMOS_APP_RUNNING,
	APP_SLEEPING = FOMOS_APP_SLEEPING,
	APP_EXITED = FOMOS_APP_EXITED,
};

struct app {
	uint64_t pid;
	char name[APP_NAME_MAX];
	enum app_state state;
	bool shell; /* gets the app management functions (ABI v2) */
	int32_t (*entry)(struct fomos_context *ctx);
	struct fomos_context ctx;      /* the template: filled once at start */
	struct fomos_context call_ctx; /* the copy one call gets (and may scribble on) */
	void *store;
	struct app_memory memory;
	uint64_t calls, total_ns, max_ns;
	uint32_t budget_ms; /* time one call may take before it is aborted */
	uint32_t faults, aborts, restarts;
	uint32_t policy;	  /* enum fomos_policy: what a crash or abort leads to */
	uint64_t window_start_ms; /* the restart rate limit's current window */
	uint32_t window_restarts;
	bool traced;	  /* its context's functions are the tracing wrappers */
	uint32_t denied;  /* bit per enum fomos_capability taken away */
	const void *file; /* its ELF file, for restarts and snapshots */
	size_t file_size;
	bool owns_file;	    /* file is a heap copy (read from the disk), freed with the app */
	char source[128];   /* where file came from: "archive" or its path on the disk */
	bool restored;	    /* resumed from a snapshot rather than started fresh */
	uint32_t pinned;    /* a snapshot is reading its memory: not called, not freed */
	uint64_t wake_ms;   /* APP_SLEEPING until clock_ms() reaches it */
	char exit_why[128]; /* APP_EXITED: the line logged when it goes */
	struct app *next;   /* start order */
};

void app_runtime_init(void);

/*
 * Load ELF `file` as a new app called `name` and start it (it is first
 * called in the next frame). Returns its pid, or negative after logging
 * one line naming the app and the reason.
 */
int64_t app_start(const char *name, const void *file, size_t size);

/*
 * The two halves of app_start, for starting an app some other way (from
 * a snapshot, persist/snapshot.c): app_prepare loads the image into memory
 * slot `slot` (any free one when negative) and returns the app, not yet
 * running, or NULL with the reason in why; app_launch gives it a pid and
 * its context and puts it last in the frame order; app_discard drops a
 * prepared app instead. `source` is "archive" or the file's disk path;
 * with owns_file the app frees file when it goes.
 */
struct app *app_prepare(const char *name, const void *file, size_t size, const char *source,
			bool owns_file, int slot, char *why, size_t why_len);
void app_launch(struct app *a, const char *how);
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

/* Call every app once (the frame loop); input is this frame's snapshot. */
void app_run_frame(const struct fomos_input *input);

size_t app_count(void);

/* Apps in start order, for listing (NULL ends). */
struct app *app_first(void);

/*
 * For the benchmark (bench/bench.c) only: call a n times now, outside any
 * frame, through the path the frame loop takes for one app (fresh context,
 * guarded and budgeted call, result applied); a sleeping app is called all
 * the same. Each call's cycles (bench_cycles() around it, nothing
 * subtracted) go to `cycles` unless it is NULL. Returns the calls made:
 * fewer than n when a exited or was stopped.
 */
struct hist;
uint32_t app_bench_dispatch(struct app *a, uint32_t n, struct hist *cycles);
