/*
 * apps/hostile_kernel_write — writes into the kernel's code.
 *
 * The brief's fixed address (0xffffffff80100000) is the boot stub's range,
 * below the kernel's mapped image, so a write there would fault only for
 * being unmapped. ctx->log, though, points at a kernel function: the
 * address of kernel text any app can know. The byte written is int3.
 * Wrong: the write hits a read-only page (Page Fault, protection violation;
 * CR0.WP makes ring 0 obey it). Kernel must: stop this app alone
 * ("crashed: Page Fault ..."); its text stays intact, so logging (the very
 * function attacked) keeps working for everyone. tests/e2e/test_containment.py
 */
#include "include/fomos.h"

#define SAY(ctx, s) (ctx)->log((s), sizeof(s) - 1)

int32_t _start(struct fomos_context *ctx)
{
	volatile uint8_t *kernel_text = (volatile uint8_t *)(uintptr_t)ctx->log;

	SAY(ctx, "hostile_kernel_write: starting");
	*kernel_text = 0xcc;
	return FOMOS_CONTINUE;
}
