/*
 * tests/unit/test_buddy.c — host tests for the page-frame buddy allocator.
 *
 * Builds the real mm/buddy.c against a malloc'd buffer that stands for
 * physical memory starting at FAKE_BASE (so physical and virtual addresses
 * differ, as in the kernel's direct map). buddy_check runs after the
 * operations under test; the randomized workloads keep a shadow model of
 * every live block (owner of each frame plus a pattern in each frame) and
 * end by proving the allocator is back to its exact initial block set.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mm/buddy.h"

#define KIB	  (UINT64_C(1) << 10)
#define MIB	  (UINT64_C(1) << 20)
#define PAGE	  BUDDY_PAGE_SIZE
#define FAKE_BASE (1 * MIB)

/* Fake physical memory [base, base + bytes) and an allocator over [0, ...). */
struct arena {
	uint64_t base;
	uint64_t bytes;
	uint8_t *mem;
	uint8_t *meta;
	size_t meta_len;
	struct buddy b;
};

static void arena_open(struct arena *a, uint64_t base, uint64_t bytes)
{
	a->base = base;
	a->bytes = bytes;
	a->mem = aligned_alloc(PAGE, bytes);
	assert_non_null(a->mem);
	a->meta_len = buddy_meta_bytes(base + bytes);
	a->meta = malloc(a->meta_len);
	assert_non_null(a->meta);
	assert_int_equal(buddy_init(&a->b, base + bytes, a->meta), 0);
}

static void arena_close(struct arena *a)
{
	free(a->mem);
	free(a->meta);
}

static void *arena_virt(const struct arena *a, uint64_t phys)
{
	return a->mem + (phys - a->base);
}

/* Everything a failed operation must leave untouched. */
struct snapshot {
	uint8_t *meta;
	struct buddy b;
};

/* The metadata bytes, one per frame (the links after them keep no order). */
static void snapshot_take(struct snapshot *s, const struct arena *a)
{
	s->meta = malloc(a->b.npages);
	assert_non_null(s->meta);
	memcpy(s->meta, a->meta, a->b.npages);
	s->b = a->b;
}

static void snapshot_assert_same(struct snapshot *s, const struct arena *a)
{
	assert_memory_equal(s->meta, a->meta, a->b.npages);
	assert_int_equal(s->b.free_pages, a->b.free_pages);
	for (unsigned k = 0; k < BUDDY_ORDER_COUNT; k++) {
		assert_int_equal(s->b.counts[k], a->b.counts[k]);
	}
	free(s->meta);
	s->meta = NULL;
}

