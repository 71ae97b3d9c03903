/*
 * apps/hostile_recursion — recurses without end, 2 KiB of locals a level.
 *
 * Wrong: the app stack overflows. Frames are smaller than a page, so the
 * stack cannot step over the guard page below it (noinline: gcc would
 * otherwise merge levels into one 12 KiB frame). Kernel must: catch the
 * Page Fault in the guard page (handled on a stack of its own, so no
 * double fault), stop this app alone ("crashed: ..."), and give the next
 * app a sound stack. tests/e2e/test_containment.py
 */
#include "include/fomos.h"

#define SAY(ctx, s) (ctx)->log((s), sizeof(s) - 1)

/* Never reached; a base case the compiler cannot see through, so it keeps
 * the recursion (and -Winfinite-recursion stays quiet). */
static volatile uint64_t bottom = UINT64_MAX;

__attribute__((noinline)) static uint64_t dive(uint64_t depth)
{
	volatile uint8_t pad[2048];

	pad[0] = (uint8_t)depth;
	pad[sizeof(pad) - 1] = (uint8_t)(depth >> 8);
	if (depth == bottom) {
		return 0;
	}
	/* the array is used after the call: no tail call, no loop */
	return dive(depth + 1) + pad[0] + pad[sizeof(pad) - 1];
}

int32_t _start(struct fomos_context *ctx)
{
	SAY(ctx, "hostile_recursion: starting");
	return (int32_t)dive(0);
}
