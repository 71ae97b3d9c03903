/*
 * tests/unit/test_console_terminal.c — host tests for the console's text
 * model: apps/console/terminal.c (scrollback, wrapping, the view, the
 * serial/stamp protocol the window's cache relies on) and
 * apps/console/lineedit.c (editing and history).
 *
 * The cache protocol is checked as a property: after every change, a
 * visible row whose (serial, stamp) pair is unchanged must show the same
 * text as before, and the visible serials must be consecutive (so they
 * map to distinct strips).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "apps/console/lineedit.h"
#include "apps/console/terminal.h"

static struct term t;

static int setup(void **state)
{
	(void)state;
	term_init(&t, 10, 4);
	return 0;
}

static void write_str(const char *s)
{
	term_write(&t, s, strlen(s), TERM_NORMAL);
}

/* Visible row i as a string ("" for blank, "<blank>" when row is NULL). */
static const char *shown(uint32_t i)
{
	static char buf[TERM_COLS_MAX + 1];
	struct term_view v = term_view_row(&t, i);

	if (v.row == NULL) {
		return "<blank>";
	}
	memcpy(buf, v.row->text, v.row->len);
	buf[v.row->len] = '\0';
	return buf;
}

static void test_wrapping_and_control_bytes(void **state)
{
	(void)state;
	write_str("0123456789abc");
	assert_string_equal(shown(0), "0123456789");
	assert_string_equal(shown(1), "abc");
	assert_string_equal(shown(2), ""); /* the input row, empty */
	assert_string_equal(shown(3), "<blank>");
	term_clear(&t);
	term_resize(&t, 10, 6);
	write_str("a\tb\x01\xff\n\ncd");
	assert_string_equal(shown(0), "a       b?");
	assert_string_equal(shown(1), "?");
	assert_string_equal(shown(2), "");
	assert_string_equal(shown(3), "cd");
	assert_string_equal(shown(4), "");
	term_clear(&t);
	write_str("");
	assert_string_equal(shown(0), "");
	assert_int_equal(t.next - t.first, 1);
	term_clear(&t);
	write_str("123456789\t");
	assert_string_equal(shown(0), "123456789 ");
	write_str("0123456789"); /* exactly one row: no extra empty row */
	assert_int_equal(t.next - t.first, 2);
}

static void test_ring_keeps_the_newest(void **state)
{
	char s[16];

	(void)state;
	for (int i = 0; i < TERM_SCROLLBACK + 50; i++) {
		snprintf(s, sizeof(s), "%d", i);
		write_str(s);
	}
	assert_int_equal(t.next - t.first, TERM_SCROLLBACK);
	assert_int_equal(t.next, TERM_SCROLLBACK + 50);
	assert_string_equal(shown(0), "247");
	assert_string_equal(shown(2), "249");
	term_scroll(&t, 100000); /* clamped at the oldest row kept */
	assert_int_equal(t.scroll, TERM_SCROLLBACK + 1 - 4);
	assert_string_equal(shown(0), "50");
	term_scroll(&t, -1);
	assert_string_equal(shown(0), "51");
	/* New output while scrolled back: the same rows stay in view... */
	write_str("new");
	assert_string_equal(shown(0), "51");
	/* ...until the oldest of them falls out of the ring. */
	term_scroll(&t, 100000);
	assert_string_equal(shown(0), "51");
	write_str("newer");
	assert_string_equal(shown(0), "52");
	term_scroll(&t, INT32_MIN);
	assert_int_equal(t.scroll, 0);
	assert_string_equal(shown(2), "newer");
}

static void test_input_row_and_cursor(void **state)
{
	struct term_view v;
	uint64_t stamp;

	(void)state;
	term_set_input(&t, "$ ", 2, "ls", 2, 2, true);
	v = term_view_row(&t, 0);
	assert_ptr_equal(v.row, &t.input);
	assert_int_equal(v.cursor, 4);
	stamp = t.input.stamp;
	term_set_input(&t, "$ ", 2, "ls", 2, 2, true);
	assert_int_equal(t.input.stamp, stamp); /* nothing changed */
	term_set_input(&t, "$ ", 2, "ls", 2, 2, false);
	assert_true(t.input.stamp > stamp); /* the cursor blinked off */
	assert_int_equal(term_view_row(&t, 0).cursor, -1);
	/* A line longer than the row scrolls sideways to keep the cursor. */
	term_set_input(&t, "$ ", 2, "abcdefghijkl", 12, 12, true);
	assert_string_equal(shown(0), "$ fghijkl");
	assert_int_equal(term_view_row(&t, 0).cursor, 9);
	term_set_input(&t, "$ ", 2, "abcdefghijkl", 12, 0, true);
	assert_string_equal(shown(0), "$ abcdefgh");
	assert_int_equal(term_view_row(&t, 0).cursor, 2);
	/* Rows that are not the input row never carry the cursor. */
	write_str("out");
	assert_int_equal(term_view_row(&t, 0).cursor, -1);
	assert_int_equal(term_view_row(&t, 1).cursor, 2);
}

/* Snapshot of the visible rows: serial, stamp and text. */
struct snap {
	uint64_t serial[4], stamp[4];
	char text[4][TERM_COLS_MAX + 1];
};

static void take(struct snap *s)
{
	for (uint32_t i = 0; i < 4; i++) {
		struct term_view v = term_view_row(&t, i);

		s->serial[i] = v.serial;
		s->stamp[i] = v.row ? v.row->stamp : 0;
		strcpy(s->text[i], shown(i));
		if (i > 0) {
			assert_int_equal(s->serial[i], s->serial[i - 1] + 1);
		}
	}
}

