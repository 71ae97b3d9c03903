/*
 * App images and arenas; see app_memory.h.
 *
 * Arena growth maps fresh frames at arena_top and hands the new range to
 * the app's heap (mm/arena_heap.h), whose bookkeeping is kernel memory:
 * frames need not be contiguous, the virtual range is, and the heap never
 * reads the arena, so nothing an app writes there can mislead it.
 */
#include "runtime/app_memory.h"

#include "arch/x86_64/pkeys.h"
#include "arch/x86_64/user_access.h"
#include "arch/x86_64/user_mode.h"
#include "kernel/clock.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "runtime/code_scan.h"

#define ARENA_GROW_MIN (64u * 1024)
#define USER_DATA      (PTE_GLOBAL | PTE_USER | PTE_WRITABLE | PTE_NO_EXECUTE)

static struct app_memory *key_owner[PKEY_COUNT];
static uint64_t key_last_run[PKEY_COUNT]; /* when its owner last entered, in entries */
static uint64_t entries;
static struct app_key_stats key_stats;

#define SLOT_WORDS ((APP_SLOTS + 63) / 64)

static uint64_t slots_used[SLOT_WORDS]; /* bit s: slot s is taken */
static uint64_t total_pages;

static bool slot_taken(unsigned slot)
{
	return (slots_used[slot / 64] >> (slot % 64)) & 1;
}

bool app_memory_init_slot(struct app_memory *m, unsigned slot)
{
	if (slot >= APP_SLOTS || slot_taken(slot)) {
		return false;
	}
	slots_used[slot / 64] |= 1ull << (slot % 64);
	memset(m, 0, sizeof(*m));
	m->slot = slot;
	bool large = slot < APP_LARGE_SLOTS;
	m->size = large ? APP_LARGE_SLOT_SIZE : APP_SMALL_SLOT_SIZE;
	m->base = large ? APP_REGION_BASE + slot * APP_LARGE_SLOT_SIZE
			: APP_SMALL_BASE + (slot - APP_LARGE_SLOTS) * APP_SMALL_SLOT_SIZE;
	m->arena_top = m->base + APP_IMAGE_MAX;
	m->limit = app_memory_default_limit();
	m->pkey = APP_KEY_PARKED;
	arena_heap_init(&m->heap, kmalloc, kfree);
	return true;
}

bool app_memory_init(struct app_memory *m)
{
	for (unsigned w = 0; w < SLOT_WORDS; w++) {
		if (~slots_used[w] != 0) {
			return app_memory_init_slot(
			    m, w * 64 + (unsigned)__builtin_ctzll(~slots_used[w]));
		}
	}
	return false;
}

/*
 * Map `pages` fresh frames at va, zeroed unless the caller overwrites
 * every byte before anyone reads them; false (all undone) when out of
 * memory.
 */
static bool map_frames(uintptr_t va, uint64_t pages, uint64_t flags, bool zeroed)
{
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t frame = zeroed ? pmm_alloc_frame() : pmm_alloc_raw(0);
		if (frame == PMM_NO_MEMORY || vmm_map_page(va + i * PAGE_SIZE, frame, flags) != 0) {
			if (frame != PMM_NO_MEMORY) {
				pmm_free(frame, 0);
			}
			while (i-- > 0) {
				uint64_t pa, f;
				vmm_translate(va + i * PAGE_SIZE, &pa, &f);
				vmm_unmap_page(va + i * PAGE_SIZE);
				pmm_free(pa, 0);
			}
			return false;
		}
	}
	total_pages += pages;
	return true;
}

static bool map_fresh(uintptr_t va, uint64_t pages, uint64_t flags)
{
	return map_frames(va, pages, flags, true);
}

static void unmap_range(uintptr_t va, uint64_t pages)
{
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t pa, flags;
		if (vmm_translate(va + i * PAGE_SIZE, &pa, &flags)) {
			vmm_unmap_page(va + i * PAGE_SIZE);
			pmm_free(pa & ~(uint64_t)(PAGE_SIZE - 1), 0);
		}
	}
	total_pages -= pages;
}

