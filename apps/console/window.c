/*
 * apps/console/window.c — layout, the strip cache and the blit (see
 * window.h for why the window is a cache).
 *
 * Window rows, top to bottom:
 *   0                      border
 *   1 .. TITLE_H           title bar
 *   TITLE_H + 1            separator (border colour)
 *   .. text_y - 1          top margin
 *   text_y ..              `rows` text rows of cell_h pixels (the strips)
 *   .. h - 2               bottom margin
 *   h - 1                  border
 * Every pixel row of a strip starts and ends with a border pixel, so a
 * strip row is a complete window row. Each cached row also has a span
 * (blit.h), found when it is drawn, that tells the blit how much of it is
 * plain background.
 *
 * Buffers come from ctx->calloc and are replaced only when the screen size
 * changes, so memory does not grow per frame.
 */
#include "apps/console/window.h"

#include "apps/console/draw.h"
#include "lib/string.h"

#define WIN_BORDER    1
#define WIN_TITLE_PAD 2 /* above and below the title text */
#define WIN_MARGIN_X  6
#define WIN_MARGIN_Y  4

#define WIN_COLOR_BG	    DRAW_RGB(18, 20, 28)
#define WIN_COLOR_BORDER    DRAW_RGB(90, 100, 120)
#define WIN_COLOR_TITLE_BG  DRAW_RGB(44, 52, 72)
#define WIN_COLOR_TITLE	    DRAW_RGB(235, 235, 245)
#define WIN_COLOR_CURSOR    DRAW_RGB(230, 230, 230)
#define WIN_COLOR_SELECTED  DRAW_RGB(245, 245, 245)
#define WIN_COLOR_SELECTION DRAW_RGB(62, 96, 160)

/* Text colour of each enum term_color. */
static const uint32_t win_text_colors[TERM_COLORS] = {
    [TERM_NORMAL] = DRAW_RGB(210, 210, 210),
    [TERM_COMMAND] = DRAW_RGB(130, 225, 150),
    [TERM_ERROR] = DRAW_RGB(255, 120, 110),
    [TERM_NOTE] = DRAW_RGB(120, 175, 255),
};

int win_init(struct win *w, const struct psf_font *font)
{
	memset(w, 0, sizeof(*w));
	if (font->width > WIN_GLYPH_W_MAX || font->row_bytes > 2) {
		return WIN_EFONT;
	}
	w->font = font;
	for (unsigned c = 0; c < TERM_COLORS; c++) {
		draw_table(w->nib[c], win_text_colors[c], WIN_COLOR_BG);
	}
	draw_table(w->nib[WIN_CURSOR_TAB], WIN_COLOR_BG, WIN_COLOR_CURSOR);
	draw_table(w->nib[WIN_SELECT_TAB], WIN_COLOR_SELECTED, WIN_COLOR_SELECTION);
	return 0;
}

bool win_needs_layout(const struct win *w, const struct fomos_context *ctx)
{
	return w->strips == NULL || w->fb_w != ctx->fb.w || w->fb_h != ctx->fb.h;
}

static uint32_t win_title_h(const struct win *w)
{
	return w->font->height + 2 * WIN_TITLE_PAD;
}

/* The geometry for a fb_w x fb_h screen; false if not even one cell fits. */
static bool win_geometry(const struct win *w, size_t fb_w, size_t fb_h, struct win_geom *g)
{
	uint32_t cw = w->font->width;
	uint32_t ch = w->font->height;
	uint32_t fixed_y;

	g->w = fb_w < WIN_W ? (uint32_t)fb_w : WIN_W;
	g->h = fb_h < WIN_H ? (uint32_t)fb_h : WIN_H;
	g->x = (uint32_t)((fb_w - g->w) / 2);
	g->y = (uint32_t)((fb_h - g->h) / 2);
	g->cell_w = cw;
	g->cell_h = ch;
	g->text_x = WIN_BORDER + WIN_MARGIN_X;
	g->text_y = WIN_BORDER + win_title_h(w) + 1 + WIN_MARGIN_Y;
	fixed_y = g->text_y + WIN_MARGIN_Y + WIN_BORDER;
	if (g->w < 2 * g->text_x + cw || g->h < fixed_y + ch) {
		return false;
	}
	g->cols = (g->w - 2 * g->text_x) / cw;
	g->rows = (g->h - fixed_y) / ch;
	if (g->cols > TERM_COLS_MAX) {
		g->cols = TERM_COLS_MAX;
	}
	if (g->rows > WIN_ROWS_MAX) {
		g->rows = WIN_ROWS_MAX;
	}
	return true;
}

void win_release(struct win *w, const struct fomos_context *ctx)
{
	if (w->chrome != NULL) {
		ctx->cdalloc(w->chrome, w->chrome_bytes, 64);
	}
	if (w->strips != NULL) {
		ctx->cdalloc(w->strips, w->strips_bytes, 64);
	}
	w->chrome = NULL;
	w->strips = NULL;
	w->blank = NULL;
	w->fb_w = 0;
	w->fb_h = 0;
}

