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

/* Offer ctx->job_start and ctx->job_poll to the apps granted jobs (boot). */
void job_init(void);
