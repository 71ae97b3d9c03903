/*
 * Host tests for runtime/manifest.c: the format (comments, blank lines, CRLF,
 * a last line without '\n'), the bounds (256 names, 31 characters, the
 * character set) with the line of each error, and a text that is not
 * NUL-terminated (parsed from a heap copy of exactly its length, so ASan
 * sees any read past it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/manifest.h"

static struct manifest m;

/* Parse an exact-length heap copy of text (which may contain NULs: len). */
static int parse_n(const char *text, size_t len, size_t *line)
{
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, text, len);
	memset(&m, 0x5a, sizeof(m)); /* the parser must not rely on a clean out */
	int rc = manifest_parse(copy, len, &m, line);
	free(copy);
	return rc;
}

static int parse(const char *text, size_t *line)
{
	return parse_n(text, strlen(text), line);
}

static void assert_names(const char *const *want, size_t n)
{
	assert_int_equal(m.count, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(m.names[i], want[i]);
	}
}

static void test_default_desktop(void **state)
{
	(void)state;
	const char *want[] = {"background", "console", "cursor"};
	assert_int_equal(parse("background\nconsole\ncursor\n", NULL), 0);
	assert_names(want, 3);
}

static void test_comments_blanks_and_spacing(void **state)
{
	(void)state;
	const char *text = "# the default desktop\n"
			   "\n"
			   "   background\t\n"
			   "\t\n"
			   "console   # the shell, # twice\n"
			   "#cursor\n"
			   "  # indented comment\n"
			   "cursor\r\n"
			   "rust_hello\r\n"
			   "old-context\n"
			   "app2";
	const char *want[] = {"background", "console",	   "cursor",
			      "rust_hello", "old-context", "app2"};
	assert_int_equal(parse(text, NULL), 0);
	assert_names(want, 6);
}

static void test_empty_texts(void **state)
{
	(void)state;
	assert_int_equal(parse("", NULL), 0);
	assert_int_equal(m.count, 0);
	assert_int_equal(parse("\n\n\r\n   \n", NULL), 0);
	assert_int_equal(m.count, 0);
	assert_int_equal(parse("# nothing\n#at all", NULL), 0);
	assert_int_equal(m.count, 0);
}

static void test_duplicates_allowed(void **state)
{
	(void)state;
	const char *want[] = {"clock", "clock"};
	assert_int_equal(parse("clock\nclock\n", NULL), 0);
	assert_names(want, 2);
}

static void test_name_length(void **state)
{
	(void)state;
	char text[64];
	memset(text, 'a', 31);
	strcpy(text + 31, "\n");
	assert_int_equal(parse(text, NULL), 0);
	assert_int_equal(m.count, 1);
	assert_int_equal(strlen(m.names[0]), 31);

	size_t line = 0;
	memcpy(text, "ok\n", 3);
	memset(text + 3, 'b', 32);
	strcpy(text + 35, " # too long\n");
	assert_int_equal(parse(text, &line), MANIFEST_E_TOO_LONG);
	assert_int_equal(line, 2);
	assert_int_equal(m.count, 0);
}

static void test_count_limit(void **state)
{
	(void)state;
	char text[2048] = "# many\n";
	for (int i = 0; i < MANIFEST_MAX_APPS; i++) {
		char line[16];
		snprintf(line, sizeof(line), "app%d\n", i);
		strcat(text, line);
	}
	assert_int_equal(parse(text, NULL), 0);
	assert_int_equal(m.count, MANIFEST_MAX_APPS);
	assert_string_equal(m.names[31], "app31");

	/* One too many: the first MANIFEST_MAX_APPS still start; the line says where it ends. */
	size_t line = 0;
	strcat(text, "\n# fine so far\none_too_many\nnot even read!\n");
	assert_int_equal(parse(text, &line), MANIFEST_E_TOO_MANY);
	assert_int_equal(line, 1 + MANIFEST_MAX_APPS + 2 + 1);
	assert_int_equal(m.count, MANIFEST_MAX_APPS);
	assert_string_equal(m.names[MANIFEST_MAX_APPS - 1], "app255");
}

static void check_error(const char *text, int error, size_t want_line)
{
	size_t line = 0;
	assert_int_equal(parse(text, &line), error);
	assert_int_equal(line, want_line);
	assert_int_equal(m.count, 0);
}

static void test_bad_characters(void **state)
{
	(void)state;
	check_error("Console\n", MANIFEST_E_BAD_CHAR, 1);
	check_error("a\nb\nconsole.elf\n", MANIFEST_E_BAD_CHAR, 3);
	check_error("apps/console\n", MANIFEST_E_BAD_CHAR, 1);
	check_error("a\n\n\xc3\xa9t\xc3\xa9\n", MANIFEST_E_BAD_CHAR, 3);
	check_error("con\x01sole\n", MANIFEST_E_BAD_CHAR, 1);
	check_error("a\vb\n", MANIFEST_E_BAD_CHAR, 1);
	check_error("console cursor\n", MANIFEST_E_TWO_NAMES, 1);
	check_error("ok\nconsole\tcursor # two\n", MANIFEST_E_TWO_NAMES, 2);
	/* Anything goes in a comment. */
	assert_int_equal(parse("a # \xc3\xa9 Console.elf \x01\n", NULL), 0);
	assert_int_equal(m.count, 1);
}

