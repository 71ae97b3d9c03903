/*
 * Ring 3 entry and exit; see user_mode.h. Three pieces:
 *
 *   user_call       the kernel's side of calling an app: save the kernel's
 *                   registers on the kernel stack, remember that stack in
 *                   user_kernel_rsp, and SYSRET into the entry trampoline
 *                   with every other register cleared.
 *   syscall_entry   where every SYSCALL lands (MSR_LSTAR): number -1 is
 *                   "the app's _start returned"; a valid gate number calls
 *                   that gate's target straight from its table, with the
 *                   app's argument registers (the fast path: no copy, no
 *                   dispatch in C); anything else goes to the refusal
 *                   handler. The app's stack pointer is never used: the
 *                   kernel runs on the stack user_call left.
 *   user_gates      the page apps see at a user address: the trampoline and
 *                   one gate per Context field. It holds nothing else.
 *
 * SYSCALL leaves IF, DF, AC and TF cleared (MSR_SFMASK), RCX = the app's
 * RIP, R11 = its RFLAGS.
 */
#define USER_NR_RETURN 0xffffffff
#define GATE_COUNT 32

	.text
/* int32_t user_call(uintptr_t entry, void *ctx, uintptr_t stack_top, uintptr_t trampoline) */
	.global user_call
user_call:
	pushq %rbp
	movq %rsp, %rbp
	pushfq
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, user_kernel_rsp(%rip) /* 16-byte aligned */
	cli                             /* SYSRET sets IF again, with the app's RSP loaded */
	movq %rdi, %rax                 /* entry: the trampoline calls it */
	movq %rsi, %rdi                 /* ctx */
	movq %rdx, %rsp                 /* the app's stack top */
	movl $0x202, %r11d              /* the app's RFLAGS: IF, nothing else */
	xorl %ebx, %ebx
	xorl %ebp, %ebp
	xorl %edx, %edx
	xorl %esi, %esi
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	xorl %r12d, %r12d
	xorl %r13d, %r13d
	xorl %r14d, %r14d
	xorl %r15d, %r15d
	sysretq                         /* to RCX: the trampoline */

	.global syscall_entry
syscall_entry:
	movq %rsp, user_saved_rsp(%rip)
	movq user_kernel_rsp(%rip), %rsp
	cmpl $USER_NR_RETURN, %eax
	je returned
	movl %eax, %eax                 /* the number is 32 bits: drop what the app put above */
	pushq user_saved_rsp(%rip)
	pushq %rcx                      /* where SYSRET returns to */
	pushq %r11                      /* the app's RFLAGS */
	pushq %rax                      /* the number; four pushes keep the stack aligned */
	cmpl $GATE_COUNT, %eax
	jae refused
	btl %eax, user_gate_valid(%rip)
	jnc refused
	movq user_gate_targets(%rip), %r11
	movq (%r11,%rax,8), %r11        /* kernel memory: nothing the app can write */
	testq %r11, %r11
	jz refused
	movq %r10, %rcx                 /* the 4th argument, where the gate moved it from */
	sti
	call *%r11                      /* with the app's argument registers as they are */
served:
	cli
	addq $8, %rsp
	popq %r11
	popq %rcx
	popq %rsp
	xorl %edi, %edi                 /* no kernel value leaks back */
	xorl %esi, %esi
	xorl %edx, %edx
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	sysretq

refused:
	movl (%rsp), %edi               /* the number */
	sti
	call *user_gate_refused(%rip)
	jmp served

returned:
	movl %edi, %eax                 /* the value _start returned */
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popfq                           /* the kernel's RFLAGS at user_call */
	popq %rbp
	ret

/*
 * The gate page: code only, position-independent, ring 3. Slot 0 is the
 * trampoline user_call enters (RAX = _start, RDI = ctx, RSP 16-byte
 * aligned, so _start sees the SysV stack it expects); slot i > 0 is the
 * gate of Context field i (the field at byte offset 8 * i).
 */
	.section .text.user_gates, "ax"
	.balign 4096
	.global user_gates
user_gates:
	call *%rax
	movl %eax, %edi
	movl $USER_NR_RETURN, %eax
	syscall
	ud2
	.set gate, 1
	.rept GATE_COUNT - 1
	.balign 16
	movq %rcx, %r10
	movl $gate, %eax
	syscall
	ret
	.set gate, gate + 1
	.endr
	.balign 4096, 0xcc

	.bss
	.balign 8
	.global user_kernel_rsp
user_kernel_rsp:
	.quad 0
user_saved_rsp:
	.quad 0

	.section .note.GNU-stack, "", @progbits
