/*
 * Self-tests of the kernel page tables as the CPU enforces them: W^X on
 * the kernel image (and its direct-map alias), NX on data, no identity
 * map (NULL faults), the stack guard page, map/unmap of a fresh page.
 */
#include "arch/x86_64/cpu_features.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "tests/kernel/probe.h"
#include "tests/kernel/selftest.h"

#define PF_PRESENT 0x1u
#define PF_WRITE   0x2u
#define PF_FETCH   0x10u

extern char __text_start[], __rodata_start[], kernel_stack_guard[];

KTEST(paging_null_is_unmapped)
{
	uint64_t err = 0;
	KEXPECT(probe_read((const void *)0, &err) == PROBE_PAGE_FAULT);
	KEXPECT((err & PF_PRESENT) == 0);
	KEXPECT(probe_read((const void *)0x100000, &err) == PROBE_PAGE_FAULT);
	return NULL;
}

KTEST(paging_kernel_text_not_writable)
{
	uint64_t err = 0;
	KEXPECT(probe_read(__text_start, &err) == PROBE_OK);
	KEXPECT(probe_write(__text_start, &err) == PROBE_PAGE_FAULT);
	KEXPECT((err & (PF_PRESENT | PF_WRITE)) == (PF_PRESENT | PF_WRITE));
	/* the same frame through the direct map */
	void *alias = phys_to_virt((uint64_t)__text_start - KERNEL_VMA);
	KEXPECT(probe_write(alias, &err) == PROBE_PAGE_FAULT);
	return NULL;
}

KTEST(paging_rodata_not_writable)
{
	uint64_t err = 0;
	KEXPECT(probe_write(__rodata_start, &err) == PROBE_PAGE_FAULT);
	return NULL;
}

KTEST(paging_data_not_executable)
{
	uint64_t err = 0;
	uint8_t *code = kmalloc(16);
	KEXPECT(code != NULL);
	code[0] = 0xc3; /* ret */
	int result = probe_execute(code, &err);
	kfree(code);
	if (!cpu.nx) {
		return NULL; /* nothing to enforce on this CPU */
	}
	KEXPECT(result == PROBE_PAGE_FAULT);
	KEXPECT(err & PF_FETCH);
	return NULL;
}

KTEST(paging_stack_guard_unmapped)
{
	KEXPECT(!paging_is_mapped((uintptr_t)kernel_stack_guard));
	KEXPECT(paging_is_mapped((uintptr_t)kernel_stack_guard + PAGE_SIZE));
	return NULL;
}

KTEST(paging_map_unmap_scratch_page)
{
	uint64_t frame = pmm_alloc_frame();
	uint64_t pa, flags;
	volatile uint64_t *va = (volatile uint64_t *)SCRATCH_BASE;

	KEXPECT(frame != PMM_NO_MEMORY);
	KEXPECT(vmm_map_page(SCRATCH_BASE, frame, PTE_WRITABLE | PTE_NO_EXECUTE) == 0);
	KEXPECT(vmm_translate(SCRATCH_BASE + 8, &pa, &flags) && pa == frame + 8);
	*va = 0x1234567890abcdefull;
	KEXPECT(*(uint64_t *)phys_to_virt(frame) == 0x1234567890abcdefull);
	KEXPECT(vmm_unmap_page(SCRATCH_BASE) == 0);
	KEXPECT(probe_read((const void *)SCRATCH_BASE, NULL) == PROBE_PAGE_FAULT);
	pmm_free(frame, 0);
	return NULL;
}

/*
 * A page mapped where nothing was (the lower half, far from the app slots)
 * costs three new tables; unmapped and released, every one goes back, and
 * a range that still maps something keeps its tables.
 */
KTEST(paging_released_tables_go_back)
{
	const uintptr_t region = 0x0000700000000000ull; /* a whole 512 GiB PML4 slot */
	const uint64_t span = 512ull << 30;
	uint64_t frame = pmm_alloc_frame();
	KEXPECT(frame != PMM_NO_MEMORY);
	uint64_t before = pmm_free_bytes();
	KEXPECT(vmm_map_page(region + (3ull << 30), frame, PTE_WRITABLE | PTE_NO_EXECUTE) == 0);
	KEXPECT(before - pmm_free_bytes() == 3 * PAGE_SIZE); /* PDPT, PD, PT */
	KEXPECT(vmm_release_tables(region, span) == 0);	     /* still mapped: kept */
	KEXPECT(vmm_unmap_page(region + (3ull << 30)) == 0);
	KEXPECT(vmm_release_tables(region, span) == 3);
	KEXPECT(pmm_free_bytes() == before);
	KEXPECT(probe_read((const void *)(region + (3ull << 30)), NULL) == PROBE_PAGE_FAULT);
	pmm_free(frame, 0);
	return NULL;
}

KTEST(paging_direct_map_covers_ram)
{
	uint64_t pa, flags;
	uint64_t last = pmm_ram_end() - 8;
	KEXPECT(vmm_translate((uintptr_t)phys_to_virt(last), &pa, &flags) && pa == last);
	KEXPECT(!cpu.nx || (flags & PTE_NO_EXECUTE));
	return NULL;
}

KTEST(guard_catches_divide_error)
{
	KEXPECT(probe_divide(0) == PROBE_DIVIDE_ERROR);
	KEXPECT(probe_divide(7) == PROBE_OK);
	return NULL;
}
