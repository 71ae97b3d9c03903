/*
 * mm/tlsf.c — TLSF allocator: segregated free lists, O(1) alloc and free.
 *
 * Blocks. A pool is a run of blocks ending in a zero-size "end" block. A
 * block at address b (16-aligned) with size s (a multiple of 16, >= 32)
 * owns the bytes [b + 8, b + s + 8):
 *
 *   b + 0   prev_phys  the previous block, valid only while that block is
 *                      free; it lies in the previous block's last word, which
 *                      an allocated block uses as payload
 *   b + 8   header     s | TLSF_FREE | TLSF_PREV_FREE
 *   b + 16  payload    (next_free, prev_free while free) ... up to b + s + 8
 *
 * so the next block starts at b + s, the payload is 16-aligned and an
 * allocated block costs one 8-byte word: usable size is s - 8.
 *
 * Classes. A free block of size s is on list (fl, sl): below 512 bytes every
 * 16-byte size has its own class (fl = 0, sl = s / 16); above, fl counts the
 * powers of two from 512 (fl = log2(s) - 8) and sl splits each power of two
 * into 32 equal ranges. Bitmaps of non-empty classes let alloc find the
 * smallest non-empty class >= a size with two find-first-set operations.
 *
 * Good fit. A request is rounded up to the next class boundary before the
 * search, so the head of any class found is big enough: no list is walked.
 * The price is that a fitting block in the request's own class can be
 * passed over for a bigger one (which is split); find_and_take falls back
 * to that class's head only when nothing bigger exists.
 *
 * Invariants (tlsf_check verifies all of them): the blocks of a pool tile it
 * exactly from the first block to the end block; TLSF_PREV_FREE mirrors the
 * previous block's TLSF_FREE and prev_phys points to it when set; no two
 * neighbours are both free (free coalesces immediately); a free block is on
 * exactly the list of its class; a class bit is set iff its list is
 * non-empty; the statistics equal the sums over the blocks.
 */

#include "mm/tlsf.h"

#define TLSF_FREE      ((size_t)1)
#define TLSF_PREV_FREE ((size_t)2)
#define TLSF_FLAGS     (TLSF_FREE | TLSF_PREV_FREE)

#define BLOCK_HEADER_OVERHEAD sizeof(size_t)
#define PAYLOAD_OFFSET	      (2 * sizeof(void *))
#define BLOCK_MIN_SIZE	      ((size_t)32)
#define BLOCK_MAX_SIZE	      ((size_t)1 << TLSF_FL_MAX_LOG2)
#define SMALL_BLOCK	      ((size_t)1 << TLSF_FL_SHIFT)

struct tlsf_block {
	struct tlsf_block *prev_phys;
	size_t header;
	struct tlsf_block *next_free; /* free blocks only */
	struct tlsf_block *prev_free; /* free blocks only */
};

/* At the start of every pool; first block follows. */
struct tlsf_pool {
	struct tlsf_pool *next;
	size_t span; /* bytes from this header to the end of the end block */
};

_Static_assert(sizeof(struct tlsf_block) == BLOCK_MIN_SIZE,
	       "a free block's links must fit in the minimum block");
_Static_assert(sizeof(struct tlsf_pool) == TLSF_MIN_ALIGN,
	       "the pool header keeps the first block aligned");
_Static_assert(PAYLOAD_OFFSET == TLSF_MIN_ALIGN, "payload is 16-aligned");
_Static_assert(TLSF_FL_COUNT <= 32 && TLSF_SL_COUNT <= 32, "bitmaps are 32 bits");

/* --------------------------------------------------------------- blocks -- */

static size_t block_size(const struct tlsf_block *b)
{
	return b->header & ~TLSF_FLAGS;
}

static void block_set_size(struct tlsf_block *b, size_t size)
{
	b->header = size | (b->header & TLSF_FLAGS);
}

static bool block_is_free(const struct tlsf_block *b)
{
	return (b->header & TLSF_FREE) != 0;
}

static bool block_prev_is_free(const struct tlsf_block *b)
{
	return (b->header & TLSF_PREV_FREE) != 0;
}

static struct tlsf_block *block_next(const struct tlsf_block *b)
{
	return (struct tlsf_block *)((uintptr_t)b + block_size(b));
}

