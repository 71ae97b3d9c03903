/*
 * Ring 3 without a context switch: the kernel calls app code in user mode
 * in the one address space it shares with the kernel, and the app comes
 * back only through SYSCALL, from one page of gates (arch/x86_64/user_mode.S).
 *
 * user_call() enters the app at `entry` with `ctx` as its argument, on the
 * user stack at stack_top, through the trampoline (the gate page's slot 0,
 * mapped at a user address by the runtime): the trampoline calls entry
 * and, when it returns, hands its value to the kernel, and user_call
 * returns it. The kernel's registers wait on the kernel stack; nothing the
 * app can reach brings the kernel back but that SYSCALL.
 *
 * Gate i (slot i of the page, USER_GATE_SIZE bytes each) is a function an
 * app calls with up to six integer arguments: it enters the kernel with
 * number i, and the kernel calls the gate's target with the app's
 * argument registers as they are (RDI, RSI, RDX, RCX, R8, R9: the gate
 * moves RCX to R10 and the kernel moves it back) and returns its result.
 * The targets are a table in kernel memory that the runtime names for
 * each call (user_mode_set_gate_targets); a number that is no gate, not a
 * valid one, or one whose target is NULL goes to the refusal handler
 * instead. An app may jump anywhere into the page or issue SYSCALL with
 * any number and any registers itself: it reaches a target or the
 * refusal, nothing else. The kernel never reads the app's stack.
 *
 * Ring 3 cannot touch kernel (supervisor) pages, nor run `cli`, `hlt`,
 * `in`/`out`, `wrmsr` or `mov cr3` (IOPL 0, no I/O bitmap): each is a fault
 * the runtime turns into the app's crash. SMEP keeps the kernel from
 * running user pages, SMAP from touching them outside
 * user_access_begin/end (arch/x86_64/user_access.h), UMIP keeps
 * sgdt/sidt/str from ring 3.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define USER_GATE_COUNT 32
#define USER_GATE_SIZE	16

/* MSRs for SYSCALL/SYSRET, and SMEP, SMAP, UMIP and PKU where the CPU has them. */
void user_mode_init(void);

/* The gate page, physical: the runtime maps it user read+execute. */
uint64_t user_gates_phys(void);

int32_t user_call(uintptr_t entry, void *ctx, uintptr_t stack_top, uintptr_t trampoline);

/*
 * The gates the runtime serves: bit i of `valid` says gate i may have a
 * target; refused(nr) is called (ring 0, interrupts on) for every other
 * number, and for a valid one whose target is NULL. Its value goes back to
 * the app, if it returns at all.
 */
void user_mode_set_gates(uint32_t valid, uint64_t (*refused)(uint32_t nr));

/* What gate i calls, for the calls from now on: targets[i] (kernel memory). */
static inline void user_mode_set_gate_targets(void *const *targets)
{
	extern void *const *user_gate_targets;
	user_gate_targets = targets;
}

/* SMAP is on: kernel code reaches user pages only inside user_access_begin/end. */
extern bool user_mode_smap;

/* Protection keys are on (CR4.PKE): arch/x86_64/pkeys.h. */
extern bool user_mode_pkeys;

/*
 * Reset the x87/SSE registers to their initial state, so that the next
 * app sees nothing another app left in them (the kernel itself never uses
 * them). XSAVE is not enabled, so this is all the extended state there is.
 */
void user_mode_clear_fpu(void);
