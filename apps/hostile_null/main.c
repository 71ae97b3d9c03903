/*
 * apps/hostile_null — reads through a NULL pointer at its first call.
 *
 * Wrong: the load faults (Page Fault, not-present read at address 0).
 * Kernel must: stop this app alone ("app: pid N hostile_null crashed: ..."
 * naming the fault and where in the image it happened), free its memory,
 * and keep every other app and itself running. tests/e2e/test_containment.py
 */
#include "include/fomos.h"

#define SAY(ctx, s) (ctx)->log((s), sizeof(s) - 1)

int32_t _start(struct fomos_context *ctx)
{
	/* volatile: the compiler cannot see the NULL and turn the load into ud2 */
	const int32_t *volatile target = NULL;

	SAY(ctx, "hostile_null: starting");
	SAY(ctx, "about to read NULL");
	return *target;
}
