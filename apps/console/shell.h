/*
 * apps/console/shell.h — the console's command interpreter.
 *
 * shell_run takes one finished input line and carries it out: it echoes
 * the line ("$ LINE"), then runs the command it names (help, ps, run,
 * kill, the app controls trace/untrace/deny/allow/budget/limit/policy,
 * echo, clear, mem, uptime), or evaluates it as arithmetic
 * (apps/console/expr.h) when it looks like an expression, or reports an
 * unknown command. Output goes line by line through struct shell_io, which
 * the console turns into terminal rows and ctx->log lines; the shell knows
 * nothing about pixels, so it runs unchanged in a host test with a fake
 * context.
 *
 * Capabilities: the app_* functions are only given to the shell app and
 * may be NULL (a field newer than ctx->version is not read at all); a
 * command that needs a missing one says "not permitted" or "not available".
 */
#pragma once

#include <stddef.h>

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

/* Runs one input line. Blank lines do nothing. */
void shell_run(const struct fomos_context *ctx, const struct shell_io *io, const char *line,
	       size_t len);

/* Writes the welcome lines. */
void shell_banner(const struct fomos_context *ctx, const struct shell_io *io);

/* Formats one output line (printf subset of lib/format.h) and writes it. */
void shell_printf(const struct shell_io *io, enum shell_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
