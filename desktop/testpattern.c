/*
 * The pointer test pattern; see testpattern.h. The saved area covers the
 * marker and its label: one rectangle, clipped to the screen, copied out
 * before drawing and back in on erase.
 */
#include "desktop/testpattern.h"

#include <stdbool.h>

#include "desktop/font.h"
#include "lib/format.h"
#include "lib/string.h"

#define SAVE_W	    320
#define SAVE_H	    TESTPATTERN_MARKER_SIZE
#define LABEL_CHARS 28

static uint32_t saved[SAVE_W * SAVE_H];
static struct canvas_rect saved_rect; /* w == 0: nothing saved */

static void copy_rect(struct canvas *c, struct canvas_rect r, bool save)
{
	for (uint32_t y = 0; y < r.h; y++) {
		uint32_t *row = c->pixels + (size_t)(r.y + y) * c->stride + r.x;
		if (save) {
			memcpy(saved + (size_t)y * SAVE_W, row, (size_t)r.w * 4);
		} else {
			memcpy(row, saved + (size_t)y * SAVE_W, (size_t)r.w * 4);
		}
	}
}

void testpattern_erase(struct canvas *c)
{
	if (saved_rect.w == 0) {
		return;
	}
	copy_rect(c, saved_rect, false);
	canvas_mark_dirty(c, (int32_t)saved_rect.x, (int32_t)saved_rect.y, (int32_t)saved_rect.w,
			  (int32_t)saved_rect.h);
	saved_rect.w = 0;
}

void testpattern_forget(void)
{
	saved_rect.w = 0;
}

/* The held buttons and keys, as "btn 272 key 30 42" (first few only). */
static uint32_t describe_held(const struct fomos_input *in, char *label, bool *button, bool *key)
{
	size_t n = 0;

	*button = *key = false;
	for (uint32_t code = 0; code < 1024 && n < LABEL_CHARS - 5; code++) {
		if (!fomos_key_is_down(in->keys[code])) {
			continue;
		}
		bool is_button = code >= FOMOS_BTN_LEFT && code <= FOMOS_BTN_LEFT + 7;
		*button |= is_button;
		*key |= !is_button;
		n += (size_t)fmt_snprintf(label + n, LABEL_CHARS - n, " %s%u",
					  is_button ? "btn" : "", code);
	}
	return (uint32_t)n;
}

void testpattern_draw(struct canvas *c, const struct fomos_input *in)
{
	char label[LABEL_CHARS] = "";
	bool button, key;
	uint32_t len = describe_held(in, label, &button, &key);
	uint32_t color = button ? CANVAS_RGB(0xf0, 0x40, 0x40)
			 : key	? CANVAS_RGB(0x40, 0x80, 0xff)
				: CANVAS_RGB(0x30, 0xd0, 0x60);
	int32_t x = (int32_t)in->mouse_x - TESTPATTERN_MARKER_SIZE / 2;
	int32_t y = (int32_t)in->mouse_y - TESTPATTERN_MARKER_SIZE / 2;

	/* The save area, clipped to the screen. */
	int32_t x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
	int32_t x1 = x + SAVE_W > (int32_t)c->width ? (int32_t)c->width : x + SAVE_W;
	int32_t y1 = y + SAVE_H > (int32_t)c->height ? (int32_t)c->height : y + SAVE_H;
	saved_rect = (struct canvas_rect){(uint32_t)x0, (uint32_t)y0, (uint32_t)(x1 - x0),
					  (uint32_t)(y1 - y0)};
	copy_rect(c, saved_rect, true);

	canvas_fill_rect(c, x, y, TESTPATTERN_MARKER_SIZE, TESTPATTERN_MARKER_SIZE, color);
	const struct psf_font *font = system_font();
	if (font != NULL && len > 0) {
		canvas_draw_text(c, font, x + TESTPATTERN_MARKER_SIZE + 4,
				 y + (TESTPATTERN_MARKER_SIZE - (int32_t)font->height) / 2, label,
				 len, CANVAS_RGB(0xff, 0xff, 0xff), CANVAS_RGB(0, 0, 0));
	}
}