/* splitmix64: a small deterministic generator for fixed-seed workloads. */
static uint64_t rng_next(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t rng_below(uint64_t *state, uint64_t n)
{
	return rng_next(state) % n;
}

/* ------------------------------------------------------------- basics -- */

static void test_helpers(void **state)
{
	(void)state;
	assert_int_equal(buddy_meta_bytes(0), 0);
	assert_int_equal(buddy_meta_bytes(PAGE - 1), 0);
	assert_int_equal(buddy_meta_bytes(16 * MIB + 123), 4096 + 4096 * 8);
	assert_int_equal(buddy_meta_bytes(3 * PAGE), 8 + 3 * 8); /* links 8-byte aligned */
	assert_int_equal(buddy_order_for_pages(0), 0);
	assert_int_equal(buddy_order_for_pages(1), 0);
	assert_int_equal(buddy_order_for_pages(3), 2);
	assert_int_equal(buddy_order_for_pages(4096), 12);
	assert_true(buddy_order_for_pages(4097) > BUDDY_MAX_ORDER);
}

static void test_init_everything_reserved(void **state)
{
	struct arena a;
	struct buddy b;
	uint64_t meta[8];

	(void)state;
	arena_open(&a, FAKE_BASE, 4 * MIB);
	assert_int_equal(buddy_free_pages(&a.b), 0);
	assert_int_equal(buddy_total_pages(&a.b), 0);
	assert_int_equal(buddy_alloc(&a.b, 0), BUDDY_NO_MEMORY);
	assert_int_equal(buddy_free(&a.b, FAKE_BASE, 0), BUDDY_ENOTALLOC);
	assert_int_equal(buddy_check(&a.b), 0);
	arena_close(&a);

	assert_int_equal(buddy_init(&b, 4 * PAGE, NULL), BUDDY_EINVAL);
	assert_int_equal(buddy_init(&b, 4 * PAGE, (uint8_t *)meta + 4), BUDDY_EINVAL);
	assert_int_equal(buddy_init(&b, BUDDY_MAX_LIMIT + PAGE, (uint8_t *)meta), BUDDY_ERANGE);
	assert_int_equal(buddy_init(&b, 0, NULL), 0);
	assert_int_equal(buddy_check(&b), 0);
}

static void test_aligned_range_gives_max_blocks(void **state)
{
	struct arena a;

	(void)state;
	arena_open(&a, 16 * MIB, 32 * MIB);
	assert_int_equal(buddy_add_range(&a.b, 16 * MIB, 48 * MIB), 0);
	assert_int_equal(buddy_check(&a.b), 0);
	assert_int_equal(buddy_total_pages(&a.b), 8192);
	assert_int_equal(buddy_free_pages(&a.b), 8192);
	assert_int_equal(buddy_free_blocks(&a.b, BUDDY_MAX_ORDER), 2);
	for (unsigned k = 0; k < BUDDY_MAX_ORDER; k++) {
		assert_int_equal(buddy_free_blocks(&a.b, k), 0);
	}
	/* A whole 16 MiB block, aligned to 16 MiB. */
	uint64_t p = buddy_alloc(&a.b, BUDDY_MAX_ORDER);

	assert_int_equal(p % (16 * MIB), 0);
	assert_int_equal(buddy_check(&a.b), 0);
	assert_int_equal(buddy_free(&a.b, p, BUDDY_MAX_ORDER), 0);
	assert_int_equal(buddy_alloc(&a.b, BUDDY_MAX_ORDER + 1), BUDDY_NO_MEMORY);
	arena_close(&a);
}

static void test_split_then_merge_back(void **state)
{
	struct arena a;
	struct snapshot s;

	(void)state;
	arena_open(&a, 16 * MIB, 16 * MIB);
	assert_int_equal(buddy_add_range(&a.b, 16 * MIB, 32 * MIB), 0);
	snapshot_take(&s, &a);

	uint64_t p = buddy_alloc(&a.b, 0);

	assert_int_equal(p, 16 * MIB); /* the lower half is kept each split */
	assert_int_equal(buddy_check(&a.b), 0);
	for (unsigned k = 0; k < BUDDY_MAX_ORDER; k++) {
		assert_int_equal(buddy_free_blocks(&a.b, k), 1);
	}
	assert_int_equal(buddy_free_blocks(&a.b, BUDDY_MAX_ORDER), 0);
	assert_int_equal(buddy_free_pages(&a.b), 4095);
	assert_int_equal(buddy_free(&a.b, p, 0), 0);
	assert_int_equal(buddy_check(&a.b), 0);
	snapshot_assert_same(&s, &a);
	arena_close(&a);
}

static void test_every_page_merges_back(void **state)
{
	enum { N = 256 };
	struct arena a;
	struct snapshot s;
	uint64_t pages[N];
	uint64_t rng = 7;

	(void)state;
	arena_open(&a, FAKE_BASE, 1 * MIB);
	assert_int_equal(buddy_add_range(&a.b, FAKE_BASE, 2 * MIB), 0);
	assert_int_equal(buddy_free_blocks(&a.b, 8), 1);
	snapshot_take(&s, &a);
	for (unsigned i = 0; i < N; i++) {
		pages[i] = buddy_alloc(&a.b, 0);
		assert_true(pages[i] >= FAKE_BASE && pages[i] < 2 * MIB);
		assert_int_equal(pages[i] % PAGE, 0);
	}
	assert_int_equal(buddy_alloc(&a.b, 0), BUDDY_NO_MEMORY);
	for (unsigned i = N - 1; i > 0; i--) { /* Fisher-Yates */
		unsigned j = (unsigned)rng_below(&rng, i + 1);
		uint64_t tmp = pages[i];

		pages[i] = pages[j];
		pages[j] = tmp;
	}
	for (unsigned i = 0; i < N; i++) {
		assert_int_equal(buddy_free(&a.b, pages[i], 0), 0);
		assert_int_equal(buddy_check(&a.b), 0);
	}
	snapshot_assert_same(&s, &a);
	arena_close(&a);
}

/* -------------------------------------------------------------- ranges -- */

static void test_ranges_with_holes_and_odd_alignment(void **state)
{
	struct arena a;
	const uint64_t lo[3] = {FAKE_BASE + 0x1234, FAKE_BASE + 0x80000, FAKE_BASE + 0x3ff000};
	const uint64_t hi[3] = {FAKE_BASE + 0x3f010, FAKE_BASE + 0x17ffff, FAKE_BASE + 0x800000};
	uint64_t expect = 0;

	(void)state;
	arena_open(&a, FAKE_BASE, 8 * MIB);
	for (int r = 0; r < 3; r++) {
		assert_int_equal(buddy_add_range(&a.b, lo[r], hi[r]), 0);
		assert_int_equal(buddy_check(&a.b), 0);
		expect += hi[r] / PAGE - (lo[r] + PAGE - 1) / PAGE;
	}
	assert_int_equal(buddy_total_pages(&a.b), expect);
	/* Every frame handed out lies wholly inside one of the ranges. */
	uint64_t n = 0;

	for (uint64_t p; (p = buddy_alloc(&a.b, 0)) != BUDDY_NO_MEMORY; n++) {
		bool inside = false;

		for (int r = 0; r < 3; r++) {
			inside = inside || (p >= lo[r] && p + PAGE <= hi[r]);
		}
		assert_true(inside);
	}
	assert_int_equal(n, expect);
	assert_int_equal(buddy_free_pages(&a.b), 0);
	assert_int_equal(buddy_check(&a.b), 0);
	arena_close(&a);
}

static void test_adjacent_ranges_merge(void **state)
{
	struct arena a;

	(void)state;
	arena_open(&a, 16 * MIB, 8 * MIB);
	/* Split at an odd frame: each half alone is a staircase of blocks. */
	assert_int_equal(buddy_add_range(&a.b, 16 * MIB, 19 * MIB + PAGE), 0);
	assert_true(buddy_free_blocks(&a.b, 0) > 0);
	assert_int_equal(buddy_add_range(&a.b, 19 * MIB + PAGE, 24 * MIB), 0);
	assert_int_equal(buddy_check(&a.b), 0);
	assert_int_equal(buddy_free_blocks(&a.b, 11), 1);
	assert_int_equal(buddy_free_pages(&a.b), 2048);
	for (unsigned k = 0; k < 11; k++) {
		assert_int_equal(buddy_free_blocks(&a.b, k), 0);
	}
	arena_close(&a);
}

static void test_add_range_errors(void **state)
{
	struct arena a;
	struct snapshot s;
	const uint64_t end = FAKE_BASE + 4 * MIB;

	(void)state;
	arena_open(&a, FAKE_BASE, 4 * MIB);
	assert_int_equal(buddy_add_range(&a.b, FAKE_BASE, FAKE_BASE + MIB), 0);
	snapshot_take(&s, &a);
	assert_int_equal(buddy_add_range(&a.b, FAKE_BASE + MIB - PAGE, end), BUDDY_EBUSY);
	assert_int_equal(buddy_add_range(&a.b, FAKE_BASE + MIB, end + PAGE), BUDDY_ERANGE);
	assert_int_equal(buddy_add_range(&a.b, end, FAKE_BASE), BUDDY_EINVAL);
	/* No whole frame inside: accepted, nothing added. */
	assert_int_equal(buddy_add_range(&a.b, end - 0x800, end - 0x10), 0);
	assert_int_equal(buddy_check(&a.b), 0);
	snapshot_assert_same(&s, &a);
	arena_close(&a);
}

/* ------------------------------------------------------ exhaustion etc -- */

static void test_exhaustion_and_fragmentation(void **state)
{
	struct arena a;
	uint64_t *pages = calloc(1024, sizeof(*pages));

	(void)state;
	assert_non_null(pages);
	arena_open(&a, FAKE_BASE, 4 * MIB);
	assert_int_equal(buddy_add_range(&a.b, FAKE_BASE, FAKE_BASE + 4 * MIB), 0);
	for (unsigned i = 0; i < 1024; i++) {
		pages[i] = buddy_alloc(&a.b, 0);
		assert_int_not_equal(pages[i], BUDDY_NO_MEMORY);
	}
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		assert_int_equal(buddy_alloc(&a.b, k), BUDDY_NO_MEMORY);
	}
	/* Free every other frame: half the memory free, no order-1 block. */
	for (unsigned i = 0; i < 1024; i++) {
		if ((pages[i] / PAGE) % 2 == 0) {
			assert_int_equal(buddy_free(&a.b, pages[i], 0), 0);
		}
	}
	assert_int_equal(buddy_free_pages(&a.b), 512);
	assert_int_equal(buddy_alloc(&a.b, 1), BUDDY_NO_MEMORY);
	assert_int_equal(buddy_check(&a.b), 0);
	uint64_t p = buddy_alloc(&a.b, 0);

	assert_int_not_equal(p, BUDDY_NO_MEMORY);
	assert_int_equal(buddy_free(&a.b, p, 0), 0);
	arena_close(&a);
	free(pages);
}

