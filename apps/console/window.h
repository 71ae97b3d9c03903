/*
 * apps/console/window.h — the console window's pixels: a cache of rendered
 * text rows, and the per-frame copy to the screen.
 *
 * On the shared screen the background app repaints everything every frame,
 * so the console must repaint its whole window every frame too (in a
 * window of its own, only what changed); under QEMU's software CPU
 * drawing 1700 glyphs a frame would blow the budget. So the window keeps
 * its finished pixels in its own buffers (allocated once per screen size
 * from the app's arena) and each frame does only:
 *   win_update: for each visible text row, compare the (serial, stamp) the
 *               terminal reports, and the part of it selected, with those
 *               its strip was rendered for, and re-render the strips that
 *               differ (usually none, one after a keypress or a new
 *               output line);
 *   win_blit:   copy the window to ctx->fb row by row (blit.h: the text
 *               part of a row is copied, the plain rest filled) — or, in
 *               a window of the console's own that nobody else draws
 *               over, only the rows that changed since the last blit, so
 *               that the compositor finds nothing to present when
 *               nothing changed (desktop/compositor.h).
 *
 * Strips: text row with serial s is cached in strip s % rows. Visible rows
 * always have `rows` consecutive serials, so they use every strip exactly
 * once, and scrolling by one row re-renders exactly one strip; the blit
 * simply walks the strips in view order. Window rows outside the text area
 * (border, title bar, margins) are drawn once into `chrome`.
 *
 * Size: the window is WIN_W x WIN_H centred on the screen, shrunk to fit a
 * smaller screen; win_layout redoes everything when the screen size
 * changes. Glyphs are drawn four pixels at a time from per-colour tables.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apps/console/blit.h"
#include "apps/console/selection.h"
#include "apps/console/terminal.h"
#include "include/fomos.h"
#include "lib/psf.h"

#define WIN_W	     800
#define WIN_H	     480
#define WIN_ROWS_MAX 32 /* (WIN_H - chrome) / the smallest cell we accept */

/* Largest glyph the 4-pixel renderer handles (two bitmap bytes a row). */
#define WIN_GLYPH_W_MAX 16

/* Colour tables: one per terminal colour, one for the cursor cell, one
 * for selected text. */
#define WIN_TABLES     (TERM_COLORS + 2)
#define WIN_CURSOR_TAB TERM_COLORS
#define WIN_SELECT_TAB (TERM_COLORS + 1)

enum win_error {
	WIN_EFONT = -1,	 /* glyphs too wide or too tall for the renderer */
	WIN_ESMALL = -2, /* the screen cannot hold one text row */
	WIN_ENOMEM = -3, /* calloc failed */
};

struct win_geom {
	uint32_t x, y, w, h;	 /* the window on the screen */
	uint32_t text_x, text_y; /* top-left of the first text cell, in the window */
	uint32_t cols, rows;	 /* text cells */
	uint32_t cell_w, cell_h; /* = glyph size */
};

struct win_tag {
	uint64_t serial;
	uint64_t stamp;
	uint32_t marked; /* the selected columns, from << 16 | to; 0: none */
};

struct win {
	struct win_geom g;
	size_t fb_w, fb_h; /* screen the buffers were made for; 0 = none */
	uint32_t *chrome;  /* text_y rows, then the rows below the text, then a blank text row */
	size_t chrome_bytes;
	uint32_t *strips; /* rows strips of cell_h rows of g.w pixels */
	size_t strips_bytes;
	uint32_t *blank;		    /* inside chrome: one empty text-area pixel row */
	struct win_tag tags[WIN_ROWS_MAX];  /* what each strip holds */
	struct win_tag shown[WIN_ROWS_MAX]; /* what visible row i showed at the last blit */
	bool chrome_shown;		    /* the chrome is on the screen since the layout */
	const struct fomos_rgba *shown_on;  /* the screen of the last blit */
	struct blit_span strip_span[WIN_ROWS_MAX]; /* one span for all rows of a strip */
	uint8_t slot[WIN_ROWS_MAX];		   /* strip shown in visible row i */
	struct blit_span chrome_span[WIN_H];	   /* span of each chrome row */
	const struct psf_font *font;
	uint64_t rows_rendered; /* strips rendered, ever (a statistic) */
	uint32_t nib[WIN_TABLES][16][4];
};

/* Checks that the font suits the renderer and fills the colour tables.
 * The font must outlive the window. Returns 0 or WIN_EFONT. */
int win_init(struct win *w, const struct psf_font *font);

/* True when the buffers do not match the screen ctx shows (first call,
 * or a mode change): then win_layout must run before drawing. */
bool win_needs_layout(const struct win *w, const struct fomos_context *ctx);

/* Frees the old buffers, computes the geometry for ctx's screen, allocates
 * and draws the chrome (with `title`), and forgets every cached strip.
 * Returns 0, WIN_ESMALL or WIN_ENOMEM (then nothing is drawn until a
 * later win_layout succeeds). */
int win_layout(struct win *w, const struct fomos_context *ctx, const char *title, size_t len);

/* Frees the buffers. */
void win_release(struct win *w, const struct fomos_context *ctx);

/* Re-renders the strips whose text or selected part changed; after
 * win_layout succeeded. */
void win_update(struct win *w, const struct term *t, const struct sel *sel);

/* The cell boundary nearest to the pixel (x, y) of the screen ctx->fb,
 * clamped into the text: in visible row *row, before column *col; true
 * when (x, y) lies in the window. */
bool win_boundary_at(const struct win *w, int64_t x, int64_t y, uint32_t *row, uint32_t *col);

/*
 * Copies the window to the screen, after win_update: all of it, or with
 * changes_only (ctx->fb is a surface only this app draws into) the chrome
 * once after each layout and the text rows that show something else than
 * at the last blit.
 */
void win_blit(struct win *w, const struct fomos_context *ctx, bool changes_only);
