/*
 * crash_later: an app that crashes on purpose every 90 calls (1.5 s), to
 * show the policies of docs/containment.md. Its store counts its calls and
 * its lives; a static in its image tells a fresh image from a running one.
 *   policy stop     the first crash ends it
 *   policy restart  it comes back with an empty store: "life 1, 0 calls"
 *   policy keep     it comes back with its store: "life 2, 90 calls"
 * Restarts are rate-limited by the kernel, so it ends as a crash loop.
 * Not started at boot; `run crash_later` in the console starts it.
 */
#include "../../include/fomos.h"

struct crash_store {
	uint32_t calls, lives;
};

static int image_fresh = 1; /* 1 again after every (re)load of the image */
static volatile uintptr_t null_address;

static void say(struct fomos_context *ctx, const struct crash_store *s)
{
	char line[48] = "life ";
	uint32_t n = 5;
	uint32_t values[2] = {s->lives, s->calls};
	for (int v = 0; v < 2; v++) {
		char digits[10];
		int d = 0;
		uint32_t x = values[v];
		do {
			digits[d++] = (char)('0' + x % 10);
			x /= 10;
		} while (x != 0);
		while (d > 0) {
			line[n++] = digits[--d];
		}
		const char *sep = v == 0 ? ", calls " : "";
		while (*sep) {
			line[n++] = *sep++;
		}
	}
	ctx->log(line, n);
}

int32_t _start(struct fomos_context *ctx)
{
	struct crash_store *s = *ctx->store;
	if (s == NULL) {
		s = ctx->calloc(sizeof(*s), _Alignof(struct crash_store));
		if (s == NULL) {
			return -1;
		}
		*ctx->store = s;
	}
	if (image_fresh) {
		image_fresh = 0;
		s->lives++;
		say(ctx, s);
	}
	if (++s->calls % 90 == 0) {
		return *(volatile int *)null_address; /* crash */
	}
	return FOMOS_CONTINUE;
}
