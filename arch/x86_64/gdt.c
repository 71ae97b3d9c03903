/*
 * GDT and TSS setup; see gdt.h for why they exist at all in long mode.
 * Called once by kmain() before the IDT is loaded.
 */
#include "arch/x86_64/gdt.h"

#include <stddef.h>

#include "arch/x86_64/cpu.h"

#define IST_STACK_SIZE 16384
#define IST_COUNT      6

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "TSS layout is fixed by the CPU");

static struct tss tss;
static uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));

/* null, kernel code64 and data, user code32 (unused), data and code64, TSS (two slots) */
static uint64_t gdt[8];

static void gdt_set_tss(void)
{
	uint64_t base = (uint64_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[7] = base >> 32;
}

uintptr_t gdt_ist_top(enum gdt_ist ist)
{
	return (uintptr_t)ist_stacks[ist - 1] + IST_STACK_SIZE;
}

void gdt_init(void)
{
	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffull; /* present, ring 0, code, long mode */
	gdt[2] = 0x00cf92000000ffffull; /* present, ring 0, data */
	gdt[3] = 0x00cffa000000ffffull; /* present, ring 3, code, 32-bit */
	gdt[4] = 0x00cff2000000ffffull; /* present, ring 3, data */
	gdt[5] = 0x00affa000000ffffull; /* present, ring 3, code, long mode */
	for (int i = 1; i <= IST_COUNT; i++) {
		tss.ist[i - 1] = gdt_ist_top((enum gdt_ist)i);
	}
	tss.rsp[0] = gdt_ist_top(IST_FAULTS); /* unused: every IDT gate names an IST stack */
	tss.iomap_base = sizeof(tss);	      /* no I/O permission bitmap: ring 3 gets no port */
	gdt_set_tss();

	struct descriptor_table_pointer ptr = {sizeof(gdt) - 1, (uint64_t)gdt};
	/* Reload CS with a far return, then the data segments and the TR. */
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %2, %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 "ltr %w3\n\t"
			 :
			 : "m"(ptr), "i"(GDT_KERNEL_CODE), "i"(GDT_KERNEL_DATA),
			   "r"((uint16_t)GDT_TSS)
			 : "rax", "memory");
}
