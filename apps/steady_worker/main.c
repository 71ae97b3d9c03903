/*
 * apps/steady_worker — an app whose every call does the same work, ~40 ms
 * of it, well inside its 100 ms budget, for the stalled-host test
 * (tests/e2e/test_budgets.py): when the host takes the CPU away in the
 * middle of a call, the call goes on working afterwards and must not be
 * charged for the pause.
 *
 * The first call measures how many loop steps take CALIBRATE_NS; every
 * call after it runs twice that many. It logs "steady worker: N calls" at
 * the first call and every 25th. State: struct worker, in *ctx->store.
 */
#include "include/fomos.h"

#define CALIBRATE_NS (20u * 1000000u)
#define CHUNK	     10000u
#define LOG_EVERY    25u

static void say_calls(struct fomos_context *ctx, uint64_t n)
{
	char line[40] = "steady worker: ";
	uint32_t len = 15;
	char digits[20];
	unsigned k = 0;
	do {
		digits[k++] = (char)('0' + n % 10);
		n /= 10;
	} while (n != 0);
	while (k > 0) {
		line[len++] = digits[--k];
	}
	static const char tail[] = " calls";
	for (unsigned i = 0; i < sizeof(tail) - 1; i++) {
		line[len++] = tail[i];
	}
	ctx->log(line, len);
}

struct worker {
	uint64_t calls, steps;
};

/* CHUNK steps of work the compiler cannot drop. */
static void work_chunk(void)
{
	for (volatile uint32_t i = 0; i < CHUNK; i = i + 1) {
	}
}

int32_t _start(struct fomos_context *ctx)
{
	struct worker *w = *ctx->store;
	if (w == NULL) {
		w = ctx->calloc(sizeof(*w), _Alignof(struct worker));
		if (w == NULL) {
			return -1;
		}
		*ctx->store = w;
		uint64_t start = ctx->time_ns();
		while (ctx->time_ns() - start < CALIBRATE_NS) {
			work_chunk();
			w->steps++;
		}
		w->steps *= 2;
	}
	for (uint64_t i = 0; i < w->steps; i++) {
		work_chunk();
	}
	if (++w->calls % LOG_EVERY == 1) {
		say_calls(ctx, w->calls);
	}
	return FOMOS_CONTINUE;
}
