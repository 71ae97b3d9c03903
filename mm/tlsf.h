#pragma once
/*
 * mm/tlsf.h — TLSF (two-level segregated fit) memory allocator.
 *
 * What: a general-purpose allocator over caller-given memory pools with O(1)
 * alloc and free: no loop depends on the number or size of blocks. It serves
 * the kernel heap (apps' arenas use mm/arena_heap.h, whose bookkeeping
 * stays out of the memory it hands out), one struct tlsf per heap.
 *
 * Why TLSF: a frame-paced kernel and its apps need allocation time that is
 * bounded, not merely fast on average, and fragmentation that stays low for
 * long-running mixed workloads. TLSF gives both with a good-fit policy over
 * size-segregated free lists found with two find-first-set operations, and
 * immediate coalescing of free neighbours.
 *
 * Storage: struct tlsf (about 8.3 KiB) is caller storage; all other state is
 * inside the pools (block headers, free-list links). There is no global
 * state, so any number of instances can coexist.
 *
 * Contract:
 *   - every returned pointer is aligned to max(align, TLSF_MIN_ALIGN);
 *   - per-block overhead is 8 bytes (one size word); block sizes are
 *     multiples of 16 and at least 32, so tlsf_alloc(t, n, 16) consumes
 *     round_up(n + 8, 16) bytes of pool, minimum 32;
 *   - size 0 is served like size 1: a unique, freeable minimum block (apps
 *     written against malloc(0) semantics must not see an out-of-memory);
 *   - align must be a power of two (align 0 is not); otherwise, or for sizes
 *     and alignments above TLSF_MAX_ALLOC, the result is NULL;
 *   - blocks never coalesce across pools.
 *
 * Callers: the kernel heap. No locking inside.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TLSF_ALIGN_LOG2 4
#define TLSF_MIN_ALIGN	((size_t)1 << TLSF_ALIGN_LOG2) /* 16 */
#define TLSF_SL_LOG2	5			       /* 32 second-level lists per power of two */
#define TLSF_SL_COUNT	(1u << TLSF_SL_LOG2)
/* Block sizes below 2^TLSF_FL_SHIFT = 512 get exact 16-byte classes. */
#define TLSF_FL_SHIFT	 (TLSF_SL_LOG2 + TLSF_ALIGN_LOG2)
#define TLSF_FL_MAX_LOG2 40 /* blocks are smaller than 1 TiB */
#define TLSF_FL_COUNT	 (TLSF_FL_MAX_LOG2 - TLSF_FL_SHIFT + 1)
/* Largest size or alignment tlsf_alloc accepts. */
#define TLSF_MAX_ALLOC ((size_t)1 << (TLSF_FL_MAX_LOG2 - 2))

enum tlsf_error {
	TLSF_EINVAL = -1,  /* bad argument or not a block of this heap */
	TLSF_EDOUBLE = -2, /* free of a block that is already free */
	TLSF_EBUSY = -3,   /* add_pool over memory of an existing pool */
	/* tlsf_check: which invariant is broken */
	TLSF_ECHK_BLOCK = -10,	/* bad block size or walk leaves the pool */
	TLSF_ECHK_PHYS = -11,	/* prev-free flag or prev-physical link */
	TLSF_ECHK_MERGE = -12,	/* two adjacent free blocks */
	TLSF_ECHK_LIST = -13,	/* free list links, class or membership */
	TLSF_ECHK_BITMAP = -14, /* bitmaps disagree with the lists */
	TLSF_ECHK_STATS = -15,	/* statistics disagree with the blocks */
};

struct tlsf_block;
struct tlsf_pool;

/*
 * The control block. Fields are private to mm/tlsf.c; they are visible only
 * so that callers can provide the storage.
 */
struct tlsf {
	uint32_t fl_bitmap;		   /* bit f set iff sl_bitmap[f] != 0 */
	uint32_t sl_bitmap[TLSF_FL_COUNT]; /* bit s set iff heads[f][s] */
	struct tlsf_block *heads[TLSF_FL_COUNT][TLSF_SL_COUNT];
	struct tlsf_pool *pools; /* singly linked, newest first */
	size_t pool_count;
	size_t pool_bytes;  /* sum of the byte counts given to add_pool */
	size_t used_bytes;  /* pool bytes in allocated blocks (with header) */
	size_t free_bytes;  /* pool bytes in free blocks */
	size_t alloc_count; /* live allocations */
};

/*
 * pool_bytes - used_bytes - free_bytes is the fixed pool overhead: at most
 * 62 bytes per pool (alignment, pool header, end marker).
 */
struct tlsf_stats {
	size_t pool_count;
	size_t pool_bytes;  /* everything given to add_pool */
	size_t used_bytes;  /* in allocated blocks, headers included */
	size_t free_bytes;  /* in free blocks, headers included */
	size_t alloc_count; /* live allocations */
};

/* An empty heap: every tlsf_alloc fails until a pool is added. */
void tlsf_init(struct tlsf *t);

/*
 * Give [mem, mem + bytes) to the heap as one more pool. The memory must stay
 * valid and untouched by anyone else while the heap lives. Fails with
 * TLSF_EINVAL if it is too small (128 bytes always suffice; the first block
 * needs 32 after up to 62 bytes of pool overhead) or too large for one block
 * (2^40 bytes), TLSF_EBUSY if it overlaps a pool of this heap.
 */
int tlsf_add_pool(struct tlsf *t, void *mem, size_t bytes);

/* At least size bytes aligned to align (a power of two), or NULL. */
void *tlsf_alloc(struct tlsf *t, size_t size, size_t align);

/*
 * Free a pointer from tlsf_alloc on this heap; NULL is a no-op. A block that
 * is already free is refused with TLSF_EDOUBLE, and an address that is not
 * a plausible live block with TLSF_EINVAL; nothing changes then.
 */
int tlsf_free(struct tlsf *t, void *p);

/* Usable bytes of the block at p (>= the size asked for); 0 for NULL. */
size_t tlsf_block_size(const void *p);

/* Whether p points into one of t's pools. O(pools). */
bool tlsf_owns(const struct tlsf *t, const void *p);

/*
 * Whether every pool of t lies inside [lo, hi) and the pool list has
 * pool_count entries: the first check on a control block read back from
 * outside (a snapshot), before anything walks its blocks. O(pools).
 */
bool tlsf_pools_within(const struct tlsf *t, uintptr_t lo, uintptr_t hi);

void tlsf_get_stats(const struct tlsf *t, struct tlsf_stats *out);

/*
 * Verify every invariant: 0, or a TLSF_ECHK_* code. Read-only. Cost:
 * O(blocks + free blocks * pools), for tests and debug builds.
 */
int tlsf_check(const struct tlsf *t);
