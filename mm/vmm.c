/*
 * Building and editing the kernel's page tables; see vmm.h for the layout.
 *
 * Page-table frames come from the pmm and are reached through the direct
 * map (during vmm_init through boot.S's provisional one, which covers the
 * low 4 GiB the pmm hands out until pmm_add_high_memory()).
 * Intermediate entries are always present+writable (and user above user
 * pages); permissions live in the leaves. Single-threaded: callers run in
 * the kernel loop or at boot.
 */
#include "mm/vmm.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/pkeys.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "mm/pmm.h"

extern char __kernel_start[], __kernel_end[];
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char kernel_stack_guard[];

static uint64_t *pml4;
static uint64_t nx_bit; /* PTE_NO_EXECUTE when the CPU has NX, else 0 */
static uintptr_t mmio_next = MMIO_BASE;

static uint64_t *table_at(uint64_t entry)
{
	return phys_to_virt(entry & PTE_ADDR_MASK);
}

/*
 * The entry that maps va at `level` (0 = 4 KiB PTE, 1 = 2 MiB PDE,
 * 2 = 1 GiB PDPTE), creating missing tables. NULL if a huge page is in
 * the way or memory ran out. For a user page (`user`) the tables above it
 * allow user access too (ring 3 needs the U bit at every level).
 */
static uint64_t *walk_create(uintptr_t va, int level, bool user)
{
	uint64_t *table = pml4;

	for (int l = 3; l > level; l--) {
		uint64_t *e = &table[pt_index(va, l)];
		if (!(*e & PTE_PRESENT)) {
			uint64_t frame = pmm_alloc_frame();
			if (frame == PMM_NO_MEMORY) {
				return NULL;
			}
			*e = frame | PTE_PRESENT | PTE_WRITABLE;
		} else if (*e & PTE_HUGE) {
			return NULL;
		}
		if (user) {
			*e |= PTE_USER;
		}
		table = table_at(*e);
	}
	return &table[pt_index(va, level)];
}

static void map_leaf(uintptr_t va, uint64_t pa, uint64_t flags, int level)
{
	uint64_t *e = walk_create(va, level, false);
	if (e == NULL) {
		panic("vmm: cannot map %#lx", (unsigned long)va);
	}
	*e = pa | flags | PTE_PRESENT | (level > 0 ? PTE_HUGE : 0);
}

/* Flags for a 4 KiB page of the kernel image, by the section it holds. */
static uint64_t kernel_page_flags(uintptr_t va)
{
	if (va >= (uintptr_t)__text_start && va < (uintptr_t)__text_end) {
		return PTE_GLOBAL;
	}
	if (va >= (uintptr_t)__rodata_start && va < (uintptr_t)__rodata_end) {
		return PTE_GLOBAL | nx_bit;
	}
	return PTE_GLOBAL | PTE_WRITABLE | nx_bit;
}

static void map_kernel_image(void)
{
	for (uintptr_t va = (uintptr_t)__kernel_start; va < (uintptr_t)__kernel_end;
	     va += PAGE_SIZE) {
		if (va == (uintptr_t)kernel_stack_guard) {
			continue; /* left unmapped: a stack overflow faults here */
		}
		map_leaf(va, va - KERNEL_VMA, kernel_page_flags(va), 0);
	}
}

/*
 * The direct map, with the largest pages that fit, except around the
 * kernel image: its frames get 4 KiB pages whose alias here is no more
 * permissive than the image mapping (code stays unwritable).
 */
static void map_direct(uint64_t ram_end)
{
	uint64_t image_lo = (uint64_t)__kernel_start - KERNEL_VMA;
	uint64_t image_hi = (uint64_t)__kernel_end - KERNEL_VMA;
	uint64_t rw = PTE_GLOBAL | PTE_WRITABLE | nx_bit;

	for (uint64_t pa = 0; pa < ram_end;) {
		bool near_image = pa < image_hi && pa + HUGE_1G > image_lo;
		if (cpu.pdpe1gb && pa % HUGE_1G == 0 && pa + HUGE_1G <= ram_end && !near_image) {
			map_leaf((uintptr_t)phys_to_virt(pa), pa, rw, 2);
			pa += HUGE_1G;
		} else if (pa % HUGE_2M == 0 && (pa + HUGE_2M <= image_lo || pa >= image_hi)) {
			map_leaf((uintptr_t)phys_to_virt(pa), pa, rw, 1);
			pa += HUGE_2M;
		} else {
			uint64_t flags = rw;
			if (pa >= image_lo && pa < image_hi) {
				flags = kernel_page_flags(pa + KERNEL_VMA) | nx_bit;
			}
			map_leaf((uintptr_t)phys_to_virt(pa), pa, flags, 0);
			pa += PAGE_SIZE;
		}
	}
}

void vmm_init(void)
{
	nx_bit = cpu.nx ? PTE_NO_EXECUTE : 0;
	uint64_t root = pmm_alloc_frame();
	if (root == PMM_NO_MEMORY) {
		panic("vmm: no memory for the page tables");
	}
	pml4 = phys_to_virt(root);
	map_direct(pmm_ram_end());
	map_kernel_image();
	write_cr3(root);
	log_info("vmm", "kernel page tables active: direct map of %llu MiB, %s pages, W^X image",
		 (unsigned long long)(pmm_ram_end() >> 20), cpu.pdpe1gb ? "1 GiB" : "2 MiB");
	pmm_add_high_memory();
}

