/*
 * apps/hostile_garbage_return — returns a value the ABI does not define.
 *
 * Wrong: 0x7eadbeef is not CONTINUE, EXIT, a SLEEP_MS value or negative.
 * Kernel must: treat it as a failure, stop this app and say why
 * ("app: pid N hostile_garbage_return stopped: returned unknown value
 * 0x7eadbeef"). tests/e2e/test_containment.py
 */
#include "include/fomos.h"

#define SAY(ctx, s) (ctx)->log((s), sizeof(s) - 1)

int32_t _start(struct fomos_context *ctx)
{
	SAY(ctx, "hostile_garbage_return: starting");
	return 0x7eadbeef;
}
