/*
 * apps/hostile_bad_pointer — hands the kernel bad pointers: ctx->log with a
 * string at an unmapped address.
 *
 * Wrong: the kernel's log service would read through the app's pointer.
 * Kernel must: never touch app memory but through a guarded copy that
 * accepts only the app's own memory, so the bad pointer is this app's
 * crash ("crashed: gave log a pointer outside its memory"), not a kernel
 * panic. tests/e2e/test_containment.py
 */
#include "include/fomos.h"

#define SAY(ctx, s) (ctx)->log((s), sizeof(s) - 1)

int32_t _start(struct fomos_context *ctx)
{
	const char *volatile wild = (const char *)0x10;

	SAY(ctx, "hostile_bad_pointer: starting");
	ctx->log(wild, 100);
	return FOMOS_CONTINUE;
}
