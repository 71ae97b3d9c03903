/*
 * apps/background/stats.c — see stats.h.
 */
#include "apps/background/stats.h"

#include "apps/background/log.h"

uint64_t bg_now_ns(const struct fomos_context *ctx)
{
	if (ctx->version >= 2 && ctx->time_ns != NULL) {
		return ctx->time_ns();
	}
	return ctx->start_time * 1000000u;
}

void bg_stats_add(struct fomos_context *ctx, struct bg_stats *st, uint64_t start_ns)
{
	uint64_t ns = bg_now_ns(ctx) - start_ns;

	if (st->calls == 0) {
		st->window_start_ms = ctx->start_time;
	}
	st->calls++;
	st->total_ns += ns;
	st->max_ns = ns > st->max_ns ? ns : st->max_ns;
	if (ctx->start_time - st->window_start_ms < BG_STATS_PERIOD_MS) {
		return;
	}
	uint64_t mean = st->total_ns / st->calls;
	bg_logf(ctx, "frame: %llu calls in %llu ms, mean %llu.%llu us, max %llu us",
		(unsigned long long)st->calls,
		(unsigned long long)(ctx->start_time - st->window_start_ms),
		(unsigned long long)(mean / 1000), (unsigned long long)(mean % 1000 / 100),
		(unsigned long long)(st->max_ns / 1000));
	*st = (struct bg_stats){0};
}
