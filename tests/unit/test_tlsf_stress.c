/*
 * tests/unit/test_tlsf_stress.c — randomized workloads and fragmentation
 * measurements for the TLSF allocator.
 *
 * Builds the real mm/tlsf.c over malloc'd pools (some deliberately
 * misaligned). Randomized workloads fill every block with a pattern that
 * must survive until it is freed (overlap or allocator scribbling fails
 * there), with tlsf_check along the way; the fragmentation tests measure
 * how much live data a pool holds before an allocation is refused and
 * print the numbers quoted in docs/memory-allocators.md. Seeds are fixed,
 * so every run is the same run. Kept apart from test_tlsf.c (the rules,
 * one operation at a time) because these runs are long and only their
 * totals speak.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mm/tlsf.h"
#include "tests/unit/tlsf_test_util.h"

static uint64_t rng_next(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static size_t rng_range(uint64_t *state, size_t lo, size_t hi)
{
	return lo + (size_t)(rng_next(state) % (hi - lo + 1));
}

/* Log-uniform in [lo, hi): as many requests per power of two. */
static size_t rng_log(uint64_t *state, unsigned lo_log2, unsigned hi_log2)
{
	unsigned e = (unsigned)rng_range(state, lo_log2, hi_log2 - 1);

	return rng_range(state, (size_t)1 << e, ((size_t)2 << e) - 1);
}

/* --------------------------------------------------- random workloads -- */

struct live {
	uint8_t *p;
	size_t size;
	uint64_t tag;
};

struct workload {
	struct tlsf t;
	struct live *live;
	size_t nlive;
	size_t cap;
	size_t live_bytes; /* bytes requested by the live blocks */
	uint64_t rng;
	size_t max_size;
};

/* Mostly small objects, some buffers, a few big ones (up to max_size). */
static size_t pick_size(struct workload *w)
{
	uint64_t r = rng_next(&w->rng) % 100;

	if (r < 70) {
		return rng_range(&w->rng, 1, 256);
	}
	if (r < 95) {
		return rng_log(&w->rng, 8, 13);
	}
	unsigned top = 63u - (unsigned)__builtin_clzll(w->max_size); /* log2 */

	return rng_log(&w->rng, 13, top); /* 8 KiB .. max_size - 1 */
}

static size_t pick_align(struct workload *w)
{
	uint64_t r = rng_next(&w->rng) % 100;

	return r < 90 ? 8 : (size_t)32 << (r % 8); /* 32 .. 4096 */
}

/* A unique tag in the first word, a tag-derived byte everywhere else. */
static void fill(const struct live *l)
{
	size_t head = l->size < 8 ? l->size : 8;

	memcpy(l->p, &l->tag, head);
	memset(l->p + head, (int)(l->tag >> 56), l->size - head);
}

static void verify(const struct live *l)
{
	size_t head = l->size < 8 ? l->size : 8;
	uint8_t byte = (uint8_t)(l->tag >> 56);

	assert_memory_equal(l->p, &l->tag, head);
	for (size_t i = head; i < l->size; i++) {
		if (l->p[i] != byte) {
			fail_msg("block %p byte %zu clobbered", (void *)l->p, i);
		}
	}
}

static bool workload_alloc(struct workload *w, size_t size)
{
	size_t align = pick_align(w);
	uint8_t *p = tlsf_alloc(&w->t, size, align);

	if (p == NULL) {
		return false;
	}
	struct live *l = &w->live[w->nlive++];

	assert_true(w->nlive <= w->cap);
	assert_int_equal((uintptr_t)p % (align < 16 ? 16 : align), 0);
	l->p = p;
	l->size = size;
	l->tag = rng_next(&w->rng);
	fill(l);
	w->live_bytes += size;
	return true;
}

static void workload_free(struct workload *w, size_t i)
{
	verify(&w->live[i]);
	assert_int_equal(tlsf_free(&w->t, w->live[i].p), 0);
	w->live_bytes -= w->live[i].size;
	w->live[i] = w->live[--w->nlive];
}

static void workload_open(struct workload *w, uint64_t seed, size_t cap)
{
	memset(w, 0, sizeof(*w));
	tlsf_init(&w->t);
	w->rng = seed;
	w->cap = cap;
	w->live = calloc(cap, sizeof(*w->live));
	assert_non_null(w->live);
}

static void workload_close(struct workload *w)
{
	while (w->nlive > 0) {
		workload_free(w, rng_next(&w->rng) % w->nlive);
	}
	assert_int_equal(tlsf_check(&w->t), 0);
	struct tlsf_stats s = stats_of(&w->t);

	/* Nothing used and no two free neighbours: one free block per pool. */
	assert_int_equal(s.used_bytes, 0);
	assert_int_equal(s.alloc_count, 0);
	free(w->live);
}

