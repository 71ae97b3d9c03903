/*
 * apps/hostile_divide — an integer division by zero.
 *
 * Wrong: idiv by 0 raises Divide Error (#DE, vector 0). Kernel must: stop
 * this app alone ("crashed: Divide Error ..."); the fault is the app's, not
 * a broken kernel invariant, so no panic. tests/e2e/test_containment.py
 */
#include "include/fomos.h"

#define SAY(ctx, s) (ctx)->log((s), sizeof(s) - 1)

int32_t _start(struct fomos_context *ctx)
{
	/* volatile: the compiler can neither fold the division nor drop it */
	volatile int32_t zero = 0;
	volatile int32_t quotient;

	SAY(ctx, "hostile_divide: starting");
	quotient = 1000 / zero;
	return quotient;
}
