/*
 * apps/console/terminal.c — scrollback ring, wrapping and the view (see
 * terminal.h for the serial/stamp protocol the window relies on).
 *
 * Invariants: first <= next, next - first <= TERM_SCROLLBACK; rows with
 * serials first..next-1 are valid and have stamps >= 1; scroll never lets
 * the view start before `first` (term_clamp keeps it so after every
 * change that could break it).
 */
#include "apps/console/terminal.h"

#include "lib/string.h"

#define TERM_TAB 8

static uint32_t term_max_scroll(const struct term *t)
{
	uint64_t total = t->next - t->first + 1; /* + the input row */

	return total > t->rows_shown ? (uint32_t)(total - t->rows_shown) : 0;
}

static void term_clamp(struct term *t)
{
	uint32_t max = term_max_scroll(t);

	if (t->scroll > max) {
		t->scroll = max;
	}
}

void term_init(struct term *t, uint32_t cols, uint32_t rows_shown)
{
	memset(t, 0, sizeof(*t));
	t->cursor = -1;
	term_resize(t, cols, rows_shown);
}

void term_resize(struct term *t, uint32_t cols, uint32_t rows_shown)
{
	t->cols = cols < 1 ? 1 : (cols > TERM_COLS_MAX ? TERM_COLS_MAX : cols);
	t->rows_shown = rows_shown < 1 ? 1 : rows_shown;
	term_clamp(t);
	t->input.stamp = ++t->stamps; /* its sideways scrolling depends on cols */
}

/* Appends one finished row. */
static void term_push(struct term *t, const char *text, size_t len, enum term_color color)
{
	struct term_row *r = &t->rows[t->next % TERM_SCROLLBACK];

	if (t->next - t->first == TERM_SCROLLBACK) {
		t->first++;
	}
	memcpy(r->text, text, len);
	r->len = (uint16_t)len;
	r->color = (uint8_t)color;
	r->stamp = ++t->stamps;
	t->next++;
	if (t->scroll > 0) {
		t->scroll++; /* a reader scrolled back keeps seeing the same rows */
	}
	term_clamp(t);
}

void term_write(struct term *t, const char *s, size_t len, enum term_color color)
{
	char row[TERM_COLS_MAX];
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\n') {
			term_push(t, row, n, color);
			n = 0;
			continue;
		}
		if (n == t->cols) {
			term_push(t, row, n, color);
			n = 0;
		}
		if (c == '\t') {
			/* Spaces to the next tab stop, or to the end of the row. */
			do {
				row[n++] = ' ';
			} while (n % TERM_TAB != 0 && n < t->cols);
			continue;
		}
		row[n++] = c < ' ' || c > '~' ? '?' : c;
	}
	term_push(t, row, n, color);
}

void term_clear(struct term *t)
{
	t->first = t->next;
	t->scroll = 0;
}

void term_scroll(struct term *t, int32_t delta)
{
	int64_t s = (int64_t)t->scroll + delta;

	t->scroll = s < 0 ? 0 : (s > UINT32_MAX ? UINT32_MAX : (uint32_t)s);
	term_clamp(t);
}

/* Composes the visible part of prompt + line into row; returns the
 * cursor's column. */
static int32_t term_compose(const struct term *t, struct term_row *row, const char *prompt,
			    size_t plen, const char *line, size_t len, size_t cur)
{
	size_t room;
	size_t start = 0;
	size_t shown;

	plen = plen < t->cols - 1 ? plen : 0; /* no room for a prompt: drop it */
	room = t->cols - plen;		      /* >= 1; one cell is the cursor's */
	if (cur >= room) {
		start = cur - room + 1;
	}
	shown = len - start < room ? len - start : room;
	memcpy(row->text, prompt, plen);
	memcpy(row->text + plen, line + start, shown);
	row->len = (uint16_t)(plen + shown);
	row->color = TERM_COMMAND;
	return (int32_t)(plen + cur - start);
}

void term_set_input(struct term *t, const char *prompt, size_t plen, const char *line, size_t len,
		    size_t cur, bool show_cursor)
{
	struct term_row row;
	int32_t cursor;

	if (cur > len) {
		cur = len;
	}
	cursor = term_compose(t, &row, prompt, plen, line, len, cur);
	if (!show_cursor) {
		cursor = -1;
	}
	if (row.len == t->input.len && cursor == t->cursor && t->input.color == row.color &&
	    memcmp(row.text, t->input.text, row.len) == 0) {
		return;
	}
	memcpy(t->input.text, row.text, row.len);
	t->input.len = row.len;
	t->input.color = row.color;
	t->input.stamp = ++t->stamps;
	t->cursor = cursor;
}

const struct term_row *term_row_of(const struct term *t, uint64_t serial)
{
	if (serial >= t->first && serial < t->next) {
		return &t->rows[serial % TERM_SCROLLBACK];
	}
	return serial == t->next ? &t->input : NULL;
}

struct term_view term_view_row(const struct term *t, uint32_t i)
{
	uint64_t total = t->next - t->first + 1;
	uint64_t top = t->first;
	struct term_view v = {.row = NULL, .cursor = -1};

	if (total > t->rows_shown) {
		top += total - t->rows_shown - t->scroll;
	}
	v.serial = top + i;
	v.row = term_row_of(t, v.serial);
	if (v.serial == t->next) {
		v.cursor = t->cursor;
	}
	return v;
}
