/*
 * The out-of-band allocator; see arena_heap.h. Every block of the span,
 * free or live, has a struct arena_block in kernel memory; the blocks
 * tile [lo, hi) in address order (prev/next), no two free ones adjacent.
 * A free block is on the list of its size class; a live block is in the
 * table, chained through the same link field.
 */
#include "mm/arena_heap.h"

#include "lib/string.h"

struct arena_block {
	uintptr_t addr;
	uint64_t size;			 /* the whole block: a multiple of 16, at least 16 */
	struct arena_block *prev, *next; /* neighbours in address order */
	struct arena_block *link_prev, *link_next; /* free list; link_next chains the table */
	bool free;
};
_Static_assert(sizeof(struct arena_block) <= ARENA_HEAP_BLOCK_COST, "the charge covers a block");

#define SL_SHIFT       3 /* log2(ARENA_HEAP_SL_COUNT) */
#define OWN_LIST_LOOKS 16

static unsigned log2_floor(uint64_t v)
{
	return 63u - (unsigned)__builtin_clzll(v);
}

/* The list a free block of `size` bytes belongs on. */
static void mapping(uint64_t size, unsigned *fl, unsigned *sl)
{
	*fl = log2_floor(size);
	*sl = (unsigned)(size >> (*fl - SL_SHIFT)) & (ARENA_HEAP_SL_COUNT - 1);
}

static void list_insert(struct arena_heap *h, struct arena_block *b)
{
	unsigned fl, sl;
	mapping(b->size, &fl, &sl);
	b->link_prev = NULL;
	b->link_next = h->free_lists[fl][sl];
	if (b->link_next != NULL) {
		b->link_next->link_prev = b;
	}
	h->free_lists[fl][sl] = b;
	h->fl_map |= 1ull << fl;
	h->sl_map[fl] |= (uint8_t)(1u << sl);
}

static void list_remove(struct arena_heap *h, struct arena_block *b)
{
	unsigned fl, sl;
	mapping(b->size, &fl, &sl);
	if (b->link_prev != NULL) {
		b->link_prev->link_next = b->link_next;
	} else {
		h->free_lists[fl][sl] = b->link_next;
	}
	if (b->link_next != NULL) {
		b->link_next->link_prev = b->link_prev;
	}
	if (h->free_lists[fl][sl] == NULL) {
		h->sl_map[fl] &= (uint8_t) ~(1u << sl);
		if (h->sl_map[fl] == 0) {
			h->fl_map &= ~(1ull << fl);
		}
	}
}

/* A free block of at least `size` bytes: the head of the first non-empty
 * list whose every block is that big. */
static struct arena_block *find_fit(const struct arena_heap *h, uint64_t size)
{
	unsigned fl = log2_floor(size);
	uint64_t rounded = size + (1ull << (fl - SL_SHIFT)) - 1;
	unsigned sl;
	mapping(rounded, &fl, &sl);
	if (fl >= ARENA_HEAP_FL_COUNT) {
		return NULL;
	}
	unsigned sl_bits = h->sl_map[fl] & (0xffu << sl);
	if (sl_bits == 0) {
		uint64_t fl_bits = fl + 1 < 64 ? h->fl_map & (~0ull << (fl + 1)) : 0;
		if (fl_bits == 0) {
			return NULL;
		}
		fl = (unsigned)__builtin_ctzll(fl_bits);
		sl_bits = h->sl_map[fl];
	}
	return h->free_lists[fl][__builtin_ctz(sl_bits)];
}

/*
 * The blocks of size's own list may fit it too, though not all do: look
 * at the first few (a bounded look keeps allocation O(1)). This is what
 * lets a heap grown by exactly what a request needs serve it.
 */
