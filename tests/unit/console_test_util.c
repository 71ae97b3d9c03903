/*
 * tests/unit/console_test_util.c — the captured output and the shell under
 * test shared by the console's host tests; see console_test_util.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/console_test_util.h"

char lines[CONSOLE_MAX_LINES][SHELL_LINE_MAX + 1];
enum shell_kind kinds[CONSOLE_MAX_LINES];
size_t nlines;
int clears;
struct ledit edit;
struct shell sh;
struct fomos_context ctx;

static void out_line(void *arg, const char *s, size_t len, enum shell_kind kind)
{
	(void)arg;
	assert_true(len <= SHELL_LINE_MAX);
	assert_null(memchr(s, '\n', len));
	assert_true(nlines < CONSOLE_MAX_LINES);
	memcpy(lines[nlines], s, len);
	lines[nlines][len] = '\0';
	kinds[nlines++] = kind;
}

static void out_clear(void *arg)
{
	(void)arg;
	clears++;
}

const struct shell_io io = {.line = out_line, .clear = out_clear};

void console_setup(uint8_t version, uint64_t pid)
{
	memset(&edit, 0, sizeof(edit));
	memset(&sh, 0, sizeof(sh));
	shell_init(&sh, &edit);
	nlines = 0;
	clears = 0;
	memset(&ctx, 0, sizeof(ctx));
	ctx.version = version;
	ctx.pid = pid;
}

void run_in(const struct fomos_context *c, const char *line)
{
	nlines = 0;
	shell_run(&sh, c, &io, line, strlen(line));
}

void run(const char *line)
{
	run_in(&ctx, line);
}

void expect_reply(const char *out, enum shell_kind kind)
{
	assert_int_equal(nlines, 2);
	assert_string_equal(lines[1], out);
	assert_int_equal(kinds[1], kind);
}

void expect(const char *echo, const char *out, enum shell_kind kind)
{
	expect_reply(out, kind);
	assert_string_equal(lines[0], echo);
	assert_int_equal(kinds[0], SHELL_ECHO);
}

void expect_line(size_t i, const char *out, enum shell_kind kind)
{
	assert_true(i < nlines);
	assert_string_equal(lines[i], out);
	assert_int_equal(kinds[i], kind);
}

void expect_usages(const struct usage_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		run(cases[i].line);
		expect_reply(cases[i].usage, SHELL_ERROR);
		assert_true(strlen(lines[1]) <= 78);
	}
}
