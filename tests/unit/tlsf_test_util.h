/*
 * tests/unit/tlsf_test_util.h — helpers shared by the TLSF host tests.
 *
 * test_tlsf.c (the rules, one operation at a time) and test_tlsf_stress.c
 * (random workloads, fragmentation) are two binaries over the same
 * mm/tlsf.c; what both need lives here once. Header-only and `static
 * inline`, so each test links nothing extra and an unused helper costs no
 * warning.
 */
#pragma once

#include <stddef.h>

#include "mm/tlsf.h"

#define KIB ((size_t)1 << 10)
#define MIB ((size_t)1 << 20)

static inline struct tlsf_stats stats_of(const struct tlsf *t)
{
	struct tlsf_stats s;

	tlsf_get_stats(t, &s);
	return s;
}