static struct tlsf_block *block_of_payload(const void *p)
{
	return (struct tlsf_block *)((uintptr_t)p - PAYLOAD_OFFSET);
}

/* Flag b free and tell its successor (flag and back link). */
static void block_mark_free(struct tlsf_block *b)
{
	struct tlsf_block *next = block_next(b);

	b->header |= TLSF_FREE;
	next->header |= TLSF_PREV_FREE;
	next->prev_phys = b;
}

static void block_mark_used(struct tlsf_block *b)
{
	b->header &= ~TLSF_FREE;
	block_next(b)->header &= ~TLSF_PREV_FREE;
}

static size_t align_up(size_t x, size_t align)
{
	return (x + align - 1) & ~(align - 1);
}

/* ---------------------------------------------------- classes and lists -- */

static unsigned msb(size_t x)
{
	return 63u - (unsigned)__builtin_clzll((unsigned long long)x);
}

static void mapping(size_t size, unsigned *fl, unsigned *sl)
{
	if (size < SMALL_BLOCK) {
		*fl = 0;
		*sl = (unsigned)(size >> TLSF_ALIGN_LOG2);
		return;
	}
	unsigned m = msb(size);

	*fl = m - (TLSF_FL_SHIFT - 1);
	*sl = (unsigned)(size >> (m - TLSF_SL_LOG2)) & (TLSF_SL_COUNT - 1);
}

static void list_insert(struct tlsf *t, struct tlsf_block *b)
{
	unsigned fl;
	unsigned sl;

	mapping(block_size(b), &fl, &sl);
	b->prev_free = NULL;
	b->next_free = t->heads[fl][sl];
	if (b->next_free != NULL) {
		b->next_free->prev_free = b;
	}
	t->heads[fl][sl] = b;
	t->sl_bitmap[fl] |= 1u << sl;
	t->fl_bitmap |= 1u << fl;
}

static void list_remove(struct tlsf *t, struct tlsf_block *b)
{
	unsigned fl;
	unsigned sl;

	mapping(block_size(b), &fl, &sl);
	if (b->prev_free != NULL) {
		b->prev_free->next_free = b->next_free;
	} else {
		t->heads[fl][sl] = b->next_free;
	}
	if (b->next_free != NULL) {
		b->next_free->prev_free = b->prev_free;
	}
	if (t->heads[fl][sl] == NULL) {
		t->sl_bitmap[fl] &= ~(1u << sl);
		if (t->sl_bitmap[fl] == 0) {
			t->fl_bitmap &= ~(1u << fl);
		}
	}
}

/* Head of the first non-empty class at or above (fl, sl), or NULL. */
static struct tlsf_block *first_at_or_above(const struct tlsf *t, unsigned fl, unsigned sl)
{
	uint64_t sl_map = t->sl_bitmap[fl] & (~UINT64_C(0) << sl);

	if (sl_map == 0) {
		uint64_t fl_map = t->fl_bitmap & (~UINT64_C(0) << (fl + 1));

		if (fl_map == 0) {
			return NULL;
		}
		fl = (unsigned)__builtin_ctzll(fl_map);
		sl_map = t->sl_bitmap[fl];
	}
	return t->heads[fl][(unsigned)__builtin_ctzll(sl_map)];
}

/*
 * A free block of at least `size` (< BLOCK_MAX_SIZE) bytes, taken off its
 * list, or NULL. Good fit: the size is rounded up to the next class
 * boundary so the head of any class found fits. When that finds nothing,
 * the head of the request's own class is tried too: it may still be large
 * enough (a fresh pool just bigger than the request is exactly this case),
 * and looking at one block keeps the cost O(1).
 */
static struct tlsf_block *find_and_take(struct tlsf *t, size_t size)
{
	size_t rounded = size;
	struct tlsf_block *b = NULL;
	unsigned fl;
	unsigned sl;

	if (size >= SMALL_BLOCK) {
		rounded += ((size_t)1 << (msb(size) - TLSF_SL_LOG2)) - 1;
	}
	if (rounded < BLOCK_MAX_SIZE) {
		mapping(rounded, &fl, &sl);
		b = first_at_or_above(t, fl, sl);
	}
	if (b == NULL) {
		mapping(size, &fl, &sl);
		b = t->heads[fl][sl];
		if (b == NULL || block_size(b) < size) {
			return NULL;
		}
	}
	list_remove(t, b);
	return b;
}

