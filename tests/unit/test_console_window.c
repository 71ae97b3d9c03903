/*
 * tests/unit/test_console_window.c — host tests for the console's pixels:
 * apps/console/window.c (layout, strip cache, blit), draw.c (glyphs four
 * pixels at a time) and blit.c (spans), with the real Terminus font and a
 * fake context whose calloc/cdalloc track every block.
 *
 * The screen is an exact-size heap block, so ASan catches a write outside
 * it. Every blit goes over a screen full of garbage and must restore the
 * whole window (the background app repaints everything each frame), and
 * nothing outside the window may change. Text is checked cell by cell
 * against the font's bitmaps with a plain bit-by-bit reference. The cache
 * must render only what changed, and memory must not grow over frames.
 * In a surface of the console's own, a blit writes only the rows that
 * changed since the last one.
 */
#define _POSIX_C_SOURCE 200112L /* posix_memalign: exact-size aligned blocks for ASan */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "apps/console/terminal.h"
#include "apps/console/window.h"
#include "tests/unit/psf_test_util.h"

#define GARBAGE 0x5a5a5a5au
#define OUTSIDE 0x12345678u

static struct psf_font font;
static uint8_t *font_data;
static struct fomos_context ctx;
static struct win win;
static struct term term;
static size_t live_blocks;

static void *fake_calloc(size_t size, size_t align)
{
	void *p = NULL;

	assert_int_equal(posix_memalign(&p, align, size), 0);
	memset(p, 0, size);
	live_blocks++;
	return p;
}

static void fake_cdalloc(void *p, size_t size, size_t align)
{
	(void)size;
	(void)align;
	assert_true(live_blocks > 0);
	live_blocks--;
	free(p);
}

static void set_screen(size_t w, size_t h)
{
	free(ctx.fb.pixels);
	ctx.fb.pixels = malloc(w * h * sizeof(struct fomos_rgba));
	assert_non_null(ctx.fb.pixels);
	ctx.fb.w = w;
	ctx.fb.h = h;
	ctx.fb.len = w * h;
}

static uint32_t *screen(void)
{
	return (uint32_t *)ctx.fb.pixels;
}

static int setup(void **state)
{
	size_t len;

	(void)state;
	font_data = load_gz(TERMINUS, &len);
	assert_non_null(font_data);
	assert_int_equal(psf_parse(&font, font_data, len), 0);
	memset(&ctx, 0, sizeof(ctx));
	ctx.version = 2;
	ctx.calloc = fake_calloc;
	ctx.cdalloc = fake_cdalloc;
	set_screen(1280, 800);
	assert_int_equal(win_init(&win, &font), 0);
	term_init(&term, TERM_COLS_MAX, 1);
	live_blocks = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	win_release(&win, &ctx);
	assert_int_equal(live_blocks, 0);
	free(ctx.fb.pixels);
	ctx.fb.pixels = NULL;
	free(font_data);
	return 0;
}

static void layout(void)
{
	assert_true(win_needs_layout(&win, &ctx));
	assert_int_equal(win_layout(&win, &ctx, "title", 5), 0);
	assert_false(win_needs_layout(&win, &ctx));
	term_resize(&term, win.g.cols, win.g.rows);
}

/* One frame over a garbage screen; the outside must stay as it was. */
static void frame(void)
{
	const struct win_geom *g = &win.g;

	for (size_t i = 0; i < ctx.fb.len; i++) {
		size_t x = i % ctx.fb.w;
		size_t y = i / ctx.fb.w;
		bool in = x >= g->x && x < g->x + g->w && y >= g->y && y < g->y + g->h;

		screen()[i] = in ? GARBAGE ^ (uint32_t)i : OUTSIDE;
	}
	win_update(&win, &term, &(struct sel){0});
	win_blit(&win, &ctx, false);
	for (size_t i = 0; i < ctx.fb.len; i++) {
		size_t x = i % ctx.fb.w;
		size_t y = i / ctx.fb.w;
		bool in = x >= g->x && x < g->x + g->w && y >= g->y && y < g->y + g->h;

		if (in) {
			assert_int_not_equal(screen()[i], GARBAGE ^ (uint32_t)i);
		} else {
			assert_int_equal(screen()[i], OUTSIDE);
		}
	}
}

static uint32_t pixel(uint32_t wx, uint32_t wy)
{
	return screen()[(size_t)(win.g.y + wy) * ctx.fb.w + win.g.x + wx];
}

/* Visible row r shows text s (cursor at column cur, or -1): every pixel of
 * every cell is ink or background exactly as the font says. */
