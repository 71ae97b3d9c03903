/*
 * apps/console/perf.h — measuring what the console costs per frame.
 *
 * The whole desktop must hold 60 frames a second under QEMU's software
 * CPU, so the console times every call of _start (ctx->time_ns at entry
 * and exit) and every PERF_PERIOD_NS logs one line:
 *   perf: 300 calls in 5.0 s, mean 412.3 us, max 1630 us, 7 rows rendered
 * "rows rendered" counts text rows drawn from glyphs in that period; the
 * rest of the cost is the per-frame copy of the window.
 */
#pragma once

#include <stdint.h>

#include "include/fomos.h"

#define PERF_PERIOD_NS 5000000000ull

struct perf {
	uint64_t period_start_ns; /* 0 = not started */
	uint64_t calls;
	uint64_t total_ns;
	uint64_t max_ns;
	uint64_t rows_before; /* rows_rendered when the period started */
};

/* Accounts one call that ran from t0 to t1 (ns); logs through ctx when a
 * period is over. rows_rendered is the window's running count. */
void perf_call(struct perf *p, const struct fomos_context *ctx, uint64_t t0, uint64_t t1,
	       uint64_t rows_rendered);