static void test_bad_frees_rejected(void **state)
{
	struct arena a;
	struct snapshot s;

	(void)state;
	arena_open(&a, FAKE_BASE, 4 * MIB);
	assert_int_equal(buddy_add_range(&a.b, 2 * MIB, FAKE_BASE + 4 * MIB), 0);
	uint64_t p = buddy_alloc(&a.b, 2);
	uint64_t q = buddy_alloc(&a.b, 0);
	uint64_t r = buddy_alloc(&a.b, 0);

	assert_int_equal(r, q + PAGE);
	assert_int_equal(buddy_free(&a.b, r, 0), 0);
	assert_int_equal(buddy_free(&a.b, q, 0), 0);
	snapshot_take(&s, &a);
	assert_int_equal(buddy_free(&a.b, FAKE_BASE + 4 * MIB, 0), BUDDY_ERANGE);
	assert_int_equal(buddy_free(&a.b, UINT64_MAX - PAGE + 1, 0), BUDDY_ERANGE);
	assert_int_equal(buddy_free(&a.b, p + 0x800, 0), BUDDY_EINVAL);
	assert_int_equal(buddy_free(&a.b, p + PAGE, 1), BUDDY_EINVAL);
	assert_int_equal(buddy_free(&a.b, p, BUDDY_MAX_ORDER + 1), BUDDY_EINVAL);
	assert_int_equal(buddy_free(&a.b, p, 1), BUDDY_ENOTALLOC);
	assert_int_equal(buddy_free(&a.b, p + PAGE, 0), BUDDY_ENOTALLOC);
	assert_int_equal(buddy_free(&a.b, FAKE_BASE, 0), BUDDY_ENOTALLOC);
	/* q and r merged into a larger free block that starts at q. */
	assert_int_equal(buddy_free(&a.b, q, 0), BUDDY_EDOUBLE);
	assert_int_equal(buddy_free(&a.b, r, 0), BUDDY_ENOTALLOC);
	assert_int_equal(buddy_check(&a.b), 0);
	snapshot_assert_same(&s, &a);
	assert_int_equal(buddy_free(&a.b, p, 2), 0);
	assert_int_equal(buddy_free(&a.b, p, 2), BUDDY_EDOUBLE);
	assert_int_equal(buddy_check(&a.b), 0);
	arena_close(&a);
}