static uint64_t prot_flags(uint32_t prot, unsigned pkey)
{
	uint64_t flags = PTE_GLOBAL | PTE_USER | PTE_PKEY(pkey);
	if (prot & ELF_PROT_W) {
		flags |= PTE_WRITABLE;
	}
	if (!(prot & ELF_PROT_X)) {
		flags |= PTE_NO_EXECUTE;
	}
	return flags;
}

static bool map_call_page(struct app_memory *m)
{
	if (!map_fresh(app_memory_call_page_user(m), 1, USER_DATA | PTE_PKEY(m->pkey))) {
		return false;
	}
	uint64_t flags;
	vmm_translate(app_memory_call_page_user(m), &m->call_page, &flags);
	return true;
}

void *app_memory_call_page(const struct app_memory *m)
{
	return phys_to_virt(m->call_page);
}

uintptr_t app_memory_call_page_user(const struct app_memory *m)
{
	return m->base + m->size - PAGE_SIZE;
}

uintptr_t app_memory_stack_top(const struct app_memory *m)
{
	return app_memory_call_page_user(m);
}

static uintptr_t stack_bottom(const struct app_memory *m)
{
	return app_memory_stack_top(m) - APP_STACK_MAX;
}

bool app_memory_grow_stack(struct app_memory *m, uintptr_t va)
{
	uintptr_t mapped_low = app_memory_stack_top(m) - m->stack_pages * PAGE_SIZE;
	if (va < stack_bottom(m) || va >= mapped_low) {
		return false;
	}
	uintptr_t page = va & ~(uintptr_t)(PAGE_SIZE - 1);
	uint64_t pages = (mapped_low - page) / PAGE_SIZE;
	if (!map_fresh(page, pages, USER_DATA | PTE_PKEY(m->pkey))) {
		return false;
	}
	m->stack_pages += pages;
	return true;
}

bool app_memory_owns_range(const struct app_memory *m, uintptr_t p, size_t len)
{
	return p >= m->base && len <= m->size && p - m->base <= m->size - len;
}

bool app_memory_in_stack_gap(const struct app_memory *m, uintptr_t va)
{
	uintptr_t bottom = stack_bottom(m);
	return va < bottom && va >= bottom - APP_STACK_GAP;
}

/*
 * The image's executable pages, as they will run, hold no forbidden
 * instruction; else the reason goes to why. Segments never share a page
 * (elf_plan), so a segment's pages are all executable or all not, and a
 * sequence may run on into the next segment only if that one is
 * executable too and starts on the next page.
 */
