/*
 * apps/console/shell_ps.c — the ps tables (see shell_ps.h).
 *
 * Every field newer than ctx->version is left unread: app_stats only from
 * version 3, app_info.flags only from version 4 (before, that word was
 * reserved). The two reports, app_stats and app_list, are separate calls,
 * so an app may start or go between them: flags are matched by pid, and
 * an app missing from app_list simply shows no R.
 */
#include "apps/console/shell_ps.h"

#include <stdbool.h>
#include <stdint.h>

#include "apps/console/shell_value.h"
#include "lib/format.h"
#include "lib/string.h"

#define SHELL_PS_MAX   32 /* apps ps lists; app_list tells how many more */
#define SHELL_NAME_COL 16 /* ps shows this much of a name (they have 31) */

static const char *shell_state(uint32_t state)
{
	switch (state) {
	case FOMOS_APP_RUNNING:
		return "run";
	case FOMOS_APP_SLEEPING:
		return "sleep";
	case FOMOS_APP_EXITED:
		return "exit";
	default:
		return "?";
	}
}

/* The length of the part of a name ps shows: up to the NUL, at most the
 * column, so that a long name cannot push the other columns right. */
static int shell_name_len(const char *name, size_t size)
{
	size_t n = strnlen(name, size);

	return (int)(n < SHELL_NAME_COL ? n : SHELL_NAME_COL);
}

/* Mean time per call, "812.3 us", or "-" before the first call. */
static const char *shell_per_call(char *buf, size_t n, const struct fomos_app_info *a)
{
	uint64_t ns;

	if (a->calls == 0) {
		return "-";
	}
	ns = a->total_ns / a->calls;
	fmt_snprintf(buf, n, "%llu.%llu us", (unsigned long long)(ns / 1000),
		     (unsigned long long)(ns % 1000 / 100));
	return buf;
}

static void shell_ps_row(const struct shell_io *io, const struct fomos_app_info *a)
{
	char mem[SHELL_SIZE_MAX];
	char per_call[SHELL_SIZE_MAX];

	shell_printf(io, SHELL_OUTPUT, "%5llu  %-16.*s %-6s %10s %8llu %11s",
		     (unsigned long long)a->pid, shell_name_len(a->name, sizeof(a->name)), a->name,
		     shell_state(a->state), shell_size(mem, sizeof(mem), a->memory_bytes),
		     (unsigned long long)a->calls, shell_per_call(per_call, sizeof(per_call), a));
}

/* The version-2 table: one line per app from app_list. */
static uint32_t shell_ps_list(const struct fomos_context *ctx, const struct shell_io *io)
{
	struct fomos_app_info apps[SHELL_PS_MAX];
	uint32_t total;

	memset(apps, 0, sizeof(apps));
	total = ctx->app_list(apps, SHELL_PS_MAX);
	shell_printf(io, SHELL_OUTPUT, "%5s  %-16s %-6s %10s %8s %11s", "PID", "NAME", "STATE",
		     "MEMORY", "CALLS", "TIME/CALL");
	for (uint32_t i = 0; i < total && i < SHELL_PS_MAX; i++) {
		shell_ps_row(io, &apps[i]);
	}
	return total;
}

/*
 * The version-3 table: two lines per app, so that it fits in 78 columns.
 *
 *   PID  NAME             STATE     CALLS       MEAN      WORST   BUDGET
 *           MEMORY / LIMIT       FAULTS  ABORTS RESTARTS  FLAGS
 *     1  background       run         300   812.3 us     2.5 ms    50 ms
 *          1.5 MiB / 16.0 MiB         0       0        0  TDR restart
 *
 * FLAGS: T while traced, D while a capability is denied, R when resumed
 * from a snapshot (version 4), then the policy.
 * A limit of 2^64-1 bytes can never be reached: it shows as "none".
 */
#define SHELL_PS3_HEAD1 "%5s  %-16s %-6s %8s %10s %10s %8s"
#define SHELL_PS3_ROW1	"%5llu  %-16.*s %-6s %8llu %10s %10s %8s"
#define SHELL_PS3_HEAD2 "       %10s / %-10s %7s %7s %8s  %s"
#define SHELL_PS3_ROW2	"       %10s / %-10s %7u %7u %8u  %c%c%c %s"

