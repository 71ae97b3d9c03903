/*
 * tests/unit/test_tlsf.c — host tests for the TLSF allocator.
 *
 * Builds the real mm/tlsf.c over malloc'd pools (some deliberately
 * misaligned). tlsf_check runs after the operations under test; randomized
 * workloads fill every block with a pattern that must survive until it is
 * freed (overlap or allocator scribbling fails there); the fragmentation
 * tests measure how much live data a pool holds before an allocation is
 * refused and print the numbers quoted in docs/memory-allocators.md.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mm/tlsf.h"

#define KIB ((size_t)1 << 10)
#define MIB ((size_t)1 << 20)

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

static struct tlsf_stats stats_of(const struct tlsf *t)
{
	struct tlsf_stats s;

	tlsf_get_stats(t, &s);
	return s;
}

static void assert_stats_equal(struct tlsf_stats a, struct tlsf_stats b)
{
	assert_int_equal(a.pool_count, b.pool_count);
	assert_int_equal(a.pool_bytes, b.pool_bytes);
	assert_int_equal(a.used_bytes, b.used_bytes);
	assert_int_equal(a.free_bytes, b.free_bytes);
	assert_int_equal(a.alloc_count, b.alloc_count);
}

static bool inside(const void *p, size_t n, const void *mem, size_t bytes)
{
	uintptr_t a = (uintptr_t)p;
	uintptr_t lo = (uintptr_t)mem;

	return a >= lo && a + n <= lo + bytes;
}

/* A heap with one pool of `bytes`, page aligned so layouts reproduce. */
static uint8_t *heap_open(struct tlsf *t, size_t bytes)
{
	uint8_t *mem = aligned_alloc(4096, bytes);

	assert_non_null(mem);
	tlsf_init(t);
	assert_int_equal(tlsf_add_pool(t, mem, bytes), 0);
	return mem;
}

/* ------------------------------------------------------------- basics -- */

static void test_empty_heap(void **state)
{
	struct tlsf t;

	(void)state;
	tlsf_init(&t);
	assert_null(tlsf_alloc(&t, 16, 16));
	assert_null(tlsf_alloc(&t, 0, 1));
	assert_int_equal(tlsf_free(&t, NULL), 0);
	assert_int_equal(tlsf_block_size(NULL), 0);
	assert_false(tlsf_owns(&t, &t));
	assert_int_equal(tlsf_check(&t), 0);
	struct tlsf_stats s = stats_of(&t);

	assert_int_equal(s.pool_count + s.pool_bytes + s.used_bytes + s.free_bytes + s.alloc_count,
			 0);
}

static void test_add_pool_rejects(void **state)
{
	struct tlsf t;
	uint8_t *mem = malloc(4 * KIB);

	(void)state;
	assert_non_null(mem);
	tlsf_init(&t);
	assert_int_equal(tlsf_add_pool(&t, NULL, 4 * KIB), TLSF_EINVAL);
	assert_int_equal(tlsf_add_pool(&t, mem, 63), TLSF_EINVAL);
	assert_int_equal(tlsf_add_pool(&t, (void *)(UINTPTR_MAX - 64), 4 * KIB), TLSF_EINVAL);
	assert_int_equal(tlsf_add_pool(&t, (void *)0x10000, (size_t)1 << 41), TLSF_EINVAL);
	assert_int_equal(tlsf_add_pool(&t, mem + 1024, 2 * KIB), 0);
	assert_int_equal(tlsf_add_pool(&t, mem, 1024 + 16), TLSF_EBUSY);
	assert_int_equal(tlsf_add_pool(&t, mem + 3 * KIB - 8, KIB), TLSF_EBUSY);
	assert_int_equal(tlsf_add_pool(&t, mem + 3 * KIB, KIB), 0);
	assert_int_equal(tlsf_add_pool(&t, mem, 128), 0); /* always enough */
	assert_int_equal(tlsf_check(&t), 0);
	struct tlsf_stats s = stats_of(&t);

	assert_int_equal(s.pool_count, 3);
	assert_int_equal(s.pool_bytes, 3 * KIB + 128);
	assert_true(s.pool_bytes - s.free_bytes <= 3 * 62);
	free(mem);
}

