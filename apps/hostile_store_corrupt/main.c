/*
 * apps/hostile_store_corrupt — corrupts its store and its context.
 *
 * First call: puts garbage in its store slot (*ctx->store) and then points
 * ctx->store itself at garbage; second call: dereferences *ctx->store.
 * Wrong: the second call reads through a garbage pointer (0xbadbadbad000 if
 * the kernel kept the corrupted ctx->store, 0xdeadbeef000 if it refreshed
 * it): a Page Fault. Kernel must: never trust or use what an app wrote into
 * its context or slot, stop this app alone at the fault ("crashed: ..."),
 * and free its memory without following the garbage.
 * tests/e2e/test_containment.py
 */
#include "include/fomos.h"

#define SAY(ctx, s) (ctx)->log((s), sizeof(s) - 1)

static bool corrupted; /* .bss: every instance has a copy of its own */

int32_t _start(struct fomos_context *ctx)
{
	if (!corrupted) {
		SAY(ctx, "hostile_store_corrupt: starting");
		corrupted = true;
		*ctx->store = (void *)0xdeadbeef000ull;
		ctx->store = (void **)0xbadbadbad000ull;
		return FOMOS_CONTINUE;
	}
	return *(volatile const int32_t *)*ctx->store;
}
