/*
 * apps/bench_ctx — times the Context services as an app sees them, for the
 * benchmark (bench/bench.c, names ctx_calloc_cdalloc and ctx_log_null).
 *
 * Its first call only allocates its store, a struct bench_ctx_store
 * (bench/bench.h). Every later call times PAIRS_PER_CALL pairs of
 * ctx->calloc(64, 16) + ctx->cdalloc and LOGS_PER_CALL ctx->log calls of a
 * 32-byte line, bench_cycles() around each, into the store's histograms;
 * the kernel reads them from the store when it is done calling. The
 * kernel turns the log's null sink on around these calls, so the lines
 * cost their formatting but reach no device.
 *
 * Every call returns "sleep a minute": the frame loop leaves it alone and
 * only the benchmark, which calls it directly, runs it. Not started at
 * boot; started by hand it would log LOGS_PER_CALL lines a minute.
 */
#include "bench/bench.h"
#include "include/fomos.h"

#define PAIRS_PER_CALL 1000
#define LOGS_PER_CALL  200
#define ALLOC_BYTES    64
#define ALLOC_ALIGN    16

static const char line[] = "bench_ctx: thirty-two byte line!";
_Static_assert(sizeof(line) - 1 == BENCH_CTX_LOG_BYTES, "the log line is 32 bytes");

static void time_pairs(struct fomos_context *ctx, struct hist *h)
{
	for (int i = 0; i < PAIRS_PER_CALL; i++) {
		uint64_t start = bench_cycles();
		void *p = ctx->calloc(ALLOC_BYTES, ALLOC_ALIGN);
		ctx->cdalloc(p, ALLOC_BYTES, ALLOC_ALIGN);
		hist_add(h, bench_cycles() - start);
	}
}

static void time_logs(struct fomos_context *ctx, struct hist *h)
{
	for (int i = 0; i < LOGS_PER_CALL; i++) {
		uint64_t start = bench_cycles();
		ctx->log(line, BENCH_CTX_LOG_BYTES);
		hist_add(h, bench_cycles() - start);
	}
}

int32_t _start(struct fomos_context *ctx)
{
	struct bench_ctx_store *s = *ctx->store;

	if (s == NULL) {
		s = ctx->calloc(sizeof(*s), _Alignof(struct bench_ctx_store));
		if (s == NULL) {
			return -1;
		}
		*ctx->store = s;
	} else {
		time_pairs(ctx, &s->alloc_pair);
		time_logs(ctx, &s->log_line);
	}
	s->calls++;
	return FOMOS_SLEEP_MS(60000);
}
