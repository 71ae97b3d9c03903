/*
 * apps/console/shell_sys.c — ps, run, kill, mem and uptime (see
 * shell_sys.h).
 *
 * The version-2 services exist only when ctx->version >= 2, and the app_*
 * ones only for the shell app; every command checks the version before it
 * reads such a field, so a version-1 context (which ends at `input`) is
 * never read past its end. Sizes are printed in binary units with one decimal,
 * times per call in microseconds with one decimal, all in integers.
 */
#include "apps/console/shell_sys.h"

#include <stdbool.h>
#include <stdint.h>

#include "lib/format.h"
#include "lib/string.h"

#define SHELL_PS_MAX   32 /* apps ps lists; app_list tells how many more */
#define SHELL_SIZE_MAX 24

static bool shell_v2(const struct fomos_context *ctx)
{
	return ctx->version >= 2;
}

/* "512 B", "12.5 KiB", "1.5 MiB", "3.0 GiB" into buf. */
static const char *shell_size(char *buf, size_t n, uint64_t bytes)
{
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
	uint64_t unit = 1024;
	size_t u = 0;

	if (bytes < 1024) {
		fmt_snprintf(buf, n, "%llu B", (unsigned long long)bytes);
		return buf;
	}
	while (u + 1 < sizeof(units) / sizeof(units[0]) && bytes / unit >= 1024) {
		unit *= 1024;
		u++;
	}
	fmt_snprintf(buf, n, "%llu.%llu %s", (unsigned long long)(bytes / unit),
		     (unsigned long long)(bytes % unit * 10 / unit), units[u]);
	return buf;
}

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
		     (unsigned long long)a->pid, (int)strnlen(a->name, sizeof(a->name)), a->name,
		     shell_state(a->state), shell_size(mem, sizeof(mem), a->memory_bytes),
		     (unsigned long long)a->calls, shell_per_call(per_call, sizeof(per_call), a));
}

void shell_cmd_ps(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		  size_t len)
{
	struct fomos_app_info apps[SHELL_PS_MAX];
	uint32_t total;
	uint32_t shown;

	(void)args;
	(void)len;
	if (!shell_v2(ctx) || ctx->app_list == NULL) {
		shell_printf(io, SHELL_ERROR, "ps: not permitted");
		return;
	}
	memset(apps, 0, sizeof(apps));
	total = ctx->app_list(apps, SHELL_PS_MAX);
	shown = total < SHELL_PS_MAX ? total : SHELL_PS_MAX;
	shell_printf(io, SHELL_OUTPUT, "%5s  %-16s %-6s %10s %8s %11s", "PID", "NAME", "STATE",
		     "MEMORY", "CALLS", "TIME/CALL");
	for (uint32_t i = 0; i < shown; i++) {
		shell_ps_row(io, &apps[i]);
	}
	if (total > shown) {
		shell_printf(io, SHELL_NOTE, "(%u more not shown)", total - shown);
	}
}

void shell_cmd_run(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		   size_t len)
{
	int64_t pid;

	if (!shell_v2(ctx) || ctx->app_start == NULL) {
		shell_printf(io, SHELL_ERROR, "run: not permitted");
		return;
	}
	if (len == 0) {
		shell_printf(io, SHELL_ERROR, "usage: run NAME");
		return;
	}
	pid = ctx->app_start(args, (uint32_t)len);
	if (pid < 0) {
		shell_printf(io, SHELL_ERROR, "run: cannot start %.*s (error %lld)", (int)len, args,
			     (long long)pid);
		return;
	}
	shell_printf(io, SHELL_OUTPUT, "started %.*s: pid %lld", (int)len, args, (long long)pid);
}

/* A decimal number of 1..20 digits that fits in 64 bits. */
static bool shell_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 20) {
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10) {
			return false;
		}
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

void shell_cmd_kill(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		    size_t len)
{
	uint64_t pid;

	if (!shell_v2(ctx) || ctx->app_kill == NULL) {
		shell_printf(io, SHELL_ERROR, "kill: not permitted");
		return;
	}
	if (!shell_parse_u64(args, len, &pid)) {
		shell_printf(io, SHELL_ERROR, "usage: kill PID (a number, see ps)");
		return;
	}
	if (ctx->app_kill(pid) < 0) {
		shell_printf(io, SHELL_ERROR, "kill: no app with pid %llu",
			     (unsigned long long)pid);
		return;
	}
	shell_printf(io, SHELL_OUTPUT, "killed pid %llu", (unsigned long long)pid);
}

void shell_cmd_mem(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		   size_t len)
{
	struct fomos_mem_info m;
	char a[SHELL_SIZE_MAX];
	char b[SHELL_SIZE_MAX];

	(void)args;
	(void)len;
	if (!shell_v2(ctx) || ctx->mem_info == NULL) {
		shell_printf(io, SHELL_ERROR, "mem: not available");
		return;
	}
	memset(&m, 0, sizeof(m));
	ctx->mem_info(&m);
	shell_printf(io, SHELL_OUTPUT, "%-6s %10s   %-12s %10s", "total",
		     shell_size(a, sizeof(a), m.total_bytes), "kernel heap",
		     shell_size(b, sizeof(b), m.kernel_heap_bytes));
	shell_printf(io, SHELL_OUTPUT, "%-6s %10s   %-12s %10s", "free",
		     shell_size(a, sizeof(a), m.free_bytes), "apps",
		     shell_size(b, sizeof(b), m.apps_bytes));
}

void shell_cmd_uptime(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		      size_t len)
{
	uint64_t ms = ctx->start_time;

	(void)args;
	(void)len;
	shell_printf(io, SHELL_OUTPUT, "up %llu:%02llu:%02llu.%03llu",
		     (unsigned long long)(ms / 3600000), (unsigned long long)(ms / 60000 % 60),
		     (unsigned long long)(ms / 1000 % 60), (unsigned long long)(ms % 1000));
}
