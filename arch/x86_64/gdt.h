/*
 * The kernel's own GDT and TSS, replacing the provisional GDT of boot.S.
 * Long mode ignores segmentation except for the code segment's mode bits and
 * the TSS, which we need for its interrupt stack table: double faults, NMIs
 * and machine checks switch to stacks of their own, so a kernel stack
 * overflow still produces a report instead of a triple fault; and every
 * device interrupt switches to the interrupt stack, because apps run in
 * ring 0 on their own stack and may keep data in the 128-byte red zone
 * below their stack pointer (SysV ABI): an interrupt frame pushed there
 * would corrupt them.
 */
#pragma once

#include <stdint.h>

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_TSS		0x18

/* Interrupt-stack-table slots (1-based, as the IDT encodes them). */
enum gdt_ist {
	IST_DOUBLE_FAULT = 1,
	IST_NMI = 2,
	IST_MACHINE_CHECK = 3,
	IST_INTERRUPTS = 4, /* every vector >= 32: they never nest (IF = 0 inside) */
	IST_PAGE_FAULT = 5, /* an app overflowing its stack faults on the guard page */
	IST_FAULTS = 6,	    /* the other exceptions: an app may have wrecked its RSP */
};

void gdt_init(void);

/* Top of the stack behind IST slot `ist`, for reports about which stack ran. */
uintptr_t gdt_ist_top(enum gdt_ist ist);