/* Every (serial, stamp) pair seen before must still mean the same text. */
static void check_cache(const struct snap *old, const struct snap *now)
{
	for (uint32_t i = 0; i < 4; i++) {
		for (uint32_t j = 0; j < 4; j++) {
			if (old->serial[i] == now->serial[j] && old->stamp[i] == now->stamp[j]) {
				assert_string_equal(old->text[i], now->text[j]);
			}
		}
	}
}

static void test_cache_protocol(void **state)
{
	struct snap a;
	struct snap b;
	char s[32];

	(void)state;
	take(&a);
	for (int step = 0; step < 400; step++) {
		switch (step % 7) {
		case 0:
		case 3:
			snprintf(s, sizeof(s), "line %d", step);
			write_str(s);
			break;
		case 1:
			term_set_input(&t, "$ ", 2, s, strlen(s), step % 5, step % 2);
			break;
		case 2:
			term_scroll(&t, step % 3 - 1);
			break;
		case 4:
			if (step % 50 == 4) {
				term_clear(&t);
			}
			break;
		case 5:
			term_scroll(&t, 3);
			break;
		default:
			term_set_input(&t, "$ ", 2, "", 0, 0, true);
		}
		take(&b);
		check_cache(&a, &b);
		a = b;
	}
}

static void test_resize(void **state)
{
	(void)state;
	write_str("0123456789");
	term_resize(&t, 0, 0); /* clamped to 1 x 1 */
	assert_int_equal(t.cols, 1);
	assert_int_equal(t.rows_shown, 1);
	assert_string_equal(shown(0), "");
	term_resize(&t, 1000, 2);
	assert_int_equal(t.cols, TERM_COLS_MAX);
	assert_string_equal(shown(0), "0123456789");
}

static void test_lineedit_editing(void **state)
{
	struct ledit *e = calloc(1, sizeof(*e));
	char out[LEDIT_MAX];
	uint32_t v;

	(void)state;
	assert_non_null(e);
	ledit_insert(e, 'a');
	ledit_insert(e, 'c');
	ledit_left(e);
	ledit_insert(e, 'b');
	ledit_insert(e, '\n'); /* not printable: ignored */
	assert_int_equal(e->len, 3);
	assert_memory_equal(e->buf, "abc", 3);
	assert_int_equal(e->cur, 2);
	ledit_home(e);
	ledit_delete(e);
	ledit_end(e);
	ledit_backspace(e);
	assert_int_equal(e->len, 1);
	assert_memory_equal(e->buf, "b", 1);
	v = e->version;
	ledit_right(e); /* at the end already: no change */
	ledit_left(e);
	ledit_left(e);
	ledit_backspace(e);
	assert_int_equal(e->version, v + 1);
	for (int i = 0; i < LEDIT_MAX + 10; i++) {
		ledit_insert(e, 'x');
	}
	assert_int_equal(e->len, LEDIT_MAX);
	assert_int_equal(ledit_take(e, out), LEDIT_MAX);
	assert_int_equal(e->len, 0);
	assert_int_equal(e->cur, 0);
	free(e);
}

static void type(struct ledit *e, const char *s)
{
	while (*s != '\0') {
		ledit_insert(e, *s++);
	}
}

static void test_lineedit_history(void **state)
{
	struct ledit *e = calloc(1, sizeof(*e));
	char out[LEDIT_MAX];
	char s[16];

	(void)state;
	assert_non_null(e);
	ledit_history_up(e); /* empty history: nothing */
	assert_int_equal(e->len, 0);
	type(e, "one");
	ledit_take(e, out);
	type(e, "two");
	ledit_take(e, out);
	ledit_take(e, out); /* empty: not remembered */
	type(e, "two");
	ledit_take(e, out); /* same as the newest: not remembered twice */
	assert_int_equal(e->hist_count, 2);
	ledit_history_up(e);
	assert_memory_equal(e->buf, "two", 3);
	ledit_history_up(e);
	assert_memory_equal(e->buf, "one", 3);
	ledit_history_up(e); /* oldest: stays */
	assert_memory_equal(e->buf, "one", 3);
	ledit_insert(e, '!'); /* editing a recalled line leaves the entry */
	ledit_history_down(e);
	ledit_history_up(e);
	assert_int_equal(e->len, 3);
	ledit_history_down(e);
	ledit_history_down(e);
	assert_int_equal(e->len, 0);
	for (int i = 0; i < 40; i++) {
		snprintf(s, sizeof(s), "c%d", i);
		type(e, s);
		ledit_take(e, out);
	}
	assert_int_equal(e->hist_count, LEDIT_HISTORY);
	for (int i = 0; i < 100; i++) {
		ledit_history_up(e);
	}
	assert_int_equal(e->len, 3);
	assert_memory_equal(e->buf, "c24", 3);
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_wrapping_and_control_bytes, setup),
	    cmocka_unit_test_setup(test_ring_keeps_the_newest, setup),
	    cmocka_unit_test_setup(test_input_row_and_cursor, setup),
	    cmocka_unit_test_setup(test_cache_protocol, setup),
	    cmocka_unit_test_setup(test_resize, setup),
	    cmocka_unit_test(test_lineedit_editing),
	    cmocka_unit_test(test_lineedit_history),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
