/*
 * Self-test of Context wrapping (services/app_trace.c): an untraced context
 * holds the services themselves — no wrapper is interposed, so an untraced
 * app pays nothing, by construction — and a traced one holds wrappers that
 * still return the services' results. The cost of both is logged:
 *     trace: time_ns direct N cycles, traced M cycles (one log line each)
 * The screen is detached while the traced calls run: in self-test mode
 * every log line is drawn at once, which would measure the drawing.
 */
#include "arch/x86_64/cpu.h"
#include "kernel/log.h"
#include "services/app_services.h"
#include "services/app_trace.h"
#include "tests/kernel/selftest.h"

#define DIRECT_CALLS 1000
#define TRACED_CALLS 8

KTEST(app_wrapping_costs_nothing_untraced)
{
	const struct fomos_context *real = app_services_real();
	struct fomos_context traced = *real;

	app_trace_wrap(&traced);
	KEXPECT(traced.time_ns != real->time_ns && traced.calloc != real->calloc);
	KEXPECT(traced.log != real->log && traced.cdalloc != real->cdalloc);

	uint64_t t0 = rdtsc();
	uint64_t last = 0;
	for (int i = 0; i < DIRECT_CALLS; i++) {
		uint64_t now = real->time_ns();
		KEXPECT(now >= last);
		last = now;
	}
	uint64_t direct = (rdtsc() - t0) / DIRECT_CALLS;
	log_sink_fn screen = log_set_screen_sink(NULL);
	bool monotonic = true;
	t0 = rdtsc();
	for (int i = 0; i < TRACED_CALLS; i++) {
		uint64_t now = traced.time_ns();
		monotonic &= now >= last;
		last = now;
	}
	uint64_t wrapped = (rdtsc() - t0) / TRACED_CALLS;
	log_set_screen_sink(screen);
	KEXPECT(monotonic);
	log_info("trace", "time_ns direct %llu cycles, traced %llu cycles (one log line each)",
		 (unsigned long long)direct, (unsigned long long)wrapped);
	return NULL;
}
