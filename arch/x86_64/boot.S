/*
 * The first instructions: GRUB enters here in 32-bit protected mode with
 * paging off, EAX = multiboot2 magic, EBX = physical address of the boot
 * information. This file does only what C cannot: build provisional page
 * tables, switch to long mode and jump to kmain() in the higher half.
 *
 * Provisional map (replaced by mm/vmm.c as soon as memory is known):
 *   0 .. 4 GiB identity          -- so this code keeps running after paging
 *   0xffff800000000000 + 0..4 GiB -- the direct map, same tables
 *   0xffffffff80000000 + 0..1 GiB -- the kernel image (-mcmodel=kernel)
 * all with 2 MiB pages. Everything here runs at its physical address.
 */
#include "arch/x86_64/boot_layout.h"

#define MB2_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0
#define MB2_BOOT_MAGIC 0x36d76289

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* Framebuffer request, optional: without one we run on serial. */
	.balign 8
	.short 5, 1
	.long 20
	.long BOOT_FB_WIDTH, BOOT_FB_HEIGHT, BOOT_FB_DEPTH
	/* End tag. */
	.balign 8
	.short 0, 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.global boot_entry32
boot_entry32:
	cli
	cld
	mov $boot_stack_top, %esp
	mov %eax, boot_magic
	mov %ebx, boot_info_phys
	cmp $MB2_BOOT_MAGIC, %eax
	jne boot_fail_magic

	/* Long mode needs CPUID leaf 0x80000001 with the LM bit (29). */
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb boot_fail_cpu
	mov $0x80000001, %eax
	cpuid
	bt $29, %edx
	jnc boot_fail_cpu

	call boot_build_page_tables

	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $(1 << 5), %eax              /* PAE */
	mov %eax, %cr4
	mov $0xc0000080, %ecx           /* EFER */
	rdmsr
	or $(1 << 8), %eax              /* LME */
	wrmsr
	mov %cr0, %eax
	or $((1 << 31) | 1), %eax       /* PG | PE */
	mov %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $boot_entry64

/* Fill the provisional tables; see the map in the header comment. */
boot_build_page_tables:
	mov $boot_tables_start, %edi
	mov $((boot_tables_end - boot_tables_start) / 4), %ecx
	xor %eax, %eax
	rep stosl

	mov $boot_pdpt_low, %eax
	or $3, %eax
	mov %eax, boot_pml4                     /* pml4[0]   */
	mov %eax, boot_pml4 + 256 * 8           /* pml4[256] */
	mov $boot_pdpt_high, %eax
	or $3, %eax
	mov %eax, boot_pml4 + 511 * 8           /* pml4[511] */

	/* pdpt_low[0..3] -> the four page directories */
	mov $boot_pd, %eax
	or $3, %eax
	xor %ecx, %ecx
1:	mov %eax, boot_pdpt_low(, %ecx, 8)
	add $4096, %eax
	inc %ecx
	cmp $4, %ecx
	jne 1b
	/* pdpt_high[510] -> first page directory (kernel at -2 GiB) */
	mov $boot_pd, %eax
	or $3, %eax
	mov %eax, boot_pdpt_high + 510 * 8

	/* 2048 entries of 2 MiB: present | writable | huge */
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax
	mov %eax, boot_pd(, %ecx, 8)
	inc %ecx
	cmp $2048, %ecx
	jne 2b
	ret

/* Without long mode or a multiboot2 loader we can only say so on COM1. */
boot_fail_magic:
	mov $msg_magic, %esi
	jmp boot_fail
boot_fail_cpu:
	mov $msg_cpu, %esi
boot_fail:
	mov $0x3f8, %dx
3:	lodsb
	test %al, %al
	jz 4f
	out %al, %dx
	jmp 3b
4:	hlt
	jmp 4b

	.code64
	/* For debuggers: nothing calls boot_entry64, so unwinding stops here. */
	.cfi_sections .debug_frame
boot_entry64:
	.cfi_startproc
	.cfi_undefined rip
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %ax, %ax
	mov %ax, %fs
	mov %ax, %gs
	movabs $boot_stack_top_virt, %rsp
	xor %ebp, %ebp                  /* ends every backtrace */
	mov boot_magic, %edi
	mov boot_info_phys, %esi
	movabs $kmain, %rax
	call *%rax
5:	cli
	hlt
	jmp 5b
	.cfi_endproc

	.section .boot.data, "a"
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff        /* 0x10: data */
boot_gdt_ptr:
	.short boot_gdt_ptr - boot_gdt - 1
	.long boot_gdt
boot_magic:
	.long 0
boot_info_phys:
	.long 0
msg_magic:
	.asciz "fomos: not started by a multiboot2 loader\r\n"
msg_cpu:
	.asciz "fomos: this CPU has no 64-bit long mode\r\n"

	.section .boot.bss, "aw", @nobits
	.balign 4096
boot_tables_start:
boot_pml4:
	.skip 4096
boot_pdpt_low:
	.skip 4096
boot_pdpt_high:
	.skip 4096
boot_pd:
	.skip 4 * 4096
boot_tables_end:
	.skip 4096
boot_stack_top:

	/* The kernel stack proper, in the higher half, below a guard page. */
	.section .stack, "aw", @nobits
	.balign 4096
	.global kernel_stack_guard, kernel_stack_bottom, boot_stack_top_virt
kernel_stack_guard:
	.skip 4096
kernel_stack_bottom:
	.skip KERNEL_STACK_SIZE
boot_stack_top_virt:
	.section .note.GNU-stack, "", @progbits
