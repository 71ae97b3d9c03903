/*
 * tests/unit/test_console_jobs.c — host tests for the shell commands that
 * run as jobs (apps/console/shell_disk.c, shell_job.c): ls, rm, run /PATH,
 * save, load, reboot, shutdown, and shell_poll / shell_resumed.
 *
 * The fake system keeps a table of jobs: each one answers
 * FOMOS_JOB_PENDING for `delay` polls, then its scripted outcome (a value
 * and a text, copied like the kernel does: cut to out_cap, NUL-terminated),
 * and is forgotten; an id it does not know gives FOMOS_JOB_EINVAL. Ids
 * count from 0 and `fake_reboot` empties the table and starts them over,
 * as a new boot does, so the tests can check that ids kept in the shell's
 * state across a snapshot never reach the new system, or are dropped when
 * it says it does not know them.
 *
 * Capability checks as in test_console_shell.c: a version-3 context lives
 * in a heap block that ends where version 3 ends, so ASan fails the test
 * if the shell reads job_start or job_poll from it.
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

/* ------------------------------------------------------- the fake jobs ---- */

#define FAKE_JOBS 8

struct fake_job {
	bool used;
	uint32_t op;
	int delay;     /* polls that answer PENDING */
	int64_t value; /* then this */
	char text[8192];
};

static struct fake_job jobs[FAKE_JOBS];
static int32_t next_id;
static int start_calls, poll_calls;
static int32_t start_refusal; /* job_start returns this when != 0 */
static uint32_t last_op;
static char last_arg[300];
static uint64_t last_num;

/* What the next job started will do. */
static int script_delay;
static int64_t script_value;
static const char *script_text;

static void script(int delay, int64_t value, const char *text)
{
	script_delay = delay;
	script_value = value;
	script_text = text;
}

static int32_t fake_job_start(uint32_t op, const char *arg, uint32_t arg_len, uint64_t num)
{
	int32_t id = next_id;

	start_calls++;
	assert_non_null(arg);
	assert_true(arg_len < sizeof(last_arg));
	memcpy(last_arg, arg, arg_len);
	last_arg[arg_len] = '\0';
	last_op = op;
	last_num = num;
	if (start_refusal != 0) {
		return start_refusal;
	}
	assert_true(id < FAKE_JOBS);
	assert_false(jobs[id].used);
	jobs[id] =
	    (struct fake_job){.used = true, .op = op, .delay = script_delay, .value = script_value};
	snprintf(jobs[id].text, sizeof(jobs[id].text), "%s", script_text);
	next_id++;
	return id;
}

static int64_t fake_job_poll(int32_t id, char *out, uint32_t out_cap)
{
	struct fake_job *j;

	poll_calls++;
	if (id < 0 || id >= FAKE_JOBS || !jobs[id].used) {
		return FOMOS_JOB_EINVAL;
	}
	j = &jobs[id];
	if (j->delay > 0) {
		j->delay--;
		return FOMOS_JOB_PENDING;
	}
	snprintf(out, out_cap, "%s", j->text);
	j->used = false;
	return j->value;
}

/* A new boot: the system knows no job, ids start over. */
static void fake_reboot(void)
{
	memset(jobs, 0, sizeof(jobs));
	next_id = 0;
}

static int setup(void **state)
{
	(void)state;
	console_setup(4, 2);
	ctx.job_start = fake_job_start;
	ctx.job_poll = fake_job_poll;
	fake_reboot();
	start_calls = 0;
	poll_calls = 0;
	start_refusal = 0;
	script(2, 0, "");
	return 0;
}

static void poll(void)
{
	nlines = 0;
	shell_poll(&sh, &ctx, &io);
}

/* One poll, and it prints exactly one line: out, of the given kind. */
static void expect_poll(const char *out, enum shell_kind kind)
{
	poll();
	assert_int_equal(nlines, 1);
	expect_line(0, out, kind);
}

/* One poll, and it prints nothing. */
static void expect_quiet_poll(void)
{
	poll();
	assert_int_equal(nlines, 0);
}

/* -------------------------------------------------------------- tests ---- */