static void test_alloc_free_basics(void **state)
{
	static const size_t sizes[] = {1, 8, 16, 24, 25, 100, 1000, 5000};
	enum { N = sizeof(sizes) / sizeof(sizes[0]) };
	struct tlsf t;
	void *p[N];
	uint8_t *mem = heap_open(&t, 64 * KIB);

	(void)state;
	struct tlsf_stats empty = stats_of(&t);

	for (size_t i = 0; i < N; i++) {
		p[i] = tlsf_alloc(&t, sizes[i], 8);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % 16, 0);
		assert_true(tlsf_block_size(p[i]) >= sizes[i]);
		assert_true(inside(p[i], sizes[i], mem, 64 * KIB));
		assert_true(tlsf_owns(&t, p[i]));
		memset(p[i], (int)i, sizes[i]);
		assert_int_equal(tlsf_check(&t), 0);
	}
	assert_int_equal(stats_of(&t).alloc_count, N);
	for (size_t i = 0; i < N; i++) {
		for (size_t k = 0; k < sizes[i]; k++) {
			assert_int_equal(((uint8_t *)p[i])[k], i);
		}
		assert_int_equal(tlsf_free(&t, p[i]), 0);
		assert_int_equal(tlsf_check(&t), 0);
	}
	assert_stats_equal(stats_of(&t), empty);
	free(mem);
}

/* One 8-byte header per block, sizes in 16-byte steps, minimum 32. */
static void test_block_size_and_overhead(void **state)
{
	static const size_t ask[] = {1, 24, 25, 40, 41, 1000};
	static const size_t usable[] = {24, 24, 40, 40, 56, 1000};
	struct tlsf t;
	uint8_t *mem = heap_open(&t, 16 * KIB);

	(void)state;
	for (size_t i = 0; i < sizeof(ask) / sizeof(ask[0]); i++) {
		size_t before = stats_of(&t).free_bytes;
		void *p = tlsf_alloc(&t, ask[i], 16);

		assert_int_equal(tlsf_block_size(p), usable[i]);
		assert_int_equal(before - stats_of(&t).free_bytes, usable[i] + 8);
		memset(p, 0xee, usable[i]); /* the whole usable size is ours */
	}
	assert_int_equal(tlsf_check(&t), 0);
	free(mem);
}

/* Policy: size 0 is served like size 1, a unique freeable block. */
static void test_zero_size(void **state)
{
	struct tlsf t;
	uint8_t *mem = heap_open(&t, 4 * KIB);

	(void)state;
	void *a = tlsf_alloc(&t, 0, 1);
	void *b = tlsf_alloc(&t, 0, 64);

	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_int_equal((uintptr_t)b % 64, 0);
	assert_int_equal(tlsf_block_size(a), 24);
	assert_int_equal(tlsf_free(&t, a), 0);
	assert_int_equal(tlsf_free(&t, b), 0);
	assert_int_equal(stats_of(&t).alloc_count, 0);
	assert_int_equal(tlsf_check(&t), 0);
	free(mem);
}

static void test_alignment(void **state)
{
	static const size_t sizes[] = {1, 17, 100, 4096, 5000};
	enum { NS = sizeof(sizes) / sizeof(sizes[0]) };
	struct tlsf t;
	void *live[17 * NS];
	size_t n = 0;
	uint8_t *mem = malloc(4 * MIB + 5);

	(void)state;
	tlsf_init(&t);
	assert_int_equal(tlsf_add_pool(&t, mem + 5, 4 * MIB), 0);
	struct tlsf_stats empty = stats_of(&t);

	for (size_t align = 1; align <= 64 * KIB; align *= 2) {
		for (size_t i = 0; i < NS; i++) {
			void *p = tlsf_alloc(&t, sizes[i], align);
			size_t want = align < 16 ? 16 : align;

			assert_non_null(p);
			assert_int_equal((uintptr_t)p % want, 0);
			assert_true(tlsf_block_size(p) >= sizes[i]);
			memset(p, 0x5a, sizes[i]);
			assert_int_equal(tlsf_check(&t), 0);
			live[n++] = p;
		}
	}
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(tlsf_free(&t, live[i]), 0);
	}
	assert_int_equal(tlsf_check(&t), 0);
	assert_stats_equal(stats_of(&t), empty);
	free(mem);
}

