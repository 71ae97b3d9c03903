/*
 * apps/console/shell_sys.c — the commands that reach into the system (see
 * shell_sys.h): ps, run, kill, mem, uptime, and the version-3 controls
 * trace, untrace, deny, allow, budget, limit and policy.
 *
 * The version-2 services exist only when ctx->version >= 2, the version-3
 * ones only when it is >= 3, and the app_* ones only for the shell app;
 * every command checks the version before it reads such a field, so an
 * older context (which ends at `input`, or at `app_kill`) is never read
 * past its end. ps shows the version-3 statistics when it has them and
 * falls back to app_list otherwise. A control command decodes all of its
 * arguments before it calls app_control, so the kernel only ever sees a
 * well-formed request (it still checks the pid and the value itself).
 * Sizes are printed in binary units with one decimal, times in ns, us, ms
 * or s with one decimal, all with integers only.
 */
#include "apps/console/shell_sys.h"

#include <stdbool.h>
#include <stdint.h>

#include "lib/format.h"
#include "lib/string.h"

#define SHELL_PS_MAX   32 /* apps ps lists; app_list tells how many more */
#define SHELL_SIZE_MAX 24
#define SHELL_NAME_COL 16 /* ps shows this much of a name (they have 31) */

static bool shell_v2(const struct fomos_context *ctx)
{
	return ctx->version >= 2;
}

static bool shell_v3(const struct fomos_context *ctx)
{
	return ctx->version >= 3;
}

/* "512 B", "12.5 KiB", "1.5 MiB", "3.0 GiB" into buf. */
static const char *shell_size(char *buf, size_t n, uint64_t bytes)
{
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
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

/* "830 ns", "812.3 us", "2.5 ms", "1.2 s" into buf. */
static const char *shell_duration(char *buf, size_t n, uint64_t ns)
{
	static const char *const units[] = {"us", "ms", "s"};
	uint64_t unit = 1000;
	size_t u = 0;

	if (ns < 1000) {
		fmt_snprintf(buf, n, "%llu ns", (unsigned long long)ns);
		return buf;
	}
	while (u + 1 < sizeof(units) / sizeof(units[0]) && ns / unit >= 1000) {
		unit *= 1000;
		u++;
	}
	fmt_snprintf(buf, n, "%llu.%llu %s", (unsigned long long)(ns / unit),
		     (unsigned long long)(ns % unit * 10 / unit), units[u]);
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

/* The names the commands take, indexed by the enum values they stand for. */
static const char *const shell_cap_names[] = {
    [FOMOS_CAP_LOG] = "log",	      [FOMOS_CAP_MEMORY] = "memory", [FOMOS_CAP_TIME] = "time",
    [FOMOS_CAP_MEM_INFO] = "meminfo", [FOMOS_CAP_APPS] = "apps",
};

static const char *const shell_policy_names[] = {
    [FOMOS_POLICY_STOP] = "stop",
    [FOMOS_POLICY_RESTART] = "restart",
    [FOMOS_POLICY_KEEP] = "keep",
};

#define SHELL_NCAPS	(sizeof(shell_cap_names) / sizeof(shell_cap_names[0]))
#define SHELL_NPOLICIES (sizeof(shell_policy_names) / sizeof(shell_policy_names[0]))

/* ------------------------------------------------------------------ ps ---- */

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
 *          1.5 MiB / 16.0 MiB         0       0        0  TD restart
 *
 * FLAGS: T while traced, D while a capability is denied, then the policy.
 * A limit of 2^64-1 bytes can never be reached: it shows as "none".
 */
#define SHELL_PS3_HEAD1 "%5s  %-16s %-6s %8s %10s %10s %8s"
#define SHELL_PS3_ROW1	"%5llu  %-16.*s %-6s %8llu %10s %10s %8s"
#define SHELL_PS3_HEAD2 "       %10s / %-10s %7s %7s %8s  %s"
#define SHELL_PS3_ROW2	"       %10s / %-10s %7u %7u %8u  %c%c %s"

static void shell_ps_stats_row(const struct shell_io *io, const struct fomos_app_stats *a)
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
		     a->restarts, a->traced ? 'T' : '-', a->denied != 0 ? 'D' : '-', policy);
}