/* Three pools of different sizes, two misaligned; allocation may fail. */
static void run_random_workload(uint64_t seed, unsigned ops)
{
	static const size_t pool[3] = {1 * MIB + 3, 256 * KIB, 4 * MIB + 9};
	struct workload w;
	uint8_t *mem[3];
	unsigned fails = 0;

	workload_open(&w, seed, 1 << 16);
	w.max_size = 256 * KIB;
	for (int i = 0; i < 3; i++) {
		mem[i] = malloc(pool[i] + 16);
		assert_int_equal(tlsf_add_pool(&w.t, mem[i] + i * 5, pool[i]), 0);
	}
	size_t free0 = stats_of(&w.t).free_bytes;

	for (unsigned op = 0; op < ops; op++) {
		if (w.nlive == 0 || rng_next(&w.rng) % 100 < 55) {
			fails += !workload_alloc(&w, pick_size(&w));
		} else {
			workload_free(&w, rng_next(&w.rng) % w.nlive);
		}
		if (op < 1000 || op % 101 == 0) {
			assert_int_equal(tlsf_check(&w.t), 0);
		}
	}
	workload_close(&w);
	assert_int_equal(stats_of(&w.t).free_bytes, free0);
	assert_true(fails > 0); /* the pools did fill up */
	print_message("seed %#llx: %u ops, %u failed allocations\n", (unsigned long long)seed, ops,
		      fails);
	for (int i = 0; i < 3; i++) {
		free(mem[i]);
	}
}

static void test_random_workload_seed_1(void **state)
{
	(void)state;
	run_random_workload(1, 200000);
}

static void test_random_workload_seed_2(void **state)
{
	(void)state;
	run_random_workload(0x7153f00d, 200000);
}

/* ------------------------------------------------------ fragmentation -- */

enum { FRAG_POOL = 4 * MIB, FRAG_OPS = 400000 };

/* What one bounded run saw; `op` is FRAG_OPS when nothing failed. */
struct frag_result {
	unsigned op;
	size_t size;
	size_t live;
	double worst_overhead; /* pool bytes used per byte requested */
};

/*
 * Keep live data at most pct% of the pool (no request above 1/64 of it) and
 * stop at the first refused allocation. Also measures the worst internal
 * overhead once live data is at least a quarter of the pool.
 */
static struct frag_result run_bounded(uint64_t seed, unsigned pct)
{
	struct workload w;
	uint8_t *mem = aligned_alloc(4096, FRAG_POOL);
	struct frag_result r = {.op = FRAG_OPS, .worst_overhead = 1.0};

	workload_open(&w, seed, 1 << 16);
	w.max_size = FRAG_POOL / 64;
	assert_int_equal(tlsf_add_pool(&w.t, mem, FRAG_POOL), 0);
	for (unsigned op = 0; op < FRAG_OPS && r.op == FRAG_OPS; op++) {
		size_t size = pick_size(&w);

		if (rng_next(&w.rng) % 100 < 45 && w.nlive > 0) {
			workload_free(&w, rng_next(&w.rng) % w.nlive);
			continue;
		}
		while (w.live_bytes + size > FRAG_POOL / 100 * pct) {
			workload_free(&w, rng_next(&w.rng) % w.nlive);
		}
		if (!workload_alloc(&w, size)) {
			r = (struct frag_result){op, size, w.live_bytes, r.worst_overhead};
		}
		double o = (double)stats_of(&w.t).used_bytes / (double)w.live_bytes;

		if (w.live_bytes >= FRAG_POOL / 4 && o > r.worst_overhead) {
			r.worst_overhead = o;
		}
		if (op % 1009 == 0) {
			assert_int_equal(tlsf_check(&w.t), 0);
		}
	}
	workload_close(&w);
	free(mem);
	return r;
}

/* The requirement: live <= 50% of the pool never sees a refusal. */
static void test_fragmentation_bounded(void **state)
{
	static const uint64_t seeds[] = {0xf4a6, 0x5eed2, 0xc0ffee};

	(void)state;
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		struct frag_result r = run_bounded(seeds[i], 50);

		if (r.op != FRAG_OPS) {
			fail_msg("seed %#llx op %u: %zu bytes refused, %zu live",
				 (unsigned long long)seeds[i], r.op, r.size, r.live);
		}
		assert_true(r.worst_overhead < 1.25);
		print_message("bounded 50%%, seed %#llx: %d ops, no refusal, "
			      "worst used/requested %.3f\n",
			      (unsigned long long)seeds[i], FRAG_OPS, r.worst_overhead);
	}
}

/* The margin: raise the bound until a run sees its first refusal. */
static void test_fragmentation_margin(void **state)
{
	unsigned pct = 55;
	struct frag_result r;

	(void)state;
	while ((r = run_bounded(0xf4a6, pct)).op == FRAG_OPS && pct < 95) {
		pct += 5;
	}
	print_message("margin: no refusal up to %u%% live; at %u%%: %zu bytes "
		      "refused at op %u with %.1f%% of the pool live\n",
		      pct - 5, pct, r.size, r.op, 100.0 * (double)r.live / FRAG_POOL);
	assert_true(pct > 55);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_random_workload_seed_1),
	    cmocka_unit_test(test_random_workload_seed_2),
	    cmocka_unit_test(test_fragmentation_bounded),
	    cmocka_unit_test(test_fragmentation_margin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