/* Number of chrome pixel rows: everything but the text rows, plus the
 * blank-row template. */
static uint32_t win_chrome_rows(const struct win_geom *g)
{
	return g->h - g->rows * g->cell_h + 1;
}

/* One window-wide pixel row of the text area with nothing in it. */
static void win_draw_blank_row(const struct win_geom *g, uint32_t *row)
{
	draw_fill(row, g->w, g->w, 1, WIN_COLOR_BG);
	row[0] = WIN_COLOR_BORDER;
	row[g->w - 1] = WIN_COLOR_BORDER;
}

/* Draws the chrome rows: top part (border, title bar, separator, margin)
 * at chrome[0 .. text_y), bottom part after it, then the blank row. */
static void win_draw_chrome(struct win *w, const char *title, size_t len)
{
	const struct win_geom *g = &w->g;
	uint32_t below = g->h - g->text_y - g->rows * g->cell_h;
	uint32_t *bottom = w->chrome + (size_t)g->text_y * g->w;
	uint32_t th = win_title_h(w);
	uint32_t tab[16][4];
	size_t fit = (g->w - 2 * g->text_x) / g->cell_w;

	w->blank = bottom + (size_t)below * g->w;
	win_draw_blank_row(g, w->blank);
	for (uint32_t y = 0; y < g->text_y; y++) {
		memcpy(w->chrome + (size_t)y * g->w, w->blank, g->w * sizeof(uint32_t));
	}
	for (uint32_t y = 0; y < below; y++) {
		memcpy(bottom + (size_t)y * g->w, w->blank, g->w * sizeof(uint32_t));
	}
	draw_fill(w->chrome, g->w, g->w, 1, WIN_COLOR_BORDER);
	draw_fill(w->chrome + WIN_BORDER * g->w + 1, g->w, g->w - 2, th, WIN_COLOR_TITLE_BG);
	draw_fill(w->chrome + (size_t)(WIN_BORDER + th) * g->w, g->w, g->w, 1, WIN_COLOR_BORDER);
	draw_fill(bottom + (size_t)(below - 1) * g->w, g->w, g->w, 1, WIN_COLOR_BORDER);
	draw_table(tab, WIN_COLOR_TITLE, WIN_COLOR_TITLE_BG);
	draw_text(w->chrome + (size_t)(WIN_BORDER + WIN_TITLE_PAD) * g->w + g->text_x, g->w,
		  w->font, title, len < fit ? len : fit, tab);
	for (uint32_t y = 0; y < win_chrome_rows(g) - 1; y++) {
		w->chrome_span[y] = blit_analyse(w->chrome + (size_t)y * g->w, g->w);
	}
}

/* Forgets every strip: no (serial, stamp) matches UINT64_MAX. */
static void win_forget(struct win *w)
{
	for (uint32_t i = 0; i < WIN_ROWS_MAX; i++) {
		w->tags[i] = (struct win_tag){UINT64_MAX, UINT64_MAX, UINT32_MAX};
	}
}

int win_layout(struct win *w, const struct fomos_context *ctx, const char *title, size_t len)
{
	struct win_geom g;

	win_release(w, ctx);
	if (!win_geometry(w, ctx->fb.w, ctx->fb.h, &g)) {
		return WIN_ESMALL;
	}
	w->chrome_bytes = (size_t)win_chrome_rows(&g) * g.w * sizeof(uint32_t);
	w->strips_bytes = (size_t)g.rows * g.cell_h * g.w * sizeof(uint32_t);
	w->chrome = ctx->calloc(w->chrome_bytes, 64);
	w->strips = ctx->calloc(w->strips_bytes, 64);
	if (w->chrome == NULL || w->strips == NULL) {
		win_release(w, ctx);
		return WIN_ENOMEM;
	}
	w->g = g;
	w->fb_w = ctx->fb.w;
	w->fb_h = ctx->fb.h;
	win_draw_chrome(w, title, len);
	win_forget(w);
	w->chrome_shown = false;
	return 0;
}

/* Renders one text row (row may be NULL: blank) into strip `slot`, its
 * columns [from, to) selected. */
