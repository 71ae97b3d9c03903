/*
 * Guarded calls: run a function so that a CPU exception raised while it
 * runs returns control to the caller instead of panicking the kernel.
 *
 * guarded_call() saves the callee-saved registers and the stack pointer in
 * a struct guard and arms it. If an exception hits while armed and the
 * faulting RIP lies in [catch_lo, catch_hi), the trap handler rewinds to
 * the saved state and guarded_call() returns GUARD_FAULTED; the guard then
 * holds the exception's vector, error code, RIP and CR2. Nothing of the
 * abandoned call's stack is kept: the callee must not have held locks or
 * left kernel state half-updated — which is why the catch range is meant
 * to cover code that only touches its own memory (the self-test probes;
 * later, an app's image).
 *
 * Guards nest: each remembers the one it replaced.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define GUARD_FAULTED INT64_MIN

struct guard {
	/* saved by guarded_call (offsets used by guard.S) */
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp;
	struct guard *previous;
	/* set by the caller before the call */
	uintptr_t catch_lo, catch_hi;
	/* when non-NULL and non-zero, the kernel is working on the guarded
	 * code's behalf: a fault then is the kernel's own, not caught */
	const volatile uint32_t *kernel_busy;
	/* filled in when a fault was caught */
	uint64_t fault_vector, fault_error, fault_rip, fault_addr;
};

/*
 * Ready guard for guarded_call: what the caller sets. The rest is filled
 * by guarded_call, and the fault fields only when a fault is caught.
 */
static inline void guard_init(struct guard *guard, uintptr_t catch_lo, uintptr_t catch_hi,
			      const volatile uint32_t *kernel_busy)
{
	guard->catch_lo = catch_lo;
	guard->catch_hi = catch_hi;
	guard->kernel_busy = kernel_busy;
}

int64_t guarded_call(int64_t (*fn)(void *arg), void *arg, struct guard *guard);

/*
 * Abandon the guarded call now, from code running inside it (not from an
 * exception): guarded_call returns GUARD_FAULTED, fault_vector is left as
 * the caller set it. Everything on the stack since guarded_call is dropped.
 */
__attribute__((noreturn)) void guard_abandon(struct guard *guard);

/* The innermost armed guard, or NULL. */
struct guard *guard_active(void);

/* For the trap handler: the armed guard that covers rip, or NULL. */
struct guard *guard_for_fault(uintptr_t rip);

/*
 * For the trap handler: record the fault in the guard and make the
 * interrupted context resume in guard_resume, returning GUARD_FAULTED.
 */
struct trap_frame;
void guard_redirect(struct guard *guard, struct trap_frame *frame, uint64_t fault_addr);