/* ls: a note at once, nothing while pending, then the listing as is. */
static void test_ls_pending_then_listing(void **state)
{
	(void)state;
	script(2, 3, "apps/\nhello.elf 12345\nnotes.txt 7\n");
	run("ls");
	expect("$ ls", "listing /...", SHELL_NOTE);
	assert_int_equal(last_op, FOMOS_JOB_LIST);
	assert_string_equal(last_arg, "/");
	poll();
	expect_quiet_poll();
	poll();
	assert_int_equal(nlines, 3);
	expect_line(0, "apps/", SHELL_OUTPUT);
	expect_line(1, "hello.elf 12345", SHELL_OUTPUT);
	expect_line(2, "notes.txt 7", SHELL_OUTPUT);
	poll_calls = 0;
	poll(); /* the slot is free: nothing left to ask about */
	assert_int_equal(poll_calls, 0);
	assert_int_equal(nlines, 0);

	script(0, 0, "");
	run("ls   /empty dir ");
	expect("$ ls   /empty dir", "listing /empty dir...", SHELL_NOTE);
	assert_string_equal(last_arg, "/empty dir");
	expect_poll("(empty)", SHELL_NOTE);
}

/* A listing longer than the shell's buffer: whole lines only, then a note
 * saying how many entries are missing. */
static void test_ls_cut(void **state)
{
	static char text[8000];
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 400; i++) {
		n += (size_t)snprintf(text + n, sizeof(text) - n, "file%03d.txt 1000\n", i);
	}
	assert_true(n > SHELL_JOB_OUT);
	script(0, 400, text);
	run("ls /big");
	poll();
	/* 17 bytes a line: 240 whole lines fit in 4095 bytes */
	assert_int_equal(nlines, 241);
	expect_line(0, "file000.txt 1000", SHELL_OUTPUT);
	expect_line(239, "file239.txt 1000", SHELL_OUTPUT);
	expect_line(240, "(160 more not shown)", SHELL_NOTE);
}

static void test_save_outcomes(void **state)
{
	(void)state;
	script(1, 40960, "saved console (pid 2), 40960 bytes");
	run("save 2");
	expect("$ save 2", "saving pid 2...", SHELL_NOTE);
	assert_int_equal(last_op, FOMOS_JOB_SAVE);
	assert_true(last_num == 2);
	expect_quiet_poll();
	expect_poll("save: saved console (pid 2), 40960 bytes", SHELL_OUTPUT);

	script(0, FOMOS_JOB_EFAILED, "no app with pid 9");
	run("save 9");
	expect_poll("save: no app with pid 9", SHELL_ERROR);

	script(0, FOMOS_JOB_EFAILED, "");
	run("save 18446744073709551615");
	expect("$ save 18446744073709551615", "saving pid 18446744073709551615...", SHELL_NOTE);
	assert_true(last_num == UINT64_MAX);
	expect_poll("save: failed", SHELL_ERROR);

	script(0, 4096, ""); /* no text: the shell says done */
	run("save 3");
	poll();
	expect_line(0, "save: done (4096)", SHELL_OUTPUT);

	script(0, FOMOS_JOB_EBUSY, "?"); /* not an outcome job_poll may give */
	run("save 3");
	expect_poll("save: error -3", SHELL_ERROR);
}

/* rm, load and run /PATH: the argument goes through as typed, and a text
 * of several lines is printed one line each. */
static void test_rm_load_run_path(void **state)
{
	(void)state;
	script(0, 0, "removed /old.txt");
	run("rm /old.txt");
	expect("$ rm /old.txt", "removing /old.txt...", SHELL_NOTE);
	assert_int_equal(last_op, FOMOS_JOB_REMOVE);
	assert_string_equal(last_arg, "/old.txt");
	poll();
	expect_line(0, "rm: removed /old.txt", SHELL_OUTPUT);

	script(0, 7, "loaded console from its snapshot\nthe old one was replaced\n");
	run("load console");
	expect("$ load console", "loading console...", SHELL_NOTE);
	assert_int_equal(last_op, FOMOS_JOB_LOAD);
	assert_string_equal(last_arg, "console");
	poll();
	assert_int_equal(nlines, 2);
	expect_line(0, "load: loaded console from its snapshot", SHELL_OUTPUT);
	expect_line(1, "load: the old one was replaced", SHELL_OUTPUT);

	script(0, 9, "started x: pid 9");
	run("run /apps/x.elf");
	expect("$ run /apps/x.elf", "starting /apps/x.elf...", SHELL_NOTE);
	assert_int_equal(last_op, FOMOS_JOB_RUN);
	assert_string_equal(last_arg, "/apps/x.elf");
	poll();
	expect_line(0, "run: started x: pid 9", SHELL_OUTPUT);
	assert_int_equal(start_calls, 3);
}

