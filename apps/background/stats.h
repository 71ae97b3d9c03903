/*
 * apps/background/stats.h — how long the background takes per call.
 *
 * The app measures each call with ctx->time_ns and, about every
 * BG_STATS_PERIOD_MS of wall time, logs one line with the number of calls,
 * the mean and the maximum, then starts a new window. This is the figure
 * that tells whether the desktop can hold 60 frames a second under TCG.
 */
#pragma once

#include <stdint.h>

#include "fomos.h"

#define BG_STATS_PERIOD_MS 5000

struct bg_stats {
	uint64_t window_start_ms; /* ctx->start_time at the window's first call */
	uint64_t calls;
	uint64_t total_ns;
	uint64_t max_ns;
};

/* Nanoseconds now: ctx->time_ns on ABI v2, else start_time (ms precision). */
uint64_t bg_now_ns(const struct fomos_context *ctx);

/* Counts a call that began at start_ns; logs and resets when a window ends. */
void bg_stats_add(struct fomos_context *ctx, struct bg_stats *st, uint64_t start_ns);