static struct arena_block *find_in_own_list(const struct arena_heap *h, uint64_t size)
{
	unsigned fl, sl, looked = 0;
	mapping(size, &fl, &sl);
	if (fl >= ARENA_HEAP_FL_COUNT) {
		return NULL;
	}
	for (struct arena_block *b = h->free_lists[fl][sl]; b != NULL && looked < OWN_LIST_LOOKS;
	     b = b->link_next, looked++) {
		if (b->size >= size) {
			return b;
		}
	}
	return NULL;
}

/* ------------------------------------------------------ the live table -- */

static size_t slot_of(const struct arena_heap *h, uintptr_t addr)
{
	unsigned bits = (unsigned)__builtin_ctzll(h->table_size);
	return (size_t)(((addr >> 4) * 0x9e3779b97f4a7c15ull) >> (64 - bits));
}

/* Room in the table for one more live block; false only with no table at all. */
static bool table_reserve(struct arena_heap *h)
{
	if (h->live_blocks + 1 <= h->table_size) {
		return true;
	}
	size_t size = h->table_size == 0 ? 64 : h->table_size * 2;
	struct arena_block **table = h->meta_alloc(size * sizeof(*table));
	if (table == NULL) {
		return h->table_size != 0; /* longer chains, still correct */
	}
	memset(table, 0, size * sizeof(*table));
	struct arena_block **old = h->table;
	size_t old_size = h->table_size;
	h->table = table;
	h->table_size = size;
	for (size_t i = 0; i < old_size; i++) {
		for (struct arena_block *b = old[i], *next; b != NULL; b = next) {
			next = b->link_next;
			size_t s = slot_of(h, b->addr);
			b->link_next = table[s];
			table[s] = b;
		}
	}
	h->meta_free(old);
	return true;
}

static void table_insert(struct arena_heap *h, struct arena_block *b)
{
	size_t s = slot_of(h, b->addr);
	b->link_next = h->table[s];
	h->table[s] = b;
}

static struct arena_block *table_find(const struct arena_heap *h, uintptr_t addr)
{
	if (h->table_size == 0) {
		return NULL;
	}
	for (struct arena_block *b = h->table[slot_of(h, addr)]; b != NULL; b = b->link_next) {
		if (b->addr == addr) {
			return b;
		}
	}
	return NULL;
}

static void table_remove(struct arena_heap *h, struct arena_block *b)
{
	struct arena_block **p = &h->table[slot_of(h, b->addr)];
	while (*p != b) {
		p = &(*p)->link_next;
	}
	*p = b->link_next;
}

/* --------------------------------------------------------------- blocks -- */

void arena_heap_init(struct arena_heap *h, void *(*meta_alloc)(size_t size),
		     void (*meta_free)(void *p))
{
	memset(h, 0, sizeof(*h));
	h->meta_alloc = meta_alloc;
	h->meta_free = meta_free;
}

static struct arena_block *new_block(struct arena_heap *h, uintptr_t addr, uint64_t size)
{
	struct arena_block *b = h->meta_alloc(sizeof(*b));
	if (b != NULL) {
		memset(b, 0, sizeof(*b));
		b->addr = addr;
		b->size = size;
		b->free = true;
		h->all_blocks++;
	}
	return b;
}

static void drop_block(struct arena_heap *h, struct arena_block *b)
{
	h->all_blocks--;
	h->meta_free(b);
}

/* Put n after (or, with after NULL, at the start of) the address order. */
static void link_after(struct arena_heap *h, struct arena_block *after, struct arena_block *n)
{
	n->prev = after;
	n->next = after != NULL ? after->next : h->first;
	if (n->next != NULL) {
		n->next->prev = n;
	} else {
		h->last = n;
	}
	if (after != NULL) {
		after->next = n;
	} else {
		h->first = n;
	}
}

static void unlink_block(struct arena_heap *h, struct arena_block *b)
{
	if (b->prev != NULL) {
		b->prev->next = b->next;
	} else {
		h->first = b->next;
	}
	if (b->next != NULL) {
		b->next->prev = b->prev;
	} else {
		h->last = b->prev;
	}
	if (h->claim_hint == b) {
		h->claim_hint = NULL;
	}
}