static void test_phys_zero_is_a_frame(void **state)
{
	struct arena a;

	(void)state;
	arena_open(&a, 0, 64 * KIB);
	assert_int_equal(buddy_add_range(&a.b, 0, 64 * KIB), 0);
	assert_int_equal(buddy_free_blocks(&a.b, 4), 1);
	uint64_t p = buddy_alloc(&a.b, 0);

	assert_int_equal(p, 0);
	memset(arena_virt(&a, p), 0xa5, PAGE);
	assert_int_equal(buddy_check(&a.b), 0);
	assert_int_equal(buddy_free(&a.b, 0, 0), 0);
	assert_int_equal(buddy_free_blocks(&a.b, 4), 1);
	assert_int_equal(buddy_check(&a.b), 0);
	arena_close(&a);
}

static void test_check_detects_corruption(void **state)
{
	struct arena a;

	(void)state;
	arena_open(&a, 16 * MIB, 16 * MIB);
	assert_int_equal(buddy_add_range(&a.b, 16 * MIB, 32 * MIB), 0);
	/* Frame 0 allocated, frame 1 an order-0 free block, frames 2-3 an
	 * order-1 free block (the split keeps the lower half). */
	uint64_t pfn = buddy_alloc(&a.b, 0) / PAGE;
	uint8_t allocated = a.meta[pfn];
	uint8_t inner = a.meta[pfn + 3];

	a.meta[pfn] = a.meta[pfn + 1]; /* two free order-0 buddies */
	assert_int_equal(buddy_check(&a.b), BUDDY_ECHK_MERGE);
	a.meta[pfn] = allocated;
	assert_int_equal(buddy_check(&a.b), 0);
	a.meta[pfn + 3] = a.meta[pfn + 1]; /* a head inside a block */
	assert_int_equal(buddy_check(&a.b), BUDDY_ECHK_META);
	a.meta[pfn + 3] = inner;
	a.b.free_pages++;
	assert_int_equal(buddy_check(&a.b), BUDDY_ECHK_COUNT);
	a.b.free_pages--;
	/* The links follow the metadata bytes (8-byte aligned): next, prev. */
	uint32_t *link = (uint32_t *)(a.meta + ((a.b.npages + 7) & ~7ull)) + 2 * (pfn + 1);
	uint32_t saved = link[1];

	link[1] = 42; /* the back link of the order-0 free block */
	assert_int_equal(buddy_check(&a.b), BUDDY_ECHK_LIST);
	link[1] = saved;
	assert_int_equal(buddy_check(&a.b), 0);
	arena_close(&a);
}

