/*
 * Host tests for mm/arena_heap.c. The managed addresses are never touched
 * by the allocator, so the span here is an address range with no memory
 * behind it: any read or write of it would crash the test. Checked: sizes
 * and alignment, refusal of every address that is not a live block,
 * coalescing back to one block, growth, claims (the restore path), the
 * bookkeeping running out, and a long random sequence against a model
 * with arena_heap_check after every step.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mm/arena_heap.h"

#define SPAN 0x100000000ull /* nothing is mapped there in a host process we care about */

static size_t meta_budget = SIZE_MAX; /* allocations the bookkeeping may still make */

static void *meta_alloc(size_t size)
{
	if (meta_budget == 0) {
		return NULL;
	}
	meta_budget--;
	return malloc(size);
}

static void meta_free(void *p)
{
	free(p);
}

static void setup_heap(struct arena_heap *h, uint64_t bytes)
{
	meta_budget = SIZE_MAX;
	arena_heap_init(h, meta_alloc, meta_free);
	assert_int_equal(arena_heap_grow(h, SPAN, bytes), 0);
}

static void sizes_and_alignment(void **state)
{
	(void)state;
	struct arena_heap h;
	setup_heap(&h, 1 << 20);
	uintptr_t a = arena_heap_alloc(&h, 1, 1);
	uintptr_t b = arena_heap_alloc(&h, 0, 16);
	uintptr_t c = arena_heap_alloc(&h, 100, 4096);
	assert_true(a != 0 && b != 0 && c != 0 && a != b);
	assert_int_equal(a % 16, 0);
	assert_int_equal(c % 4096, 0);
	assert_int_equal(arena_heap_block_size(&h, a), 16);
	assert_int_equal(arena_heap_block_size(&h, c), 112);
	assert_int_equal(arena_heap_alloc(&h, 16, 3), 0);
	assert_int_equal(arena_heap_alloc(&h, 16, 0), 0);
	assert_int_equal(arena_heap_alloc(&h, 2 << 20, 16), 0); /* bigger than the span */
	assert_int_equal(arena_heap_check(&h), 0);
	arena_heap_destroy(&h);
}

static void refuses_what_is_not_a_live_block(void **state)
{
	(void)state;
	struct arena_heap h;
	setup_heap(&h, 1 << 20);
	uintptr_t a = arena_heap_alloc(&h, 64, 16);
	uintptr_t b = arena_heap_alloc(&h, 64, 16);
	assert_false(arena_heap_free(&h, a + 16)); /* inside a block */
	assert_false(arena_heap_free(&h, 0));
	assert_false(arena_heap_free(&h, SPAN + (1 << 19))); /* free space */
	assert_false(arena_heap_free(&h, 0xffff800000000000ull));
	assert_true(arena_heap_free(&h, b));
	assert_false(arena_heap_free(&h, b)); /* twice */
	assert_int_equal(arena_heap_check(&h), 0);
	assert_true(arena_heap_free(&h, a));
	assert_int_equal(h.all_blocks, 1); /* all coalesced */
	assert_int_equal(h.live_bytes, 0);
	arena_heap_destroy(&h);
}

static void grows_at_the_end_only(void **state)
{
	(void)state;
	struct arena_heap h;
	setup_heap(&h, 4096);
	uintptr_t a = arena_heap_alloc(&h, 4096, 16);
	assert_int_equal(a, SPAN);
	assert_int_equal(arena_heap_alloc(&h, 16, 16), 0);
	assert_int_equal(arena_heap_grow(&h, SPAN + 8192, 4096), -1); /* a hole */
	assert_int_equal(arena_heap_grow(&h, SPAN + 4096, 8192), 0);
	assert_int_equal(arena_heap_alloc(&h, 8192, 16), SPAN + 4096);
	assert_true(arena_heap_free(&h, a));
	assert_int_equal(arena_heap_check(&h), 0);
	arena_heap_destroy(&h);
}

/* A span grown by just what a request needs (as the arena grows) serves it. */
static void an_exact_growth_serves_the_request(void **state)
{
	(void)state;
	struct arena_heap h;
	setup_heap(&h, 4096);
	assert_int_equal(arena_heap_alloc(&h, 1 << 20, 4096), 0);
	assert_int_equal(arena_heap_grow(&h, h.hi, (1 << 20) + 4096), 0);
	uintptr_t a = arena_heap_alloc(&h, 1 << 20, 4096);
	assert_true(a != 0 && a % 4096 == 0);
	assert_int_equal(arena_heap_check(&h), 0);
	arena_heap_destroy(&h);
}

