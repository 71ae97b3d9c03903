/*
 * apps/clock_reader — an app that takes include/fomos.h at its word: from
 * ABI version 2 on, ctx->time_ns and ctx->mem_info are never NULL, so it
 * calls them every call without checking. Once a second it logs
 * "clock_reader: T ms, F KiB free". When the shell denies it `time` or
 * `meminfo`, the function becomes a stub that refuses (the clock reads 0,
 * the figures are zeros) and the app runs on: the end-to-end test of
 * deny (tests/e2e/test_wrapping.py) uses it. Not started at boot.
 */
#include "include/fomos.h"
#include "lib/format.h"

struct store {
	uint64_t next_ms; /* start_time of the next line */
};

int32_t _start(struct fomos_context *ctx)
{
	struct store *s = *ctx->store;

	if (ctx->version < 2) {
		return FOMOS_EXIT; /* no time_ns before version 2 */
	}
	if (s == NULL) {
		s = ctx->calloc(sizeof(*s), _Alignof(struct store));
		if (s == NULL) {
			return -1;
		}
		*ctx->store = s;
	}
	uint64_t ns = ctx->time_ns();
	struct fomos_mem_info mem;
	ctx->mem_info(&mem);
	if (ctx->start_time >= s->next_ms) {
		char line[80];
		int n = fmt_snprintf(line, sizeof(line), "clock_reader: %llu ms, %llu KiB free",
				     (unsigned long long)(ns / 1000000),
				     (unsigned long long)(mem.free_bytes / 1024));
		ctx->log(line, (uint32_t)n);
		s->next_ms = ctx->start_time + 1000;
	}
	return FOMOS_CONTINUE;
}
