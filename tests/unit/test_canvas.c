/*
 * tests/unit/test_canvas.c — host tests for lib/canvas.c.
 *
 * A tiny PSF2 font is built here from ASCII art (10 pixels wide, so a glyph
 * row spans two bytes), and every drawing is checked pixel by pixel against
 * a deliberately naive reference renderer that works from the same ASCII
 * art, one canvas pixel at a time, with no clipping logic of its own. The
 * canvas has a stride wider than its width, and the padding columns hold a
 * canary, so a write past the right edge shows up; pixel buffers are
 * exact-size heap blocks, so ASan catches writes past the last row. The
 * dirty rectangle is compared with the bounding box of what the reference
 * says must change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/canvas.h"

/* ------------------------------------------------------- test font --- */

#define FW	10
#define FH	4
#define NGLYPHS 4

/* Glyph art and what maps to it: 0 = U+FFFD, 1 = 'A', 2 = U+00E9, 3 = ' '. */
static const char *const art[NGLYPHS][FH] = {
    {"##########", "#........#", "#.#....#.#", "##########"},
    {"...####...", "..#....#..", ".########.", "#........#"},
    {"......##..", ".######...", "#..######.", ".######..#"},
    {"..........", "..........", "..........", ".........."},
};

static uint32_t art_glyph(uint32_t cp)
{
	switch (cp) {
	case 'A':
		return 1;
	case 0xE9:
		return 2;
	case ' ':
		return 3;
	default:
		return 0;
	}
}

static uint8_t font_data[32 + NGLYPHS * FH * 2 + 32];
static struct psf_font font;

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static int build_font(void **state)
{
	static const char table[] = "\xef\xbf\xbd\xff"
				    "A\xff"
				    "\xc3\xa9\xff"
				    " \xff";
	uint8_t *g = font_data + 32;

	(void)state;
	put32(font_data, 0x864ab572u);
	put32(font_data + 4, 0);
	put32(font_data + 8, 32);
	put32(font_data + 12, 1);
	put32(font_data + 16, NGLYPHS);
	put32(font_data + 20, FH * 2);
	put32(font_data + 24, FH);
	put32(font_data + 28, FW);
	for (int i = 0; i < NGLYPHS; i++) {
		for (int r = 0; r < FH; r++, g += 2) {
			for (int col = 0; col < FW; col++) {
				if (art[i][r][col] == '#') {
					g[col / 8] |= (uint8_t)(0x80 >> (col % 8));
				}
			}
		}
	}
	memcpy(g, table, sizeof(table) - 1);
	return psf_parse(&font, font_data, (size_t)(g - font_data) + sizeof(table) - 1);
}

/* ------------------------------------------------- canvas fixture --- */

#define CANARY 0x5A5A5A5Au
#define PAD    3 /* stride - width */

struct fixture {
	struct canvas c;
	uint32_t *pixels;
	uint32_t *want;
};

static void fixture_init(struct fixture *fx, uint32_t w, uint32_t h)
{
	size_t n = (size_t)(w + PAD) * h;

	fx->pixels = malloc(n * sizeof(uint32_t));
	fx->want = malloc(n * sizeof(uint32_t));
	assert_non_null(fx->pixels);
	assert_non_null(fx->want);
	for (size_t i = 0; i < n; i++) {
		fx->pixels[i] = fx->want[i] = CANARY;
	}
	assert_int_equal(canvas_init(&fx->c, fx->pixels, w, h, w + PAD), 0);
}

static void fixture_free(struct fixture *fx)
{
	free(fx->pixels);
	free(fx->want);
}

/* Sets want[x, y] if it is on the canvas; widens box to cover it. */
static void want_pixel(struct fixture *fx, int64_t x, int64_t y, uint32_t v,
		       struct canvas_rect *box)
{
	if (x < 0 || y < 0 || x >= fx->c.width || y >= fx->c.height) {
		return;
	}
	fx->want[(size_t)y * fx->c.stride + (size_t)x] = v;
	if (box->w == 0) {
		*box = (struct canvas_rect){(uint32_t)x, (uint32_t)y, 1, 1};
		return;
	}
	uint32_t x1 = box->x + box->w > x + 1 ? box->x + box->w : (uint32_t)x + 1;
	uint32_t y1 = box->y + box->h > y + 1 ? box->y + box->h : (uint32_t)y + 1;
	box->x = box->x < x ? box->x : (uint32_t)x;
	box->y = box->y < y ? box->y : (uint32_t)y;
	box->w = x1 - box->x;
	box->h = y1 - box->y;
}

