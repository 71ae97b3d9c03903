/*
 * tests/bench/bench.h — helpers shared by the host benchmarks.
 *
 * The monotonic clock, sorting a sample set and reading a percentile from
 * it: the benchmarks report medians and tails of many samples, never one
 * time. Header-only and `static inline`, so each benchmark stays a single
 * .c file and an unused helper costs no warning. Needs _GNU_SOURCE (or
 * POSIX) defined before the first include, for clock_gettime.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline int bench_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a;
	uint64_t y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static inline void bench_sort_u64(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), bench_cmp_u64);
}

/* The pct-th percentile of n >= 1 sorted samples (nearest rank, rounding down). */
static inline uint64_t bench_pct_u64(const uint64_t *sorted, size_t n, unsigned pct)
{
	return sorted[(n - 1) * pct / 100];
}
