/*
 * Quicksave and quickload of apps: an app's whole state — its writable
 * image data, its arena, its heap's control block and its store pointer —
 * written to the system volume and brought back at the same addresses, so
 * every pointer the app holds stays valid and the app cannot tell.
 *
 * Both run inside a volume job (fs/volume.h): they wait for the disk by
 * yielding, never by blocking the loop. Format and crash safety:
 * persist/snapshot_format.h; the design: docs/snapshots.md.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "fs/fat32.h"

struct app;

#define SNAPSHOT_DIR "/snapshots"

/* Outcomes besides a pid or a byte count (>= 0); msg always says more. */
enum snapshot_error {
	SNAPSHOT_ENONE = -20,	  /* no usable snapshot of that app */
	SNAPSHOT_EMISMATCH = -21, /* its binary changed since (or is gone) */
	SNAPSHOT_EFAILED = -22,	  /* disk, memory or slot trouble: see msg */
};

/*
 * Save app a (pinned by the caller, so it is not called while its memory
 * is read) into the older of its two snapshot files. Bytes written, or a
 * negative value; msg gets one sentence either way.
 */
int64_t snapshot_save(struct fat32 *fs, struct app *a, char *msg, size_t msg_len);

/*
 * Start app `name` from its newest intact snapshot (the other file is the
 * fallback when the newest turns out corrupt). A running app of that name
 * is stopped first. Its pid, or a negative snapshot_error; msg says what
 * happened (corrupt files found on the way are also logged).
 */
int64_t snapshot_restore(struct fat32 *fs, const char *name, char *msg, size_t msg_len);
