/*
 * The jobs on files the shell's cat, cp, mv, mkdir, rmdir and df start
 * (FOMOS_JOB_READ .. FOMOS_JOB_SPACE, include/fomos.h), run by jobs/job.c
 * on the volume's coroutine. Each checks its arguments itself (they come
 * from an app), changes nothing when it refuses, and answers with the
 * job's value and what the app is told.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct fat32;

/* Whether op is one of these jobs. */
bool job_files_handles(uint32_t op);

/*
 * Run file job op with its argument text (NUL-terminated) and number:
 * returns its value (>= 0) or FOMOS_JOB_EFAILED, and leaves in out (cap
 * bytes) the text job_poll hands the app, *out_len bytes of it: a read's
 * bytes, else one line saying what was done or why not.
 */
int64_t job_files_run(struct fat32 *fs, uint32_t op, const char *arg, uint64_t num, char *out,
		      uint32_t cap, uint32_t *out_len);
