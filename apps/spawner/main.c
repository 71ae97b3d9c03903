/*
 * apps/spawner — how many apps fit: it starts copies of bench_nop (the
 * cheapest app) through ctx->app_start, a batch per call, until a start
 * is refused, and logs how many ran and why the next one could not:
 *     spawner: N apps started, then refused: REASON; F KiB free
 * It then stops them all and, a call later, logs what memory came back:
 *     spawner: stopped N apps: F KiB free (before: B KiB)
 * and ends. It needs the apps capability (`./fomos run --app
 * build/apps/spawner.elf --grant spawner=apps`); tests/e2e/test_app_count.py
 * runs it in a small machine, where memory runs out long before the
 * address space's slots do.
 */
#include <stdarg.h>

#include "include/fomos.h"
#include "lib/format.h"

#define BATCH 64 /* starts per call: each is a few pages and a page-table walk */

enum phase { STARTING, STOPPING, COUNTING, DONE };

struct store {
	enum phase phase;
	uint64_t free_before;
	uint64_t *pids; /* started, in order */
	uint64_t count, room;
};

/* One log line, formatted. */
static void report(struct fomos_context *ctx, const char *fmt, ...)
{
	char line[160];
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ctx->log(line, n > 0 ? (uint32_t)n : 0);
}

static uint64_t free_kib(struct fomos_context *ctx)
{
	struct fomos_mem_info mem;
	ctx->mem_info(&mem);
	return mem.free_bytes / 1024;
}

/* Room for one more pid; false when the arena is full too. */
static bool grow(struct fomos_context *ctx, struct store *s)
{
	if (s->count < s->room) {
		return true;
	}
	uint64_t room = s->room == 0 ? 1024 : s->room * 2;
	uint64_t *pids = ctx->calloc(room * sizeof(*pids), _Alignof(uint64_t));
	if (pids == NULL) {
		return false;
	}
	for (uint64_t i = 0; i < s->count; i++) {
		pids[i] = s->pids[i];
	}
	if (s->pids != NULL) {
		ctx->cdalloc(s->pids, s->room * sizeof(*s->pids), _Alignof(uint64_t));
	}
	s->pids = pids;
	s->room = room;
	return true;
}

static void start_batch(struct fomos_context *ctx, struct store *s)
{
	for (int i = 0; i < BATCH; i++) {
		int64_t pid = grow(ctx, s) ? ctx->app_start("bench_nop", 9) : FOMOS_ENOMEM;
		if (pid < 0) {
			report(ctx, "spawner: %llu apps started, then refused: %s; %llu KiB free",
			       (unsigned long long)s->count, fomos_error_text(pid),
			       (unsigned long long)free_kib(ctx));
			s->phase = STOPPING;
			return;
		}
		s->pids[s->count++] = (uint64_t)pid;
	}
}

int32_t _start(struct fomos_context *ctx)
{
	struct store *s = *ctx->store;
	if (ctx->version < 2 || ctx->app_start == NULL || ctx->app_kill == NULL) {
		static const char why[] = "spawner: needs the apps capability";
		ctx->log(why, sizeof(why) - 1);
		return FOMOS_EXIT;
	}
	if (s == NULL) {
		s = ctx->calloc(sizeof(*s), _Alignof(struct store));
		if (s == NULL) {
			return -1;
		}
		s->free_before = free_kib(ctx) * 1024;
		*ctx->store = s;
	}
	switch (s->phase) {
	case STARTING:
		start_batch(ctx, s);
		break;
	case STOPPING:
		for (uint64_t i = 0; i < s->count; i++) {
			ctx->app_kill(s->pids[i]);
		}
		s->phase = COUNTING;
		break;
	case COUNTING:
		report(ctx, "spawner: stopped %llu apps: %llu KiB free (before: %llu KiB)",
		       (unsigned long long)s->count, (unsigned long long)free_kib(ctx),
		       (unsigned long long)(s->free_before / 1024));
		s->phase = DONE;
		break;
	case DONE:
		return FOMOS_EXIT;
	}
	return FOMOS_CONTINUE;
}
