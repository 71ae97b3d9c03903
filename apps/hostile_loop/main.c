/*
 * apps/hostile_loop — never returns from its first call.
 *
 * Wrong: an infinite loop; returning is the only way an app yields, so
 * without help every other app and the frame loop would stop. Kernel must:
 * take the CPU back when the call overruns its time budget (timer
 * interrupt), stop this app ("app: pid N hostile_loop aborted ..."), and go
 * on with the frame. tests/e2e/test_containment.py
 */
#include "include/fomos.h"

#define SAY(ctx, s) (ctx)->log((s), sizeof(s) - 1)

int32_t _start(struct fomos_context *ctx)
{
	/* volatile: each increment is a real store, the loop cannot vanish */
	volatile uint64_t spins = 0;

	SAY(ctx, "hostile_loop: starting");
	for (;;) {
		spins++;
	}
}
