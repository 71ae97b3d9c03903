/*
 * The kernel's own GDT and TSS, replacing the provisional GDT of boot.S.
 * Long mode ignores segmentation except for the code segments' privilege
 * and mode bits and the TSS, which we need for its interrupt stack table:
 * double faults, NMIs and machine checks switch to stacks of their own, so
 * a kernel stack overflow still produces a report instead of a triple
 * fault; and every interrupt and exception switches to a kernel stack of
 * its own whatever it interrupted: an app in ring 3 (its stack is not the
 * kernel's) or the kernel itself.
 *
 * The ring-3 segments sit where SYSCALL/SYSRET expect them
 * (arch/x86_64/user_mode.h): user data at GDT_USER_BASE + 8 and 64-bit
 * user code at GDT_USER_BASE + 16.
 */
#pragma once

#include <stdint.h>

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_BASE	0x18 /* a 32-bit code segment no one uses: SYSRET's base */
#define GDT_USER_DATA	(0x20 | 3)
#define GDT_USER_CODE	(0x28 | 3)
#define GDT_TSS		0x30

/* Interrupt-stack-table slots (1-based, as the IDT encodes them). */
enum gdt_ist {
	IST_DOUBLE_FAULT = 1,
	IST_NMI = 2,
	IST_MACHINE_CHECK = 3,
	IST_INTERRUPTS = 4, /* every vector >= 32: they never nest (IF = 0 inside) */
	IST_PAGE_FAULT = 5, /* its own: a fault inside another exception's handling */
	IST_FAULTS = 6,	    /* the other exceptions */
};

void gdt_init(void);

/* Top of the stack behind IST slot `ist`, for reports about which stack ran. */
uintptr_t gdt_ist_top(enum gdt_ist ist);