/* cp and mv split "SRC DST" before the first " /"; cat prints the file bare. */
static void test_file_commands(void **state)
{
	(void)state;
	script(0, 12, "copied /My Notes.txt to /Back Up/My Notes.txt (12 bytes)");
	run("cp /My Notes.txt /Back Up");
	expect("$ cp /My Notes.txt /Back Up", "copying /My Notes.txt to /Back Up...", SHELL_NOTE);
	assert_int_equal(last_op, FOMOS_JOB_COPY);
	assert_string_equal(last_arg, "/My Notes.txt\n/Back Up");
	poll();
	expect_line(0, "cp: copied /My Notes.txt to /Back Up/My Notes.txt (12 bytes)",
		    SHELL_OUTPUT);

	run("mv /a /b");
	assert_int_equal(last_op, FOMOS_JOB_MOVE);
	assert_string_equal(last_arg, "/a\n/b");
	poll();

	script(0, 5000, "line one\nline two\n");
	run("cat /big.txt");
	assert_int_equal(last_op, FOMOS_JOB_READ);
	assert_int_equal(nlines, 1); /* only the echo: cat prints when it has the bytes */
	poll();
	assert_int_equal(nlines, 3);
	expect_line(0, "line one", SHELL_OUTPUT);
	expect_line(1, "line two", SHELL_OUTPUT);
	expect_line(2, "(4982 more bytes not shown)", SHELL_NOTE);

	script(0, 0, "");
	run("cat /empty");
	poll();
	expect_line(0, "(empty)", SHELL_NOTE);

	run("cp /only-one");
	expect("$ cp /only-one", "usage: cp SRC DST (paths from /)", SHELL_ERROR);
	run("mkdir relative");
	expect("$ mkdir relative", "usage: mkdir PATH (a path from /)", SHELL_ERROR);
	run("df now");
	expect("$ df now", "usage: df (the disk's free space)", SHELL_ERROR);
	assert_int_equal(start_calls, 4);
}

/* Bad arguments print the usage and start nothing. */
static void test_usage(void **state)
{
	static const struct usage_case cases[] = {
	    {"ls apps", "usage: ls [DIR] (a path from /, default /)"},
	    {"rm", "usage: rm PATH (a path from /)"},
	    {"rm old.txt", "usage: rm PATH (a path from /)"},
	    {"save", "usage: save PID (a number, see ps)"},
	    {"save x", "usage: save PID (a number, see ps)"},
	    {"save -1", "usage: save PID (a number, see ps)"},
	    {"save 1 2", "usage: save PID (a number, see ps)"},
	    {"save 18446744073709551616", "usage: save PID (a number, see ps)"},
	    {"load", "usage: load NAME (an app that was saved)"},
	    {"load a_name_of_exactly_thirty_two_chr", "usage: load NAME (an app that was saved)"},
	    {"reboot now", "usage: reboot [-f] (-f: without saving anything)"},
	    {"reboot -f now", "usage: reboot [-f] (-f: without saving anything)"},
	    {"shutdown -h", "usage: shutdown [-f] (-f: without saving anything)"},
	};

	(void)state;
	expect_usages(cases, sizeof(cases) / sizeof(cases[0]));
	assert_int_equal(start_calls, 0);
}

/* The system refuses: nothing is kept, the slots stay free. */
static void test_refused(void **state)
{
	(void)state;
	start_refusal = FOMOS_JOB_EBUSY;
	run("ls");
	expect("$ ls", "ls: busy, the system has too many jobs", SHELL_ERROR);
	start_refusal = FOMOS_JOB_EINVAL;
	run("rm /");
	expect("$ rm /", "rm: refused (bad argument)", SHELL_ERROR);
	start_refusal = -9;
	run("load x");
	expect("$ load x", "load: error -9", SHELL_ERROR);
	poll();
	assert_int_equal(poll_calls, 0);
	start_refusal = 0;
	script(100, 0, "");
	for (int i = 0; i < SHELL_JOBS; i++) {
		run("ls");
		expect("$ ls", "listing /...", SHELL_NOTE);
	}
}

