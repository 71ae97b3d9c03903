/*
 * The physical memory manager: the kernel's one buddy allocator
 * (mm/buddy.c) fed from the multiboot2 memory map, minus everything already
 * in use at boot (the first MiB, the kernel image, the boot information,
 * the modules).
 *
 * Memory below 4 GiB is handed out first, because until mm/vmm.c installs
 * the full direct map only the low 4 GiB are reachable; vmm_init() then
 * calls pmm_add_high_memory() for the rest.
 */
#pragma once

#include <stdint.h>

#include "boot/multiboot2.h"
#include "mm/buddy.h"

#define PAGE_SIZE     4096u
#define PMM_NO_MEMORY BUDDY_NO_MEMORY

/* info was decoded from the boot information at physical mbi_phys. */
void pmm_init(const struct boot_info *info, uint64_t mbi_phys);
void pmm_add_high_memory(void);

/* A zeroed block of 2^order frames (physical address) or PMM_NO_MEMORY. */
uint64_t pmm_alloc(unsigned order);
/* The same without zeroing, for callers that overwrite it all anyway. */
uint64_t pmm_alloc_raw(unsigned order);
void pmm_free(uint64_t phys, unsigned order);

static inline uint64_t pmm_alloc_frame(void)
{
	return pmm_alloc(0);
}

uint64_t pmm_free_bytes(void);
uint64_t pmm_total_bytes(void);

/* Highest end of any RAM range in the memory map: the direct map's size. */
uint64_t pmm_ram_end(void);

/* For the self-tests: the allocator itself, to run its invariant check. */
const struct buddy *pmm_buddy(void);
