/*
 * tests/fuzz/fuzz_arena_heap.c — libFuzzer target for the out-of-band
 * allocator (mm/arena_heap.c), which serves what hostile apps ask for.
 *
 * The input is a program: each 8-byte step is an operation (allocate with
 * a size and an alignment exponent, free an address made from the input
 * — a live block's, near one, or arbitrary —, grow the span, claim a
 * range, run out of bookkeeping memory) and every step is followed by
 * arena_heap_check, which abort()s the run on any broken invariant. The
 * span has no memory behind it: the allocator must never touch it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mm/arena_heap.h"

#define SPAN  0x7f0000000000ull
#define SLOTS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t budget;

static void *meta_alloc(size_t n)
{
	if (budget == 0) {
		return NULL;
	}
	budget--;
	return malloc(n);
}

static void meta_free(void *p)
{
	free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena_heap h;
	uintptr_t live[SLOTS] = {0};

	budget = SIZE_MAX;
	arena_heap_init(&h, meta_alloc, meta_free);
	if (arena_heap_grow(&h, SPAN, 1 << 16) != 0) {
		abort();
	}
	for (size_t at = 0; at + 8 <= size; at += 8) {
		const uint8_t *s = data + at;
		uint32_t arg;
		memcpy(&arg, s + 2, 4);
		unsigned slot = s[1] % SLOTS;
		switch (s[0] % 6) {
		case 0: {
			uintptr_t a = arena_heap_alloc(&h, arg % 70000, 1ull << (s[6] % 14));
			if (a != 0) {
				live[slot] = a;
			}
			break;
		}
		case 1:
			if (arena_heap_free(&h, live[slot])) {
				live[slot] = 0;
			}
			break;
		case 2: /* an address near a live block, or any address at all */
			arena_heap_free(&h, s[6] & 1 ? live[slot] + (int16_t)arg : SPAN + arg);
			break;
		case 3:
			arena_heap_grow(&h, s[6] & 1 ? h.hi : h.hi + arg,
					(uint64_t)(arg % 4096) * 16);
			break;
		case 4:
			arena_heap_claim(&h, SPAN + (uint64_t)arg * 16, (uint64_t)(s[6] + 1) * 16);
			break;
		default:
			budget = s[6] % 4; /* the kernel heap runs dry for a while */
			break;
		}
		if (arena_heap_check(&h) != 0) {
			abort();
		}
		if (s[7] == 0xff) {
			budget = SIZE_MAX;
		}
	}
	arena_heap_destroy(&h);
	return 0;
}
