/*
 * apps/frame_counter — fills the whole screen with one colour per call,
 * a new one every call, for the torn-frame test
 * (tests/e2e/test_display.py): a screenshot showing two colours caught a
 * frame half drawn.
 *
 * The colour of call n is frame_counter_colour(n): neighbouring calls
 * differ in every channel. The first call logs "frame counter: drawing".
 * State: the call count, in *ctx->store.
 */
#include "include/fomos.h"

static struct fomos_rgba frame_counter_colour(uint64_t n)
{
	return (struct fomos_rgba){(uint8_t)(n * 53 + 40), (uint8_t)(n * 97 + 90),
				   (uint8_t)(n * 29 + 140), 255};
}

int32_t _start(struct fomos_context *ctx)
{
	uint64_t *calls = *ctx->store;
	if (calls == NULL) {
		calls = ctx->calloc(sizeof(*calls), _Alignof(uint64_t));
		if (calls == NULL) {
			return -1;
		}
		*ctx->store = calls;
		static const char ready[] = "frame counter: drawing";
		ctx->log(ready, sizeof(ready) - 1);
	}
	struct fomos_rgba c = frame_counter_colour(++*calls);
	struct fomos_rgba *p = ctx->fb.pixels;
	for (size_t i = 0; i < ctx->fb.len; i++) {
		p[i] = c;
	}
	return FOMOS_CONTINUE;
}
