/*
 * apps/bench_ctx — times the Context services as an app sees them, for the
 * benchmark (bench/bench.c, names ctx_calloc_cdalloc, ctx_log_null and
 * ctx_time_ns).
 *
 * Its first call only allocates its store. Each of the next MEASURED_CALLS
 * calls times PAIRS_PER_CALL pairs of ctx->calloc(64, 16) + ctx->cdalloc,
 * LOGS_PER_CALL ctx->log calls of a 32-byte line and TIMES_PER_CALL calls
 * of ctx->time_ns (the cheapest service: what is left is the way into the
 * kernel and back), cycles_now() around each, into histograms in its
 * store (lib/hist.h). The kernel turns the
 * log's null sink on around these calls, so the lines cost their
 * formatting but reach no device. The call after them reports: it logs
 * one `bench: name=... p50_cycles=C p99_cycles=C samples=N` line per
 * histogram, the format of the kernel's own figures, and exits. The
 * kernel reads nothing out of this app's memory.
 *
 * Every measuring call returns "sleep a minute": the frame loop leaves it
 * alone and only the benchmark, which calls it directly, runs it. Not
 * started at boot.
 */
#include "include/fomos.h"
#include "lib/cycles.h"
#include "lib/format.h"
#include "lib/hist.h"

#define MEASURED_CALLS 100 /* the kernel's CTX_CALLS (bench/bench.c) */
#define PAIRS_PER_CALL 1000
#define LOGS_PER_CALL  200
#define TIMES_PER_CALL 1000
#define ALLOC_BYTES    64
#define ALLOC_ALIGN    16

struct store {
	uint64_t calls;		/* calls made so far (the first sets up) */
	struct hist alloc_pair; /* ctx->calloc(64, 16) then ctx->cdalloc */
	struct hist log_line;	/* ctx->log of a 32-byte line */
	struct hist time_call;	/* ctx->time_ns() */
};

static const char line[] = "bench_ctx: thirty-two byte line!";
_Static_assert(sizeof(line) - 1 == 32, "the log line is 32 bytes");

static void time_pairs(struct fomos_context *ctx, struct hist *h)
{
	for (int i = 0; i < PAIRS_PER_CALL; i++) {
		uint64_t start = cycles_now();
		void *p = ctx->calloc(ALLOC_BYTES, ALLOC_ALIGN);
		ctx->cdalloc(p, ALLOC_BYTES, ALLOC_ALIGN);
		hist_add(h, cycles_now() - start);
	}
}

static void time_logs(struct fomos_context *ctx, struct hist *h)
{
	for (int i = 0; i < LOGS_PER_CALL; i++) {
		uint64_t start = cycles_now();
		ctx->log(line, sizeof(line) - 1);
		hist_add(h, cycles_now() - start);
	}
}

static void time_times(struct fomos_context *ctx, struct hist *h)
{
	for (int i = 0; i < TIMES_PER_CALL; i++) {
		uint64_t start = cycles_now();
		ctx->time_ns();
		hist_add(h, cycles_now() - start);
	}
}

static void report(struct fomos_context *ctx, const char *name, const struct hist *h)
{
	char text[160];
	int n =
	    fmt_snprintf(text, sizeof(text),
			 "bench: name=%s p50_cycles=%llu p99_cycles=%llu "
			 "samples=%llu",
			 name, (unsigned long long)hist_quantile(h, 500),
			 (unsigned long long)hist_quantile(h, 990), (unsigned long long)h->count);
	ctx->log(text, (size_t)n);
}

int32_t _start(struct fomos_context *ctx)
{
	struct store *s = *ctx->store;

	if (s == NULL) {
		s = ctx->calloc(sizeof(*s), _Alignof(struct store));
		if (s == NULL) {
			return -1;
		}
		*ctx->store = s;
	} else if (s->calls <= MEASURED_CALLS) {
		time_pairs(ctx, &s->alloc_pair);
		time_logs(ctx, &s->log_line);
		time_times(ctx, &s->time_call);
	} else {
		report(ctx, "ctx_calloc_cdalloc", &s->alloc_pair);
		report(ctx, "ctx_log_null", &s->log_line);
		report(ctx, "ctx_time_ns", &s->time_call);
		return FOMOS_EXIT;
	}
	s->calls++;
	return FOMOS_SLEEP_MS(60000);
}
