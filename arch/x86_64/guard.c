/*
 * The C half of guarded calls: finding the guard that covers a fault and
 * rewriting the trap frame so that iretq lands in guard_resume (guard.S),
 * in ring 0 even when the fault was in ring 3.
 * Only the trap handler calls these, with interrupts off.
 */
#include "arch/x86_64/guard.h"

#include <stddef.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/trap.h"

extern struct guard *guard_current;
extern char guard_resume[];

struct guard *guard_for_fault(uintptr_t rip)
{
	struct guard *g = guard_current;

	if (g != NULL && rip >= g->catch_lo && rip < g->catch_hi &&
	    (g->kernel_busy == NULL || *g->kernel_busy == 0)) {
		return g;
	}
	return NULL;
}

void guard_redirect(struct guard *guard, struct trap_frame *frame, uint64_t fault_addr)
{
	guard->fault_vector = frame->vector;
	guard->fault_error = frame->error_code;
	guard->fault_rip = frame->rip;
	guard->fault_addr = fault_addr;
	if ((frame->cs & 3) != 0) {
		/* caught in ring 3: resume in the kernel, interrupts off */
		frame->cs = GDT_KERNEL_CODE;
		frame->ss = GDT_KERNEL_DATA;
		frame->rflags = 0x2;
	}
	frame->rflags &= ~(uint64_t)(RFLAGS_AC | RFLAGS_TF);
	frame->rip = (uint64_t)guard_resume;
	frame->rsp = guard->rsp;
	frame->rdi = (uint64_t)guard;
	frame->rax = (uint64_t)GUARD_FAULTED;
}

struct guard *guard_active(void)
{
	return guard_current;
}
