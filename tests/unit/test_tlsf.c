/*
 * tests/unit/test_tlsf.c — host tests for the rules of the TLSF allocator.
 *
 * Builds the real mm/tlsf.c over malloc'd pools (some deliberately
 * misaligned) and pins down, one operation at a time, what the allocator
 * promises: pool checks, block sizes and header overhead, alignment,
 * refused requests, coalescing (never across pools), double-free detection
 * and what tlsf_check catches. tlsf_check runs after the operations under
 * test. The long randomized workloads and the fragmentation measurements
 * are in test_tlsf_stress.c, so this binary stays quick to read and to run.
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
#include "tests/unit/tlsf_test_util.h"

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
