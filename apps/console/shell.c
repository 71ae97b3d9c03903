/*
 * apps/console/shell.c — parsing a line and dispatching it (see shell.h).
 *
 * A line is trimmed, echoed as "$ LINE", and split at the first blank into
 * a command name and its arguments. The name is looked up in shell_cmds;
 * failing that, a line that starts like arithmetic goes to expr_eval, and
 * anything else is an unknown command. The commands that need the
 * system's services live in shell_ps.c, shell_sys.c and shell_disk.c; the
 * ones here need nothing but the output and the shell's own state.
 */
#include "apps/console/shell.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "apps/console/expr.h"
#include "apps/console/shell_disk.h"
#include "apps/console/shell_files.h"
#include "apps/console/shell_ps.h"
#include "apps/console/shell_sys.h"
#include "lib/format.h"
#include "lib/string.h"

struct shell_cmd {
	const char *name;
	const char *usage; /* name plus arguments, for help */
	const char *help;
	shell_cmd_fn *fn;
};

static shell_cmd_fn shell_cmd_help, shell_cmd_history, shell_cmd_echo, shell_cmd_clear;

static const struct shell_cmd shell_cmds[] = {
    {"help", "help", "list the commands", shell_cmd_help},
    {"history", "history", "the commands typed before, oldest first", shell_cmd_history},
    {"ps", "ps", "the apps: state, time per call, memory, failures", shell_cmd_ps},
    {"run", "run NAME|/PATH", "start app NAME (boot archive) or ELF file /PATH", shell_cmd_run},
    {"kill", "kill PID", "stop the app PID", shell_cmd_kill},
    {"trace", "trace PID", "log every context call of app PID", shell_cmd_trace},
    {"untrace", "untrace PID", "stop tracing app PID", shell_cmd_untrace},
    {"deny", "deny PID CAP", "take CAP (log memory time meminfo apps clipboard) from PID",
     shell_cmd_deny},
    {"allow", "allow PID CAP", "give CAP back to app PID", shell_cmd_allow},
    {"budget", "budget PID MS", "abort a call of PID that runs over MS ms", shell_cmd_budget},
    {"limit", "limit PID SIZE", "cap the memory of PID (bytes, or 64K, 16M, 1G)", shell_cmd_limit},
    {"policy", "policy PID P", "when PID fails: P is stop, restart or keep", shell_cmd_policy},
    {"ls", "ls [DIR]", "list a directory of the disk (default /)", shell_cmd_ls},
    {"rm", "rm PATH", "remove a file or an empty directory", shell_cmd_rm},
    {"cat", "cat PATH", "show a file (its first 4 KiB)", shell_cmd_cat},
    {"cp", "cp SRC DST", "copy a file (DST may be a directory)", shell_cmd_cp},
    {"mv", "mv SRC DST", "move a file (DST may be a directory)", shell_cmd_mv},
    {"mkdir", "mkdir PATH", "make a directory", shell_cmd_mkdir},
    {"rmdir", "rmdir PATH", "remove an empty directory", shell_cmd_rmdir},
    {"df", "df", "the disk's free space", shell_cmd_df},
    {"save", "save PID", "snapshot app PID to the disk (it keeps running)", shell_cmd_save},
    {"load", "load NAME", "start app NAME again from its latest snapshot", shell_cmd_load},
    {"reboot", "reboot [-f]", "save every app, then restart (-f: save nothing)", shell_cmd_reboot},
    {"shutdown", "shutdown [-f]", "save every app, then power off (-f: save nothing)",
     shell_cmd_shutdown},
    {"echo", "echo TEXT", "print TEXT", shell_cmd_echo},
    {"clear", "clear", "clear the screen", shell_cmd_clear},
    {"mem", "mem", "show the system's memory", shell_cmd_mem},
    {"uptime", "uptime", "the time now and since boot", shell_cmd_uptime},
    {"date", "date", "the date and time now (UTC)", shell_cmd_date},
};

#define SHELL_NCMDS (sizeof(shell_cmds) / sizeof(shell_cmds[0]))

void shell_printf(const struct shell_io *io, enum shell_kind kind, const char *fmt, ...)
{
	char buf[SHELL_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0) {
		return;
	}
	io->line(io->arg, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1, kind);
}