static void check_row(uint32_t r, const char *s, int cur)
{
	const struct win_geom *g = &win.g;
	uint32_t bg = pixel(g->w - 3, g->text_y);

	for (uint32_t c = 0; c < g->cols; c++) {
		uint8_t ch = c < strlen(s) ? (uint8_t)s[c] : ' ';
		const uint8_t *glyph = psf_glyph(&font, ch);

		for (uint32_t y = 0; y < g->cell_h; y++) {
			for (uint32_t x = 0; x < g->cell_w; x++) {
				bool ink = glyph[y * font.row_bytes + x / 8] & (0x80 >> (x % 8));
				uint32_t p = pixel(g->text_x + c * g->cell_w + x,
						   g->text_y + r * g->cell_h + y);

				if ((int)c == cur) {
					ink = !ink;
				}
				if (ink == (p == bg)) {
					fail_msg("row %u col %u ('%c') pixel %u,%u", r, c, ch, x,
						 y);
				}
			}
		}
	}
}

static void test_layout_and_text(void **state)
{
	const struct win_geom *g = &win.g;

	(void)state;
	layout();
	assert_int_equal(g->w, 800);
	assert_int_equal(g->h, 480);
	assert_int_equal(g->x, 240);
	assert_int_equal(g->y, 160);
	assert_int_equal(g->cols, 78);
	assert_int_equal(g->rows, 22);
	term_write(&term, "Hello, World! {[(0x7f)]} ~`|", 28, TERM_NORMAL);
	term_write(&term, "error", 5, TERM_ERROR);
	term_set_input(&term, "$ ", 2, "ls", 2, 1, true);
	frame();
	check_row(0, "Hello, World! {[(0x7f)]} ~`|", -1);
	check_row(1, "error", -1);
	check_row(2, "$ ls", 3);
	check_row(3, "", -1);
	check_row(21, "", -1);
	/* The same frame again over new garbage: nothing re-rendered. */
	uint64_t before = win.rows_rendered;
	frame();
	assert_int_equal(win.rows_rendered, before);
	check_row(2, "$ ls", 3);
}

static void test_only_changes_are_rendered(void **state)
{
	char s[32];
	uint64_t before;

	(void)state;
	layout();
	for (int i = 0; i < 40; i++) {
		snprintf(s, sizeof(s), "line %d", i);
		term_write(&term, s, strlen(s), TERM_NORMAL);
	}
	frame();
	assert_int_equal(win.rows_rendered, 22);
	before = win.rows_rendered;
	term_write(&term, "new", 3, TERM_NORMAL); /* scrolls by one */
	frame();
	assert_int_equal(win.rows_rendered - before, 2); /* "new" and the input row */
	check_row(0, "line 20", -1);
	check_row(20, "new", -1);
	before = win.rows_rendered;
	term_set_input(&term, "$ ", 2, "x", 1, 1, false); /* typing */
	frame();
	assert_int_equal(win.rows_rendered - before, 1);
	check_row(21, "$ x", -1);
	before = win.rows_rendered;
	term_scroll(&term, 5);
	frame();
	assert_int_equal(win.rows_rendered - before, 5);
	check_row(0, "line 15", -1);
	check_row(21, "line 36", -1);
}

/* The window's pixels that are not `marker`. */
static size_t written_rows(uint32_t marker, uint32_t *first, uint32_t *last)
{
	size_t n = 0;
	*first = UINT32_MAX;
	*last = 0;
	for (uint32_t y = 0; y < win.g.h; y++) {
		for (uint32_t x = 0; x < win.g.w; x++) {
			if (pixel(x, y) != marker) {
				*first = y < *first ? y : *first;
				*last = y;
				n++;
				break;
			}
		}
	}
	return n;
}

static void test_a_surface_gets_only_the_rows_that_changed(void **state)
{
	const struct win_geom *g = &win.g;
	uint32_t first, last;

	(void)state;
	layout();
	term_write(&term, "hello", 5, TERM_NORMAL);
	term_set_input(&term, "$ ", 2, "", 0, 0, false);
	frame(); /* the first blit is whole, whatever changes_only says */
	for (size_t i = 0; i < ctx.fb.len; i++) {
		screen()[i] = GARBAGE;
	}
	win_update(&win, &term, &(struct sel){0});
	win_blit(&win, &ctx, true);
	assert_int_equal(written_rows(GARBAGE, &first, &last), 0);
	term_set_input(&term, "$ ", 2, "x", 1, 1, false); /* typing changes the input row */
	win_update(&win, &term, &(struct sel){0});
	win_blit(&win, &ctx, true);
	assert_int_equal(written_rows(GARBAGE, &first, &last), g->cell_h);
	assert_int_equal(first, g->text_y + g->cell_h);
	/* a new surface (the same window resumed, say) is drawn whole */
	uint32_t *other = calloc(ctx.fb.len, sizeof(uint32_t));
	assert_non_null(other);
	struct fomos_rgba *old = ctx.fb.pixels;
	ctx.fb.pixels = (struct fomos_rgba *)other;
	win_blit(&win, &ctx, true);
	assert_int_not_equal(other[(size_t)(g->y + g->h - 1) * ctx.fb.w + g->x], 0);
	ctx.fb.pixels = old;
	free(other);
}

