/*
 * apps/console/shell_job.h — the jobs the shell started and has not seen
 * finish, and what it prints when they do.
 *
 * A job (include/fomos.h, version 4) is work the system does across many
 * frames: the disk and power commands start one with ctx->job_start and
 * must not wait for it, since an app that blocks freezes the desktop. So
 * the shell keeps each job's id in a slot here and shell_job_poll asks
 * ctx->job_poll about every slot once per call of _start; a finished job's
 * outcome is printed then (a listing as output lines, any other outcome as
 * "CMD: TEXT", an error in SHELL_ERROR) and its slot freed.
 *
 * At most SHELL_JOBS run at once: a few listings and a save can overlap,
 * and a user who starts more is told "busy" rather than queued, which
 * would hide that the earlier ones are slow. The system may refuse sooner
 * (FOMOS_JOB_EBUSY); the shell says "busy" then too.
 *
 * The slots live in the console's store, which a snapshot preserves; the
 * ids in them are only meaningful to the system that issued them. When
 * the console finds it was resumed from a snapshot, shell_job_forget drops
 * them all; a job the system does not know any more (FOMOS_JOB_EINVAL from
 * job_poll, the same situation seen from the other side) is dropped alike.
 * A pending `reboot` or `shutdown` in a resumed console is the normal case:
 * on success the machine went down and the console never saw the outcome,
 * so it just notes "(resumed after reboot)". A `reboot` or `shutdown` that
 * failed because nothing could be saved is followed by a note on the
 * `-f` form, which does it without saving.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "include/fomos.h"

#define SHELL_JOBS 4 /* jobs one console runs at once */

/* Room for a job's outcome text; a longer listing is cut (and says so). */
#define SHELL_JOB_OUT 4096

struct shell_io;

struct shell_job {
	int32_t id;   /* the system's job id, while op != 0 */
	uint32_t op;  /* enum fomos_job_op; 0: the slot is free */
	uint64_t num; /* the job's number argument */
};

struct shell_jobs {
	struct shell_job slot[SHELL_JOBS];
};

/* True when ctx offers jobs: version 4 with job_start and job_poll. */
bool shell_job_available(const struct fomos_context *ctx);

/*
 * Starts job op with argument (arg, len) or num, after the command checked
 * shell_job_available and decoded them. Returns 0 when the job runs (the
 * caller then says what it is doing), or -1 after printing why not: busy
 * (no free slot, or FOMOS_JOB_EBUSY) or refused by the system.
 */
int shell_job_start(struct shell_jobs *j, const struct fomos_context *ctx,
		    const struct shell_io *io, uint32_t op, const char *arg, size_t len,
		    uint64_t num);

/* Prints the outcome of every job that finished and frees its slot. */
void shell_job_poll(struct shell_jobs *j, const struct fomos_context *ctx,
		    const struct shell_io *io);

/* Drops every job with a note: they belong to another boot or instance. */
void shell_job_forget(struct shell_jobs *j, const struct shell_io *io);