static uint32_t shell_ps_stats(const struct fomos_context *ctx, const struct shell_io *io)
{
	struct fomos_app_stats apps[SHELL_PS_MAX];
	uint32_t total;

	memset(apps, 0, sizeof(apps));
	total = ctx->app_stats(apps, SHELL_PS_MAX);
	shell_printf(io, SHELL_OUTPUT, SHELL_PS3_HEAD1, "PID", "NAME", "STATE", "CALLS", "MEAN",
		     "WORST", "BUDGET");
	shell_printf(io, SHELL_OUTPUT, SHELL_PS3_HEAD2, "MEMORY", "LIMIT", "FAULTS", "ABORTS",
		     "RESTARTS", "FLAGS");
	for (uint32_t i = 0; i < total && i < SHELL_PS_MAX; i++) {
		shell_ps_stats_row(io, &apps[i]);
	}
	return total;
}

void shell_cmd_ps(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		  size_t len)
{
	uint32_t total;

	(void)args;
	(void)len;
	if (shell_v3(ctx) && ctx->app_stats != NULL) {
		total = shell_ps_stats(ctx, io);
	} else if (shell_v2(ctx) && ctx->app_list != NULL) {
		total = shell_ps_list(ctx, io);
	} else {
		shell_printf(io, SHELL_ERROR, "ps: not permitted");
		return;
	}
	if (total > SHELL_PS_MAX) {
		shell_printf(io, SHELL_NOTE, "(%u more not shown)", total - SHELL_PS_MAX);
	}
}

/* ------------------------------------------------- run, kill, mem, uptime ---- */

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

/* ------------------------------------------------------------ controls ---- */

/* What the word after PID is, for a control command. */
enum shell_ctl_arg {
	SHELL_ARG_NONE,	  /* there is none: the value is fixed */
	SHELL_ARG_CAP,	  /* a capability name (shell_cap_names) */
	SHELL_ARG_MS,	  /* milliseconds, 1 .. 2^32-1 (budget_ms is 32 bits) */
	SHELL_ARG_SIZE,	  /* bytes, with an optional K, M or G */
	SHELL_ARG_POLICY, /* a policy name (shell_policy_names) */
};

struct shell_ctl {
	const char *name;
	const char *usage;
	uint32_t what; /* enum fomos_control */
	enum shell_ctl_arg arg;
	uint64_t value; /* for SHELL_ARG_NONE */
};

static const struct shell_ctl shell_ctl_trace = {"trace", "trace PID", FOMOS_CONTROL_TRACE,
						 SHELL_ARG_NONE, 1};
static const struct shell_ctl shell_ctl_untrace = {"untrace", "untrace PID", FOMOS_CONTROL_TRACE,
						   SHELL_ARG_NONE, 0};
static const struct shell_ctl shell_ctl_deny = {"deny",
						"deny PID CAP (CAP: log memory time meminfo apps)",
						FOMOS_CONTROL_DENY, SHELL_ARG_CAP, 0};
static const struct shell_ctl shell_ctl_allow = {
    "allow", "allow PID CAP (CAP: log memory time meminfo apps)", FOMOS_CONTROL_ALLOW,
    SHELL_ARG_CAP, 0};
static const struct shell_ctl shell_ctl_budget = {
    "budget", "budget PID MS (milliseconds per call, at least 1)", FOMOS_CONTROL_BUDGET_MS,
    SHELL_ARG_MS, 0};
static const struct shell_ctl shell_ctl_limit = {
    "limit", "limit PID SIZE (bytes, or with K, M or G: 64K, 16M)", FOMOS_CONTROL_MEMORY_LIMIT,
    SHELL_ARG_SIZE, 0};
static const struct shell_ctl shell_ctl_policy = {"policy", "policy PID stop|restart|keep",
						  FOMOS_CONTROL_POLICY, SHELL_ARG_POLICY, 0};

/* Takes the next blank-separated word off [*s, *s + *len); false at the end. */
static bool shell_word(const char **s, size_t *len, const char **w, size_t *wlen)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	*w = *s;
	*wlen = 0;
	while (*wlen < *len && (*s)[*wlen] != ' ' && (*s)[*wlen] != '\t') {
		(*wlen)++;
	}
	*s += *wlen;
	*len -= *wlen;
	return *wlen > 0;
}

