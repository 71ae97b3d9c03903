/*
 * apps/console/perf.c — per-call timing and the periodic "perf:" log line
 * (see perf.h). The logging happens after t1 was taken, so its own cost
 * is not in the figures.
 */
#include "apps/console/perf.h"

#include "lib/format.h"

static void perf_log(const struct perf *p, const struct fomos_context *ctx, uint64_t now,
		     uint64_t rows)
{
	char line[128];
	uint64_t span = now - p->period_start_ns;
	uint64_t mean = p->calls > 0 ? p->total_ns / p->calls : 0;
	int n =
	    fmt_snprintf(line, sizeof(line),
			 "perf: %llu calls in %llu.%llu s, mean %llu.%llu us, max %llu us, "
			 "%llu rows rendered",
			 (unsigned long long)p->calls, (unsigned long long)(span / 1000000000),
			 (unsigned long long)(span / 100000000 % 10),
			 (unsigned long long)(mean / 1000), (unsigned long long)(mean / 100 % 10),
			 (unsigned long long)(p->max_ns / 1000), (unsigned long long)rows);

	if (n > 0) {
		ctx->log(line, (uint32_t)(n < (int)sizeof(line) ? n : (int)sizeof(line) - 1));
	}
}

void perf_call(struct perf *p, const struct fomos_context *ctx, uint64_t t0, uint64_t t1,
	       uint64_t rows_rendered)
{
	uint64_t ns = t1 > t0 ? t1 - t0 : 0;

	if (p->period_start_ns == 0) {
		p->period_start_ns = t0 != 0 ? t0 : 1;
		p->rows_before = rows_rendered;
	}
	p->calls++;
	p->total_ns += ns;
	if (ns > p->max_ns) {
		p->max_ns = ns;
	}
	if (t1 - p->period_start_ns < PERF_PERIOD_NS || t1 < p->period_start_ns) {
		return;
	}
	perf_log(p, ctx, t1, rows_rendered - p->rows_before);
	*p = (struct perf){.period_start_ns = t1, .rows_before = rows_rendered};
}