static bool shell_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Narrows [*s, *s + *len) to its part without leading or trailing blanks. */
static void shell_trim(const char **s, size_t *len)
{
	while (*len > 0 && shell_blank(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && shell_blank((*s)[*len - 1])) {
		(*len)--;
	}
}

static void shell_cmd_help(struct shell *sh, const struct fomos_context *ctx,
			   const struct shell_io *io, const char *args, size_t len)
{
	(void)sh;
	(void)ctx;
	(void)args;
	(void)len;
	shell_printf(io, SHELL_OUTPUT, "commands:");
	for (size_t i = 0; i < SHELL_NCMDS; i++) {
		shell_printf(io, SHELL_OUTPUT, "  %-15s %s", shell_cmds[i].usage,
			     shell_cmds[i].help);
	}
	shell_printf(io, SHELL_OUTPUT, "  %-15s %s", "1+2*3",
		     "integer arithmetic: + - * / % ( ), 0x hex, 64-bit");
	shell_printf(io, SHELL_NOTE,
		     "ps flags: T traced, D denied a capability, R resumed from a snapshot");
	shell_printf(io, SHELL_NOTE,
		     "ls, rm, run /PATH, save, load, reboot, shutdown say so when done");
	shell_printf(io, SHELL_NOTE, "keys: Up/Down history, PgUp/PgDn or shift+Up/Down scroll,");
	shell_printf(io, SHELL_NOTE, "      ctrl+C cancel, ctrl+L clear, ctrl+U erase the line");
}

/* One line per remembered command, oldest first: "  1  echo hello". */
static void shell_cmd_history(struct shell *sh, const struct fomos_context *ctx,
			      const struct shell_io *io, const char *args, size_t len)
{
	size_t n = sh->edit->hist_count;
	const char *s;
	size_t slen;

	(void)ctx;
	(void)args;
	(void)len;
	for (size_t i = 1; i <= n; i++) {
		slen = ledit_history_entry(sh->edit, n + 1 - i, &s);
		shell_printf(io, SHELL_OUTPUT, "%3zu  %.*s", i, (int)slen, s);
	}
}

static void shell_cmd_echo(struct shell *sh, const struct fomos_context *ctx,
			   const struct shell_io *io, const char *args, size_t len)
{
	(void)sh;
	(void)ctx;
	io->line(io->arg, args, len < SHELL_LINE_MAX ? len : SHELL_LINE_MAX, SHELL_OUTPUT);
}

static void shell_cmd_clear(struct shell *sh, const struct fomos_context *ctx,
			    const struct shell_io *io, const char *args, size_t len)
{
	(void)sh;
	(void)ctx;
	(void)args;
	(void)len;
	io->clear(io->arg);
}

/* Evaluates the line as arithmetic and prints the value or the error. */
static void shell_expr(const struct shell_io *io, const char *s, size_t len)
{
	int64_t v;
	size_t col = 0;
	int err = expr_eval(s, len, &v, &col);

	if (err == EXPR_OK) {
		shell_printf(io, SHELL_OUTPUT, "%lld", (long long)v);
	} else if (err == EXPR_ESYNTAX) {
		shell_printf(io, SHELL_ERROR, "error: syntax error at column %zu", col + 1);
	} else {
		shell_printf(io, SHELL_ERROR, "error: %s", expr_strerror(err));
	}
}

static const struct shell_cmd *shell_find(const char *name, size_t len)
{
	for (size_t i = 0; i < SHELL_NCMDS; i++) {
		if (strlen(shell_cmds[i].name) == len &&
		    memcmp(shell_cmds[i].name, name, len) == 0) {
			return &shell_cmds[i];
		}
	}
	return NULL;
}

void shell_init(struct shell *sh, const struct ledit *edit)
{
	sh->edit = edit;
}

void shell_run(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
	       const char *line, size_t len)
{
	const struct shell_cmd *cmd;
	size_t name_len = 0;
	const char *args;
	size_t args_len;

	shell_trim(&line, &len);
	if (len == 0) {
		return;
	}
	shell_printf(io, SHELL_ECHO, "$ %.*s", (int)len, line);
	while (name_len < len && !shell_blank(line[name_len])) {
		name_len++;
	}
	args = line + name_len;
	args_len = len - name_len;
	shell_trim(&args, &args_len);
	cmd = shell_find(line, name_len);
	if (cmd != NULL) {
		cmd->fn(sh, ctx, io, args, args_len);
	} else if (expr_looks_like(line, len)) {
		shell_expr(io, line, len);
	} else {
		shell_printf(io, SHELL_ERROR, "unknown command: %.*s (try help)", (int)name_len,
			     line);
	}
}

void shell_poll(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io)
{
	shell_job_poll(&sh->jobs, ctx, io);
}

void shell_resumed(struct shell *sh, const struct shell_io *io)
{
	shell_job_forget(&sh->jobs, io);
}

void shell_banner(const struct fomos_context *ctx, const struct shell_io *io)
{
	shell_printf(io, SHELL_NOTE, "Fomos console, pid %llu. Type help for the commands.",
		     (unsigned long long)ctx->pid);
}
