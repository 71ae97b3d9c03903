/*
 * tests/unit/test_hist.c — host tests for lib/hist.c, the
 * benchmark's log-linear histogram.
 *
 * The oracle is the exact nearest-rank quantile of the same samples,
 * sorted: for every distribution and every quantile asked, the histogram
 * must agree exactly where buckets are one value wide (below 128) and
 * within 1/128 of the exact value above. Distributions: every small value,
 * uniform, log-uniform over 2^0..2^63 (a fixed seed, so a failure
 * reproduces), two clusters far apart, and single samples at every power
 * of two and its neighbours up to UINT64_MAX.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/hist.h"

#define SAMPLES 20000

static const unsigned quantiles[] = {1, 10, 100, 250, 500, 750, 900, 990, 999, 1000};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The exact nearest-rank quantile of sorted[0..n). */
static uint64_t exact(const uint64_t *sorted, size_t n, unsigned per_mille)
{
	size_t rank = (n * per_mille + 999) / 1000;
	return sorted[rank == 0 ? 0 : rank - 1];
}

/* Fill a histogram with v[0..n) and compare every quantile with the oracle. */
static void check_against_sorted(uint64_t *v, size_t n)
{
	struct hist *h = calloc(1, sizeof(*h));
	assert_non_null(h);
	for (size_t i = 0; i < n; i++) {
		hist_add(h, v[i]);
	}
	qsort(v, n, sizeof(v[0]), cmp_u64);
	assert_int_equal(h->count, n);
	assert_int_equal(h->min, v[0]);
	assert_int_equal(h->max, v[n - 1]);
	for (size_t q = 0; q < sizeof(quantiles) / sizeof(quantiles[0]); q++) {
		uint64_t want = exact(v, n, quantiles[q]);
		uint64_t got = hist_quantile(h, quantiles[q]);
		uint64_t diff = got > want ? got - want : want - got;
		if (want < 128) {
			assert_int_equal(got, want);
		} else if (diff > want / 128) {
			fail_msg("p%u/1000: got %llu, exact %llu", quantiles[q],
				 (unsigned long long)got, (unsigned long long)want);
		}
	}
	free(h);
}

/* A 64-bit xorshift: the same stream on every host. */
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_empty(void **state)
{
	(void)state;
	struct hist *h = calloc(1, sizeof(*h));
	assert_non_null(h);
	assert_int_equal(hist_quantile(h, 500), 0);
	hist_add(h, 12345);
	hist_reset(h);
	assert_int_equal(h->count, 0);
	assert_int_equal(hist_quantile(h, 990), 0);
	free(h);
}

static void test_small_values_exact(void **state)
{
	(void)state;
	uint64_t v[128 * 3];
	for (size_t i = 0; i < 128 * 3; i++) {
		v[i] = (i * 7) % 128; /* every value below 128, three times */
	}
	check_against_sorted(v, 128 * 3);
}

static void test_uniform(void **state)
{
	(void)state;
	static uint64_t v[SAMPLES];
	for (size_t i = 0; i < SAMPLES; i++) {
		v[i] = 1000 + next_random() % 5000000;
	}
	check_against_sorted(v, SAMPLES);
}

static void test_log_uniform(void **state)
{
	(void)state;
	static uint64_t v[SAMPLES];
	for (size_t i = 0; i < SAMPLES; i++) {
		unsigned bits = (unsigned)(next_random() % 64);
		v[i] = next_random() >> (63 - bits); /* below 2^(bits + 1) */
	}
	check_against_sorted(v, SAMPLES);
}

static void test_two_clusters(void **state)
{
	(void)state;
	static uint64_t v[SAMPLES];
	for (size_t i = 0; i < SAMPLES; i++) {
		v[i] = i % 50 == 0 ? 250000000 + next_random() % 1000 : 1600 + next_random() % 200;
	}
	check_against_sorted(v, SAMPLES);
}

static void test_single_sample_is_exact(void **state)
{
	(void)state;
	struct hist *h = calloc(1, sizeof(*h));
	assert_non_null(h);
	for (unsigned k = 0; k < 64; k++) {
		uint64_t p = (uint64_t)1 << k;
		uint64_t around[] = {p - 1, p, p + 1, p | (p >> 1)};
		for (size_t i = 0; i < 4; i++) {
			hist_reset(h);
			hist_add(h, around[i]);
			assert_int_equal(hist_quantile(h, 1), around[i]);
			assert_int_equal(hist_quantile(h, 1000), around[i]);
		}
	}
	hist_reset(h);
	hist_add(h, UINT64_MAX);
	hist_add(h, UINT64_MAX - 1);
	assert_int_equal(hist_quantile(h, 1000), UINT64_MAX);
	assert_true(hist_quantile(h, 500) >= UINT64_MAX - (UINT64_MAX >> 7));
	free(h);
}

/* Out-of-range quantiles are clamped to 1 and 1000. */
static void test_quantile_range(void **state)
{
	(void)state;
	struct hist *h = calloc(1, sizeof(*h));
	assert_non_null(h);
	for (uint64_t v = 1; v <= 10; v++) {
		hist_add(h, v);
	}
	assert_int_equal(hist_quantile(h, 0), 1);
	assert_int_equal(hist_quantile(h, 5000), 10);
	free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),	   cmocka_unit_test(test_small_values_exact),
	    cmocka_unit_test(test_uniform),	   cmocka_unit_test(test_log_uniform),
	    cmocka_unit_test(test_two_clusters),   cmocka_unit_test(test_single_sample_is_exact),
	    cmocka_unit_test(test_quantile_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