/* --------------------------------------------------- random workload -- */

struct live {
	uint64_t phys;
	unsigned order;
	uint32_t serial; /* unique per allocation, recorded as frame owner */
	uint64_t tag;
};

struct model {
	struct arena a;
	struct live *live;
	size_t nlive;
	uint32_t *owner; /* per frame: serial of the live block, 0 if none */
	uint32_t serial;
	uint64_t rng;
	uint64_t fails;
};

/* Mostly small blocks, a few large ones, like page tables vs. DMA/pools. */
static unsigned pick_order(uint64_t *rng)
{
	uint64_t r = rng_below(rng, 100);

	if (r < 60) {
		return 0;
	}
	if (r < 82) {
		return 1 + (unsigned)rng_below(rng, 2);
	}
	if (r < 98) {
		return 3 + (unsigned)rng_below(rng, 4);
	}
	return 7 + (unsigned)rng_below(rng, BUDDY_MAX_ORDER - 6);
}

/* Write (or verify) a pattern word at both ends of every frame of a block,
 * and claim (or release) its frames in the owner map: a live block that
 * overlaps another, or that the allocator scribbles on, fails here. */
static void shadow(struct model *m, const struct live *l, bool release)
{
	for (uint64_t i = 0; i < (UINT64_C(1) << l->order); i++) {
		uint64_t phys = l->phys + i * PAGE;
		uint64_t *w = arena_virt(&m->a, phys);
		uint32_t *owner = &m->owner[phys / PAGE];
		uint64_t v = l->tag ^ phys;

		if (release) {
			assert_int_equal(*owner, l->serial);
			assert_int_equal(w[0], v);
			assert_int_equal(w[PAGE / 8 - 1], ~v);
			*owner = 0;
		} else {
			assert_int_equal(*owner, 0);
			w[0] = v;
			w[PAGE / 8 - 1] = ~v;
			*owner = l->serial;
		}
	}
}

