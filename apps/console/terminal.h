/*
 * apps/console/terminal.h — the console's text: scrollback rows, the line
 * being typed, and which rows the window shows.
 *
 * Text is kept as display rows, already wrapped at the width the window had
 * when they were written (`cols`). Every row has a serial number that grows
 * by one per row ever written, and a stamp that is new whenever the row's
 * content changes. The window (window.c) caches the pixels of each visible
 * row under (serial, stamp) and re-renders a row only when that pair
 * changes: appending a row changes one pair, scrolling shifts serials, and
 * typing changes only the input row's stamp. That is the whole
 * "what changed" protocol between text and pixels.
 *
 * The input row is shown as serial `next` (just below the last scrollback
 * row); blank space below it has serials next + 1, ... and stamp 0.
 *
 * Storage is a fixed ring of TERM_SCROLLBACK rows (the oldest fall off);
 * nothing is allocated. Rows hold bytes ' '..'~' only: term_write turns
 * tabs into spaces and any other control or non-ASCII byte into '?'.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TERM_COLS_MAX	128
#define TERM_SCROLLBACK 200

/* Colours of rows; the window maps them to pixels. */
enum term_color {
	TERM_NORMAL = 0, /* command output */
	TERM_COMMAND,	 /* an echoed command line, and the input row */
	TERM_ERROR,	 /* error messages */
	TERM_NOTE,	 /* banner and hints */
	TERM_COLORS,
};

struct term_row {
	uint64_t stamp; /* content version; 0 only for blank rows */
	uint16_t len;	/* bytes used in text */
	uint8_t color;	/* enum term_color */
	char text[TERM_COLS_MAX];
};

struct term {
	struct term_row rows[TERM_SCROLLBACK]; /* serial s at rows[s % TERM_SCROLLBACK] */
	uint64_t first;			       /* serial of the oldest row kept */
	uint64_t next;			       /* serial of the next row written */
	uint64_t stamps;		       /* last stamp handed out */
	uint32_t cols;			       /* wrap width, 1..TERM_COLS_MAX */
	uint32_t rows_shown;		       /* rows the window shows, >= 1 */
	uint32_t scroll;		       /* rows scrolled back from the bottom */
	struct term_row input;		       /* the line being typed */
	int32_t cursor;			       /* cursor column in input, or -1 */
};

/* What the window shows in one visible row. */
struct term_view {
	const struct term_row *row; /* NULL: blank */
	uint64_t serial;
	int32_t cursor; /* column to draw the cursor in, or -1 */
};

void term_init(struct term *t, uint32_t cols, uint32_t rows_shown);

/* Changes the wrap width and the number of rows shown (both clamped to
 * >= 1); rows already written keep their wrapping. */
void term_resize(struct term *t, uint32_t cols, uint32_t rows_shown);

/* Appends len bytes of text; '\n' starts a new row and long rows wrap.
 * Always ends the last row (so "" appends one empty row). */
void term_write(struct term *t, const char *s, size_t len, enum term_color color);

/* Forgets all scrollback rows (serials keep counting). */
void term_clear(struct term *t);

/* Scrolls the view back (delta > 0) or forward, clamped; 0 = follow. */
void term_scroll(struct term *t, int32_t delta);

/* Sets the input row: prompt, then the line (len bytes, cursor at cur),
 * scrolled sideways so the cursor stays visible; show_cursor off hides it
 * (blinking). Takes a new stamp only if something visible changed. */
void term_set_input(struct term *t, const char *prompt, size_t plen, const char *line, size_t len,
		    size_t cur, bool show_cursor);

/* The row with this serial (the input row is serial `next`); NULL when
 * it fell out of the scrollback, was cleared, or is not written yet. */
const struct term_row *term_row_of(const struct term *t, uint64_t serial);

/* Visible row i (0 = top) of the current view. */
struct term_view term_view_row(const struct term *t, uint32_t i);
