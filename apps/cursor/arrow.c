/*
 * apps/cursor/arrow.c — the arrow bitmap and the button indicator.
 *
 * The bitmap is text: 'X' outline, '.' fill, ' ' transparent; row 0
 * column 0 is the hotspot. Text keeps it easy to read and to change, and
 * at about 130 pixels walking it every frame costs nothing.
 */
#include "apps/cursor/arrow.h"

#define ARROW_W 12
#define ARROW_H 19

static const char cursor_arrow[ARROW_H][ARROW_W + 1] = {
    "X           ", "XX          ", "X.X         ", "X..X        ", "X...X       ",
    "X....X      ", "X.....X     ", "X......X    ", "X.......X   ", "X........X  ",
    "X.........X ", "X......XXXXX", "X...X..X    ", "X..XX..X    ", "X.X  X..X   ",
    "XX   X..X   ", "X     X..X  ", "      X..X  ", "       XX   ",
};

static const struct cursor_colour cursor_outline = {16, 18, 28};
static const struct cursor_colour cursor_shadow = {0, 0, 0};
static const struct cursor_colour cursor_white = {250, 250, 250};

/* Button colours, in enum cursor_buttons bit order. */
static const struct cursor_colour cursor_button_colour[3] = {
    {255, 190, 60},  /* left: amber */
    {120, 230, 130}, /* middle: green */
    {110, 190, 255}, /* right: blue */
};

static struct cursor_colour cursor_fill(unsigned buttons)
{
	for (unsigned i = 0; i < 3; i++) {
		if (buttons & (1u << i)) {
			return cursor_button_colour[i];
		}
	}
	return cursor_white;
}

void cursor_draw_arrow(const struct cursor_screen *s, int64_t x, int64_t y, unsigned buttons)
{
	struct cursor_colour fill = cursor_fill(buttons);

	for (int64_t row = 0; row < ARROW_H; row++) {
		for (int64_t col = 0; col < ARROW_W; col++) {
			if (cursor_arrow[row][col] != ' ') {
				cursor_blend(s, x + col + 2, y + row + 2, cursor_shadow, 80);
			}
		}
	}
	for (int64_t row = 0; row < ARROW_H; row++) {
		for (int64_t col = 0; col < ARROW_W; col++) {
			char c = cursor_arrow[row][col];

			if (c != ' ') {
				cursor_blend(s, x + col, y + row, c == 'X' ? cursor_outline : fill,
					     256);
			}
		}
	}
}

void cursor_draw_buttons(const struct cursor_screen *s, int64_t x, int64_t y, unsigned buttons)
{
	for (unsigned i = 0; i < 3; i++) {
		if (buttons & (1u << i)) {
			int64_t cx = x + 14 + 7 * (int64_t)i, cy = y + ARROW_H + 2;

			cursor_dot(s, cx, cy, 3, cursor_outline, 256);
			cursor_dot(s, cx, cy, 2, cursor_button_colour[i], 256);
		}
	}
}
