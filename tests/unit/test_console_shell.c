/*
 * tests/unit/test_console_shell.c — host tests for the console's shell
 * (apps/console/shell.c, shell_sys.c, shell_ps.c) against a fake context.
 * The commands that run as jobs are tested in test_console_jobs.c.
 *
 * Output lines are captured through struct shell_io and compared as text
 * (tests/unit/console_test_util.h, shared with test_console_jobs.c).
 * The system services are fakes that record their arguments. Capability
 * checks: a version-1 (version-2) context lives in a heap block that ends
 * where version 1 (2) ends, so ASan fails the test if the shell reads a
 * newer field of it; a context with NULL app_* functions must answer
 * "not permitted". The version-3 tests check the two-line ps table and,
 * for every control command, the one app_control call it makes, or that
 * bad arguments make none. Version 4 adds the R flag to ps (from
 * app_list's flags); `history` prints the real line editor's history.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/console_test_util.h"

/* The fakes' recorded arguments and canned answers. */
static char started[64];
static int64_t start_result;
static uint64_t killed;
static int32_t kill_result;
static uint32_t list_total;
static int list_calls;
static uint32_t stats_total;
static int32_t control_result;
static int control_calls;
static uint64_t control_pid;
static uint32_t control_what;
static uint64_t control_value;

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
	static const struct fomos_app_info apps[3] = {
	    {.pid = 1,
	     .name = "background",
	     .calls = 300,
	     .total_ns = 300 * 812345ull,
	     .memory_bytes = 1572864},
	    {.pid = 12,
	     .name = "console",
	     .state = FOMOS_APP_SLEEPING,
	     .flags = FOMOS_APP_FLAG_RESTORED,
	     .memory_bytes = 100},
	    {.pid = 13, .name = "a_name_longer_than_sixteen", .calls = 1, .total_ns = 99},
	};

	list_calls++;
	for (uint32_t i = 0; i < max && i < list_total; i++) {
		if (i < 3) {
			out[i] = apps[i];
		} else {
			out[i] = (struct fomos_app_info){.pid = 100 + i};
			snprintf(out[i].name, sizeof(out[i].name), "app%u", i);
		}
	}
	return list_total;
}

static uint32_t fake_stats(struct fomos_app_stats *out, uint32_t max)
{
	static const struct fomos_app_stats apps[3] = {
	    {.pid = 1,
	     .name = "background",
	     .calls = 300,
	     .total_ns = 300 * 812345ull,
	     .max_ns = 2500000,
	     .memory_bytes = 1572864,
	     .memory_limit = 16 << 20,
	     .budget_ms = 50},
	    {.pid = 12,
	     .name = "a_name_longer_than_sixteen",
	     .state = FOMOS_APP_SLEEPING,
	     .policy = FOMOS_POLICY_RESTART,
	     .calls = 7,
	     .total_ns = 7 * 999,
	     .max_ns = 1234567890,
	     .memory_bytes = 100,
	     .memory_limit = 64 << 10,
	     .budget_ms = 1000,
	     .faults = 3,
	     .aborts = 12,
	     .restarts = 15,
	     .traced = 1,
	     .denied = 1u << FOMOS_CAP_TIME},
	    {.pid = 99999,
	     .name = "hostile_loop",
	     .state = FOMOS_APP_EXITED,
	     .policy = FOMOS_POLICY_KEEP,
	     .memory_limit = UINT64_MAX,
	     .denied = 1u << FOMOS_CAP_APPS},
	};

	for (uint32_t i = 0; i < max && i < stats_total; i++) {
		if (i < 3) {
			out[i] = apps[i];
		} else {
			out[i] = (struct fomos_app_stats){.pid = 100 + i, .policy = 7};
			snprintf(out[i].name, sizeof(out[i].name), "app%u", i);
		}
	}
	return stats_total;
}

static int32_t fake_control(uint64_t pid, uint32_t what, uint64_t value)
{
	control_calls++;
	control_pid = pid;
	control_what = what;
	control_value = value;
	return control_result;
}

static void fake_mem(struct fomos_mem_info *m)
{
	m->total_bytes = 512ull << 20;
	m->free_bytes = (480ull << 20) + (1ull << 19);
	m->kernel_heap_bytes = 4096;
	m->apps_bytes = 1000;
}

static int setup(void **state)
{
	(void)state;
	console_setup(2, 3);
	ctx.start_time = 3723004;
	ctx.mem_info = fake_mem;
	ctx.app_start = fake_start;
	ctx.app_list = fake_list;
	ctx.app_kill = fake_kill;
	start_result = 7;
	kill_result = 0;
	list_total = 2;
	stats_total = 3;
	control_result = 0;
	control_calls = 0;
	list_calls = 0;
	return 0;
}

