/*
 * App images and arenas; see app_memory.h.
 *
 * Arena growth maps fresh frames at arena_top and gives the new range to
 * the app's TLSF heap as a pool: frames need not be contiguous, the
 * virtual range is. Pools never merge across growth steps, a small price
 * for never moving anything an app points to.
 */
#include "runtime/app_memory.h"

#include "kernel/log.h"
#include "lib/string.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define ARENA_GROW_MIN (64u * 1024)
#define POOL_OVERHEAD  128u

static bool slot_used[APP_SLOTS];
static uint64_t total_pages;

bool app_memory_init_slot(struct app_memory *m, unsigned slot)
{
	if (slot >= APP_SLOTS || slot_used[slot]) {
		return false;
	}
	slot_used[slot] = true;
	memset(m, 0, sizeof(*m));
	m->slot = slot;
	m->base = APP_REGION_BASE + slot * APP_SLOT_SIZE;
	m->arena_top = m->base + APP_IMAGE_MAX;
	m->limit = app_memory_default_limit();
	tlsf_init(&m->heap);
	return true;
}

bool app_memory_init(struct app_memory *m)
{
	for (unsigned s = 0; s < APP_SLOTS; s++) {
		if (app_memory_init_slot(m, s)) {
			return true;
		}
	}
	return false;
}

/* Map `pages` fresh zeroed frames at va; false (all undone) when out of memory. */
static bool map_fresh(uintptr_t va, uint64_t pages, uint64_t flags)
{
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t frame = pmm_alloc_frame();
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

static uint64_t prot_flags(uint32_t prot)
{
	uint64_t flags = PTE_GLOBAL;
	if (prot & ELF_PROT_W) {
		flags |= PTE_WRITABLE;
	}
	if (!(prot & ELF_PROT_X)) {
		flags |= PTE_NO_EXECUTE;
	}
	return flags;
}

int app_memory_load(struct app_memory *m, const void *file, const struct elf_plan *plan,
		    uintptr_t *entry)
{
	uint64_t pages = (plan->image_size + PAGE_SIZE - 1) / PAGE_SIZE;
	if (plan->image_size > APP_IMAGE_MAX ||
	    !map_fresh(m->base, pages, PTE_GLOBAL | PTE_WRITABLE | PTE_NO_EXECUTE)) {
		return -1;
	}
	m->image_pages = pages;
	elf_fill_image(plan, file, (uint8_t *)m->base);
	elf_relocate(plan, file, (uint8_t *)m->base, m->base);
	/* Only now, with the bytes final, the permissions: W^X per segment. */
	for (unsigned s = 0; s < plan->segment_count; s++) {
		const struct elf_segment *seg = &plan->segments[s];
		uint64_t first = seg->offset / PAGE_SIZE;
		uint64_t last = (seg->offset + seg->mem_size + PAGE_SIZE - 1) / PAGE_SIZE;
		for (uint64_t p = first; p < last; p++) {
			uint64_t pa, flags;
			vmm_translate(m->base + p * PAGE_SIZE, &pa, &flags);
			vmm_map_page(m->base + p * PAGE_SIZE, pa, prot_flags(seg->prot));
		}
	}
	*entry = m->base + plan->entry_offset;
	return 0;
}

static bool arena_grow(struct app_memory *m, size_t size, size_t align)
{
	uint64_t bytes = size + align + POOL_OVERHEAD;
	bytes = bytes < ARENA_GROW_MIN ? ARENA_GROW_MIN : bytes;
	uint64_t pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	if (m->arena_top + pages * PAGE_SIZE > m->base + APP_SLOT_SIZE ||
	    !map_fresh(m->arena_top, pages, PTE_GLOBAL | PTE_WRITABLE | PTE_NO_EXECUTE)) {
		return false;
	}
	tlsf_add_pool(&m->heap, (void *)m->arena_top, pages * PAGE_SIZE);
	m->arena_top += pages * PAGE_SIZE;
	m->arena_pages += pages;
	return true;
}

int app_memory_map_arena(struct app_memory *m, uint64_t bytes)
{
	uint64_t pages = bytes / PAGE_SIZE;
	if (m->arena_pages != 0 || bytes % PAGE_SIZE != 0 || bytes > APP_ARENA_MAX ||
	    !map_fresh(m->arena_top, pages, PTE_GLOBAL | PTE_WRITABLE | PTE_NO_EXECUTE)) {
		return -1;
	}
	m->arena_top += bytes;
	m->arena_pages = pages;
	return 0;
}

void *app_memory_alloc(struct app_memory *m, size_t size, size_t align)
{
	if (size > m->limit || m->live_bytes > m->limit - size) {
		if (!m->over_limit) {
			log_warn(
			    "app",
			    "slot %u: calloc(%zu) refused: %llu of %llu bytes in use (the limit)",
			    m->slot, size, (unsigned long long)m->live_bytes,
			    (unsigned long long)m->limit);
		}
		m->over_limit = true;
		return NULL;
	}
	void *p = tlsf_alloc(&m->heap, size, align);
	if (p == NULL && size <= TLSF_MAX_ALLOC && align <= TLSF_MAX_ALLOC &&
	    (align & (align - 1)) == 0 && arena_grow(m, size, align)) {
		p = tlsf_alloc(&m->heap, size, align);
	}
	if (p != NULL) {
		memset(p, 0, size); /* reused blocks hold old data */
		m->live_bytes += tlsf_block_size(p);
		m->live_allocs++;
		m->over_limit = false;
	}
	return p;
}

bool app_memory_free(struct app_memory *m, void *p)
{
	if (p == NULL || !tlsf_owns(&m->heap, p)) {
		return false;
	}
	size_t size = tlsf_block_size(p);
	if (tlsf_free(&m->heap, p) != 0) {
		return false;
	}
	m->live_bytes -= size;
	m->live_allocs--;
	return true;
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

void app_memory_release(struct app_memory *m)
{
	unmap_range(m->base, m->image_pages);
	unmap_range(m->base + APP_IMAGE_MAX, m->arena_pages);
	slot_used[m->slot] = false;
	m->image_pages = m->arena_pages = 0;
}

uint64_t app_memory_total_pages(void)
{
	return total_pages;
}
