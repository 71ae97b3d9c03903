/*
 * Jobs: the kernel side of the shell's job_start/job_poll (ABI v4,
 * include/fomos.h). A job is disk work done for an app — list, remove,
 * run a binary from the disk, save or load a snapshot, save everything and
 * reboot or power off — queued on the system volume (fs/volume.h) so the
 * app never waits; the app collects the outcome at a later call.
 *
 * A job belongs to the app that started it: only that pid can poll it,
 * and a finished job nobody polls is dropped when its app goes. Ids are
 * not reused soon, and never across boots (a restored app may still hold
 * ids from before): an old id gets FOMOS_JOB_EINVAL.
 */
#pragma once

#include <stdint.h>

#define JOB_MAX	     8
#define JOB_ARG_MAX  128
#define JOB_TEXT_MAX 4096

/* Start a job for app `owner`: its id (>= 0) or FOMOS_JOB_EINVAL/EBUSY. */
int32_t job_start(uint64_t owner, uint32_t op, const char *arg, uint32_t arg_len, uint64_t num);

/*
 * FOMOS_JOB_PENDING, or the finished job's value (>= 0 success,
 * FOMOS_JOB_EFAILED failure) with its text in *text (valid until the
 * next job call) — the job is freed then. FOMOS_JOB_EINVAL for an id that
 * is not owner's job.
 */
int64_t job_collect(uint64_t owner, int32_t id, const char **text, uint32_t *text_len);

/* Offer ctx->job_start and ctx->job_poll to the apps granted jobs (boot). */
void job_init(void);
