/*
 * apps/hostile_ud2 — executes ud2, the instruction defined to be invalid.
 *
 * Wrong: Invalid Opcode (#UD, vector 6). Kernel must: stop this app alone
 * ("crashed: Invalid Opcode ..."). tests/e2e/test_containment.py
 */
#include "include/fomos.h"

#define SAY(ctx, s) (ctx)->log((s), sizeof(s) - 1)

int32_t _start(struct fomos_context *ctx)
{
	SAY(ctx, "hostile_ud2: starting");
	__asm__ volatile("ud2");
	return FOMOS_CONTINUE;
}
