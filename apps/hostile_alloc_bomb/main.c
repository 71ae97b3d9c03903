/*
 * apps/hostile_alloc_bomb — takes 1 MiB blocks, touching every page, until
 * calloc returns NULL (4 a call: a big quota cannot overrun a call's time
 * budget); then logs "alloc bomb: got N MiB before NULL" and idles calmly.
 * Kernel must: cap an app's memory, so calloc fails at the quota while the
 * kernel and the other apps keep theirs. tests/e2e/test_containment.py
 */
#include "include/fomos.h"

#define MIB (1024u * 1024u)

static uint32_t got_mib; /* .bss: each instance has its own copy */
static bool starved;

static void say(struct fomos_context *ctx, const char *a, uint32_t v, const char *b)
{
	char line[64];
	uint32_t n = 0;

	for (; *a != '\0'; a++) {
		line[n++] = *a;
	}
	for (uint32_t p = 1000000; p != 0; p /= 10) {
		if (v >= p || p == 1) {
			line[n++] = (char)('0' + v / p % 10);
		}
	}
	for (; *b != '\0'; b++) {
		line[n++] = *b;
	}
	ctx->log(line, n);
}

int32_t _start(struct fomos_context *ctx)
{
	if (got_mib == 0 && !starved) { /* the first call */
		ctx->log("hostile_alloc_bomb: starting", 28);
	}
	for (int i = 0; i < 4 && !starved; i++, got_mib++) {
		volatile uint8_t *block = ctx->calloc(MIB, 4096);
		if (block == NULL) {
			starved = true;
			say(ctx, "alloc bomb: got ", got_mib, " MiB before NULL");
			return FOMOS_CONTINUE;
		}
		for (uint32_t off = 0; off < MIB; off += 4096) {
			block[off] = 0xa5;
		}
	}
	return FOMOS_CONTINUE;
}
