/*
 * x86-64 4-level page-table entry format, as the CPU defines it. The cache
 * type bits assume the PAT layout programmed by cpu_init(): PWT alone
 * selects write-combining, PCD|PWT uncacheable.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/boot_layout.h"

#define PTE_PRESENT    (1ull << 0)
#define PTE_WRITABLE   (1ull << 1)
#define PTE_USER       (1ull << 2)
#define PTE_PWT	       (1ull << 3)
#define PTE_PCD	       (1ull << 4)
#define PTE_DIRTY      (1ull << 6) /* set by the CPU at the first write */
#define PTE_HUGE       (1ull << 7) /* 2 MiB in a PD, 1 GiB in a PDPT */
#define PTE_GLOBAL     (1ull << 8)
#define PTE_NO_EXECUTE (1ull << 63)
#define PTE_ADDR_MASK  0x000ffffffffff000ull

#define PTE_CACHE_WC PTE_PWT
#define PTE_CACHE_UC (PTE_PWT | PTE_PCD)

#define PAGE_SHIFT 12
#define HUGE_2M	   (1ull << 21)
#define HUGE_1G	   (1ull << 30)

static inline unsigned pt_index(uint64_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & 511;
}

/* All RAM is mapped at DIRECT_MAP_BASE (built by mm/vmm.c). */
static inline void *phys_to_virt(uint64_t phys)
{
	return (void *)(uintptr_t)(phys + DIRECT_MAP_BASE);
}

static inline uint64_t virt_to_phys_direct(const void *virt)
{
	return (uint64_t)(uintptr_t)virt - DIRECT_MAP_BASE;
}

/*
 * Walk the live tables (CR3): the leaf entry mapping va and its level
 * (0: 4 KiB page, 1: 2 MiB, 2: 1 GiB), or NULL when va is unmapped.
 */
uint64_t *paging_find_leaf(uintptr_t va, int *level);

/* va is canonical and mapped: reading it does not fault (backtraces). */
bool paging_is_mapped(uintptr_t va);