static void shell_ps_stats_row(const struct shell_io *io, const struct fomos_app_stats *a,
			       bool restored)
{
	char mean_buf[SHELL_SIZE_MAX], worst_buf[SHELL_SIZE_MAX], budget_buf[SHELL_SIZE_MAX];
	char mem[SHELL_SIZE_MAX], limit_buf[SHELL_SIZE_MAX];
	const char *mean = "-", *worst = "-", *budget = "-", *limit = "none", *policy = "?";

	if (a->calls > 0) {
		mean = shell_duration(mean_buf, sizeof(mean_buf), a->total_ns / a->calls);
		worst = shell_duration(worst_buf, sizeof(worst_buf), a->max_ns);
	}
	if (a->budget_ms > 0) {
		fmt_snprintf(budget_buf, sizeof(budget_buf), "%u ms", a->budget_ms);
		budget = budget_buf;
	}
	if (a->memory_limit != UINT64_MAX) {
		limit = shell_size(limit_buf, sizeof(limit_buf), a->memory_limit);
	}
	if (a->policy < SHELL_NPOLICIES) {
		policy = shell_policy_names[a->policy];
	}
	shell_printf(io, SHELL_OUTPUT, SHELL_PS3_ROW1, (unsigned long long)a->pid,
		     shell_name_len(a->name, sizeof(a->name)), a->name, shell_state(a->state),
		     (unsigned long long)a->calls, mean, worst, budget);
	shell_printf(io, SHELL_OUTPUT, SHELL_PS3_ROW2,
		     shell_size(mem, sizeof(mem), a->memory_bytes), limit, a->faults, a->aborts,
		     a->restarts, a->traced ? 'T' : '-', a->denied != 0 ? 'D' : '-',
		     restored ? 'R' : '-', policy);
}

/* The apps app_list reports (version 4: with flags); 0 before version 4. */
static uint32_t shell_ps_infos(const struct fomos_context *ctx, struct fomos_app_info *apps)
{
	uint32_t n;

	if (ctx->version < 4 || ctx->app_list == NULL) {
		return 0;
	}
	memset(apps, 0, SHELL_PS_MAX * sizeof(*apps));
	n = ctx->app_list(apps, SHELL_PS_MAX);
	return n < SHELL_PS_MAX ? n : SHELL_PS_MAX;
}

static bool shell_ps_restored(const struct fomos_app_info *apps, uint32_t n, uint64_t pid)
{
	for (uint32_t i = 0; i < n; i++) {
		if (apps[i].pid == pid) {
			return (apps[i].flags & FOMOS_APP_FLAG_RESTORED) != 0;
		}
	}
	return false;
}

static uint32_t shell_ps_stats(const struct fomos_context *ctx, const struct shell_io *io)
{
	struct fomos_app_stats apps[SHELL_PS_MAX];
	struct fomos_app_info infos[SHELL_PS_MAX];
	uint32_t total, ninfos;

	memset(apps, 0, sizeof(apps));
	total = ctx->app_stats(apps, SHELL_PS_MAX);
	ninfos = shell_ps_infos(ctx, infos);
	shell_printf(io, SHELL_OUTPUT, SHELL_PS3_HEAD1, "PID", "NAME", "STATE", "CALLS", "MEAN",
		     "WORST", "BUDGET");
	shell_printf(io, SHELL_OUTPUT, SHELL_PS3_HEAD2, "MEMORY", "LIMIT", "FAULTS", "ABORTS",
		     "RESTARTS", "FLAGS");
	for (uint32_t i = 0; i < total && i < SHELL_PS_MAX; i++) {
		shell_ps_stats_row(io, &apps[i], shell_ps_restored(infos, ninfos, apps[i].pid));
	}
	return total;
}

void shell_cmd_ps(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		  const char *args, size_t len)
{
	uint32_t total;

	(void)sh;
	(void)args;
	(void)len;
	if (ctx->version >= 3 && ctx->app_stats != NULL) {
		total = shell_ps_stats(ctx, io);
	} else if (ctx->version >= 2 && ctx->app_list != NULL) {
		total = shell_ps_list(ctx, io);
	} else {
		shell_printf(io, SHELL_ERROR, "ps: not permitted");
		return;
	}
	if (total > SHELL_PS_MAX) {
		shell_printf(io, SHELL_NOTE, "(%u more not shown)", total - SHELL_PS_MAX);
	}
}