/* SHELL_JOBS run at once; the next one is refused before the system is
 * asked; the shell stays usable meanwhile, and an outcome arriving after
 * `clear` or other commands is still printed, each to its own command. */
static void test_concurrent_and_busy(void **state)
{
	(void)state;
	script(3, 0, "a.txt 1\n");
	run("ls /a");
	script(1, 100, "saved cursor (pid 3), 100 bytes");
	run("save 3");
	script(5, 0, "removed /b");
	run("rm /b");
	script(5, 0, "b.txt 2\n");
	run("ls /b");
	run("save 4");
	expect("$ save 4", "save: busy, 4 jobs unfinished (try again later)", SHELL_ERROR);
	assert_int_equal(start_calls, 4);
	run("echo still here");
	expect("$ echo still here", "still here", SHELL_OUTPUT);
	run("clear");
	expect_quiet_poll();
	/* the save finishes first */
	expect_poll("save: saved cursor (pid 3), 100 bytes", SHELL_OUTPUT);
	script(0, 0, "");
	run("ls /c"); /* its slot is free again */
	expect("$ ls /c", "listing /c...", SHELL_NOTE);
	expect_poll("(empty)", SHELL_NOTE);
	expect_poll("a.txt 1", SHELL_OUTPUT);
	expect_quiet_poll();
	poll();
	assert_int_equal(nlines, 2);
	expect_line(0, "rm: removed /b", SHELL_OUTPUT);
	expect_line(1, "b.txt 2", SHELL_OUTPUT);
}

/*
 * reboot: on success the machine resets and the shell never sees the
 * outcome. The console is resumed from its snapshot, still holding the
 * job; the new system does not know the id: a short note, a free slot,
 * and the next job works, even though the new system hands out the same
 * id again.
 */
static void test_reboot_then_unknown_id(void **state)
{
	(void)state;
	script(1000, 0, "");
	run("reboot");
	expect("$ reboot", "rebooting: saving every app first...", SHELL_NOTE);
	assert_int_equal(last_op, FOMOS_JOB_REBOOT);
	expect_quiet_poll();
	fake_reboot();
	expect_poll("(resumed after reboot)", SHELL_NOTE);
	script(0, 1, "x 1\n");
	run("ls");
	assert_int_equal(start_calls, 2);
	expect_poll("x 1", SHELL_OUTPUT);

	script(1000, 0, "");
	run("shutdown");
	expect("$ shutdown", "shutting down: saving every app first...", SHELL_NOTE);
	assert_int_equal(last_op, FOMOS_JOB_SHUTDOWN);
	run("save 5");
	fake_reboot();
	poll();
	assert_int_equal(nlines, 2);
	expect_line(0, "(resumed after shutdown)", SHELL_NOTE);
	expect_line(1, "(save: gone without an outcome)", SHELL_NOTE);
}

/*
 * A reboot the system could not do fails like any job, and the shell
 * points at the form that saves nothing; when that form fails too, it
 * does not point at itself.
 */
static void test_reboot_fails(void **state)
{
	(void)state;
	script(0, FOMOS_JOB_EFAILED, "cannot save console: no disk");
	run("reboot");
	assert_int_equal(last_num, 0);
	poll();
	assert_int_equal(nlines, 2);
	expect_line(0, "reboot: cannot save console: no disk", SHELL_ERROR);
	expect_line(1, "(`reboot -f` does it without saving anything)", SHELL_NOTE);

	script(0, FOMOS_JOB_EFAILED, "the machine did not power off (see the log)");
	run("shutdown -f");
	expect("$ shutdown -f", "shutting down: nothing is saved", SHELL_NOTE);
	assert_int_equal(last_op, FOMOS_JOB_SHUTDOWN);
	assert_int_equal(last_num, FOMOS_JOB_UNSAVED);
	expect_poll("shutdown: the machine did not power off (see the log)", SHELL_ERROR);
}

/*
 * The console found it was resumed (main.c: its pid changed, or the clock
 * went back): shell_resumed drops every job without asking the system,
 * since a new system may have given those ids to other jobs.
 */