/* ------------------------------------------------------------ splitting -- */

/*
 * b is free and off the lists; give its first `gap` bytes back as a free
 * block and return the rest, still free and off the lists. b's predecessor
 * is not free (invariant), so the gap cannot need coalescing.
 */
static struct tlsf_block *split_front(struct tlsf *t, struct tlsf_block *b, size_t gap)
{
	struct tlsf_block *rest = (struct tlsf_block *)((uintptr_t)b + gap);

	rest->header = (block_size(b) - gap) | TLSF_FREE | TLSF_PREV_FREE;
	rest->prev_phys = b;
	block_set_size(b, gap);
	list_insert(t, b);
	return rest;
}

/*
 * b is free and off the lists, about to be used for `size` bytes: give the
 * tail back as a free block if it can stand alone. b's successor is not free
 * (invariant), so neither can the tail need coalescing.
 */
static void split_back(struct tlsf *t, struct tlsf_block *b, size_t size)
{
	size_t total = block_size(b);

	if (total - size < BLOCK_MIN_SIZE) {
		return;
	}
	struct tlsf_block *tail = (struct tlsf_block *)((uintptr_t)b + size);

	tail->header = total - size;
	block_set_size(b, size);
	block_mark_free(tail);
	list_insert(t, tail);
}

/* ------------------------------------------------------------------ API -- */

void tlsf_init(struct tlsf *t)
{
	__builtin_memset(t, 0, sizeof(*t));
}

static bool pool_overlaps(const struct tlsf *t, uintptr_t lo, uintptr_t hi)
{
	for (const struct tlsf_pool *p = t->pools; p != NULL; p = p->next) {
		uintptr_t plo = (uintptr_t)p;

		if (lo < plo + p->span && plo < hi) {
			return true;
		}
	}
	return false;
}

int tlsf_add_pool(struct tlsf *t, void *mem, size_t bytes)
{
	uintptr_t lo = (uintptr_t)mem;
	uintptr_t hi = lo + bytes;

	if (t == NULL || mem == NULL || hi < lo) {
		return TLSF_EINVAL;
	}
	uintptr_t base = align_up(lo, TLSF_MIN_ALIGN);
	uintptr_t first = base + sizeof(struct tlsf_pool);
	/* The end block needs its prev_phys and header words below hi. */
	uintptr_t end = (hi - PAYLOAD_OFFSET) & ~(uintptr_t)(TLSF_MIN_ALIGN - 1);

	if (base < lo || hi < PAYLOAD_OFFSET || end < first || end - first < BLOCK_MIN_SIZE ||
	    end - first >= BLOCK_MAX_SIZE) {
		return TLSF_EINVAL;
	}
	if (pool_overlaps(t, lo, hi)) {
		return TLSF_EBUSY;
	}
	struct tlsf_pool *pool = (struct tlsf_pool *)base;
	struct tlsf_block *b = (struct tlsf_block *)first;
	struct tlsf_block *stop = (struct tlsf_block *)end;

	pool->next = t->pools;
	pool->span = end + PAYLOAD_OFFSET - base;
	b->header = end - first; /* previous "block" is the pool header */
	stop->header = 0;	 /* size 0, allocated: coalescing stops here */
	block_mark_free(b);
	list_insert(t, b);
	t->pools = pool;
	t->pool_count++;
	t->pool_bytes += bytes;
	t->free_bytes += end - first;
	return 0;
}

/* Block size for a request, or 0 if the request is refused. */
static size_t adjust_request(size_t size, size_t align)
{
	if (align == 0 || (align & (align - 1)) != 0 || align > TLSF_MAX_ALLOC ||
	    size > TLSF_MAX_ALLOC) {
		return 0;
	}
	/* Size 0 gets the minimum block, see the zero-size policy in tlsf.h. */
	size = align_up(size + BLOCK_HEADER_OVERHEAD, TLSF_MIN_ALIGN);
	return size < BLOCK_MIN_SIZE ? BLOCK_MIN_SIZE : size;
}

