/*
 * apps/console/selection.h — the text the user marks with the pointer, for
 * ctrl+shift+C to copy.
 *
 * A press of the left button in the text starts a selection, moving with
 * the button held extends it, and the release ends it; a press without a
 * move selects nothing. The ends are boundaries between cells, named by
 * the row's serial (terminal.h) and a column 0..cols, so the marked text
 * stays marked when the view scrolls or more output arrives, and simply
 * ends where its rows fall out of the scrollback. Rows in between are
 * selected whole, as in any terminal.
 *
 * Pure logic over the terminal: host-tested by
 * tests/unit/test_console_selection.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apps/console/terminal.h"
#include "include/fomos.h"

/* A boundary between two cells: before column col of row serial. */
struct sel_point {
	uint64_t serial;
	uint32_t col;
};

struct sel {
	struct sel_point anchor; /* where the press was */
	struct sel_point head;	 /* where the pointer is, or was at the release */
	bool dragging;		 /* the button is held since a press in the text */
};

/* The left button's state this call (a FOMOS_KEY_* value) with the pointer
 * at `at`: starts, extends or ends the selection. */
void sel_pointer(struct sel *s, uint8_t left, struct sel_point at);

/* True when something is selected. */
bool sel_any(const struct sel *s);

/* The selected columns [*from, *to) of row serial, to capped at the row's
 * length len; false when none of it is selected. */
bool sel_columns(const struct sel *s, uint64_t serial, uint32_t len, uint32_t *from, uint32_t *to);

/* The selected text of t, rows ended by '\n' (but the last), trailing
 * spaces dropped: the bytes written to out (at most cap). */
size_t sel_text(const struct sel *s, const struct term *t, char *out, size_t cap);