int arena_heap_grow(struct arena_heap *h, uintptr_t addr, uint64_t bytes)
{
	if (bytes == 0 || addr % 16 != 0 || bytes % 16 != 0 || addr + bytes < addr ||
	    (h->hi != 0 && addr != h->hi)) {
		return -1;
	}
	if (h->last != NULL && h->last->free) {
		list_remove(h, h->last);
		h->last->size += bytes;
		list_insert(h, h->last);
	} else {
		struct arena_block *b = new_block(h, addr, bytes);
		if (b == NULL) {
			return -1;
		}
		link_after(h, h->last, b);
		list_insert(h, b);
	}
	if (h->hi == 0) {
		h->lo = addr;
	}
	h->hi = addr + bytes;
	return 0;
}

/*
 * Make [start, start + size) of free block b live: what lies before and
 * after it stays free, as blocks of their own. -1 (nothing changed) when
 * the bookkeeping for them cannot be had.
 */
static int carve(struct arena_heap *h, struct arena_block *b, uintptr_t start, uint64_t size)
{
	uint64_t gap = start - b->addr;
	uint64_t tail = b->size - gap - size;
	struct arena_block *front = gap > 0 ? new_block(h, b->addr, gap) : NULL;
	struct arena_block *back = tail > 0 ? new_block(h, start + size, tail) : NULL;

	if ((gap > 0 && front == NULL) || (tail > 0 && back == NULL) || !table_reserve(h)) {
		if (front != NULL) {
			drop_block(h, front);
		}
		if (back != NULL) {
			drop_block(h, back);
		}
		return -1;
	}
	list_remove(h, b);
	if (front != NULL) {
		link_after(h, b->prev, front);
		list_insert(h, front);
	}
	if (back != NULL) {
		link_after(h, b, back);
		list_insert(h, back);
	}
	b->addr = start;
	b->size = size;
	b->free = false;
	table_insert(h, b);
	h->live_blocks++;
	h->live_bytes += size;
	return 0;
}

uintptr_t arena_heap_alloc(struct arena_heap *h, uint64_t size, uint64_t align)
{
	if (align == 0 || (align & (align - 1)) != 0 || align > ARENA_HEAP_MAX_ALIGN ||
	    size > ARENA_HEAP_MAX_ALLOC) {
		return 0;
	}
	align = align < ARENA_HEAP_MIN_ALIGN ? ARENA_HEAP_MIN_ALIGN : align;
	size = size == 0 ? 16 : (size + 15) & ~(uint64_t)15;
	uint64_t need = size + (align - ARENA_HEAP_MIN_ALIGN);
	struct arena_block *b = find_fit(h, need);
	if (b == NULL) {
		b = find_in_own_list(h, need);
	}
	if (b == NULL) {
		return 0;
	}
	uintptr_t start = (b->addr + align - 1) & ~(uintptr_t)(align - 1);
	return carve(h, b, start, size) == 0 ? start : 0;
}

bool arena_heap_free(struct arena_heap *h, uintptr_t addr)
{
	struct arena_block *b = table_find(h, addr);
	if (b == NULL) {
		return false;
	}
	table_remove(h, b);
	h->live_blocks--;
	h->live_bytes -= b->size;
	b->free = true;
	struct arena_block *prev = b->prev, *next = b->next;
	if (prev != NULL && prev->free) {
		list_remove(h, prev);
		prev->size += b->size;
		unlink_block(h, b);
		drop_block(h, b);
		b = prev;
	}
	if (next != NULL && next->free) {
		list_remove(h, next);
		b->size += next->size;
		unlink_block(h, next);
		drop_block(h, next);
	}
	list_insert(h, b);
	return true;
}

uint64_t arena_heap_block_size(const struct arena_heap *h, uintptr_t addr)
{
	const struct arena_block *b = table_find(h, addr);
	return b != NULL ? b->size : 0;
}

