/*
 * A histogram of timing samples (cycles or nanoseconds) that answers
 * quantiles — p50, p99 — without keeping the samples: a million calls
 * cost the same 15 KiB as ten.
 *
 * Buckets are log-linear: every power of two [2^e, 2^(e+1)) is cut into
 * HIST_SUB equal sub-buckets, and values below 2 * HIST_SUB
 * get a bucket each. A bucket is then at most 1/64 of its lower bound
 * wide, and a quantile, reported as its bucket's midpoint (clamped to the
 * smallest and largest sample seen), is within 1/128 (0.8%) of the exact
 * nearest-rank quantile of the samples.
 *
 * A zeroed struct is an empty histogram (kzalloc or an app's calloc will
 * do). Pure C, no allocation: the kernel (bench/bench.c), the benchmark app
 * apps/bench_ctx and the host unit test all build this same file.
 */
#pragma once

#include <stdint.h>

#define HIST_SUB_BITS 6
#define HIST_SUB      (1u << HIST_SUB_BITS)
/* Exact buckets for [0, 64), then 64 per power of two from 2^6 to 2^63. */
#define HIST_BUCKETS (HIST_SUB * (64 - HIST_SUB_BITS + 1))

struct hist {
	uint64_t count; /* at most UINT32_MAX: further samples are ignored */
	uint64_t min, max;
	uint32_t buckets[HIST_BUCKETS];
};

/* Empty h again. */
void hist_reset(struct hist *h);

void hist_add(struct hist *h, uint64_t value);

/*
 * The nearest-rank quantile, per_mille in 1..1000 (500: the median, 990:
 * p99): the smallest sample value v such that at least per_mille/1000 of
 * the samples are <= v, to within the bucket error above; the first and
 * the last rank are the exact minimum and maximum. 0 when empty.
 */
uint64_t hist_quantile(const struct hist *h, unsigned per_mille);
