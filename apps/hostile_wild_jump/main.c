/*
 * apps/hostile_wild_jump — calls a function pointer to a wild address.
 *
 * Wrong: the call jumps to 0x123456789, canonical but unmapped, so the
 * instruction fetch faults (Page Fault, instruction fetch; the return
 * address the call pushed is the app's). Kernel must: stop this app alone
 * ("crashed: Page Fault ..."), even though RIP is outside every image.
 * tests/e2e/test_containment.py
 */
#include "include/fomos.h"

#define SAY(ctx, s) (ctx)->log((s), sizeof(s) - 1)

int32_t _start(struct fomos_context *ctx)
{
	/* volatile: the compiler must really load the pointer and call it */
	int32_t (*volatile wild)(void) = (int32_t(*)(void))0x123456789ull;

	SAY(ctx, "hostile_wild_jump: starting");
	return wild();
}