/* The index of word [w, w + len) in names[0..n), as *out. */
static bool shell_lookup(const char *const *names, size_t n, const char *w, size_t len,
			 uint64_t *out)
{
	for (size_t i = 0; i < n; i++) {
		if (strlen(names[i]) == len && memcmp(names[i], w, len) == 0) {
			*out = i;
			return true;
		}
	}
	return false;
}

/* A byte count: a decimal number, optionally followed by K, M or G (or
 * k, m, g; powers of 1024), that fits in 64 bits. */
static bool shell_parse_size(const char *s, size_t len, uint64_t *out)
{
	unsigned shift = 0;
	uint64_t v;

	if (len > 0) {
		switch (s[len - 1]) {
		case 'K':
		case 'k':
			shift = 10;
			break;
		case 'M':
		case 'm':
			shift = 20;
			break;
		case 'G':
		case 'g':
			shift = 30;
			break;
		}
	}
	if (!shell_parse_u64(s, shift != 0 ? len - 1 : len, &v) || v > UINT64_MAX >> shift) {
		return false;
	}
	*out = v << shift;
	return true;
}

/* Decodes "PID [VALUE]" for control c into *pid and *value. */
static bool shell_ctl_decode(const struct shell_ctl *c, const char *args, size_t len, uint64_t *pid,
			     uint64_t *value)
{
	const char *w;
	size_t wlen;
	bool ok = false;

	if (!shell_word(&args, &len, &w, &wlen) || !shell_parse_u64(w, wlen, pid)) {
		return false;
	}
	if (c->arg == SHELL_ARG_NONE) {
		*value = c->value;
		return !shell_word(&args, &len, &w, &wlen);
	}
	if (!shell_word(&args, &len, &w, &wlen)) {
		return false;
	}
	switch (c->arg) {
	case SHELL_ARG_CAP:
		ok = shell_lookup(shell_cap_names, SHELL_NCAPS, w, wlen, value);
		break;
	case SHELL_ARG_MS:
		ok = shell_parse_u64(w, wlen, value) && *value >= 1 && *value <= UINT32_MAX;
		break;
	case SHELL_ARG_SIZE:
		ok = shell_parse_size(w, wlen, value);
		break;
	case SHELL_ARG_POLICY:
		ok = shell_lookup(shell_policy_names, SHELL_NPOLICIES, w, wlen, value);
		break;
	case SHELL_ARG_NONE:
		break;
	}
	return ok && !shell_word(&args, &len, &w, &wlen);
}

/* Checks the capability and the arguments, then makes the one call. */
static void shell_control(const struct fomos_context *ctx, const struct shell_io *io,
			  const char *args, size_t len, const struct shell_ctl *c)
{
	uint64_t pid, value;
	int32_t err;

	if (!shell_v3(ctx) || ctx->app_control == NULL) {
		shell_printf(io, SHELL_ERROR, "%s: not permitted", c->name);
		return;
	}
	if (!shell_ctl_decode(c, args, len, &pid, &value)) {
		shell_printf(io, SHELL_ERROR, "usage: %s", c->usage);
		return;
	}
	err = ctx->app_control(pid, c->what, value);
	if (err != 0) {
		shell_printf(io, SHELL_ERROR, "%s: error %d", c->name, (int)err);
		return;
	}
	shell_printf(io, SHELL_OUTPUT, "ok");
}

void shell_cmd_trace(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		     size_t len)
{
	shell_control(ctx, io, args, len, &shell_ctl_trace);
}

void shell_cmd_untrace(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		       size_t len)
{
	shell_control(ctx, io, args, len, &shell_ctl_untrace);
}

void shell_cmd_deny(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		    size_t len)
{
	shell_control(ctx, io, args, len, &shell_ctl_deny);
}

void shell_cmd_allow(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		     size_t len)
{
	shell_control(ctx, io, args, len, &shell_ctl_allow);
}

void shell_cmd_budget(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		      size_t len)
{
	shell_control(ctx, io, args, len, &shell_ctl_budget);
}

void shell_cmd_limit(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		     size_t len)
{
	shell_control(ctx, io, args, len, &shell_ctl_limit);
}

void shell_cmd_policy(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		      size_t len)
{
	shell_control(ctx, io, args, len, &shell_ctl_policy);
}
