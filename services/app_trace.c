/*
 * The tracing wrappers; see app_trace.h. The real services are those the
 * untraced context holds (app_services_real()); each wrapper times the
 * call with the TSC and logs one line (the log line's own cost is outside
 * the measured cycles).
 */
#include "services/app_trace.h"

#include "arch/x86_64/cpu.h"
#include "kernel/log.h"
#include "lib/format.h"
#include "runtime/app.h"
#include "services/app_services.h"

static const struct fomos_context *real;

static void trace_line(const char *call, uint64_t cycles)
{
	struct app *a = app_current();
	log_info("trace", "pid %llu %s: %s (%llu cycles)", (unsigned long long)(a ? a->id.pid : 0),
		 a ? a->id.name : "?", call, (unsigned long long)cycles);
}

#define TRACE_FORMAT(buf, ...) fmt_snprintf(buf, sizeof(buf), __VA_ARGS__)

static void trace_log(const char *s, uint32_t len)
{
	char call[64];
	uint64_t t0 = rdtsc();
	real->log(s, len);
	uint64_t cycles = rdtsc() - t0;
	TRACE_FORMAT(call, "log(%p, %u)", (const void *)s, len);
	trace_line(call, cycles);
}

static void *trace_calloc(size_t size, size_t align)
{
	char call[80];
	uint64_t t0 = rdtsc();
	void *p = real->calloc(size, align);
	uint64_t cycles = rdtsc() - t0;
	TRACE_FORMAT(call, "calloc(%zu, %zu) = %p", size, align, p);
	trace_line(call, cycles);
	return p;
}

static void trace_cdalloc(void *p, size_t size, size_t align)
{
	char call[80];
	uint64_t t0 = rdtsc();
	real->cdalloc(p, size, align);
	uint64_t cycles = rdtsc() - t0;
	TRACE_FORMAT(call, "cdalloc(%p, %zu, %zu)", p, size, align);
	trace_line(call, cycles);
}

/* A clock read (time_ns, utc_ns), traced with its value. */
static uint64_t trace_clock(const char *name, uint64_t (*read)(void))
{
	char call[48];
	uint64_t t0 = rdtsc();
	uint64_t ns = read();
	uint64_t cycles = rdtsc() - t0;
	TRACE_FORMAT(call, "%s() = %llu", name, (unsigned long long)ns);
	trace_line(call, cycles);
	return ns;
}

static uint64_t trace_time_ns(void)
{
	return trace_clock("time_ns", real->time_ns);
}

static uint64_t trace_utc_ns(void)
{
	return trace_clock("utc_ns", real->utc_ns);
}

static void trace_mem_info(struct fomos_mem_info *out)
{
	uint64_t t0 = rdtsc();
	real->mem_info(out);
	trace_line("mem_info()", rdtsc() - t0);
}

void app_trace_wrap(struct fomos_context *ctx)
{
	real = app_services_real();
	ctx->log = ctx->log == real->log ? trace_log : ctx->log;
	ctx->calloc = ctx->calloc == real->calloc ? trace_calloc : ctx->calloc;
	ctx->cdalloc = ctx->cdalloc == real->cdalloc ? trace_cdalloc : ctx->cdalloc;
	ctx->time_ns = ctx->time_ns == real->time_ns ? trace_time_ns : ctx->time_ns;
	ctx->utc_ns = ctx->utc_ns == real->utc_ns ? trace_utc_ns : ctx->utc_ns;
	ctx->mem_info = ctx->mem_info == real->mem_info ? trace_mem_info : ctx->mem_info;
}
