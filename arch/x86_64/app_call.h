/*
 * Calling an app: switch to the app stack, call its entry with the SysV ABI
 * (ctx in rdi, rsp 16-byte aligned at the call), switch back. The app is
 * untrusted code in ring 0, so the call saves everything the kernel relies
 * on — callee-saved registers, the stack pointer, RFLAGS (interrupt and
 * direction flags) — in kernel memory, not in registers the app could
 * clobber, and restores it all after the app returns.
 */
#pragma once

#include <stdint.h>

struct fomos_context;

int32_t app_call(int32_t (*entry)(struct fomos_context *ctx), struct fomos_context *ctx,
		 void *stack_top);
