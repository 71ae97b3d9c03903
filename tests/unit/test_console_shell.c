/*
 * tests/unit/test_console_shell.c — host tests for the console's shell
 * (apps/console/shell.c, shell_sys.c) against a fake context.
 *
 * Output lines are captured through struct shell_io and compared as text.
 * The system services are fakes that record their arguments. Capability
 * checks: a version-1 context lives in a heap block that ends where
 * version 1 ends, so ASan fails the test if the shell reads a version-2
 * field of it; a version-2 context with NULL app_* functions must answer
 * "not permitted".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "apps/console/shell.h"

#define MAX_LINES 64

static char lines[MAX_LINES][SHELL_LINE_MAX + 1];
static enum shell_kind kinds[MAX_LINES];
static size_t nlines;
static int clears;

static void out_line(void *arg, const char *s, size_t len, enum shell_kind kind)
{
	(void)arg;
	assert_true(len <= SHELL_LINE_MAX);
	assert_null(memchr(s, '\n', len));
	assert_true(nlines < MAX_LINES);
	memcpy(lines[nlines], s, len);
	lines[nlines][len] = '\0';
	kinds[nlines++] = kind;
}

static void out_clear(void *arg)
{
	(void)arg;
	clears++;
}

static const struct shell_io io = {.line = out_line, .clear = out_clear};

/* The fakes' recorded arguments and canned answers. */
static char started[64];
static int64_t start_result;
static uint64_t killed;
static int32_t kill_result;
static uint32_t list_total;

static int64_t fake_start(const char *name, uint32_t len)
{
	assert_true(len < sizeof(started));
	memcpy(started, name, len);
	started[len] = '\0';
	return start_result;
}

static int32_t fake_kill(uint64_t pid)
{
	killed = pid;
	return kill_result;
}

static uint32_t fake_list(struct fomos_app_info *out, uint32_t max)
{
	static const struct fomos_app_info apps[2] = {
	    {.pid = 1,
	     .name = "background",
	     .calls = 300,
	     .total_ns = 300 * 812345ull,
	     .memory_bytes = 1572864},
	    {.pid = 12, .name = "console", .state = FOMOS_APP_SLEEPING, .memory_bytes = 100},
	};

	for (uint32_t i = 0; i < max && i < list_total; i++) {
		if (i < 2) {
			out[i] = apps[i];
		} else {
			out[i] = (struct fomos_app_info){.pid = 100 + i};
			snprintf(out[i].name, sizeof(out[i].name), "app%u", i);
		}
	}
	return list_total;
}

static void fake_mem(struct fomos_mem_info *m)
{
	m->total_bytes = 512ull << 20;
	m->free_bytes = (480ull << 20) + (1ull << 19);
	m->kernel_heap_bytes = 4096;
	m->apps_bytes = 1000;
}

static struct fomos_context ctx;

static int setup(void **state)
{
	(void)state;
	nlines = 0;
	clears = 0;
	memset(&ctx, 0, sizeof(ctx));
	ctx.version = 2;
	ctx.pid = 3;
	ctx.start_time = 3723004;
	ctx.mem_info = fake_mem;
	ctx.app_start = fake_start;
	ctx.app_list = fake_list;
	ctx.app_kill = fake_kill;
	start_result = 7;
	kill_result = 0;
	list_total = 2;
	return 0;
}

static void run(const char *line)
{
	nlines = 0;
	shell_run(&ctx, &io, line, strlen(line));
}

static void expect(const char *echo, const char *out, enum shell_kind kind)
{
	assert_int_equal(nlines, 2);
	assert_string_equal(lines[0], echo);
	assert_int_equal(kinds[0], SHELL_ECHO);
	assert_string_equal(lines[1], out);
	assert_int_equal(kinds[1], kind);
}

static void test_arithmetic(void **state)
{
	(void)state;
	run("1+2*3");
	expect("$ 1+2*3", "7", SHELL_OUTPUT);
	run("  -(0x10 % 7) ");
	expect("$ -(0x10 % 7)", "-2", SHELL_OUTPUT);
	run("1/0");
	expect("$ 1/0", "error: division by zero", SHELL_ERROR);
	run("9223372036854775807+1");
	expect("$ 9223372036854775807+1", "error: overflow", SHELL_ERROR);
	run("(1+");
	expect("$ (1+", "error: syntax error at column 4", SHELL_ERROR);
}

static void test_echo_blank_unknown(void **state)
{
	(void)state;
	run("  echo   hi   there  ");
	expect("$ echo   hi   there", "hi   there", SHELL_OUTPUT);
	run("echo");
	expect("$ echo", "", SHELL_OUTPUT);
	run("   \t ");
	assert_int_equal(nlines, 0);
	run("foo bar");
	expect("$ foo bar", "unknown command: foo (try help)", SHELL_ERROR);
	run("echoo x");
	expect("$ echoo x", "unknown command: echoo (try help)", SHELL_ERROR);
}

