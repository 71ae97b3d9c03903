/*
 * The kernel's address space (one for everything: apps live in it too).
 *
 *   0xffff800000000000  direct map of all RAM (read+write, no-execute; the
 *                       frames of kernel code are read-only here too)
 *   0xffffc00000000000  device memory (MMIO), mapped on demand
 *   0xffffd00000000000  scratch window for tests
 *   0xffffffff80000000  the kernel image: text read+execute, rodata
 *                       read-only, data read+write, all no-execute but text;
 *                       an unmapped guard page below the kernel stack
 *
 * vmm_init() builds these tables and switches to them, dropping the
 * provisional identity map of boot.S (so a NULL dereference faults).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/boot_layout.h"
#include "arch/x86_64/paging.h"

#define MMIO_BASE    0xffffc00000000000ull
#define SCRATCH_BASE 0xffffd00000000000ull

enum vmm_cache {
	VMM_CACHE_WRITE_BACK,
	VMM_CACHE_WRITE_COMBINING, /* framebuffers */
	VMM_CACHE_UNCACHED,	   /* device registers */
};

void vmm_init(void);

/* Map [phys, phys + size) of device memory; returns its virtual address. */
void *vmm_map_mmio(uint64_t phys, size_t size, enum vmm_cache cache);

/* Map or unmap one 4 KiB page with PTE_* flags; 0 or a negative error. */
int vmm_map_page(uintptr_t va, uint64_t pa, uint64_t flags);
int vmm_unmap_page(uintptr_t va);

/*
 * Tag the mapped 4 KiB pages of [va, va + pages * 4 KiB) with protection
 * key `key` (arch/x86_64/pkeys.h), each flushed from the TLB; unmapped
 * pages are skipped. Returns how many pages were re-tagged.
 */
uint64_t vmm_set_pkey(uintptr_t va, uint64_t pages, unsigned key);

/*
 * What of [va, va + len) was written since the last call: each(first,
 * end, arg) is called for every byte range [first, end) (offsets from va)
 * on consecutive mapped 4 KiB pages the CPU marked dirty. The dirty bits
 * are cleared, and the TLB is flushed when any was set, so that a page's
 * next write marks it again.
 */
void vmm_take_written(uintptr_t va, size_t len, void (*each)(size_t first, size_t end, void *arg),
		      void *arg);

/*
 * Free the page tables that lie wholly inside [start, start + bytes) and
 * map nothing any more (an app's slot, once every page in it is
 * unmapped): without it, every slot an app ever used kept ~16 KiB of
 * tables. Returns how many table frames were freed.
 */
uint64_t vmm_release_tables(uintptr_t start, uint64_t bytes);

/* Walk the tables: the physical address and leaf flags of va, if mapped. */
bool vmm_translate(uintptr_t va, uint64_t *pa, uint64_t *flags);