/* Selecting text re-renders the rows it touches, and only those: the
 * selected cells get the selection's background, the others keep theirs;
 * win_boundary_at maps pixels to the cell boundaries the selection uses. */
static void test_a_selection_shows_on_its_rows_only(void **state)
{
	const struct win_geom *g = &win.g;
	uint32_t row, col;

	(void)state;
	layout();
	term_write(&term, "first", 5, TERM_NORMAL);
	term_write(&term, "second", 6, TERM_NORMAL);
	term_set_input(&term, "$ ", 2, "", 0, 0, false);
	frame();
	uint64_t before = win.rows_rendered;
	assert_true(win_boundary_at(&win, g->x + g->text_x + 2 * g->cell_w + 1,
				    g->y + g->text_y + g->cell_h + 3, &row, &col));
	assert_int_equal(row, 1);
	assert_int_equal(col, 2); /* the boundary nearest to the pixel */
	assert_false(win_boundary_at(&win, g->x + g->w, g->y, &row, &col));
	struct sel sel = {{1, 2}, {1, 4}, false};
	win_update(&win, &term, &sel);
	assert_int_equal(win.rows_rendered, before + 1);
	const uint32_t *px = (const uint32_t *)ctx.fb.pixels;
	size_t y = g->y + g->text_y + g->cell_h; /* the top pixel row of "second" */
	uint32_t plain = px[y * ctx.fb.w + g->x + g->text_x];
	win_blit(&win, &ctx, false);
	assert_int_not_equal(px[y * ctx.fb.w + g->x + g->text_x + 2 * g->cell_w], plain);
	assert_int_equal(px[y * ctx.fb.w + g->x + g->text_x + 4 * g->cell_w], plain);
	assert_int_equal(px[(y - g->cell_h) * ctx.fb.w + g->x + g->text_x + 2 * g->cell_w], plain);
	win_update(&win, &term, &sel); /* the same selection again: nothing to render */
	assert_int_equal(win.rows_rendered, before + 1);
}

static void test_wide_rows_and_cursor_at_the_edge(void **state)
{
	char s[256];

	(void)state;
	layout();
	memset(s, 'W', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	term_write(&term, s, win.g.cols, TERM_NORMAL);
	term_set_input(&term, "$ ", 2, s, 200, 200, true);
	frame();
	s[win.g.cols] = '\0';
	check_row(0, s, -1);
	/* The input row scrolled sideways: prompt, the line's tail, cursor. */
	memcpy(s, "$ ", 2);
	s[win.g.cols - 1] = '\0';
	check_row(1, s, (int)win.g.cols - 1);
}

static void test_screen_sizes_and_memory(void **state)
{
	static const size_t sizes[][2] = {
	    {640, 480}, {320, 200}, {1280, 800}, {1920, 1080}, {801, 481}, {799, 479},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		set_screen(sizes[i][0], sizes[i][1]);
		layout();
		assert_int_equal(live_blocks, 2); /* old buffers were freed */
		assert_true(win.g.x + win.g.w <= sizes[i][0]);
		assert_true(win.g.y + win.g.h <= sizes[i][1]);
		term_write(&term, "size", 4, TERM_NOTE);
		term_set_input(&term, "$ ", 2, "", 0, 0, true);
		frame();
		check_row(0, "size", -1);
		for (int f = 0; f < 5; f++) {
			frame();
		}
		assert_int_equal(live_blocks, 2);
	}
	set_screen(20, 20);
	assert_int_equal(win_layout(&win, &ctx, "t", 1), WIN_ESMALL);
	assert_int_equal(live_blocks, 0);
	win_blit(&win, &ctx, false); /* no layout: draws nothing, does not crash */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_layout_and_text, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_only_changes_are_rendered, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_surface_gets_only_the_rows_that_changed, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_a_selection_shows_on_its_rows_only, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_wide_rows_and_cursor_at_the_edge, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_screen_sizes_and_memory, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