int arena_heap_claim(struct arena_heap *h, uintptr_t addr, uint64_t size)
{
	if (size == 0 || size % 16 != 0 || addr % 16 != 0 || addr < h->lo || addr >= h->hi ||
	    size > h->hi - addr) {
		return -1;
	}
	struct arena_block *b = h->claim_hint;
	if (b == NULL || b->addr > addr) {
		b = h->first;
	}
	while (b != NULL && b->addr + b->size <= addr) {
		b = b->next;
	}
	if (b == NULL || !b->free || addr + size > b->addr + b->size) {
		return -1;
	}
	if (carve(h, b, addr, size) != 0) {
		return -1;
	}
	h->claim_hint = b;
	return 0;
}

void arena_heap_each_live(const struct arena_heap *h,
			  void (*fn)(void *arg, uintptr_t addr, uint64_t size), void *arg)
{
	for (const struct arena_block *b = h->first; b != NULL; b = b->next) {
		if (!b->free) {
			fn(arg, b->addr, b->size);
		}
	}
}

/* b is on the list its size maps to. */
static bool listed(const struct arena_heap *h, const struct arena_block *b)
{
	unsigned fl, sl;
	mapping(b->size, &fl, &sl);
	for (const struct arena_block *l = h->free_lists[fl][sl]; l != NULL; l = l->link_next) {
		if (l == b) {
			return true;
		}
	}
	return false;
}

/* The lists and their maps agree, and hold only free blocks; how many. */
static int check_lists(const struct arena_heap *h, size_t *listed_count)
{
	*listed_count = 0;
	for (unsigned fl = 0; fl < ARENA_HEAP_FL_COUNT; fl++) {
		for (unsigned sl = 0; sl < ARENA_HEAP_SL_COUNT; sl++) {
			const struct arena_block *l = h->free_lists[fl][sl];
			bool bit = (h->sl_map[fl] >> sl) & 1;
			if ((l != NULL) != bit) {
				return -1;
			}
			for (const struct arena_block *p = NULL; l != NULL;
			     p = l, l = l->link_next) {
				unsigned f, s;
				mapping(l->size, &f, &s);
				if (!l->free || l->link_prev != p || f != fl || s != sl) {
					return -1;
				}
				(*listed_count)++;
			}
		}
		if ((h->sl_map[fl] != 0) != ((h->fl_map >> fl) & 1)) {
			return -1;
		}
	}
	return 0;
}

int arena_heap_check(const struct arena_heap *h)
{
	size_t blocks = 0, live = 0, free_blocks = 0, listed_count;
	uint64_t live_bytes = 0;
	uintptr_t at = h->lo;
	const struct arena_block *prev = NULL;

	for (const struct arena_block *b = h->first; b != NULL; prev = b, b = b->next) {
		if (b->addr != at || b->size < 16 || b->size % 16 != 0 || b->prev != prev ||
		    (b->free && prev != NULL && prev->free)) {
			return -1;
		}
		if (b->free) {
			free_blocks++;
			if (!listed(h, b)) {
				return -1;
			}
		} else {
			live++;
			live_bytes += b->size;
			if (table_find(h, b->addr) != b) {
				return -1;
			}
		}
		at += b->size;
		blocks++;
	}
	if (at != h->hi || h->last != prev || blocks != h->all_blocks || live != h->live_blocks ||
	    live_bytes != h->live_bytes || check_lists(h, &listed_count) != 0 ||
	    listed_count != free_blocks) {
		return -1;
	}
	return 0;
}

void arena_heap_destroy(struct arena_heap *h)
{
	for (struct arena_block *b = h->first, *next; b != NULL; b = next) {
		next = b->next;
		h->meta_free(b);
	}
	if (h->table != NULL) {
		h->meta_free(h->table);
	}
	arena_heap_init(h, h->meta_alloc, h->meta_free);
}