/* A large alignment splits the leading gap off as a free, reusable block. */
static void test_alignment_gap_is_reused(void **state)
{
	struct tlsf t;
	uint8_t *mem = heap_open(&t, 64 * KIB);

	(void)state;
	size_t before = stats_of(&t).free_bytes;
	uint8_t *page = tlsf_alloc(&t, 4096, 4096);

	assert_ptr_equal(page, mem + 4096); /* first aligned spot past the
					       pool header */
	assert_int_equal(before - stats_of(&t).free_bytes, 4096 + 16);
	void *small = tlsf_alloc(&t, 1000, 16);

	assert_true(inside(small, 1000, mem, 4096)); /* served from the gap */
	assert_int_equal(tlsf_check(&t), 0);
	free(mem);
}

static void test_invalid_requests(void **state)
{
	struct tlsf t;
	uint8_t *mem = heap_open(&t, 4 * KIB);

	(void)state;
	struct tlsf_stats empty = stats_of(&t);

	assert_null(tlsf_alloc(&t, 16, 0));
	assert_null(tlsf_alloc(&t, 16, 3));
	assert_null(tlsf_alloc(&t, 16, 48));
	assert_null(tlsf_alloc(&t, SIZE_MAX, 16));
	assert_null(tlsf_alloc(&t, SIZE_MAX - 7, 16)); /* size + 8 wraps */
	assert_null(tlsf_alloc(&t, TLSF_MAX_ALLOC + 1, 16));
	assert_null(tlsf_alloc(&t, 16, TLSF_MAX_ALLOC * 2));
	assert_null(tlsf_alloc(&t, 8 * KIB, 16)); /* bigger than the pool */
	assert_null(tlsf_alloc(NULL, 16, 16));
	assert_stats_equal(stats_of(&t), empty);
	assert_int_equal(tlsf_check(&t), 0);
	free(mem);
}

/* ----------------------------------------------- coalescing and pools -- */

static void test_coalescing(void **state)
{
	struct tlsf t;
	uint8_t *mem = heap_open(&t, 8 * KIB);
	void *p[4];

	(void)state;
	size_t whole = stats_of(&t).free_bytes - 8;

	for (int i = 0; i < 4; i++) {
		p[i] = tlsf_alloc(&t, 1000, 16); /* 1008-byte blocks */
	}
	void *rest = tlsf_alloc(&t, stats_of(&t).free_bytes - 8, 16);

	assert_non_null(rest);
	assert_int_equal(stats_of(&t).free_bytes, 0);
	/* Free 0 and 2 (no neighbour free), then 1 joins them into one block
	 * of exactly the three, absorbed headers included. */
	assert_int_equal(tlsf_free(&t, p[0]), 0);
	assert_int_equal(tlsf_free(&t, p[2]), 0);
	assert_int_equal(tlsf_check(&t), 0);
	assert_null(tlsf_alloc(&t, 1001, 16)); /* fits in neither hole */
	assert_int_equal(tlsf_free(&t, p[1]), 0);
	assert_int_equal(tlsf_check(&t), 0);
	void *big = tlsf_alloc(&t, 3 * 1008 - 8, 16);

	assert_ptr_equal(big, p[0]);
	assert_int_equal(tlsf_free(&t, big), 0);
	assert_int_equal(tlsf_free(&t, rest), 0);
	assert_int_equal(tlsf_free(&t, p[3]), 0); /* merges both ways */
	assert_int_equal(tlsf_check(&t), 0);
	void *all = tlsf_alloc(&t, whole, 16); /* the pool is one block again */

	assert_non_null(all);
	assert_int_equal(tlsf_free(&t, all), 0);
	free(mem);
}

static void test_pools_never_coalesce(void **state)
{
	struct tlsf t;
	uint8_t *mem = aligned_alloc(16, 8 * KIB);
	uint8_t *far = malloc(4 * KIB);

	(void)state;
	tlsf_init(&t);
	/* Two pools back to back in memory: still two heaps of blocks. */
	assert_int_equal(tlsf_add_pool(&t, mem, 4 * KIB), 0);
	assert_int_equal(tlsf_add_pool(&t, mem + 4 * KIB, 4 * KIB), 0);
	assert_null(tlsf_alloc(&t, 5 * KIB, 16));
	void *a = tlsf_alloc(&t, 3 * KIB, 16);
	void *b = tlsf_alloc(&t, 3 * KIB, 16);

	assert_non_null(a);
	assert_non_null(b);
	assert_true(inside(a, 3 * KIB, mem, 4 * KIB) != inside(b, 3 * KIB, mem, 4 * KIB));
	assert_null(tlsf_alloc(&t, 3 * KIB, 16));
	assert_int_equal(tlsf_add_pool(&t, far, 4 * KIB), 0); /* elsewhere */
	void *c = tlsf_alloc(&t, 3 * KIB, 16);

	assert_true(inside(c, 3 * KIB, far, 4 * KIB));
	assert_int_equal(tlsf_free(&t, a), 0);
	assert_int_equal(tlsf_free(&t, b), 0);
	assert_int_equal(tlsf_free(&t, c), 0);
	assert_int_equal(tlsf_check(&t), 0);
	assert_null(tlsf_alloc(&t, 5 * KIB, 16));
	assert_int_equal(stats_of(&t).pool_count, 3);
	free(mem);
	free(far);
}

