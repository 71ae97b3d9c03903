/*
 * apps/console/shell_sys.c — the commands that reach into the system (see
 * shell_sys.h): run, kill, mem, uptime, and the version-3 controls trace,
 * untrace, deny, allow, budget, limit and policy.
 *
 * The version-2 services exist only when ctx->version >= 2, the version-3
 * ones only when it is >= 3, and the app_* ones only for the shell app;
 * every command checks the version before it reads such a field, so an
 * older context (which ends at `input`, or at `app_kill`) is never read
 * past its end. A control command decodes all of its arguments before it
 * calls app_control, so the kernel only ever sees a well-formed request
 * (it still checks the pid and the value itself).
 */
#include "apps/console/shell_sys.h"

#include <stdbool.h>
#include <stdint.h>

#include "apps/console/shell_disk.h"
#include "apps/console/shell_value.h"
#include "lib/civil_time.h"
#include "lib/string.h"

static bool shell_v2(const struct fomos_context *ctx)
{
	return ctx->version >= 2;
}

static bool shell_v3(const struct fomos_context *ctx)
{
	return ctx->version >= 3;
}

/* The capability names the commands take, indexed by enum fomos_capability. */
static const char *const shell_cap_names[] = {
    [FOMOS_CAP_LOG] = "log",   [FOMOS_CAP_MEMORY] = "memory",
    [FOMOS_CAP_TIME] = "time", [FOMOS_CAP_MEM_INFO] = "meminfo",
    [FOMOS_CAP_APPS] = "apps", [FOMOS_CAP_CLIPBOARD] = "clipboard",
};

#define SHELL_NCAPS (sizeof(shell_cap_names) / sizeof(shell_cap_names[0]))

/* ------------------------------------------------- run, kill, mem, uptime ---- */

void shell_cmd_run(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		   const char *args, size_t len)
{
	int64_t pid;

	if (len > 0 && args[0] == '/') {
		shell_disk_run(sh, ctx, io, args, len);
		return;
	}
	if (!shell_v2(ctx) || ctx->app_start == NULL) {
		shell_printf(io, SHELL_ERROR, "run: not permitted");
		return;
	}
	if (len == 0) {
		shell_printf(io, SHELL_ERROR, "usage: run NAME (boot archive) or run /PATH (disk)");
		return;
	}
	pid = ctx->app_start(args, (uint32_t)len);
	if (pid < 0) {
		shell_printf(io, SHELL_ERROR, "run: cannot start %.*s: %s", (int)len, args,
			     pid == FOMOS_ENOAPP ? "no app of that name in the boot archive"
						 : fomos_error_text(pid));
		return;
	}
	shell_printf(io, SHELL_OUTPUT, "started %.*s: pid %lld", (int)len, args, (long long)pid);
}

void shell_cmd_kill(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		    const char *args, size_t len)
{
	uint64_t pid;

	(void)sh;
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

void shell_cmd_mem(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		   const char *args, size_t len)
{
	struct fomos_mem_info m;
	char a[SHELL_SIZE_MAX];
	char b[SHELL_SIZE_MAX];

	(void)sh;
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

/* "YYYY-MM-DD HH:MM:SS UTC" now into out, or false: no wall clock (before ABI 5, or none). */
static bool utc_now(const struct fomos_context *ctx, char out[24])
{
	uint64_t ns = ctx->version >= 5 ? ctx->utc_ns() : 0;
	struct civil_time t;

	if (ns == 0) {
		return false;
	}
	civil_from_unix(ns / 1000000000, &t);
	civil_format(&t, out);
	memcpy(out + 19, " UTC", 5);
	return true;
}

void shell_cmd_uptime(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		      const char *args, size_t len)
{
	uint64_t ms = ctx->start_time;
	char now[24];

	(void)sh;
	(void)args;
	(void)len;
	bool known = utc_now(ctx, now);
	shell_printf(io, SHELL_OUTPUT, "%s%sup %llu:%02llu:%02llu.%03llu", known ? now : "",
		     known ? ", " : "", (unsigned long long)(ms / 3600000),
		     (unsigned long long)(ms / 60000 % 60), (unsigned long long)(ms / 1000 % 60),
		     (unsigned long long)(ms % 1000));
}

void shell_cmd_date(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		    const char *args, size_t len)
{
	char now[24];

	(void)sh;
	(void)args;
	(void)len;
	if (utc_now(ctx, now)) {
		shell_printf(io, SHELL_OUTPUT, "%s", now);
	} else {
		shell_printf(io, SHELL_ERROR, "date: the machine told no wall-clock time");
	}
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
static const struct shell_ctl shell_ctl_deny = {
    "deny", "deny PID CAP (CAP: log memory time meminfo apps clipboard)", FOMOS_CONTROL_DENY,
    SHELL_ARG_CAP, 0};
static const struct shell_ctl shell_ctl_allow = {
    "allow", "allow PID CAP (CAP: log memory time meminfo apps clipboard)", FOMOS_CONTROL_ALLOW,
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
		if (err == FOMOS_ENOAPP) {
			shell_printf(io, SHELL_ERROR, "%s: no app with pid %llu", c->name,
				     (unsigned long long)pid);
		} else {
			shell_printf(io, SHELL_ERROR, "%s: %s", c->name, fomos_error_text(err));
		}
		return;
	}
	shell_printf(io, SHELL_OUTPUT, "ok");
}

void shell_cmd_trace(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		     const char *args, size_t len)
{
	(void)sh;
	shell_control(ctx, io, args, len, &shell_ctl_trace);
}

void shell_cmd_untrace(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		       const char *args, size_t len)
{
	(void)sh;
	shell_control(ctx, io, args, len, &shell_ctl_untrace);
}

void shell_cmd_deny(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		    const char *args, size_t len)
{
	(void)sh;
	shell_control(ctx, io, args, len, &shell_ctl_deny);
}

void shell_cmd_allow(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		     const char *args, size_t len)
{
	(void)sh;
	shell_control(ctx, io, args, len, &shell_ctl_allow);
}

void shell_cmd_budget(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		      const char *args, size_t len)
{
	(void)sh;
	shell_control(ctx, io, args, len, &shell_ctl_budget);
}

void shell_cmd_limit(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		     const char *args, size_t len)
{
	(void)sh;
	shell_control(ctx, io, args, len, &shell_ctl_limit);
}

void shell_cmd_policy(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		      const char *args, size_t len)
{
	(void)sh;
	shell_control(ctx, io, args, len, &shell_ctl_policy);
}