static void win_render(struct win *w, uint32_t slot, const struct term_view *v, uint32_t from,
		       uint32_t to)
{
	const struct win_geom *g = &w->g;
	uint32_t *strip = w->strips + (size_t)slot * g->cell_h * g->w;
	uint32_t *text = strip + g->text_x;
	size_t n;

	for (uint32_t y = 0; y < g->cell_h; y++) {
		memcpy(strip + (size_t)y * g->w, w->blank, g->w * sizeof(uint32_t));
	}
	w->rows_rendered++;
	if (v->row != NULL) {
		n = v->row->len < g->cols ? v->row->len : g->cols;
		draw_text(text, g->w, w->font, v->row->text, n,
			  w->nib[v->row->color % TERM_COLORS]);
		if (from < to && to <= n) {
			draw_text(text + (size_t)from * g->cell_w, g->w, w->font,
				  v->row->text + from, to - from, w->nib[WIN_SELECT_TAB]);
		}
		if (v->cursor >= 0 && (uint32_t)v->cursor < g->cols) {
			char c = (size_t)v->cursor < n ? v->row->text[v->cursor] : ' ';

			draw_glyph(text + (size_t)v->cursor * g->cell_w, g->w, w->font,
				   psf_glyph(w->font, (uint8_t)c), w->nib[WIN_CURSOR_TAB]);
		}
	}
	w->strip_span[slot] = blit_analyse(strip, g->w);
	for (uint32_t y = 1; y < g->cell_h; y++) {
		w->strip_span[slot] = blit_merge(
		    w->strip_span[slot], blit_analyse(strip + (size_t)y * g->w, g->w), g->w);
	}
}

static bool win_same(struct win_tag a, struct win_tag b)
{
	return a.serial == b.serial && a.stamp == b.stamp && a.marked == b.marked;
}

void win_update(struct win *w, const struct term *t, const struct sel *sel)
{
	if (w->strips == NULL) {
		return; /* no layout */
	}
	for (uint32_t i = 0; i < w->g.rows; i++) {
		struct term_view v = term_view_row(t, i);
		uint32_t slot = (uint32_t)(v.serial % w->g.rows);
		uint32_t len = v.row != NULL && v.row->len < w->g.cols ? v.row->len : w->g.cols;
		uint32_t from = 0, to = 0;
		if (v.row == NULL || !sel_columns(sel, v.serial, len, &from, &to)) {
			from = to = 0;
		}
		struct win_tag tag = {v.serial, v.row != NULL ? v.row->stamp : 0, from << 16 | to};

		w->slot[i] = (uint8_t)slot;
		if (!win_same(w->tags[slot], tag)) {
			win_render(w, slot, &v, from, to);
			w->tags[slot] = tag;
		}
	}
}

bool win_boundary_at(const struct win *w, int64_t x, int64_t y, uint32_t *row, uint32_t *col)
{
	const struct win_geom *g = &w->g;
	int64_t tx = x - g->x - g->text_x + g->cell_w / 2, ty = y - g->y - g->text_y;
	int64_t c = tx / (int64_t)g->cell_w, r = ty / (int64_t)g->cell_h;
	*col = tx < 0 ? 0 : c > g->cols ? g->cols : (uint32_t)c;
	*row = ty < 0 ? 0 : r >= g->rows ? g->rows - 1 : (uint32_t)r;
	return x >= g->x && x < g->x + g->w && y >= g->y && y < g->y + g->h;
}

/* Copies n window rows from src (stride g.w), described by spans (one
 * per row, or the same one for all if span_step is 0), to the screen rows
 * from window row y on. */
static void win_copy_rows(const struct win *w, const struct fomos_context *ctx, uint32_t y,
			  const uint32_t *src, uint32_t n, const struct blit_span *span,
			  size_t span_step)
{
	const struct win_geom *g = &w->g;
	uint32_t *dst = (uint32_t *)(ctx->fb.pixels + (size_t)(g->y + y) * ctx->fb.w + g->x);

	for (uint32_t i = 0; i < n; i++, dst += ctx->fb.w, src += g->w, span += span_step) {
		blit_row(dst, src, g->w, *span);
	}
}

void win_blit(struct win *w, const struct fomos_context *ctx, bool changes_only)
{
	const struct win_geom *g = &w->g;
	uint32_t text_end = g->text_y + g->rows * g->cell_h;

	if (w->strips == NULL || ctx->fb.pixels == NULL || ctx->fb.w == 0 ||
	    ctx->fb.len / ctx->fb.w < ctx->fb.h) {
		return; /* no layout, or a screen smaller than it claims */
	}
	if (ctx->fb.pixels != w->shown_on) {
		w->chrome_shown = false; /* a new surface (a resumed app's, say) starts blank */
		w->shown_on = ctx->fb.pixels;
	}
	if (!changes_only || !w->chrome_shown) {
		win_copy_rows(w, ctx, 0, w->chrome, g->text_y, w->chrome_span, 1);
		win_copy_rows(w, ctx, text_end, w->chrome + (size_t)g->text_y * g->w,
			      g->h - text_end, w->chrome_span + g->text_y, 1);
	}
	for (uint32_t i = 0; i < g->rows; i++) {
		uint32_t slot = w->slot[i];
		bool same = win_same(w->shown[i], w->tags[slot]);

		if (!changes_only || !w->chrome_shown || !same) {
			win_copy_rows(w, ctx, g->text_y + i * g->cell_h,
				      w->strips + (size_t)slot * g->cell_h * g->w, g->cell_h,
				      &w->strip_span[slot], 0);
		}
		w->shown[i] = w->tags[slot];
	}
	w->chrome_shown = true;
}
