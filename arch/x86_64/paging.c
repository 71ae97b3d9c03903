/*
 * Reading the live page tables: the one walk both the memory manager
 * (mm/vmm.c) and the fault reporter's backtrace (kernel/backtrace.c) use,
 * kept here because the table format is the CPU's.
 */
#include "arch/x86_64/paging.h"

#include <stddef.h>

#include "arch/x86_64/cpu.h"

uint64_t *paging_find_leaf(uintptr_t va, int *level)
{
	/* The live tables: also right before vmm_init and in a fault report. */
	uint64_t *table = phys_to_virt(read_cr3() & PTE_ADDR_MASK);

	for (int l = 3; l >= 0; l--) {
		uint64_t *e = &table[pt_index(va, l)];
		if (!(*e & PTE_PRESENT)) {
			return NULL;
		}
		if (l == 0 || (*e & PTE_HUGE)) {
			*level = l;
			return e;
		}
		table = phys_to_virt(*e & PTE_ADDR_MASK);
	}
	return NULL;
}

bool paging_is_mapped(uintptr_t va)
{
	int level;
	/* Non-canonical addresses would fault on access: not mapped. */
	if ((uint64_t)((int64_t)(va << 16) >> 16) != va) {
		return false;
	}
	return paging_find_leaf(va, &level) != NULL;
}