/* The canvas equals the reference, padding columns included. */
static void check_pixels(const struct fixture *fx)
{
	for (uint32_t y = 0; y < fx->c.height; y++) {
		for (uint32_t x = 0; x < fx->c.stride; x++) {
			size_t i = (size_t)y * fx->c.stride + x;

			if (fx->pixels[i] != fx->want[i]) {
				fail_msg("pixel (%u, %u): got %08x want %08x", x, y, fx->pixels[i],
					 fx->want[i]);
			}
		}
	}
}

static void check_dirty(struct fixture *fx, struct canvas_rect want)
{
	struct canvas_rect got = canvas_take_dirty(&fx->c);

	if (want.w == 0 || want.h == 0) {
		assert_true(got.w == 0 || got.h == 0);
	} else {
		assert_int_equal(got.x, want.x);
		assert_int_equal(got.y, want.y);
		assert_int_equal(got.w, want.w);
		assert_int_equal(got.h, want.h);
	}
	got = canvas_take_dirty(&fx->c);
	assert_true(got.w == 0 || got.h == 0);
}

/* Reference text: each canvas pixel asks which cell and font pixel it is. */
static struct canvas_rect ref_text(struct fixture *fx, int64_t x, int64_t y, const uint32_t *cps,
				   size_t n, uint32_t scale, uint32_t fg, uint32_t bg)
{
	struct canvas_rect box = {0, 0, 0, 0};
	int64_t cell_w = (int64_t)FW * scale;

	for (int64_t py = 0; py < fx->c.height; py++) {
		for (int64_t px = 0; px < fx->c.width; px++) {
			int64_t dx = px - x;
			int64_t dy = py - y;

			if (dx < 0 || dy < 0 || dy >= (int64_t)FH * scale ||
			    dx >= cell_w * (int64_t)n) {
				continue;
			}
			uint32_t g = art_glyph(cps[dx / cell_w]);
			char bit = art[g][dy / scale][(dx % cell_w) / scale];
			/* Box first: the whole cell counts as touched. */
			want_pixel(fx, px, py, fx->want[py * fx->c.stride + px], &box);
			if (bit == '#') {
				want_pixel(fx, px, py, fg, &box);
			} else if ((bg >> 24) != 0) { /* alpha 0: not drawn */
				want_pixel(fx, px, py, bg, &box);
			}
		}
	}
	return box;
}

static struct canvas_rect ref_fill(struct fixture *fx, int64_t x, int64_t y, int64_t w, int64_t h,
				   uint32_t color)
{
	struct canvas_rect box = {0, 0, 0, 0};

	for (int64_t py = 0; py < fx->c.height; py++) {
		for (int64_t px = 0; px < fx->c.width; px++) {
			if (px >= x && px < x + w && py >= y && py < y + h) {
				want_pixel(fx, px, py, color, &box);
			}
		}
	}
	return box;
}

#define RED   CANVAS_RGB(255, 0, 0)
#define INK   CANVAS_RGB(10, 20, 30)
#define PAPER CANVAS_RGB(200, 210, 220)

/* ------------------------------------------------------------ tests --- */

static void test_colour_layout(void **state)
{
	uint32_t px = CANVAS_RGB(1, 2, 3);
	uint8_t bytes[4];

	(void)state;
	memcpy(bytes, &px, 4);
	assert_int_equal(bytes[0], 1);
	assert_int_equal(bytes[1], 2);
	assert_int_equal(bytes[2], 3);
	assert_int_equal(bytes[3], 255);
	assert_int_equal(CANVAS_RGBA(0x11, 0x22, 0x33, 0x44), 0x44332211u);
	assert_int_equal(CANVAS_TRANSPARENT >> 24, 0);
}

static void test_init(void **state)
{
	struct canvas c;
	uint32_t px[4];

	(void)state;
	assert_int_equal(canvas_init(&c, px, 2, 2, 1), CANVAS_EINVAL);
	assert_int_equal(canvas_init(&c, NULL, 2, 2, 2), CANVAS_EINVAL);
	assert_int_equal(canvas_init(&c, px, 2, 2, 2), 0);
	assert_int_equal(canvas_take_dirty(&c).w, 0);
}

static void test_fill_exact(void **state)
{
	struct fixture fx;

	(void)state;
	fixture_init(&fx, 16, 12);
	canvas_fill_rect(&fx.c, 3, 2, 5, 4, RED);
	for (uint32_t y = 2; y < 6; y++) {
		for (uint32_t x = 3; x < 8; x++) {
			fx.want[y * fx.c.stride + x] = RED;
		}
	}
	check_pixels(&fx);
	check_dirty(&fx, (struct canvas_rect){3, 2, 5, 4});
	fixture_free(&fx);
}

