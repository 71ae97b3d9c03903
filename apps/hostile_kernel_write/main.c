/*
 * apps/hostile_kernel_write — writes into the kernel's code.
 *
 * Apps see no kernel address (ctx->log is a gate in a user page), but the
 * kernel's layout is no secret: physical 1 MiB, where the kernel image is
 * loaded, is always mapped in the direct map at 0xffff800000100000. The
 * byte written is int3. Wrong: the page is a supervisor page, which ring 3
 * cannot touch (Page Fault, protection violation). Kernel must: stop this
 * app alone ("crashed: Page Fault ..."); its code stays intact, so
 * everyone keeps running. tests/e2e/test_containment.py
 */
#include "include/fomos.h"

#define SAY(ctx, s) (ctx)->log((s), sizeof(s) - 1)

#define KERNEL_IMAGE_IN_DIRECT_MAP 0xffff800000100000ull

int32_t _start(struct fomos_context *ctx)
{
	volatile uint8_t *kernel_text = (volatile uint8_t *)(uintptr_t)KERNEL_IMAGE_IN_DIRECT_MAP;

	SAY(ctx, "hostile_kernel_write: starting");
	*kernel_text = 0xcc;
	return FOMOS_CONTINUE;
}
