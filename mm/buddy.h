#pragma once
/*
 * mm/buddy.h — the physical page-frame allocator (binary buddy system).
 *
 * What: hands out naturally aligned blocks of 2^order contiguous 4 KiB frames
 * of physical memory in [0, limit), order 0 .. BUDDY_MAX_ORDER (16 MiB).
 *
 * Why a buddy system: frames are needed in power-of-two, naturally aligned
 * runs (page tables, DMA rings, huge pages, TLSF pools), alloc and free must
 * be O(MAX_ORDER) with no search, and freed neighbours must merge back into
 * large blocks so long-running systems keep large runs available.
 *
 * Storage: every byte of state lives in caller storage, so several instances
 * can coexist and the allocator needs no allocator:
 *   - struct buddy (a few hundred bytes);
 *   - a metadata array, buddy_meta_bytes(limit) long: one byte per frame,
 *     then the free-list links, 8 bytes per frame (0.2% of the memory it
 *     manages). The frames themselves are never touched: the allocator
 *     needs no mapping of them.
 *
 * Invariants (buddy_check verifies all of them):
 *   - every frame is either reserved (never added), the head of a block
 *     (free or allocated, recording its order), or inside a block;
 *   - every block is aligned to its size and lies inside [0, limit);
 *   - two free buddies of the same order never coexist (they are merged);
 *   - a free block is on exactly the free list of its order, and the
 *     free-page counter equals the pages on all free lists.
 *
 * Callers: the kernel's physical memory manager, once, at boot (init and
 * add_range for each usable RAM range), then alloc/free. No locking inside:
 * the kernel is single-threaded and cooperative; a future SMP caller must
 * hold its own lock.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BUDDY_PAGE_SHIFT  12
#define BUDDY_PAGE_SIZE	  (UINT64_C(1) << BUDDY_PAGE_SHIFT)
#define BUDDY_MAX_ORDER	  12
#define BUDDY_ORDER_COUNT (BUDDY_MAX_ORDER + 1)

/* The largest limit, 8 TiB: frame numbers fit the 32-bit links. */
#define BUDDY_MAX_LIMIT (UINT64_C(1) << 43)

/* Returned by buddy_alloc on failure; physical address 0 is a valid frame. */
#define BUDDY_NO_MEMORY UINT64_MAX

enum buddy_error {
	BUDDY_EINVAL = -1,    /* bad argument: order, alignment, storage */
	BUDDY_ERANGE = -2,    /* address or range outside [0, limit) */
	BUDDY_EBUSY = -3,     /* add_range over frames already managed */
	BUDDY_EDOUBLE = -4,   /* free of a block that is already free */
	BUDDY_ENOTALLOC = -5, /* no allocated block of that order starts here */
	/* buddy_check: which invariant is broken */
	BUDDY_ECHK_META = -10,	/* malformed metadata / block layout */
	BUDDY_ECHK_MERGE = -11, /* two free buddies of equal order */
	BUDDY_ECHK_LIST = -12,	/* free list links or membership wrong */
	BUDDY_ECHK_COUNT = -13, /* counters disagree with the blocks */
};

struct buddy_link;

/*
 * The control block. Fields are private to mm/buddy.c; they are visible only
 * so that callers can provide the storage.
 */
struct buddy {
	uint64_t limit;			    /* bytes, as given to buddy_init */
	uint64_t npages;		    /* frames in [0, limit) */
	uint8_t *meta;			    /* npages bytes, see buddy.c */
	struct buddy_link *links;	    /* npages links, after meta */
	uint64_t free_pages;		    /* frames on the free lists */
	uint64_t total_pages;		    /* frames ever added */
	uint64_t heads[BUDDY_ORDER_COUNT];  /* first free block (pfn) per order */
	uint64_t counts[BUDDY_ORDER_COUNT]; /* free blocks per order */
	uint32_t nonempty;		    /* bit k set iff heads[k] is a list */
};

/* Bytes of metadata buddy_init needs for frames in [0, limit). */
size_t buddy_meta_bytes(uint64_t limit);

/* Smallest order whose block holds `pages` frames; > BUDDY_MAX_ORDER if none. */
unsigned buddy_order_for_pages(uint64_t pages);

/*
 * Set up an allocator for [0, limit) with every frame reserved (not free).
 * meta must hold buddy_meta_bytes(limit) bytes, 8-byte aligned.
 */
int buddy_init(struct buddy *b, uint64_t limit, uint8_t *meta);

/*
 * Give the whole frames inside [start, end) to the allocator. The range is
 * shrunk to page boundaries; every frame in it must still be reserved
 * (BUDDY_EBUSY otherwise) and end must not exceed limit (BUDDY_ERANGE).
 * Cost: O(frames in the range).
 */
int buddy_add_range(struct buddy *b, uint64_t start, uint64_t end);

/* A 2^order-frame block aligned to its size, or BUDDY_NO_MEMORY. */
uint64_t buddy_alloc(struct buddy *b, unsigned order);

/*
 * Return a block from buddy_alloc with the same order. A free that does not
 * match a live allocation (double, misaligned, out of range, wrong order) is
 * refused with a negative code and changes nothing.
 */
int buddy_free(struct buddy *b, uint64_t phys, unsigned order);

uint64_t buddy_free_pages(const struct buddy *b);
uint64_t buddy_total_pages(const struct buddy *b);
uint64_t buddy_free_blocks(const struct buddy *b, unsigned order);

/* Verify every invariant above: 0, or a BUDDY_ECHK_* code. O(frames). */
int buddy_check(const struct buddy *b);
