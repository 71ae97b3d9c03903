/*
 * Self-tests of the frame allocator and the kernel heap over the real
 * memory map: distinct zeroed frames, aligned blocks, exhaustion and full
 * recovery, a randomized heap workload with the TLSF invariant check, and
 * heap growth for a large allocation.
 */
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "tests/kernel/selftest.h"

#define FRAMES 64

KTEST(pmm_frames_distinct_and_zeroed)
{
	uint64_t frames[FRAMES];
	uint64_t before = pmm_free_bytes();

	for (int i = 0; i < FRAMES; i++) {
		frames[i] = pmm_alloc_frame();
		KEXPECT(frames[i] != PMM_NO_MEMORY && frames[i] % PAGE_SIZE == 0);
		const uint64_t *words = phys_to_virt(frames[i]);
		for (unsigned w = 0; w < PAGE_SIZE / 8; w++) {
			KEXPECT(words[w] == 0);
		}
		memset(phys_to_virt(frames[i]), 0xa5, PAGE_SIZE);
		for (int j = 0; j < i; j++) {
			KEXPECT(frames[j] != frames[i]);
		}
	}
	for (int i = 0; i < FRAMES; i++) {
		pmm_free(frames[i], 0);
	}
	KEXPECT(pmm_free_bytes() == before);
	KEXPECT(buddy_check(pmm_buddy()) == 0);
	return NULL;
}

KTEST(pmm_blocks_aligned_to_their_order)
{
	for (unsigned order = 1; order <= 8; order++) {
		uint64_t b = pmm_alloc(order);
		KEXPECT(b != PMM_NO_MEMORY);
		KEXPECT(b % ((uint64_t)PAGE_SIZE << order) == 0);
		pmm_free(b, order);
	}
	return NULL;
}

/* Take every frame there is, then give them all back: nothing may leak. */
KTEST(pmm_exhaustion_and_recovery)
{
	uint64_t before = pmm_free_bytes();
	uint64_t head = PMM_NO_MEMORY, count = 0;

	for (uint64_t f; (f = pmm_alloc_raw(0)) != PMM_NO_MEMORY; count++) {
		*(uint64_t *)phys_to_virt(f) = head; /* chain them through themselves */
		head = f;
	}
	KEXPECT(pmm_free_bytes() == 0);
	KEXPECT(count * PAGE_SIZE == before);
	while (head != PMM_NO_MEMORY) {
		uint64_t next = *(uint64_t *)phys_to_virt(head);
		pmm_free(head, 0);
		head = next;
	}
	KEXPECT(pmm_free_bytes() == before);
	KEXPECT(buddy_check(pmm_buddy()) == 0);
	return NULL;
}

static uint32_t rng_state = 12345;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

#define SLOTS 256

KTEST(heap_random_workload)
{
	static uint8_t *ptr[SLOTS];
	static size_t len[SLOTS];

	for (int op = 0; op < 20000; op++) {
		int s = (int)(rng() % SLOTS);
		if (ptr[s] != NULL) {
			for (size_t i = 0; i < len[s]; i++) {
				KEXPECT(ptr[s][i] == (uint8_t)(s + i));
			}
			kfree(ptr[s]);
			ptr[s] = NULL;
			continue;
		}
		size_t align = (size_t)16 << (rng() % 9);
		len[s] = rng() % ((rng() % 8 == 0) ? 65536 : 512);
		ptr[s] = kmalloc_aligned(len[s], align);
		KEXPECT(ptr[s] != NULL && (uintptr_t)ptr[s] % align == 0);
		for (size_t i = 0; i < len[s]; i++) {
			ptr[s][i] = (uint8_t)(s + i);
		}
	}
	for (int s = 0; s < SLOTS; s++) {
		kfree(ptr[s]);
		ptr[s] = NULL;
	}
	KEXPECT(heap_check() == 0);
	return NULL;
}

KTEST(heap_grows_for_large_blocks)
{
	size_t size = 6u << 20;
	uint8_t *p = kmalloc(size);
	KEXPECT(p != NULL);
	memset(p, 0x5a, size);
	KEXPECT(p[0] == 0x5a && p[size - 1] == 0x5a);
	kfree(p);
	KEXPECT(heap_check() == 0);
	return NULL;
}
