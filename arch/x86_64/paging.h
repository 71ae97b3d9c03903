/*
 * x86-64 4-level page-table entry format, as the CPU defines it. The cache
 * type bits assume the PAT layout programmed by cpu_init(): PWT alone
 * selects write-combining, PCD|PWT uncacheable.
 */
#pragma once

#include <stdint.h>

#define PTE_PRESENT    (1ull << 0)
#define PTE_WRITABLE   (1ull << 1)
#define PTE_USER       (1ull << 2)
#define PTE_PWT	       (1ull << 3)
#define PTE_PCD	       (1ull << 4)
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
