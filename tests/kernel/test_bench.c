/*
 * Self-test of the benchmark's histogram (lib/hist.h) as the kernel
 * compiles it: known samples give their quantiles exactly where buckets
 * are one value wide, and within the bucket error (1/128 of the value)
 * above that. tests/unit/test_hist.c checks it at length on the host
 * against sorted samples; this one checks the kernel's own build of it.
 */
#include <stdbool.h>
#include <stdint.h>

#include "lib/hist.h"
#include "mm/heap.h"
#include "tests/kernel/selftest.h"

static bool near(uint64_t got, uint64_t want)
{
	uint64_t diff = got > want ? got - want : want - got;
	return diff * 128 <= want;
}

static const char *check(struct hist *h)
{
	KEXPECT(h->count == 0 && hist_quantile(h, 500) == 0);

	/* 1..100: small values are exact; nearest rank of 50% is the 50th. */
	for (uint64_t v = 100; v >= 1; v--) {
		hist_add(h, v);
	}
	KEXPECT(hist_quantile(h, 500) == 50);
	KEXPECT(hist_quantile(h, 990) == 99);
	KEXPECT(hist_quantile(h, 1000) == 100);

	/* 1000 values 1000, 2000, ..., 10^6: p50 is 500000, p99 990000. */
	hist_reset(h);
	for (uint64_t i = 1; i <= 1000; i++) {
		hist_add(h, i * 1000);
	}
	KEXPECT(h->count == 1000 && h->min == 1000 && h->max == 1000000);
	KEXPECT(near(hist_quantile(h, 500), 500000));
	KEXPECT(near(hist_quantile(h, 990), 990000));

	/* One outlier among 99 equal samples moves p50 and p99 not at all. */
	hist_reset(h);
	for (int i = 0; i < 99; i++) {
		hist_add(h, 1687);
	}
	hist_add(h, (uint64_t)1 << 40);
	KEXPECT(near(hist_quantile(h, 500), 1687));
	KEXPECT(near(hist_quantile(h, 990), 1687));
	KEXPECT(hist_quantile(h, 1000) == (uint64_t)1 << 40);
	return NULL;
}

KTEST(hist_quantiles)
{
	struct hist *h = kzalloc(sizeof(*h));
	KEXPECT(h != NULL);
	const char *failure = check(h);
	kfree(h);
	return failure;
}
