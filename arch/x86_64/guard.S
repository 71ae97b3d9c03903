/*
 * guarded_call() and the landing point a caught fault resumes at; see
 * arch/x86_64/guard.h. Offsets are those of struct guard.
 */
#define G_RBX 0
#define G_RBP 8
#define G_R12 16
#define G_R13 24
#define G_R14 32
#define G_R15 40
#define G_RSP 48
#define G_PREV 56

	.text
/* int64_t guarded_call(int64_t (*fn)(void *), void *arg, struct guard *g) */
	.global guarded_call
guarded_call:
	movq %rbx, G_RBX(%rdx)
	movq %rbp, G_RBP(%rdx)
	movq %r12, G_R12(%rdx)
	movq %r13, G_R13(%rdx)
	movq %r14, G_R14(%rdx)
	movq %r15, G_R15(%rdx)
	movq %rsp, G_RSP(%rdx)          /* points at our return address */
	movq guard_current(%rip), %rax
	movq %rax, G_PREV(%rdx)
	movq %rdx, guard_current(%rip)
	pushq %rdx                      /* keeps g and re-aligns the stack */
	movq %rdi, %rax
	movq %rsi, %rdi
	call *%rax
	popq %rdx
	movq G_PREV(%rdx), %rcx
	movq %rcx, guard_current(%rip)
	ret

/*
 * Entered by iretq from the trap handler with RSP = g->rsp, RDI = g and
 * RAX = GUARD_FAULTED: restore the caller's registers, disarm, return.
 */
	.global guard_resume
guard_resume:
	cld                             /* the abandoned code may have set DF */
	movq G_RBX(%rdi), %rbx
	movq G_RBP(%rdi), %rbp
	movq G_R12(%rdi), %r12
	movq G_R13(%rdi), %r13
	movq G_R14(%rdi), %r14
	movq G_R15(%rdi), %r15
	movq G_PREV(%rdi), %rcx
	movq %rcx, guard_current(%rip)
	ret

/* void guard_abandon(struct guard *g): unwind to g's guarded_call. */
	.global guard_abandon
guard_abandon:
	movq G_RSP(%rdi), %rsp
	movabsq $0x8000000000000000, %rax /* GUARD_FAULTED */
	jmp guard_resume

	.bss
	.balign 8
	.global guard_current
guard_current:
	.quad 0

	.section .note.GNU-stack, "", @progbits