/*
 * A free block (off the lists) whose payload is aligned to align > 16: take
 * a block with room for the worst leading gap and split the gap off. A gap
 * must be 0 or a whole block (>= 32), so a small one is widened by align.
 */
static struct tlsf_block *take_aligned(struct tlsf *t, size_t size, size_t align)
{
	struct tlsf_block *b = find_and_take(t, size + align + TLSF_MIN_ALIGN);

	if (b == NULL) {
		return NULL;
	}
	uintptr_t payload = (uintptr_t)b + PAYLOAD_OFFSET;
	size_t gap = align_up(payload, align) - payload;

	if (gap != 0 && gap < BLOCK_MIN_SIZE) {
		gap += align;
	}
	if (gap != 0) {
		b = split_front(t, b, gap);
	}
	return b;
}

void *tlsf_alloc(struct tlsf *t, size_t size, size_t align)
{
	size_t need = adjust_request(size, align);

	if (t == NULL || need == 0) {
		return NULL;
	}
	struct tlsf_block *b =
	    align <= TLSF_MIN_ALIGN ? find_and_take(t, need) : take_aligned(t, need, align);

	if (b == NULL) {
		return NULL;
	}
	split_back(t, b, need);
	block_mark_used(b);
	t->used_bytes += block_size(b);
	t->free_bytes -= block_size(b);
	t->alloc_count++;
	return (void *)((uintptr_t)b + PAYLOAD_OFFSET);
}

/*
 * Whether p looks like a live block of a heap; checked before free touches
 * anything. A freed block's header keeps TLSF_FREE even after it merged into
 * a neighbour (tlsf_free sets it first), so a second free is recognised until
 * that memory is handed out again.
 */
static int decode_free(void *p, struct tlsf_block **out)
{
	if (((uintptr_t)p & (TLSF_MIN_ALIGN - 1)) != 0) {
		return TLSF_EINVAL;
	}
	struct tlsf_block *b = block_of_payload(p);
	size_t size = block_size(b);

	if (block_is_free(b)) {
		return TLSF_EDOUBLE;
	}
	if (size < BLOCK_MIN_SIZE || size >= BLOCK_MAX_SIZE || (size & (TLSF_MIN_ALIGN - 1)) != 0 ||
	    block_prev_is_free(block_next(b))) {
		return TLSF_EINVAL;
	}
	*out = b;
	return 0;
}

int tlsf_free(struct tlsf *t, void *p)
{
	struct tlsf_block *b;

	if (p == NULL) {
		return 0;
	}
	if (t == NULL) {
		return TLSF_EINVAL;
	}
	int err = decode_free(p, &b);

	if (err != 0) {
		return err;
	}
	size_t size = block_size(b);

	t->used_bytes -= size;
	t->free_bytes += size;
	t->alloc_count--;
	b->header |= TLSF_FREE; /* stays in the word if b merges backwards */
	if (block_prev_is_free(b)) {
		struct tlsf_block *prev = b->prev_phys;

		list_remove(t, prev);
		block_set_size(prev, block_size(prev) + size);
		b = prev;
	}
	struct tlsf_block *next = block_next(b);

	if (block_is_free(next)) {
		list_remove(t, next);
		block_set_size(b, block_size(b) + block_size(next));
	}
	block_mark_free(b);
	list_insert(t, b);
	return 0;
}

size_t tlsf_block_size(const void *p)
{
	if (p == NULL) {
		return 0;
	}
	return block_size(block_of_payload(p)) - BLOCK_HEADER_OVERHEAD;
}

bool tlsf_owns(const struct tlsf *t, const void *p)
{
	uintptr_t a = (uintptr_t)p;

	return p != NULL && pool_overlaps(t, a, a + 1);
}

void tlsf_get_stats(const struct tlsf *t, struct tlsf_stats *out)
{
	*out = (struct tlsf_stats){.pool_count = t->pool_count,
				   .pool_bytes = t->pool_bytes,
				   .used_bytes = t->used_bytes,
				   .free_bytes = t->free_bytes,
				   .alloc_count = t->alloc_count};
}

/* ------------------------------------------------------------- checking -- */

/* Sums found by walking the pools, compared with the statistics. */
struct tlsf_census {
	size_t used_bytes;
	size_t free_bytes;
	size_t alloc_count;
	size_t free_count;
	size_t pool_count;
};

