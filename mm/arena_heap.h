/*
 * mm/arena_heap.h — an allocator for memory the kernel must not trust.
 *
 * An app's arena is the app's to scribble on, so nothing the allocator
 * relies on may live in it: unlike TLSF (mm/tlsf.h, whose block headers
 * and free-list links sit inside the memory it manages), this allocator
 * keeps every block's address, size and links in kernel memory and never
 * reads or writes the bytes it hands out. An app that overwrites anything
 * in its arena damages only its own data; a free of an address that is
 * not a live block is refused, whatever the memory around it says.
 *
 * The managed range is one contiguous span [lo, hi) that grows upwards
 * (arena_heap_grow). Policy: two-level segregated fit, as TLSF: free
 * blocks in 8 lists per power of two, the search rounds the request up to
 * its list so that the head of any non-empty list at or above it fits
 * (two find-first-set operations), immediate coalescing of free
 * neighbours. Live blocks are found by address in a hash table. Each
 * block costs ARENA_HEAP_BLOCK_COST bytes of kernel memory, taken from
 * the allocation functions the heap was set up with.
 *
 * Sizes are rounded up to 16 and every block is 16-byte aligned at least;
 * alignments up to ARENA_HEAP_MAX_ALIGN (a power of two) are honoured.
 * No locking inside.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARENA_HEAP_MIN_ALIGN 16u
#define ARENA_HEAP_MAX_ALIGN (1ull << 30)
#define ARENA_HEAP_MAX_ALLOC (1ull << 40)
#define ARENA_HEAP_FL_COUNT  48 /* first-level lists: blocks below 2^48 bytes */
#define ARENA_HEAP_SL_COUNT  8

struct arena_block;

struct arena_heap {
	uintptr_t lo, hi; /* the managed span */
	struct arena_block *free_lists[ARENA_HEAP_FL_COUNT][ARENA_HEAP_SL_COUNT];
	uint64_t fl_map;		     /* bit fl: some list of row fl is non-empty */
	uint8_t sl_map[ARENA_HEAP_FL_COUNT]; /* bit sl: list (fl, sl) is non-empty */
	struct arena_block *first, *last;    /* the blocks at lo and at hi */
	struct arena_block *claim_hint;	     /* where the last claim was: claims come in order */
	struct arena_block **table;	     /* live blocks by address, chained */
	size_t table_size;		     /* a power of two, or 0 */
	size_t live_blocks, all_blocks;
	uint64_t live_bytes;
	void *(*meta_alloc)(size_t size); /* kernel memory for the bookkeeping */
	void (*meta_free)(void *p);
};

/* What one block's bookkeeping costs, to charge it to the heap's owner. */
#define ARENA_HEAP_BLOCK_COST 64u

void arena_heap_init(struct arena_heap *h, void *(*meta_alloc)(size_t size),
		     void (*meta_free)(void *p));

/*
 * Make [addr, addr + bytes) available: the first call sets lo; later
 * calls must continue at hi. 0, or -1 (not contiguous, not 16-aligned, or
 * no kernel memory for the bookkeeping).
 */
int arena_heap_grow(struct arena_heap *h, uintptr_t addr, uint64_t bytes);

/* A block of at least size bytes aligned to align, or 0 (none fits, bad align). */
uintptr_t arena_heap_alloc(struct arena_heap *h, uint64_t size, uint64_t align);

/* Free the live block at addr; false (nothing changed) when there is none. */
bool arena_heap_free(struct arena_heap *h, uintptr_t addr);

/* The usable size of the live block at addr, or 0 when there is none. */
uint64_t arena_heap_block_size(const struct arena_heap *h, uintptr_t addr);

/*
 * For a restore: mark [addr, addr + size) live, as a saved heap had it.
 * It must lie in free space of the span, 16-aligned, size a multiple of
 * 16. 0, or -1 (nothing changed).
 */
int arena_heap_claim(struct arena_heap *h, uintptr_t addr, uint64_t size);

/* Call fn for every live block, in address order. */
void arena_heap_each_live(const struct arena_heap *h,
			  void (*fn)(void *arg, uintptr_t addr, uint64_t size), void *arg);

/* Check every invariant (lists, maps, neighbours, table, counts): 0, or -1. */
int arena_heap_check(const struct arena_heap *h);

/* Give all bookkeeping back; the heap is empty (and un-grown) afterwards. */
void arena_heap_destroy(struct arena_heap *h);
