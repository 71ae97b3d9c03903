/*
 * The two halves of a coroutine switch (arch/x86_64/coroutine.h): save the
 * callee-saved registers on the current stack, store its pointer, load the
 * other stack's and restore the registers saved there.
 */
	.text
/* void coroutine_switch(uint64_t *save_rsp, uint64_t load_rsp) */
	.global coroutine_switch
coroutine_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

/*
 * A new coroutine's first switch "returns" here, with the coroutine in r12
 * and coroutine_main in r13 (see coroutine_init), and a 16-byte aligned
 * stack pointer. coroutine_main never returns.
 */
	.global coroutine_trampoline
coroutine_trampoline:
	movq %r12, %rdi
	xorl %ebp, %ebp /* ends backtraces here */
	call *%r13
	ud2