/* Rectangles crossing every edge, empty and negative sizes, extremes. */
static void test_fill_clipping(void **state)
{
	static const int32_t pos[] = {INT32_MIN, -40, -17, -5, -1, 0,	     1,
				      6,	 12,  13,  14, 30, INT32_MAX};
	static const int32_t size[] = {INT32_MIN, -3, 0, 1, 2, 5, 13, 30, INT32_MAX};
	struct fixture fx;
	uint32_t colour = 1;

	(void)state;
	fixture_init(&fx, 13, 9);
	for (size_t a = 0; a < sizeof(pos) / sizeof(pos[0]); a++) {
		for (size_t b = 0; b < sizeof(pos) / sizeof(pos[0]); b++) {
			for (size_t s = 0; s < sizeof(size) / sizeof(size[0]); s++) {
				int32_t w = size[s];
				int32_t h = size[(s + a) % (sizeof(size) / sizeof(size[0]))];
				struct canvas_rect box;

				colour++;
				box = ref_fill(&fx, pos[a], pos[b], w, h, colour);
				canvas_fill_rect(&fx.c, pos[a], pos[b], w, h, colour);
				check_pixels(&fx);
				check_dirty(&fx, box);
			}
		}
	}
	fixture_free(&fx);
}

static void test_dirty_tracking(void **state)
{
	struct fixture fx;

	(void)state;
	fixture_init(&fx, 40, 30);
	check_dirty(&fx, (struct canvas_rect){0, 0, 0, 0});
	canvas_fill_rect(&fx.c, 5, 5, 2, 2, RED);
	canvas_fill_rect(&fx.c, 20, 1, 3, 1, RED);
	canvas_fill_rect(&fx.c, 100, 100, 5, 5, RED); /* invisible: no change */
	canvas_fill_rect(&fx.c, 8, 8, 0, 5, RED);     /* empty: no change */
	check_dirty(&fx, (struct canvas_rect){5, 1, 18, 6});
	canvas_mark_dirty(&fx.c, -5, 25, 10, 100);
	check_dirty(&fx, (struct canvas_rect){0, 25, 5, 5});
	canvas_draw_text(&fx.c, &font, 30, 28, "AA", 2, INK, CANVAS_TRANSPARENT);
	canvas_fill_rect(&fx.c, 2, 3, 1, 1, RED);
	check_dirty(&fx, (struct canvas_rect){2, 3, 38, 27});
	fixture_free(&fx);
}

static void test_glyph_exact(void **state)
{
	static const char *const want[FH] = {
	    "...####...",
	    "..#....#..",
	    ".########.",
	    "#........#",
	};
	struct fixture fx;

	(void)state;
	fixture_init(&fx, 14, 6);
	canvas_draw_glyph(&fx.c, &font, 2, 1, 'A', INK, PAPER);
	for (uint32_t r = 0; r < FH; r++) {
		for (uint32_t col = 0; col < FW; col++) {
			fx.want[(r + 1) * fx.c.stride + col + 2] =
			    want[r][col] == '#' ? INK : PAPER;
		}
	}
	check_pixels(&fx);
	check_dirty(&fx, (struct canvas_rect){2, 1, FW, FH});
	/* Transparent background (any colour with alpha 0): only the ink
	 * changes. */
	canvas_fill_rect(&fx.c, 0, 0, 14, 6, RED);
	ref_fill(&fx, 0, 0, 14, 6, RED);
	canvas_draw_glyph(&fx.c, &font, 2, 1, 'A', INK, CANVAS_RGBA(9, 9, 9, 0));
	for (uint32_t r = 0; r < FH; r++) {
		for (uint32_t col = 0; col < FW; col++) {
			if (want[r][col] == '#') {
				fx.want[(r + 1) * fx.c.stride + col + 2] = INK;
			}
		}
	}
	check_pixels(&fx);
	fixture_free(&fx);
}

/* One glyph at every position around and across a small canvas. */
static void test_glyph_clipping(void **state)
{
	struct fixture fx;
	uint32_t cp = 0xE9;

	(void)state;
	fixture_init(&fx, 13, 7);
	for (int32_t y = -FH - 1; y <= 8; y++) {
		for (int32_t x = -FW - 1; x <= 14; x++) {
			uint32_t bg = (x + y) % 2 ? PAPER : CANVAS_TRANSPARENT;
			struct canvas_rect box = ref_text(&fx, x, y, &cp, 1, 1, INK, bg);

			canvas_draw_glyph(&fx.c, &font, x, y, cp, INK, bg);
			check_pixels(&fx);
			check_dirty(&fx, box);
		}
	}
	fixture_free(&fx);
}