static bool code_allowed(const struct app_memory *m, const struct elf_plan *plan, char *why,
			 size_t why_len)
{
	for (unsigned s = 0; s < plan->segment_count; s++) {
		const struct elf_segment *seg = &plan->segments[s];
		if (!(seg->prot & ELF_PROT_X)) {
			continue;
		}
		uint64_t lo = seg->offset & ~(uint64_t)(PAGE_SIZE - 1);
		uint64_t hi =
		    (seg->offset + seg->mem_size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
		const struct elf_segment *next = s + 1 < plan->segment_count ? seg + 1 : NULL;
		bool runs_on = next != NULL && (next->prot & ELF_PROT_X) &&
			       (next->offset & ~(uint64_t)(PAGE_SIZE - 1)) == hi;
		struct code_scan_hit hit;
		if (code_scan((const uint8_t *)m->base + lo, hi - lo,
			      runs_on ? (const uint8_t *)m->base + hi : NULL, runs_on ? 2 : 0,
			      &hit)) {
			fmt_snprintf(why, why_len,
				     "its code holds %s at image+%#llx: an app may not change its "
				     "own memory rights",
				     hit.name, (unsigned long long)(lo + hit.offset));
			return false;
		}
	}
	return true;
}

int app_memory_load(struct app_memory *m, const void *file, const struct elf_plan *plan,
		    uintptr_t *entry, char *why, size_t why_len)
{
	uint64_t pages = (plan->image_size + PAGE_SIZE - 1) / PAGE_SIZE;
	if (m->call_page == 0 && !map_call_page(m)) {
		return APP_MEMORY_ENOMEM;
	}
	/* Supervisor pages while the kernel fills them: no app can see them yet. */
	if (plan->image_size > APP_IMAGE_MAX ||
	    !map_fresh(m->base, pages, PTE_GLOBAL | PTE_WRITABLE | PTE_NO_EXECUTE)) {
		return APP_MEMORY_ENOMEM;
	}
	m->image_pages = pages;
	elf_fill_image(plan, file, (uint8_t *)m->base);
	elf_relocate(plan, file, (uint8_t *)m->base, m->base);
	if (!code_allowed(m, plan, why, why_len)) {
		app_memory_unload(m);
		return APP_MEMORY_EFORBIDDEN;
	}
	/* Only now, with the bytes final, the app's permissions: W^X per segment. */
	for (unsigned s = 0; s < plan->segment_count; s++) {
		const struct elf_segment *seg = &plan->segments[s];
		uint64_t first = seg->offset / PAGE_SIZE;
		uint64_t last = (seg->offset + seg->mem_size + PAGE_SIZE - 1) / PAGE_SIZE;
		for (uint64_t p = first; p < last; p++) {
			uint64_t pa, flags;
			vmm_translate(m->base + p * PAGE_SIZE, &pa, &flags);
			vmm_map_page(m->base + p * PAGE_SIZE, pa, prot_flags(seg->prot, m->pkey));
		}
	}
	*entry = m->base + plan->entry_offset;
	return 0;
}

/* Map `pages` more arena pages at arena_top and give them to the heap. */
static bool map_arena_pages(struct app_memory *m, uint64_t pages, bool zeroed)
{
	uint64_t bytes = pages * PAGE_SIZE;
	if (m->arena_top + bytes > m->base + APP_IMAGE_MAX + app_memory_arena_max(m) ||
	    !map_frames(m->arena_top, pages, USER_DATA | PTE_PKEY(m->pkey), zeroed)) {
		return false;
	}
	if (arena_heap_grow(&m->heap, m->arena_top, bytes) != 0) {
		unmap_range(m->arena_top, pages);
		return false;
	}
	m->arena_top += bytes;
	m->arena_pages += pages;
	return true;
}

static bool arena_grow(struct app_memory *m, size_t size, size_t align)
{
	uint64_t bytes = size + align;
	bytes = bytes < ARENA_GROW_MIN ? ARENA_GROW_MIN : bytes;
	return map_arena_pages(m, (bytes + PAGE_SIZE - 1) / PAGE_SIZE, true);
}

int app_memory_map_arena(struct app_memory *m, uint64_t bytes)
{
	if (m->arena_pages != 0 || bytes % PAGE_SIZE != 0 || bytes > app_memory_arena_max(m)) {
		return -1;
	}
	return bytes == 0 || map_arena_pages(m, bytes / PAGE_SIZE, false) ? 0 : -1;
}

int app_memory_claim(struct app_memory *m, uintptr_t p, uint64_t size)
{
	if (arena_heap_claim(&m->heap, p, size) != 0) {
		return -1;
	}
	m->live_bytes += size;
	m->live_allocs++;
	return 0;
}

/* What the app's live blocks cost it: their bytes and their bookkeeping. */
static uint64_t charged(const struct app_memory *m)
{
	return m->live_bytes + m->live_allocs * ARENA_HEAP_BLOCK_COST;
}

/*
 * The kernel touching m's pages itself: PKRU holds the rights of the app
 * that ran last (runtime/app_run.c), which need not be m. Opens m's key
 * unless it is open already and returns the PKRU to put back (kernel_done).
 */
static uint32_t kernel_touch(const struct app_memory *m)
{
	uint32_t key_bits = PKRU_AD(m->pkey) | PKRU_WD(m->pkey);
	if (!user_mode_pkeys || (pkru_now & key_bits) == 0) {
		return pkru_now;
	}
	return pkru_set(pkru_now & ~key_bits);
}

static void kernel_done(uint32_t pkru)
{
	if (user_mode_pkeys) {
		pkru_set(pkru);
	}
}

void *app_memory_alloc(struct app_memory *m, size_t size, size_t align)
{
	uint64_t cost = (uint64_t)size + ARENA_HEAP_BLOCK_COST;
	if (size > ARENA_HEAP_MAX_ALLOC || charged(m) + cost > m->limit) {
		if (!m->over_limit) {
			log_warn(
			    "app",
			    "slot %u: calloc(%zu) refused: %llu of %llu bytes in use (the limit)",
			    m->slot, size, (unsigned long long)charged(m),
			    (unsigned long long)m->limit);
		}
		m->over_limit = true;
		return NULL;
	}
	uintptr_t p = arena_heap_alloc(&m->heap, size, align);
	if (p == 0 && align != 0 && align <= ARENA_HEAP_MAX_ALIGN && (align & (align - 1)) == 0 &&
	    arena_grow(m, size, align)) {
		p = arena_heap_alloc(&m->heap, size, align);
	}
	if (p == 0) {
		return NULL;
	}
	uint32_t pkru = kernel_touch(m);
	user_access_begin();
	memset((void *)p, 0, size); /* reused blocks hold old data */
	user_access_end();
	kernel_done(pkru);
	m->live_bytes += arena_heap_block_size(&m->heap, p);
	m->live_allocs++;
	m->over_limit = false;
	return (void *)p;
}

bool app_memory_free(struct app_memory *m, void *p)
{
	uint64_t size = arena_heap_block_size(&m->heap, (uintptr_t)p);
	if (size == 0 || !arena_heap_free(&m->heap, (uintptr_t)p)) {
		return false;
	}
	m->live_bytes -= size;
	m->live_allocs--;
	return true;
}

/* A kernel bug, not an app's: the kernel's own copies know where they go. */
static void check_owned(const struct app_memory *m, uintptr_t va, size_t len)
{
	if (!app_memory_owns_range(m, va, len)) {
		panic("app memory: %#llx + %zu is not in slot %u", (unsigned long long)va, len,
		      m->slot);
	}
}

/* The frame behind mapped va of m (a kernel bug if unmapped). */
static uint64_t frame_of(const struct app_memory *m, uintptr_t va)
{
	uint64_t pa, flags;
	if (!vmm_translate(va, &pa, &flags)) {
		panic("app memory: %#llx in slot %u is not mapped", (unsigned long long)va,
		      m->slot);
	}
	return pa;
}

/*
 * The kernel's own copies of app memory go through the kernel's direct map
 * of the app's frames, page by page, not through the app's user addresses:
 * no SMAP window and no key to open for a copy that may be megabytes long
 * (under TCG also much faster: a 16 MiB snapshot read through the user
 * addresses took 4x a plain file write). Kernel memory is not in any
 * slot, so check_owned already refused a stray pointer.
 */
static void copy_frames(const struct app_memory *m, uintptr_t va, uint8_t *kernel, size_t len,
			bool into_app)
{
	while (len > 0) {
		uint64_t pa = frame_of(m, va);
		size_t n = PAGE_SIZE - va % PAGE_SIZE < len ? PAGE_SIZE - va % PAGE_SIZE : len;
		if (into_app) {
			memcpy(phys_to_virt(pa), kernel, n);
		} else {
			memcpy(kernel, phys_to_virt(pa), n);
		}
		va += n;
		kernel += n;
		len -= n;
	}
}

void *app_memory_direct(const struct app_memory *m, uintptr_t va, size_t len, size_t *bytes)
{
	check_owned(m, va, len);
	uint64_t start = frame_of(m, va);
	size_t n = PAGE_SIZE - va % PAGE_SIZE < len ? PAGE_SIZE - va % PAGE_SIZE : len;
	while (n < len && frame_of(m, va + n) == start + n) {
		n = n + PAGE_SIZE < len ? n + PAGE_SIZE : len;
	}
	*bytes = n;
	return phys_to_virt(start);
}

void app_memory_read(const struct app_memory *m, uintptr_t va, void *dst, size_t len)
{
	check_owned(m, va, len);
	copy_frames(m, va, dst, len, false);
}

void app_memory_write(struct app_memory *m, uintptr_t va, const void *src, size_t len)
{
	check_owned(m, va, len);
	copy_frames(m, va, (uint8_t *)src, len, true);
}

bool app_memory_heap_sane(const struct app_memory *m)
{
	return arena_heap_check(&m->heap) == 0;
}

uint64_t app_memory_default_limit(void)
{
	return pmm_total_bytes() / 4;
}

void app_memory_unload(struct app_memory *m)
{
	unmap_range(m->base, m->image_pages);
	m->image_pages = 0;
}

/* Re-tag every mapped page of m with key. */
static void retag(struct app_memory *m, unsigned key)
{
	uint64_t start = clock_ns();
	uintptr_t stack_low = app_memory_stack_top(m) - m->stack_pages * PAGE_SIZE;
	key_stats.pages_retagged += vmm_set_pkey(m->base, m->image_pages, key) +
				    vmm_set_pkey(m->base + APP_IMAGE_MAX, m->arena_pages, key) +
				    vmm_set_pkey(stack_low, m->stack_pages, key) +
				    vmm_set_pkey(app_memory_call_page_user(m), 1, key);
	m->pkey = key;
	key_stats.retag_ns += clock_ns() - start;
}

/* A key for m: a free one, or the one whose owner ran least recently. */
static unsigned take_key(void)
{
	unsigned best = APP_KEY_FIRST;
	for (unsigned k = APP_KEY_FIRST; k < APP_KEY_PARKED; k++) {
		if (key_owner[k] == NULL) {
			return k;
		}
		if (key_last_run[k] < key_last_run[best]) {
			best = k;
		}
	}
	if (key_stats.evictions == 0) {
		log_info("app",
			 "more apps than protection keys: from now on keys move to the app "
			 "about to run, and the pages of the one that loses its key are re-tagged");
	}
	retag(key_owner[best], APP_KEY_PARKED);
	key_owner[best] = NULL;
	key_stats.evictions++;
	return best;
}

uint32_t app_memory_enter(struct app_memory *m)
{
	if (!user_mode_pkeys) {
		return 0;
	}
	if (m->pkey == APP_KEY_PARKED) {
		unsigned k = take_key();
		key_owner[k] = m;
		retag(m, k);
		key_stats.handed++;
	}
	key_last_run[m->pkey] = ++entries;
	uint32_t all_closed = 0xffffffffu;
	return all_closed & ~(PKRU_AD(APP_KEY_SHARED) | PKRU_WD(APP_KEY_SHARED)) &
	       ~(PKRU_AD(m->pkey) | PKRU_WD(m->pkey));
}

void app_memory_key_stats(struct app_key_stats *out)
{
	*out = key_stats;
}

void app_memory_release(struct app_memory *m)
{
	if (m->pkey != APP_KEY_PARKED && key_owner[m->pkey] == m) {
		key_owner[m->pkey] = NULL;
	}
	m->pkey = APP_KEY_PARKED;
	unmap_range(m->base, m->image_pages);
	unmap_range(m->base + APP_IMAGE_MAX, m->arena_pages);
	unmap_range(app_memory_stack_top(m) - m->stack_pages * PAGE_SIZE, m->stack_pages);
	if (m->call_page != 0) {
		unmap_range(app_memory_call_page_user(m), 1);
	}
	arena_heap_destroy(&m->heap);
	vmm_release_tables(m->base, m->size);
	slots_used[m->slot / 64] &= ~(1ull << (m->slot % 64));
	m->image_pages = m->arena_pages = m->stack_pages = m->call_page = 0;
}

uint64_t app_memory_total_pages(void)
{
	return total_pages;
}
