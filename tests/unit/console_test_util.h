/*
 * tests/unit/console_test_util.h — what the console shell's host tests
 * share (test_console_shell, test_console_jobs): one shell with its line
 * editor, run against a fake context, its output captured as text.
 *
 * Every line the shell writes through `io` lands in lines[] and kinds[]
 * (nlines of them; run clears them first), with a cmocka failure for a
 * line that is too long, holds a '\n' or does not fit; `clear` only counts
 * in `clears`. The helpers fail the running cmocka test, so only cmocka
 * tests may call them.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "apps/console/shell.h"

#define CONSOLE_MAX_LINES 400

extern char lines[CONSOLE_MAX_LINES][SHELL_LINE_MAX + 1];
extern enum shell_kind kinds[CONSOLE_MAX_LINES];
extern size_t nlines;
extern int clears;
extern const struct shell_io io;
extern struct ledit edit;
extern struct shell sh;
extern struct fomos_context ctx;

/* A fresh shell and editor, nothing captured, ctx zero but for version and
 * pid: the test plugs in the fakes it needs. */
void console_setup(uint8_t version, uint64_t pid);

/* Runs one line against ctx (run_in: against c), capturing only its output. */
void run(const char *line);
void run_in(const struct fomos_context *c, const char *line);

/* Exactly two lines: the echo, then out of the given kind. */
void expect(const char *echo, const char *out, enum shell_kind kind);
/* Exactly two lines, the second out of the given kind (the echo unread). */
void expect_reply(const char *out, enum shell_kind kind);
/* Line i was captured and is out, of the given kind. */
void expect_line(size_t i, const char *out, enum shell_kind kind);

/* A line the shell must refuse, and the usage line it answers with. */
struct usage_case {
	const char *line;
	const char *usage;
};

/* Runs each line: exactly its usage, an error within 78 columns. */
void expect_usages(const struct usage_case *cases, size_t n);
