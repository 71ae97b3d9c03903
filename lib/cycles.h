/*
 * The timestamp every cycle figure uses, kernel and apps alike: the TSC,
 * with a compiler barrier so no memory access moves across it. A header of
 * its own so that the benchmark's apps and the kernel read the same clock
 * without an app including a kernel header.
 */
#pragma once

#include <stdint.h>

static inline uint64_t cycles_now(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}
