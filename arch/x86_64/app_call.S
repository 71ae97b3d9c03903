/*
 * app_call(entry, ctx, stack_top); see app_call.h. The kernel's state is
 * pushed on the kernel stack, whose pointer goes to app_kernel_rsp: after
 * the app returns, only that memory cell (not any register) brings the
 * kernel back.
 */
	.text
	.global app_call
app_call:
	pushq %rbp
	movq %rsp, %rbp
	pushfq
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, app_kernel_rsp(%rip)
	movq %rdi, %rax
	movq %rsi, %rdi
	andq $-16, %rdx                 /* aligned: the call pushes the return address */
	movq %rdx, %rsp
	xorl %ebp, %ebp                 /* backtraces stop at the app's frames */
	call *%rax
	movq app_kernel_rsp(%rip), %rsp
	cld                             /* the kernel relies on DF = 0 */
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popfq                           /* IF as it was before the call */
	popq %rbp
	ret

	.bss
	.balign 8
app_kernel_rsp:
	.quad 0

	.section .note.GNU-stack, "", @progbits