void *vmm_map_mmio(uint64_t phys, size_t size, enum vmm_cache cache)
{
	uint64_t cache_bits = cache == VMM_CACHE_WRITE_COMBINING ? PTE_CACHE_WC
			      : cache == VMM_CACHE_UNCACHED	 ? PTE_CACHE_UC
								 : 0;
	uint64_t first = phys & ~(uint64_t)(PAGE_SIZE - 1);
	uint64_t last = (phys + size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	uintptr_t base = mmio_next;

	for (uint64_t pa = first; pa < last; pa += PAGE_SIZE) {
		map_leaf(mmio_next, pa, PTE_GLOBAL | PTE_WRITABLE | nx_bit | cache_bits, 0);
		mmio_next += PAGE_SIZE;
	}
	mmio_next += PAGE_SIZE; /* an unmapped gap between devices */
	return (void *)(base + (phys - first));
}

int vmm_map_page(uintptr_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *e = walk_create(va, 0, (flags & PTE_USER) != 0);
	if (e == NULL) {
		return -1;
	}
	*e = (pa & PTE_ADDR_MASK) | (flags & ~PTE_NO_EXECUTE) | (flags & nx_bit) | PTE_PRESENT;
	invlpg(va);
	return 0;
}

int vmm_unmap_page(uintptr_t va)
{
	int level;
	uint64_t *e = paging_find_leaf(va, &level);
	if (e == NULL || level != 0) {
		return -1;
	}
	*e = 0;
	invlpg(va);
	return 0;
}

uint64_t vmm_set_pkey(uintptr_t va, uint64_t pages, unsigned key)
{
	uint64_t changed = 0;
	for (uint64_t i = 0; i < pages; i++) {
		int level;
		uint64_t *e = paging_find_leaf(va + i * PAGE_SIZE, &level);
		if (e != NULL && level == 0) {
			*e = (*e & ~PTE_PKEY_MASK) | PTE_PKEY(key);
			invlpg(va + i * PAGE_SIZE);
			changed++;
		}
	}
	return changed;
}

static bool take_dirty(uintptr_t page)
{
	int level;
	uint64_t *e = paging_find_leaf(page, &level);
	if (e == NULL || level != 0 || (*e & PTE_DIRTY) == 0) {
		return false;
	}
	*e &= ~PTE_DIRTY;
	return true;
}

void vmm_take_written(uintptr_t va, size_t len, void (*each)(size_t first, size_t end, void *arg),
		      void *arg)
{
	uintptr_t end = va + len, run = 0;
	bool in_run = false, any = false;
	for (uintptr_t page = va & ~(uintptr_t)(PAGE_SIZE - 1); page < end; page += PAGE_SIZE) {
		bool written = take_dirty(page);
		any = any || written;
		if (written && !in_run) {
			run = page < va ? va : page;
		} else if (!written && in_run) {
			each(run - va, page - va, arg);
		}
		in_run = written;
	}
	if (in_run) {
		each(run - va, len, arg);
	}
	if (any) {
		tlb_flush_all(); /* one flush, however many pages (cpu.h says why) */
	}
}

/* Bytes one entry of a table at `level` spans (0: a 4 KiB page). */
static uint64_t entry_span(int level)
{
	return 1ull << (12 + 9 * level);
}

static bool table_empty(const uint64_t *table)
{
	for (unsigned i = 0; i < 512; i++) {
		if (table[i] & PTE_PRESENT) {
			return false;
		}
	}
	return true;
}

/*
 * The tables below `table` (at `level`, spanning from table_va) that lie
 * wholly inside [start, end) and map nothing: freed, their entries
 * cleared. Visits present entries only.
 */
static uint64_t prune(uint64_t *table, int level, uintptr_t table_va, uintptr_t start,
		      uintptr_t end)
{
	uint64_t freed = 0, span = entry_span(level);
	for (unsigned i = 0; i < 512 && level > 0; i++) {
		uintptr_t va = table_va + i * span;
		if (level == 3 && i >= 256) {
			va |= 0xffff000000000000ull; /* canonical: the kernel's half */
		}
		uint64_t e = table[i];
		if (!(e & PTE_PRESENT) || (e & PTE_HUGE) || va + span <= start || va >= end) {
			continue;
		}
		uint64_t *child = table_at(e);
		freed += prune(child, level - 1, va, start, end);
		if (va >= start && va + span <= end && table_empty(child)) {
			table[i] = 0;
			pmm_free(e & PTE_ADDR_MASK, 0);
			freed++;
		}
	}
	return freed;
}

uint64_t vmm_release_tables(uintptr_t start, uint64_t bytes)
{
	uint64_t freed = prune(pml4, 3, 0, start, start + bytes);
	if (freed > 0) {
		write_cr3(virt_to_phys_direct(pml4)); /* no paging-structure cache keeps them */
	}
	return freed;
}

bool vmm_translate(uintptr_t va, uint64_t *pa, uint64_t *flags)
{
	int level;
	uint64_t *e = paging_find_leaf(va, &level);
	if (e == NULL) {
		return false;
	}
	uint64_t page_mask = (1ull << (PAGE_SHIFT + 9 * level)) - 1;
	*pa = (*e & PTE_ADDR_MASK & ~page_mask) | (va & page_mask);
	*flags = *e & ~PTE_ADDR_MASK;
	return true;
}