static void claims_rebuild_a_saved_heap(void **state)
{
	(void)state;
	struct arena_heap h;
	setup_heap(&h, 1 << 16);
	assert_int_equal(arena_heap_claim(&h, SPAN + 32, 64), 0);
	assert_int_equal(arena_heap_claim(&h, SPAN + 4096, 16), 0);
	assert_int_equal(arena_heap_claim(&h, SPAN + 48, 16), -1);	       /* overlaps */
	assert_int_equal(arena_heap_claim(&h, SPAN + 8, 16), -1);	       /* misaligned */
	assert_int_equal(arena_heap_claim(&h, SPAN + (1 << 16) - 16, 32), -1); /* past hi */
	assert_int_equal(arena_heap_block_size(&h, SPAN + 32), 64);
	assert_int_equal(arena_heap_check(&h), 0);
	assert_true(arena_heap_free(&h, SPAN + 32));
	assert_true(arena_heap_free(&h, SPAN + 4096));
	assert_int_equal(h.all_blocks, 1);
	arena_heap_destroy(&h);
}

static void bookkeeping_running_out_changes_nothing(void **state)
{
	(void)state;
	struct arena_heap h;
	setup_heap(&h, 1 << 20);
	uintptr_t a = arena_heap_alloc(&h, 64, 16);
	meta_budget = 0;
	assert_int_equal(arena_heap_alloc(&h, 64, 4096), 0); /* would need a front block */
	assert_int_equal(arena_heap_check(&h), 0);
	assert_true(arena_heap_free(&h, a)); /* freeing needs no memory */
	assert_int_equal(arena_heap_check(&h), 0);
	meta_budget = SIZE_MAX;
	arena_heap_destroy(&h);
}

struct live {
	uintptr_t addr;
	uint64_t size;
};

static void random_sequence_against_a_model(void **state)
{
	(void)state;
	enum { SLOTS = 512, STEPS = 40000 };
	static struct live live[SLOTS];
	struct arena_heap h;
	uint64_t seed = 0x243f6a8885a308d3ull;
	setup_heap(&h, 1 << 20);
	memset(live, 0, sizeof(live));
	for (int step = 0; step < STEPS; step++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		unsigned i = (unsigned)(seed >> 33) % SLOTS;
		if (live[i].addr != 0) {
			assert_true(arena_heap_free(&h, live[i].addr));
			live[i].addr = 0;
		} else {
			uint64_t size = (seed >> 13) % ((seed >> 60) > 12 ? 40000 : 300);
			uint64_t align = 1ull << ((seed >> 20) % 10);
			uintptr_t a = arena_heap_alloc(&h, size, align);
			if (a == 0 && (seed >> 40) % 4 == 0) {
				assert_int_equal(arena_heap_grow(&h, h.hi, 64 * 1024), 0);
				a = arena_heap_alloc(&h, size, align);
			}
			if (a != 0) {
				assert_int_equal(a % align, 0);
				assert_true(arena_heap_block_size(&h, a) >= size);
				for (unsigned j = 0; j < SLOTS;
				     j++) { /* no overlap with any live block */
					if (live[j].addr != 0) {
						assert_true(a + arena_heap_block_size(&h, a) <=
								live[j].addr ||
							    live[j].addr + live[j].size <= a);
					}
				}
				live[i] = (struct live){a, arena_heap_block_size(&h, a)};
			}
		}
		if (step % 97 == 0) {
			assert_int_equal(arena_heap_check(&h), 0);
		}
	}
	assert_int_equal(arena_heap_check(&h), 0);
	arena_heap_destroy(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sizes_and_alignment),
	    cmocka_unit_test(refuses_what_is_not_a_live_block),
	    cmocka_unit_test(grows_at_the_end_only),
	    cmocka_unit_test(an_exact_growth_serves_the_request),
	    cmocka_unit_test(claims_rebuild_a_saved_heap),
	    cmocka_unit_test(bookkeeping_running_out_changes_nothing),
	    cmocka_unit_test(random_sequence_against_a_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
