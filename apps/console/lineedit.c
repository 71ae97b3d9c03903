/*
 * apps/console/lineedit.c — editing the command line and recalling
 * history (see lineedit.h).
 *
 * The history ring keeps copies, not pointers: the shell may not keep the
 * line it was given, and recalled text is copied back into buf, so editing
 * a recalled line never changes the entry it came from.
 */
#include "apps/console/lineedit.h"

#include "lib/string.h"

static void ledit_changed(struct ledit *e)
{
	e->version++;
}

void ledit_insert(struct ledit *e, char c)
{
	if (e->len >= LEDIT_MAX || c < ' ' || c > '~') {
		return;
	}
	memmove(e->buf + e->cur + 1, e->buf + e->cur, e->len - e->cur);
	e->buf[e->cur++] = c;
	e->len++;
	ledit_changed(e);
}

void ledit_backspace(struct ledit *e)
{
	if (e->cur == 0) {
		return;
	}
	memmove(e->buf + e->cur - 1, e->buf + e->cur, e->len - e->cur);
	e->cur--;
	e->len--;
	ledit_changed(e);
}

void ledit_delete(struct ledit *e)
{
	if (e->cur == e->len) {
		return;
	}
	memmove(e->buf + e->cur, e->buf + e->cur + 1, e->len - e->cur - 1);
	e->len--;
	ledit_changed(e);
}

static void ledit_move(struct ledit *e, size_t cur)
{
	if (cur != e->cur) {
		e->cur = cur;
		ledit_changed(e);
	}
}

void ledit_left(struct ledit *e)
{
	ledit_move(e, e->cur > 0 ? e->cur - 1 : 0);
}

void ledit_right(struct ledit *e)
{
	ledit_move(e, e->cur < e->len ? e->cur + 1 : e->len);
}

void ledit_home(struct ledit *e)
{
	ledit_move(e, 0);
}

void ledit_end(struct ledit *e)
{
	ledit_move(e, e->len);
}

void ledit_kill(struct ledit *e)
{
	e->len = 0;
	e->cur = 0;
	e->browse = 0;
	ledit_changed(e);
}

/* Slot of the k-th newest entry (k >= 1, k <= hist_count). */
static size_t ledit_slot(const struct ledit *e, size_t k)
{
	return (e->hist_next + LEDIT_HISTORY - k) % LEDIT_HISTORY;
}

/* Shows history entry k (0 = an empty new line). */
static void ledit_show(struct ledit *e, size_t k)
{
	e->browse = k;
	e->len = 0;
	if (k > 0) {
		size_t slot = ledit_slot(e, k);

		e->len = e->hist_len[slot];
		memcpy(e->buf, e->hist[slot], e->len);
	}
	e->cur = e->len;
	ledit_changed(e);
}

void ledit_history_up(struct ledit *e)
{
	if (e->browse < e->hist_count) {
		ledit_show(e, e->browse + 1);
	}
}

void ledit_history_down(struct ledit *e)
{
	if (e->browse > 0) {
		ledit_show(e, e->browse - 1);
	}
}

size_t ledit_history_entry(const struct ledit *e, size_t k, const char **s)
{
	size_t slot = ledit_slot(e, k);

	*s = e->hist[slot];
	return e->hist_len[slot];
}

/* Adds buf to the history unless empty or equal to the newest entry. */
static void ledit_remember(struct ledit *e)
{
	size_t newest;

	if (e->len == 0) {
		return;
	}
	if (e->hist_count > 0) {
		newest = ledit_slot(e, 1);
		if (e->hist_len[newest] == e->len && memcmp(e->hist[newest], e->buf, e->len) == 0) {
			return;
		}
	}
	memcpy(e->hist[e->hist_next], e->buf, e->len);
	e->hist_len[e->hist_next] = e->len;
	e->hist_next = (e->hist_next + 1) % LEDIT_HISTORY;
	if (e->hist_count < LEDIT_HISTORY) {
		e->hist_count++;
	}
}

size_t ledit_take(struct ledit *e, char *out)
{
	size_t n = e->len;

	memcpy(out, e->buf, n);
	ledit_remember(e);
	ledit_kill(e);
	return n;
}