static void model_alloc(struct model *m)
{
	unsigned order = pick_order(&m->rng);
	uint64_t p = buddy_alloc(&m->a.b, order);

	if (p == BUDDY_NO_MEMORY) {
		/* Only legitimate when no block of that order or more is free. */
		for (unsigned k = order; k <= BUDDY_MAX_ORDER; k++) {
			assert_int_equal(buddy_free_blocks(&m->a.b, k), 0);
		}
		m->fails++;
		return;
	}
	struct live *l = &m->live[m->nlive++];

	assert_int_equal(p % (PAGE << order), 0);
	assert_true(p >= m->a.base && p < m->a.base + m->a.bytes);
	l->phys = p;
	l->order = order;
	l->serial = ++m->serial;
	l->tag = rng_next(&m->rng);
	shadow(m, l, false);
}

static void model_free(struct model *m, size_t i)
{
	struct live *l = &m->live[i];

	shadow(m, l, true);
	assert_int_equal(buddy_free(&m->a.b, l->phys, l->order), 0);
	m->live[i] = m->live[--m->nlive];
}

/* Fake RAM with holes and unaligned edges, like a firmware memory map. */
static void model_open(struct model *m, uint64_t seed)
{
	const uint64_t top = FAKE_BASE + 48 * MIB;

	memset(m, 0, sizeof(*m));
	m->rng = seed;
	arena_open(&m->a, FAKE_BASE, 48 * MIB);
	assert_int_equal(
	    buddy_add_range(&m->a.b, FAKE_BASE + 0x9f123, FAKE_BASE + 20 * MIB + 0x3000), 0);
	assert_int_equal(buddy_add_range(&m->a.b, FAKE_BASE + 20 * MIB + 0x9000, top - 0x800), 0);
	m->owner = calloc(m->a.b.npages, sizeof(*m->owner));
	m->live = calloc(m->a.b.npages, sizeof(*m->live));
	assert_non_null(m->owner);
	assert_non_null(m->live);
}

static void run_random_workload(uint64_t seed, unsigned ops)
{
	struct model m;
	struct snapshot s;

	model_open(&m, seed);
	snapshot_take(&s, &m.a);
	uint64_t total = buddy_total_pages(&m.a.b);

	for (unsigned op = 0; op < ops; op++) {
		/* Drift between mostly-allocating and mostly-freeing phases so
		 * both exhaustion and deep merging happen. */
		uint64_t bias = (op / 20000) % 2 == 0 ? 60 : 40;

		if (m.nlive == 0 || rng_below(&m.rng, 100) < bias) {
			model_alloc(&m);
		} else {
			model_free(&m, rng_below(&m.rng, m.nlive));
		}
		if (op < 2000 || op % 97 == 0) {
			assert_int_equal(buddy_check(&m.a.b), 0);
		}
	}
	while (m.nlive > 0) {
		model_free(&m, rng_below(&m.rng, m.nlive));
	}
	assert_int_equal(buddy_check(&m.a.b), 0);
	assert_int_equal(buddy_free_pages(&m.a.b), total);
	snapshot_assert_same(&s, &m.a); /* the exact initial block set */
	assert_true(m.fails > 0);	/* the workload did reach exhaustion */
	print_message("seed %#llx: %u ops, %llu allocation failures\n", (unsigned long long)seed,
		      ops, (unsigned long long)m.fails);
	free(m.owner);
	free(m.live);
	arena_close(&m.a);
}

static void test_random_workload_seed_1(void **state)
{
	(void)state;
	run_random_workload(1, 200000);
}

static void test_random_workload_seed_2(void **state)
{
	(void)state;
	run_random_workload(0xf0e05eed, 200000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_helpers),
	    cmocka_unit_test(test_init_everything_reserved),
	    cmocka_unit_test(test_aligned_range_gives_max_blocks),
	    cmocka_unit_test(test_split_then_merge_back),
	    cmocka_unit_test(test_every_page_merges_back),
	    cmocka_unit_test(test_ranges_with_holes_and_odd_alignment),
	    cmocka_unit_test(test_adjacent_ranges_merge),
	    cmocka_unit_test(test_add_range_errors),
	    cmocka_unit_test(test_exhaustion_and_fragmentation),
	    cmocka_unit_test(test_bad_frees_rejected),
	    cmocka_unit_test(test_phys_zero_is_a_frame),
	    cmocka_unit_test(test_check_detects_corruption),
	    cmocka_unit_test(test_random_workload_seed_1),
	    cmocka_unit_test(test_random_workload_seed_2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
