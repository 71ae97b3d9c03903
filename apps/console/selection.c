/*
 * apps/console/selection.c — see selection.h.
 */
#include "apps/console/selection.h"

static bool sel_before(struct sel_point a, struct sel_point b)
{
	return a.serial < b.serial || (a.serial == b.serial && a.col < b.col);
}

/* The selection's ends in reading order. */
static void sel_order(const struct sel *s, struct sel_point *first, struct sel_point *last)
{
	bool forward = sel_before(s->anchor, s->head);
	*first = forward ? s->anchor : s->head;
	*last = forward ? s->head : s->anchor;
}

void sel_pointer(struct sel *s, uint8_t left, struct sel_point at)
{
	if (left == FOMOS_KEY_ON_FROM_OFF || left == FOMOS_KEY_OFF_TRANSIENT_ON) {
		s->anchor = at;
		s->head = at;
		s->dragging = left == FOMOS_KEY_ON_FROM_OFF;
		return;
	}
	if (s->dragging) {
		s->head = at; /* also where it was released */
		s->dragging = fomos_key_is_down(left);
	}
}

bool sel_any(const struct sel *s)
{
	return s->anchor.serial != s->head.serial || s->anchor.col != s->head.col;
}

bool sel_columns(const struct sel *s, uint64_t serial, uint32_t len, uint32_t *from, uint32_t *to)
{
	struct sel_point first, last;
	sel_order(s, &first, &last);
	if (!sel_any(s) || serial < first.serial || serial > last.serial) {
		return false;
	}
	*from = serial == first.serial ? first.col : 0;
	*to = serial == last.serial && last.col < len ? last.col : len;
	return *from < *to;
}

size_t sel_text(const struct sel *s, const struct term *t, char *out, size_t cap)
{
	struct sel_point first, last;
	size_t n = 0;
	sel_order(s, &first, &last);
	if (!sel_any(s)) {
		return 0;
	}
	uint64_t start = first.serial > t->first ? first.serial : t->first; /* what is kept */
	for (uint64_t serial = start; serial <= last.serial; serial++) {
		const struct term_row *row = term_row_of(t, serial);
		uint32_t from, to;
		if (serial != start && n < cap) {
			out[n++] = '\n';
		}
		if (row == NULL || !sel_columns(s, serial, row->len, &from, &to)) {
			continue;
		}
		while (to > from && row->text[to - 1] == ' ') {
			to--;
		}
		for (uint32_t i = from; i < to && n < cap; i++) {
			out[n++] = row->text[i];
		}
	}
	return n;
}