static void test_long_line_is_cut(void **state)
{
	char line[600];

	(void)state;
	memcpy(line, "echo ", 5);
	memset(line + 5, 'x', sizeof(line) - 6);
	line[sizeof(line) - 1] = '\0';
	run(line);
	assert_int_equal(nlines, 2);
	assert_int_equal(strlen(lines[0]), SHELL_LINE_MAX - 1);
	assert_int_equal(strlen(lines[1]), SHELL_LINE_MAX);
}

static void test_help_clear_uptime(void **state)
{
	static const char *const names[] = {"help", "ps",    "run", "kill",
					    "echo", "clear", "mem", "uptime"};
	char all[MAX_LINES * (SHELL_LINE_MAX + 1)] = "";

	(void)state;
	run("help");
	assert_true(nlines > 8);
	for (size_t i = 1; i < nlines; i++) {
		strcat(all, lines[i]);
		strcat(all, "\n");
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char want[32];

		snprintf(want, sizeof(want), "  %s", names[i]);
		assert_non_null(strstr(all, want));
	}
	run("clear");
	assert_int_equal(clears, 1);
	assert_int_equal(nlines, 1);
	run("uptime");
	expect("$ uptime", "up 1:02:03.004", SHELL_OUTPUT);
}

static void test_run_and_kill(void **state)
{
	(void)state;
	run("run cursor");
	expect("$ run cursor", "started cursor: pid 7", SHELL_OUTPUT);
	assert_string_equal(started, "cursor");
	start_result = -2;
	run("run  nope ");
	expect("$ run  nope", "run: cannot start nope (error -2)", SHELL_ERROR);
	run("run");
	expect("$ run", "usage: run NAME", SHELL_ERROR);
	run("kill 5");
	expect("$ kill 5", "killed pid 5", SHELL_OUTPUT);
	assert_int_equal(killed, 5);
	kill_result = -1;
	run("kill 18446744073709551615");
	expect("$ kill 18446744073709551615", "kill: no app with pid 18446744073709551615",
	       SHELL_ERROR);
	assert_true(killed == UINT64_MAX);
	killed = 0;
	run("kill 18446744073709551616");
	expect("$ kill 18446744073709551616", "usage: kill PID (a number, see ps)", SHELL_ERROR);
	run("kill -1");
	expect("$ kill -1", "usage: kill PID (a number, see ps)", SHELL_ERROR);
	run("kill");
	expect("$ kill", "usage: kill PID (a number, see ps)", SHELL_ERROR);
	assert_int_equal(killed, 0);
}

static void test_ps_and_mem(void **state)
{
	(void)state;
	list_total = 40;
	run("ps");
	assert_int_equal(nlines, 35); /* echo, header, 32 apps, the rest */
	assert_string_equal(lines[1],
			    "  PID  NAME             STATE      MEMORY    CALLS   TIME/CALL");
	assert_string_equal(lines[2],
			    "    1  background       run       1.5 MiB      300    812.3 us");
	assert_string_equal(lines[3],
			    "   12  console          sleep       100 B        0           -");
	assert_string_equal(lines[33],
			    "  131  app31            run           0 B        0           -");
	assert_string_equal(lines[34], "(8 more not shown)");
	list_total = 2;
	run("ps");
	assert_int_equal(nlines, 4);
	run("mem");
	assert_int_equal(nlines, 3);
	assert_string_equal(lines[1], "total   512.0 MiB   kernel heap     4.0 KiB");
	assert_string_equal(lines[2], "free    480.5 MiB   apps             1000 B");
}

static void test_not_permitted(void **state)
{
	(void)state;
	ctx.app_start = NULL;
	ctx.app_list = NULL;
	ctx.app_kill = NULL;
	ctx.mem_info = NULL;
	run("ps");
	expect("$ ps", "ps: not permitted", SHELL_ERROR);
	run("run cursor");
	expect("$ run cursor", "run: not permitted", SHELL_ERROR);
	run("kill 1");
	expect("$ kill 1", "kill: not permitted", SHELL_ERROR);
	run("mem");
	expect("$ mem", "mem: not available", SHELL_ERROR);
}

/* A version-1 context: the block ends where version 1 ends, so reading
 * any version-2 field is an ASan error. */
static void test_version_1_context(void **state)
{
	size_t v1 = offsetof(struct fomos_context, time_ns);
	struct fomos_context *c1 = malloc(v1);
	static const char *const cmds[] = {"ps", "run x", "kill 1", "mem", "uptime", "1+1"};

	(void)state;
	assert_non_null(c1);
	memcpy(c1, &ctx, v1);
	c1->version = 1;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		nlines = 0;
		shell_run(c1, &io, cmds[i], strlen(cmds[i]));
		assert_int_equal(nlines, 2);
	}
	assert_string_equal(lines[1], "2");
	free(c1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_arithmetic, setup),
	    cmocka_unit_test_setup(test_echo_blank_unknown, setup),
	    cmocka_unit_test_setup(test_long_line_is_cut, setup),
	    cmocka_unit_test_setup(test_help_clear_uptime, setup),
	    cmocka_unit_test_setup(test_run_and_kill, setup),
	    cmocka_unit_test_setup(test_ps_and_mem, setup),
	    cmocka_unit_test_setup(test_not_permitted, setup),
	    cmocka_unit_test_setup(test_version_1_context, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