static void test_text_utf8(void **state)
{
	/* A, é, an invalid byte, a lone continuation byte, a truncated
	 * sequence, U+2603 (not in the font), space, A. */
	static const char text[] = "A\xc3\xa9\xff\x80\xe2\x98"
				   "\xe2\x98\x83 A";
	static const uint32_t cps[] = {'A', 0xE9, 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD, 0x2603, ' ', 'A'};
	size_t n = sizeof(cps) / sizeof(cps[0]);
	struct fixture fx;

	(void)state;
	fixture_init(&fx, 100, 8);
	struct canvas_rect box = ref_text(&fx, 3, 2, cps, n, 1, INK, PAPER);
	int32_t adv = canvas_draw_text(&fx.c, &font, 3, 2, text, sizeof(text) - 1, INK, PAPER);
	assert_int_equal(adv, (int32_t)(n * FW));
	assert_int_equal(canvas_text_width(&font, text, sizeof(text) - 1, 1), adv);
	check_pixels(&fx);
	check_dirty(&fx, box);
	/* len bounds the string; an embedded NUL is just a code point. */
	assert_int_equal(canvas_draw_text(&fx.c, &font, 0, 0, "A\0A", 3, INK, PAPER), 3 * FW);
	assert_int_equal(canvas_draw_text(&fx.c, &font, 0, 0, "AAA", 0, INK, PAPER), 0);
	fixture_free(&fx);
}

/* Scaled text across the edges: the boot title path. */
static void test_text_scaled(void **state)
{
	static const uint32_t cps[] = {'A', 0xE9, 'A'};
	static const int32_t xs[] = {-61, -25, -7, 0, 4, 20, 38};
	static const int32_t ys[] = {-13, -5, 0, 3, 9};
	struct fixture fx;

	(void)state;
	fixture_init(&fx, 41, 13);
	for (uint32_t scale = 1; scale <= 3; scale++) {
		for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
			for (size_t j = 0; j < sizeof(ys) / sizeof(ys[0]); j++) {
				uint32_t bg = j % 2 ? PAPER : CANVAS_TRANSPARENT;
				struct canvas_rect box =
				    ref_text(&fx, xs[i], ys[j], cps, 3, scale, INK, bg);
				int32_t adv = canvas_draw_text_scaled(&fx.c, &font, xs[i], ys[j],
								      "A\xc3\xa9"
								      "A",
								      4, scale, INK, bg);

				assert_int_equal(adv, (int32_t)(3 * FW * scale));
				check_pixels(&fx);
				check_dirty(&fx, box);
			}
		}
	}
	assert_int_equal(canvas_draw_text_scaled(&fx.c, &font, 0, 0, "A", 1, 0, INK, PAPER), 0);
	check_dirty(&fx, (struct canvas_rect){0, 0, 0, 0});
	fixture_free(&fx);
}

/* Extreme coordinates and scales neither crash nor write off-canvas. */
static void test_extremes(void **state)
{
	struct fixture fx;
	struct canvas_rect box;

	(void)state;
	fixture_init(&fx, 9, 5);
	canvas_draw_text(&fx.c, &font, INT32_MAX - 3, 0, "AAAA", 4, INK, PAPER);
	canvas_draw_text(&fx.c, &font, INT32_MIN, INT32_MIN, "AA", 2, INK, PAPER);
	canvas_draw_text(&fx.c, &font, 0, INT32_MAX, "AA", 2, INK, PAPER);
	check_pixels(&fx);
	check_dirty(&fx, (struct canvas_rect){0, 0, 0, 0});
	assert_int_equal(
	    canvas_draw_text_scaled(&fx.c, &font, -5, -5, "AAAA", 4, UINT32_MAX, INK, PAPER),
	    INT32_MAX);
	assert_int_equal(canvas_text_width(&font, "A", 1, UINT32_MAX), INT32_MAX);
	/* A 2^32-times magnified 'A' seen through a 9x5 window at its corner:
	 * font pixel (0, 0) is blank, so all paper. */
	box = ref_fill(&fx, 0, 0, 9, 5, PAPER);
	check_pixels(&fx);
	check_dirty(&fx, box);
	fixture_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_colour_layout),  cmocka_unit_test(test_init),
	    cmocka_unit_test(test_fill_exact),	   cmocka_unit_test(test_fill_clipping),
	    cmocka_unit_test(test_dirty_tracking), cmocka_unit_test(test_glyph_exact),
	    cmocka_unit_test(test_glyph_clipping), cmocka_unit_test(test_text_utf8),
	    cmocka_unit_test(test_text_scaled),	   cmocka_unit_test(test_extremes),
	};

	return cmocka_run_group_tests(tests, build_font, NULL);
}