/* A version-3 context with every service. */
static int setup3(void **state)
{
	setup(state);
	ctx.version = 3;
	ctx.app_stats = fake_stats;
	ctx.app_control = fake_control;
	return 0;
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
	static const char *const names[] = {
	    "help",   "history",  "ps",	   "run",    "kill", "trace", "untrace", "deny",
	    "allow",  "budget",	  "limit", "policy", "ls",   "rm",    "save",	 "load",
	    "reboot", "shutdown", "echo",  "clear",  "mem",  "uptime"};
	static char all[sizeof(lines)];

	(void)state;
	all[0] = '\0';
	run("help");
	assert_true(nlines > 22);
	for (size_t i = 1; i < nlines; i++) {
		assert_true(strlen(lines[i]) <= 78);
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

static uint64_t utc_now;
static uint64_t fake_utc_ns(void)
{
	return utc_now;
}

/* date and uptime show the wall clock (ABI 5), or say there is none. */
static void test_date(void **state)
{
	(void)state;
	run("date");
	expect("$ date", "date: the machine told no wall-clock time", SHELL_ERROR);
	ctx.version = 5;
	ctx.utc_ns = fake_utc_ns;
	utc_now = 1796301005ull * 1000000000 + 999999999; /* 2026-12-03 12:30:05.999... */
	run("date");
	expect("$ date", "2026-12-03 12:30:05 UTC", SHELL_OUTPUT);
	run("uptime");
	expect("$ uptime", "2026-12-03 12:30:05 UTC, up 1:02:03.004", SHELL_OUTPUT);
	utc_now = 0; /* a machine without a clock */
	run("uptime");
	expect("$ uptime", "up 1:02:03.004", SHELL_OUTPUT);
}

static void test_run_and_kill(void **state)
{
	(void)state;
	run("run cursor");
	expect("$ run cursor", "started cursor: pid 7", SHELL_OUTPUT);
	assert_string_equal(started, "cursor");
	start_result = FOMOS_ENOMEM;
	run("run  nope ");
	expect("$ run  nope", "run: cannot start nope: not enough memory", SHELL_ERROR);
	start_result = FOMOS_ENOAPP;
	run("run nope");
	expect("$ run nope", "run: cannot start nope: no app of that name in the boot archive",
	       SHELL_ERROR);
	run("run");
	expect("$ run", "usage: run NAME (boot archive) or run /PATH (disk)", SHELL_ERROR);
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
	assert_string_equal(lines[4],
			    "   13  a_name_longer_th run           0 B        1      0.0 us");
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
		run_in(c1, cmds[i]);
		assert_int_equal(nlines, 2);
	}
	assert_string_equal(lines[1], "2");
	free(c1);
}

/* The version-3 table: two lines per app, aligned, within 78 columns. */
static void test_ps_v3(void **state)
{
	(void)state;
	run("ps");
	assert_int_equal(nlines, 9); /* echo, two header lines, 3 apps x 2 */
	assert_string_equal(
	    lines[1], "  PID  NAME             STATE     CALLS       MEAN      WORST   BUDGET");
	assert_string_equal(lines[2],
			    "           MEMORY / LIMIT       FAULTS  ABORTS RESTARTS  FLAGS");
	assert_string_equal(
	    lines[3], "    1  background       run         300   812.3 us     2.5 ms    50 ms");
	assert_string_equal(lines[4],
			    "          1.5 MiB / 16.0 MiB         0       0        0  --- stop");
	assert_string_equal(
	    lines[5], "   12  a_name_longer_th sleep         7     999 ns      1.2 s  1000 ms");
	assert_string_equal(lines[6],
			    "            100 B / 64.0 KiB         3      12       15  TD- restart");
	assert_string_equal(
	    lines[7], "99999  hostile_loop     exit          0          -          -        -");
	assert_string_equal(lines[8],
			    "              0 B / none             0       0        0  -D- keep");
	for (size_t i = 1; i < nlines; i++) {
		assert_true(strlen(lines[i]) <= 78);
		assert_int_equal(kinds[i], SHELL_OUTPUT);
	}
	assert_int_equal(list_calls, 0); /* app_list was there, and not used */
}

static void test_ps_v3_many(void **state)
{
	(void)state;
	stats_total = 40;
	run("ps");
	assert_int_equal(nlines, 68); /* echo, 2 headers, 32 apps x 2, the rest */
	assert_string_equal(
	    lines[65], "  131  app31            run           0          -          -        -");
	assert_string_equal(lines[66],
			    "              0 B / 0 B              0       0        0  --- ?");
	assert_string_equal(lines[67], "(8 more not shown)");
	assert_int_equal(kinds[67], SHELL_NOTE);
}

/* Without app_stats, a version-3 shell shows the version-2 table. */
static void test_ps_v3_without_stats(void **state)
{
	(void)state;
	ctx.app_stats = NULL;
	run("ps");
	assert_int_equal(nlines, 4);
	assert_string_equal(lines[1],
			    "  PID  NAME             STATE      MEMORY    CALLS   TIME/CALL");
	ctx.app_list = NULL;
	run("ps");
	expect("$ ps", "ps: not permitted", SHELL_ERROR);
}

/* Each control command makes exactly one app_control call, these ones. */
static void test_controls(void **state)
{
	static const struct {
		const char *line;
		uint64_t pid;
		uint32_t what;
		uint64_t value;
	} cases[] = {
	    {"trace 5", 5, FOMOS_CONTROL_TRACE, 1},
	    {"untrace 5", 5, FOMOS_CONTROL_TRACE, 0},
	    {"deny 7 log", 7, FOMOS_CONTROL_DENY, FOMOS_CAP_LOG},
	    {"deny 7 memory", 7, FOMOS_CONTROL_DENY, FOMOS_CAP_MEMORY},
	    {"deny   7 \t time ", 7, FOMOS_CONTROL_DENY, FOMOS_CAP_TIME},
	    {"deny 7 meminfo", 7, FOMOS_CONTROL_DENY, FOMOS_CAP_MEM_INFO},
	    {"deny 7 apps", 7, FOMOS_CONTROL_DENY, FOMOS_CAP_APPS},
	    {"deny 7 clipboard", 7, FOMOS_CONTROL_DENY, FOMOS_CAP_CLIPBOARD},
	    {"allow 7 log", 7, FOMOS_CONTROL_ALLOW, FOMOS_CAP_LOG},
	    {"allow 18446744073709551615 apps", UINT64_MAX, FOMOS_CONTROL_ALLOW, FOMOS_CAP_APPS},
	    {"budget 2 50", 2, FOMOS_CONTROL_BUDGET_MS, 50},
	    {"budget 2 1", 2, FOMOS_CONTROL_BUDGET_MS, 1},
	    {"budget 2 4294967295", 2, FOMOS_CONTROL_BUDGET_MS, UINT32_MAX},
	    {"limit 3 0", 3, FOMOS_CONTROL_MEMORY_LIMIT, 0},
	    {"limit 3 4096", 3, FOMOS_CONTROL_MEMORY_LIMIT, 4096},
	    {"limit 3 64K", 3, FOMOS_CONTROL_MEMORY_LIMIT, 64 << 10},
	    {"limit 3 64k", 3, FOMOS_CONTROL_MEMORY_LIMIT, 64 << 10},
	    {"limit 3 16M", 3, FOMOS_CONTROL_MEMORY_LIMIT, 16 << 20},
	    {"limit 3 2g", 3, FOMOS_CONTROL_MEMORY_LIMIT, 2ull << 30},
	    {"limit 3 17179869183G", 3, FOMOS_CONTROL_MEMORY_LIMIT, 17179869183ull << 30},
	    {"limit 3 18446744073709551615", 3, FOMOS_CONTROL_MEMORY_LIMIT, UINT64_MAX},
	    {"policy 4 stop", 4, FOMOS_CONTROL_POLICY, FOMOS_POLICY_STOP},
	    {"policy 4 restart", 4, FOMOS_CONTROL_POLICY, FOMOS_POLICY_RESTART},
	    {"policy 4 keep", 4, FOMOS_CONTROL_POLICY, FOMOS_POLICY_KEEP},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		control_calls = 0;
		run(cases[i].line);
		expect_reply("ok", SHELL_OUTPUT);
		assert_int_equal(control_calls, 1);
		assert_true(control_pid == cases[i].pid);
		assert_int_equal(control_what, cases[i].what);
		assert_true(control_value == cases[i].value);
	}
}

/* A refusal from the kernel is reported with its reason, never a bare code. */
static void test_control_errors(void **state)
{
	(void)state;
	control_result = FOMOS_ENOAPP;
	run("trace 9");
	expect("$ trace 9", "trace: no app with pid 9", SHELL_ERROR);
	control_result = FOMOS_EINVAL;
	run("policy 9 keep");
	expect("$ policy 9 keep", "policy: value out of range", SHELL_ERROR);
	control_result = FOMOS_ENOCTL;
	run("limit 9 1M");
	expect("$ limit 9 1M", "limit: no such control", SHELL_ERROR);
	control_result = -22;
	run("limit 9 1M");
	expect("$ limit 9 1M", "limit: unknown error", SHELL_ERROR);
	assert_int_equal(control_calls, 4);
}

/* Bad arguments print the usage and call nothing. */
static void test_control_usage(void **state)
{
	static const struct usage_case cases[] = {
	    {"trace", "usage: trace PID"},
	    {"trace x", "usage: trace PID"},
	    {"trace -1", "usage: trace PID"},
	    {"trace 1 2", "usage: trace PID"},
	    {"trace 18446744073709551616", "usage: trace PID"},
	    {"untrace", "usage: untrace PID"},
	    {"untrace 1 on", "usage: untrace PID"},
	    {"deny", "usage: deny PID CAP (CAP: log memory time meminfo apps clipboard)"},
	    {"deny 1", "usage: deny PID CAP (CAP: log memory time meminfo apps clipboard)"},
	    {"deny log 1", "usage: deny PID CAP (CAP: log memory time meminfo apps clipboard)"},
	    {"deny 1 disk", "usage: deny PID CAP (CAP: log memory time meminfo apps clipboard)"},
	    {"deny 1 LOG", "usage: deny PID CAP (CAP: log memory time meminfo apps clipboard)"},
	    {"deny 1 mem", "usage: deny PID CAP (CAP: log memory time meminfo apps clipboard)"},
	    {"deny 1 log time",
	     "usage: deny PID CAP (CAP: log memory time meminfo apps clipboard)"},
	    {"allow 1 logs", "usage: allow PID CAP (CAP: log memory time meminfo apps clipboard)"},
	    {"budget 1", "usage: budget PID MS (milliseconds per call, at least 1)"},
	    {"budget 1 0", "usage: budget PID MS (milliseconds per call, at least 1)"},
	    {"budget 1 -5", "usage: budget PID MS (milliseconds per call, at least 1)"},
	    {"budget 1 4294967296", "usage: budget PID MS (milliseconds per call, at least 1)"},
	    {"budget 1 50ms", "usage: budget PID MS (milliseconds per call, at least 1)"},
	    {"limit 1", "usage: limit PID SIZE (bytes, or with K, M or G: 64K, 16M)"},
	    {"limit 1 K", "usage: limit PID SIZE (bytes, or with K, M or G: 64K, 16M)"},
	    {"limit 1 12T", "usage: limit PID SIZE (bytes, or with K, M or G: 64K, 16M)"},
	    {"limit 1 1.5M", "usage: limit PID SIZE (bytes, or with K, M or G: 64K, 16M)"},
	    {"limit 1 16MB", "usage: limit PID SIZE (bytes, or with K, M or G: 64K, 16M)"},
	    {"limit 1 17179869184G", "usage: limit PID SIZE (bytes, or with K, M or G: 64K, 16M)"},
	    {"limit 1 18446744073709551616",
	     "usage: limit PID SIZE (bytes, or with K, M or G: 64K, 16M)"},
	    {"policy 1", "usage: policy PID stop|restart|keep"},
	    {"policy 1 crash", "usage: policy PID stop|restart|keep"},
	    {"policy 1 stop now", "usage: policy PID stop|restart|keep"},
	    {"policy stop 1", "usage: policy PID stop|restart|keep"},
	};

	(void)state;
	expect_usages(cases, sizeof(cases) / sizeof(cases[0]));
	assert_int_equal(control_calls, 0);
}

static const char *const control_lines[] = {
    "trace 1",	   "untrace 1",	 "deny 1 log",	  "allow 1 log",
    "budget 1 10", "limit 1 1M", "policy 1 keep",
};

#define NCONTROL_LINES (sizeof(control_lines) / sizeof(control_lines[0]))

/* Without app_control (or before version 3) every control is refused,
 * before its arguments are even looked at. */
static void test_control_not_permitted(void **state)
{
	static const char *const refused[] = {
	    "trace: not permitted",  "untrace: not permitted", "deny: not permitted",
	    "allow: not permitted",  "budget: not permitted",  "limit: not permitted",
	    "policy: not permitted",
	};

	(void)state;
	ctx.app_control = NULL;
	for (size_t i = 0; i < NCONTROL_LINES; i++) {
		run(control_lines[i]);
		expect_reply(refused[i], SHELL_ERROR);
	}
	run("trace");
	expect("$ trace", "trace: not permitted", SHELL_ERROR);
	ctx.app_control = fake_control;
	ctx.version = 2;
	run("deny 1 log");
	expect("$ deny 1 log", "deny: not permitted", SHELL_ERROR);
	assert_int_equal(control_calls, 0);
}

/* A version-2 context: the block ends where version 2 ends, so reading
 * app_stats or app_control is an ASan error. ps shows the version-2 table
 * and every control is refused. */
static void test_version_2_context(void **state)
{
	size_t v2 = offsetof(struct fomos_context, app_stats);
	struct fomos_context *c2 = malloc(v2);

	(void)state;
	assert_non_null(c2);
	memcpy(c2, &ctx, v2);
	c2->version = 2;
	run_in(c2, "ps");
	assert_int_equal(nlines, 4);
	assert_string_equal(lines[1],
			    "  PID  NAME             STATE      MEMORY    CALLS   TIME/CALL");
	assert_string_equal(lines[2],
			    "    1  background       run       1.5 MiB      300    812.3 us");
	for (size_t i = 0; i < NCONTROL_LINES; i++) {
		run_in(c2, control_lines[i]);
		assert_int_equal(nlines, 2);
		assert_non_null(strstr(lines[1], ": not permitted"));
	}
	assert_int_equal(control_calls, 0);
	free(c2);
}

/* Version 4: app_list's flags mark the resumed apps with R, matched by
 * pid (pid 12 is resumed; pid 99999 is not in app_list at all). */
static void test_ps_v4_restored(void **state)
{
	(void)state;
	ctx.version = 4;
	list_total = 3;
	run("ps");
	assert_int_equal(nlines, 9);
	assert_string_equal(lines[4],
			    "          1.5 MiB / 16.0 MiB         0       0        0  --- stop");
	assert_string_equal(lines[6],
			    "            100 B / 64.0 KiB         3      12       15  TDR restart");
	assert_string_equal(lines[8],
			    "              0 B / none             0       0        0  -D- keep");
	assert_int_equal(list_calls, 1);
	ctx.app_list = NULL; /* no flags to be had: no R, the rest as before */
	run("ps");
	assert_int_equal(nlines, 9);
	assert_string_equal(lines[6],
			    "            100 B / 64.0 KiB         3      12       15  TD- restart");
}

/* Types a line into the editor and takes it, as Enter does. */
static void enter(const char *line)
{
	char out[LEDIT_MAX];

	while (*line != '\0') {
		ledit_insert(&edit, *line++);
	}
	ledit_take(&edit, out);
}

/* history: the line editor's entries, oldest first, numbered from 1. */
static void test_history(void **state)
{
	char want[32];

	(void)state;
	run("history");
	assert_int_equal(nlines, 1); /* nothing typed yet */
	enter("echo hello");
	enter("1+2");
	enter("history");
	run("history");
	assert_int_equal(nlines, 4);
	assert_string_equal(lines[1], "  1  echo hello");
	assert_string_equal(lines[2], "  2  1+2");
	assert_string_equal(lines[3], "  3  history");
	assert_int_equal(kinds[1], SHELL_OUTPUT);
	for (int i = 0; i < 20; i++) {
		snprintf(want, sizeof(want), "echo %d", i);
		enter(want);
	}
	run("history");
	assert_int_equal(nlines, 1 + LEDIT_HISTORY); /* the ring keeps the newest 16 */
	assert_string_equal(lines[1], "  1  echo 4");
	assert_string_equal(lines[16], " 16  echo 19");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_arithmetic, setup),
	    cmocka_unit_test_setup(test_echo_blank_unknown, setup),
	    cmocka_unit_test_setup(test_long_line_is_cut, setup),
	    cmocka_unit_test_setup(test_help_clear_uptime, setup),
	    cmocka_unit_test_setup(test_date, setup3),
	    cmocka_unit_test_setup(test_run_and_kill, setup),
	    cmocka_unit_test_setup(test_ps_and_mem, setup),
	    cmocka_unit_test_setup(test_not_permitted, setup),
	    cmocka_unit_test_setup(test_version_1_context, setup),
	    cmocka_unit_test_setup(test_ps_v3, setup3),
	    cmocka_unit_test_setup(test_ps_v3_many, setup3),
	    cmocka_unit_test_setup(test_ps_v3_without_stats, setup3),
	    cmocka_unit_test_setup(test_controls, setup3),
	    cmocka_unit_test_setup(test_control_errors, setup3),
	    cmocka_unit_test_setup(test_control_usage, setup3),
	    cmocka_unit_test_setup(test_control_not_permitted, setup3),
	    cmocka_unit_test_setup(test_version_2_context, setup3),
	    cmocka_unit_test_setup(test_ps_v4_restored, setup3),
	    cmocka_unit_test_setup(test_history, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