/* Capabilities are granted per line, never implied by a name. */
static void test_caps(void **state)
{
	(void)state;
	assert_int_equal(parse("background\nconsole caps=apps,jobs # shell\ncursor\n"
			       "console\nhelper  caps=jobs\t\n",
			       NULL),
			 0);
	assert_int_equal(m.count, 5);
	assert_string_equal(m.names[1], "console");
	assert_int_equal(m.caps[0], 0);
	assert_int_equal(m.caps[1], MANIFEST_CAP_APPS | MANIFEST_CAP_JOBS);
	assert_int_equal(m.caps[2], 0);
	assert_int_equal(m.caps[3], 0); /* a second console, not granted */
	assert_string_equal(m.names[4], "helper");
	assert_int_equal(m.caps[4], MANIFEST_CAP_JOBS);
	check_error("console caps=\n", MANIFEST_E_BAD_CAP, 1);
	check_error("console caps=apps,\n", MANIFEST_E_BAD_CAP, 1);
	check_error("ok\nconsole caps=root\n", MANIFEST_E_BAD_CAP, 2);
	check_error("console caps=Apps\n", MANIFEST_E_BAD_CAP, 1);
	check_error("console caps=apps caps=jobs\n", MANIFEST_E_TWO_CAPS, 1);
	check_error("console caps=apps cursor\n", MANIFEST_E_TWO_NAMES, 1);
	check_error("console capsapps\n", MANIFEST_E_TWO_NAMES, 1);
	check_error("caps=apps\n", MANIFEST_E_BAD_CHAR, 1);
}

/* `shell`: the desktop's shell; with the other words in any order, once. */
static void test_shell(void **state)
{
	(void)state;
	assert_int_equal(parse("background\nconsole caps=apps,jobs shell\nz shell always\n", NULL),
			 0);
	assert_false(m.shell[0]);
	assert_true(m.shell[1]);
	assert_int_equal(m.caps[1], MANIFEST_CAP_APPS | MANIFEST_CAP_JOBS);
	assert_true(m.shell[2]);
	assert_true(m.always[2]);
	check_error("x\ny shell shell\n", MANIFEST_E_TWICE, 2);
	check_error("x shells\n", MANIFEST_E_TWO_NAMES, 1);
}

/* `top`: the top layer; with the other words, once. */
static void test_top(void **state)
{
	(void)state;
	assert_int_equal(parse("background\ncursor top\nconsole shell top caps=apps\n", NULL), 0);
	assert_false(m.top[0]);
	assert_true(m.top[1]);
	assert_true(m.top[2]);
	assert_true(m.shell[2]);
	assert_false(m.always[2]);
	check_error("cursor top top\n", MANIFEST_E_TWICE, 1);
}

/* `always`: started also when a saved session resumes; in any order with caps=. */
static void test_always(void **state)
{
	(void)state;
	assert_int_equal(
	    parse("background\nx always\ny caps=apps always\nz always caps=jobs\n", NULL), 0);
	assert_int_equal(m.count, 4);
	assert_false(m.always[0]);
	assert_true(m.always[1]);
	assert_true(m.always[2]);
	assert_int_equal(m.caps[2], MANIFEST_CAP_APPS);
	assert_true(m.always[3]);
	assert_int_equal(m.caps[3], MANIFEST_CAP_JOBS);
	check_error("x always always\n", MANIFEST_E_TWICE, 1);
	check_error("x alway\n", MANIFEST_E_TWO_NAMES, 1);
	check_error("x Always\n", MANIFEST_E_TWO_NAMES, 1);
}

static void test_nul_bytes(void **state)
{
	(void)state;
	size_t line = 0;
	assert_int_equal(parse_n("a\nb\0c\n", 6, &line), MANIFEST_E_NUL);
	assert_int_equal(line, 2);
	assert_int_equal(parse_n("a\n# x\0y\n", 8, &line), MANIFEST_E_NUL);
	assert_int_equal(line, 2);
	assert_int_equal(parse_n("a\0", 2, &line), MANIFEST_E_NUL);
	assert_int_equal(line, 1);
}

/* The text ends right after a name, a blank or a '#': no read beyond it. */
static void test_unterminated_text(void **state)
{
	(void)state;
	const char *texts[] = {"cursor", "cursor ", "cursor#", "cursor\r", "#", " ", "\n"};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		assert_int_equal(parse(texts[i], NULL), 0);
	}
	const char *all = "background\nconsole # shell\ncursor\n";
	for (size_t len = 0; len <= strlen(all); len++) {
		int rc = parse_n(all, len, NULL);
		assert_int_equal(rc, 0);
	}
}

static void test_null_error_line_and_strerror(void **state)
{
	(void)state;
	assert_int_equal(parse("BAD\n", NULL), MANIFEST_E_BAD_CHAR);
	for (int e = 0; e >= MANIFEST_E_NUL; e--) {
		const char *s = manifest_strerror(e);
		assert_true(strlen(s) > 0);
		assert_string_not_equal(s, "unknown error");
	}
	assert_string_equal(manifest_strerror(7), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_desktop),
	    cmocka_unit_test(test_comments_blanks_and_spacing),
	    cmocka_unit_test(test_empty_texts),
	    cmocka_unit_test(test_duplicates_allowed),
	    cmocka_unit_test(test_name_length),
	    cmocka_unit_test(test_count_limit),
	    cmocka_unit_test(test_bad_characters),
	    cmocka_unit_test(test_caps),
	    cmocka_unit_test(test_always),
	    cmocka_unit_test(test_shell),
	    cmocka_unit_test(test_top),
	    cmocka_unit_test(test_nul_bytes),
	    cmocka_unit_test(test_unterminated_text),
	    cmocka_unit_test(test_null_error_line_and_strerror),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
