/*
 * What the benchmark's steps share. The run (bench/bench.c) is one task
 * that walks through its steps in order; a step is a function that
 * returns true when it is finished and, until then, has arranged its next
 * poll. These helpers keep a long loop from holding up the frame loop,
 * print figures in the one format tools/bench.py reads, and hold the
 * step's subject: the benchmark app it measures.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct app;
struct hist;

/* Iterations of the current step so far: 0 on its first poll. */
extern uint64_t bench_progress;

/*
 * Run one() until `total` iterations are done (true) or the poll's slice
 * of time is over (false: the step is polled again soon). one() may end
 * the loop early by setting bench_progress to total - 1.
 */
bool bench_sliced(uint64_t total, void (*one)(void));

/* Poll the current step again as soon as the loop allows. */
void bench_poll_again(void);

/* `name=NAME p50_UNIT=V p99_UNIT=V samples=N`, quantiles of h. */
void bench_report(const char *name, const char *unit, const struct hist *h);

/* Start benchmark app `name` as the subject; NULL (logged) if it cannot. */
struct app *bench_subject_start(const char *name);

/* The subject, or NULL when there is none or it went away. */
struct app *bench_subject(void);

/* Kill the subject, if there is one. */
void bench_subject_stop(void);
