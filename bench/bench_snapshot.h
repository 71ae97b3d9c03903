/*
 * The snapshot step of the benchmark run (bench/bench.c): how long saving
 * and restoring an app with a 16 MiB arena takes, against writing and
 * reading the same bytes as a plain file on the same disk: medians of
 * interleaved rounds, every save and plain write a rewrite in place (the
 * first two saves create the app's two files; the first is reported
 * too), every restore of a stopped app. Needs the run to have a disk
 * (tools/bench.py attaches one); prints
 *     name=snapshot bytes=B arena_bytes=B first_save_ns=N save_ns=N
 *                   restore_ns=N raw_write_ns=N raw_read_ns=N
 * or `bench: snapshot skipped: REASON`.
 */
#pragma once

#include <stdbool.h>

struct task;

/* One poll of the step: true when finished; until then it wakes task itself. */
bool bench_snapshot_step(struct task *task);