static void test_resumed_forgets(void **state)
{
	(void)state;
	script(1000, 0, "");
	run("save 2");
	run("reboot");
	fake_reboot();
	script(1000, 0, "");
	fake_job_start(FOMOS_JOB_LIST, "/", 1, 0); /* the new system reuses ids 0 */
	nlines = 0;
	shell_resumed(&sh, &io);
	assert_int_equal(nlines, 2);
	expect_line(0, "(save: gone without an outcome)", SHELL_NOTE);
	expect_line(1, "(resumed after reboot)", SHELL_NOTE);
	poll_calls = 0;
	poll();
	assert_int_equal(poll_calls, 0);
	assert_int_equal(nlines, 0);
	nlines = 0;
	shell_resumed(&sh, &io); /* nothing left */
	assert_int_equal(nlines, 0);
}

/* Jobs need version 4 and both functions; without them every job command
 * says "not available" before looking at its arguments. */
static void test_not_available(void **state)
{
	static const char *const cmds[] = {"ls",     "ls /x",  "rm /x",	 "rm",	   "run /x.elf",
					   "save 1", "save x", "load a", "reboot", "shutdown"};
	static const char *const names[] = {"ls",   "ls",   "rm",   "rm",     "run",
					    "save", "save", "load", "reboot", "shutdown"};
	char want[64];

	(void)state;
	ctx.job_poll = NULL;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		run(cmds[i]);
		snprintf(want, sizeof(want), "%s: not available", names[i]);
		expect_reply(want, SHELL_ERROR);
	}
	ctx.job_poll = fake_job_poll;
	ctx.job_start = NULL;
	run("ls");
	expect("$ ls", "ls: not available", SHELL_ERROR);
	assert_int_equal(start_calls, 0);
}

/* Taken away while jobs run (job_poll NULL): they wait, and are printed
 * once the service is back. */
static void test_poll_waits_for_the_service(void **state)
{
	(void)state;
	script(0, 0, "removed /x");
	run("rm /x");
	ctx.job_poll = NULL;
	expect_quiet_poll();
	ctx.job_poll = fake_job_poll;
	poll();
	expect_line(0, "rm: removed /x", SHELL_OUTPUT);
}

/* A version-3 context: the block ends where version 3 ends, so reading
 * job_start or job_poll is an ASan error. Every job command says "not
 * available", `run NAME` still works, and polling reads nothing, even
 * with a job left from a version-4 system. */
static void test_version_3_context(void **state)
{
	size_t v3 = offsetof(struct fomos_context, job_start);
	struct fomos_context *c3 = malloc(v3);
	static const char *const cmds[] = {"ls",     "rm /x",  "run /x.elf", "save 1",
					   "load a", "reboot", "shutdown"};

	(void)state;
	assert_non_null(c3);
	script(0, 0, "removed /y");
	run("rm /y"); /* pending in the shell's state */
	memcpy(c3, &ctx, v3);
	c3->version = 3;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		run_in(c3, cmds[i]);
		assert_int_equal(nlines, 2);
		assert_non_null(strstr(lines[1], ": not available"));
	}
	run_in(c3, "run cursor");
	assert_string_equal(lines[1], "run: not permitted"); /* no app_start in this fake */
	nlines = 0;
	shell_poll(&sh, c3, &io);
	assert_int_equal(nlines, 0);
	assert_int_equal(start_calls, 1);
	free(c3);
	poll();
	expect_line(0, "rm: removed /y", SHELL_OUTPUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_ls_pending_then_listing, setup),
	    cmocka_unit_test_setup(test_ls_cut, setup),
	    cmocka_unit_test_setup(test_save_outcomes, setup),
	    cmocka_unit_test_setup(test_rm_load_run_path, setup),
	    cmocka_unit_test_setup(test_file_commands, setup),
	    cmocka_unit_test_setup(test_usage, setup),
	    cmocka_unit_test_setup(test_refused, setup),
	    cmocka_unit_test_setup(test_concurrent_and_busy, setup),
	    cmocka_unit_test_setup(test_reboot_then_unknown_id, setup),
	    cmocka_unit_test_setup(test_reboot_fails, setup),
	    cmocka_unit_test_setup(test_resumed_forgets, setup),
	    cmocka_unit_test_setup(test_not_available, setup),
	    cmocka_unit_test_setup(test_poll_waits_for_the_service, setup),
	    cmocka_unit_test_setup(test_version_3_context, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