static void test_double_free_refused(void **state)
{
	struct tlsf t;
	uint8_t *mem = heap_open(&t, 8 * KIB);

	(void)state;
	void *a = tlsf_alloc(&t, 100, 16);
	void *b = tlsf_alloc(&t, 100, 16);
	void *c = tlsf_alloc(&t, 100, 16);

	assert_int_equal(tlsf_free(&t, b), 0);
	struct tlsf_stats s = stats_of(&t);

	assert_int_equal(tlsf_free(&t, b), TLSF_EDOUBLE);
	assert_int_equal(tlsf_free(&t, (uint8_t *)a + 8), TLSF_EINVAL);
	assert_stats_equal(stats_of(&t), s);
	assert_int_equal(tlsf_check(&t), 0);
	/* c merges backwards into b's block, a forwards over it: the stale
	 * headers still say "free". */
	assert_int_equal(tlsf_free(&t, c), 0);
	assert_int_equal(tlsf_free(&t, a), 0);
	s = stats_of(&t);
	assert_int_equal(tlsf_free(&t, c), TLSF_EDOUBLE);
	assert_int_equal(tlsf_free(&t, b), TLSF_EDOUBLE);
	assert_int_equal(tlsf_free(&t, a), TLSF_EDOUBLE);
	assert_stats_equal(stats_of(&t), s);
	assert_int_equal(tlsf_check(&t), 0);
	free(mem);
}

static void test_check_detects_corruption(void **state)
{
	struct tlsf t;
	uint8_t *mem = heap_open(&t, 8 * KIB);

	(void)state;
	size_t *a = tlsf_alloc(&t, 100, 16);
	void *b = tlsf_alloc(&t, 100, 16);
	size_t saved = a[-1]; /* a's header word */

	(void)tlsf_alloc(&t, 100, 16);
	assert_int_equal(tlsf_free(&t, b), 0);
	a[-1] = saved + 16; /* a now overlaps the free block after it */
	assert_int_not_equal(tlsf_check(&t), 0);
	a[-1] = saved | 1; /* "free" next to a free block, and unlisted */
	assert_int_not_equal(tlsf_check(&t), 0);
	a[-1] = saved;
	assert_int_equal(tlsf_check(&t), 0);
	t.used_bytes += 16;
	assert_int_equal(tlsf_check(&t), TLSF_ECHK_STATS);
	t.used_bytes -= 16;
	t.sl_bitmap[0] ^= 1u << 5;
	assert_int_equal(tlsf_check(&t), TLSF_ECHK_BITMAP);
	t.sl_bitmap[0] ^= 1u << 5;
	assert_int_equal(tlsf_check(&t), 0);
	free(mem);
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
	    cmocka_unit_test(test_empty_heap),
	    cmocka_unit_test(test_add_pool_rejects),
	    cmocka_unit_test(test_alloc_free_basics),
	    cmocka_unit_test(test_block_size_and_overhead),
	    cmocka_unit_test(test_zero_size),
	    cmocka_unit_test(test_alignment),
	    cmocka_unit_test(test_alignment_gap_is_reused),
	    cmocka_unit_test(test_invalid_requests),
	    cmocka_unit_test(test_coalescing),
	    cmocka_unit_test(test_pools_never_coalesce),
	    cmocka_unit_test(test_double_free_refused),
	    cmocka_unit_test(test_check_detects_corruption),
	    cmocka_unit_test(test_random_workload_seed_1),
	    cmocka_unit_test(test_random_workload_seed_2),
	    cmocka_unit_test(test_fragmentation_bounded),
	    cmocka_unit_test(test_fragmentation_margin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