/* Walk one pool block by block, from the first block to the end block. */
static int check_pool(const struct tlsf_pool *pool, struct tlsf_census *c)
{
	uintptr_t end = (uintptr_t)pool + pool->span - PAYLOAD_OFFSET;
	const struct tlsf_block *b = (const struct tlsf_block *)((uintptr_t)pool + sizeof(*pool));
	const struct tlsf_block *prev = NULL;

	for (;;) {
		size_t size = block_size(b);
		bool prev_free = prev != NULL && block_is_free(prev);

		if (block_prev_is_free(b) != prev_free || (prev_free && b->prev_phys != prev)) {
			return TLSF_ECHK_PHYS;
		}
		if ((uintptr_t)b == end) {
			return size == 0 && !block_is_free(b) ? 0 : TLSF_ECHK_BLOCK;
		}
		if (size < BLOCK_MIN_SIZE || (size & (TLSF_MIN_ALIGN - 1)) ||
		    size > end - (uintptr_t)b) {
			return TLSF_ECHK_BLOCK;
		}
		if (block_is_free(b)) {
			if (prev_free) {
				return TLSF_ECHK_MERGE;
			}
			c->free_bytes += size;
			c->free_count++;
		} else {
			c->used_bytes += size;
			c->alloc_count++;
		}
		prev = b;
		b = block_next(b);
	}
}

/* Walk one free list; *count grows by its length (bounded by `limit`). */
static int check_list(const struct tlsf *t, unsigned fl, unsigned sl, size_t limit, size_t *count)
{
	const struct tlsf_block *prev = NULL;

	for (const struct tlsf_block *b = t->heads[fl][sl]; b != NULL; b = b->next_free) {
		unsigned bfl;
		unsigned bsl;

		if (*count == limit || !tlsf_owns(t, b) ||
		    ((uintptr_t)b & (TLSF_MIN_ALIGN - 1)) != 0 || !block_is_free(b) ||
		    b->prev_free != prev) {
			return TLSF_ECHK_LIST;
		}
		mapping(block_size(b), &bfl, &bsl);
		if (bfl != fl || bsl != sl) {
			return TLSF_ECHK_LIST;
		}
		prev = b;
		(*count)++;
	}
	return 0;
}

static int check_lists(const struct tlsf *t, size_t free_count)
{
	size_t listed = 0;

	for (unsigned fl = 0; fl < TLSF_FL_COUNT; fl++) {
		bool any = false;

		for (unsigned sl = 0; sl < TLSF_SL_COUNT; sl++) {
			bool bit = (t->sl_bitmap[fl] >> sl) & 1u;
			int err = check_list(t, fl, sl, free_count, &listed);

			if (err != 0) {
				return err;
			}
			if (bit != (t->heads[fl][sl] != NULL)) {
				return TLSF_ECHK_BITMAP;
			}
			any = any || bit;
		}
		if (any != (((t->fl_bitmap >> fl) & 1u) != 0)) {
			return TLSF_ECHK_BITMAP;
		}
	}
	/* Every listed block is a distinct free block; equal counts mean every
	 * free block is listed. */
	return listed == free_count ? 0 : TLSF_ECHK_LIST;
}

bool tlsf_pools_within(const struct tlsf *t, uintptr_t lo, uintptr_t hi)
{
	size_t n = 0;
	for (const struct tlsf_pool *p = t->pools; p != NULL; p = p->next) {
		uintptr_t at = (uintptr_t)p;
		if (++n > t->pool_count || at < lo || at >= hi || p->span > hi - at) {
			return false;
		}
	}
	return n == t->pool_count;
}

int tlsf_check(const struct tlsf *t)
{
	struct tlsf_census c = {0};

	for (const struct tlsf_pool *p = t->pools; p != NULL; p = p->next) {
		int err = check_pool(p, &c);

		if (err != 0) {
			return err;
		}
		c.pool_count++;
	}
	int err = check_lists(t, c.free_count);

	if (err != 0) {
		return err;
	}
	if (c.used_bytes != t->used_bytes || c.free_bytes != t->free_bytes ||
	    c.alloc_count != t->alloc_count || c.pool_count != t->pool_count) {
		return TLSF_ECHK_STATS;
	}
	return 0;
}
