/*
 * apps/console/shell.h — the console's command interpreter.
 *
 * shell_run takes one finished input line and carries it out: it echoes
 * the line ("$ LINE"), then runs the command it names (help, history, ps,
 * run, kill, the app controls trace/untrace/deny/allow/budget/limit/policy,
 * the disk and power commands ls/rm/save/load/reboot/shutdown, echo,
 * clear, mem, uptime), or evaluates it as arithmetic (apps/console/expr.h)
 * when it looks like an expression, or reports an unknown command. Output
 * goes line by line through struct shell_io, which the console turns into
 * terminal rows and ctx->log lines; the shell knows nothing about pixels,
 * so it runs unchanged in a host test with a fake context.
 *
 * Most commands finish inside shell_run. The disk and power commands
 * (shell_disk.h) start a job in the system instead and return at once;
 * the console calls shell_poll at every call of _start, and a job's outcome
 * is printed by the shell_poll that finds it finished. The jobs not yet
 * finished are part of struct shell, which lives in the console's store,
 * so they survive returns (and clear) like the rest of the console.
 *
 * Capabilities: the app_* and job_* functions are only given to the shell
 * app and may be NULL (a field newer than ctx->version is not read at
 * all); a command that needs a missing one says "not permitted" or "not
 * available".
 */
#pragma once

#include <stddef.h>

#include "apps/console/lineedit.h"
#include "apps/console/shell_job.h"
#include "include/fomos.h"

/* What kind of line the shell writes; the console picks a colour. */
enum shell_kind {
	SHELL_ECHO = 0, /* the command line itself */
	SHELL_OUTPUT,	/* normal output */
	SHELL_ERROR,	/* an error message */
	SHELL_NOTE,	/* banner, hints */
};

/* Longest line the shell formats; longer output is cut. */
#define SHELL_LINE_MAX 320

struct shell_io {
	/* One output line (no '\n' inside, not NUL-terminated). */
	void (*line)(void *arg, const char *s, size_t len, enum shell_kind kind);
	/* Erase the screen (the `clear` command). */
	void (*clear)(void *arg);
	void *arg;
};

/* The shell's state: it lives in the console's store. */
struct shell {
	const struct ledit *edit; /* whose history `history` prints */
	struct shell_jobs jobs;	  /* started and not finished yet */
};

/* A command: args is the text after its name, blanks trimmed (len bytes,
 * not NUL-terminated). The command files (shell_*.c) define these. */
typedef void shell_cmd_fn(struct shell *sh, const struct fomos_context *ctx,
			  const struct shell_io *io, const char *args, size_t len);

/* Sets up a zeroed shell; edit must outlive it. */
void shell_init(struct shell *sh, const struct ledit *edit);

/* Runs one input line. Blank lines do nothing. */
void shell_run(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
	       const char *line, size_t len);

/* Prints the outcome of every job that finished since the last call. */
void shell_poll(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io);

/* The console was resumed from a snapshot: the job ids it holds belong to
 * the system that took it. Forgets them, with a note for each. */
void shell_resumed(struct shell *sh, const struct shell_io *io);

/* Writes the welcome lines. */
void shell_banner(const struct fomos_context *ctx, const struct shell_io *io);

/* Formats one output line (printf subset of lib/format.h) and writes it. */
void shell_printf(const struct shell_io *io, enum shell_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
