/*
 * apps/cursor/main.c — the mouse cursor app: _start.
 *
 * The last app of the desktop (top of the z-order), so what it draws is
 * never covered. Every frame it reads the pointer and the mouse buttons
 * from ctx->input, remembers the position in a short trail, and draws the
 * trail, the arrow (its colour says which button is down) and one dot per
 * pressed button. It paints only a few hundred pixels: the background app
 * repaints the whole screen every frame, so nothing needs erasing.
 *
 * State: struct cursor_state in *ctx->store, allocated at the first call;
 * nothing survives on the stack.
 */
#include "apps/cursor/arrow.h"
#include "apps/cursor/draw.h"
#include "apps/cursor/trail.h"
#include "fomos.h"

struct cursor_state {
	struct cursor_trail trail;
};

static unsigned cursor_buttons(const struct fomos_input *in)
{
	unsigned b = 0;

	b |= fomos_input_key_down(in, FOMOS_BTN_LEFT) ? CURSOR_LEFT : 0;
	b |= fomos_input_key_down(in, FOMOS_BTN_MIDDLE) ? CURSOR_MIDDLE : 0;
	b |= fomos_input_key_down(in, FOMOS_BTN_RIGHT) ? CURSOR_RIGHT : 0;
	return b;
}

static void cursor_log(struct fomos_context *ctx, const char *s)
{
	uint32_t n = 0;

	while (s[n] != '\0') {
		n++;
	}
	ctx->log(s, n);
}

int32_t _start(struct fomos_context *ctx)
{
	struct cursor_state *st = *ctx->store;

	if (st == NULL) {
		st = ctx->calloc(sizeof(*st), _Alignof(struct cursor_state));
		if (st == NULL) {
			cursor_log(ctx, "out of memory for the state");
			return -1;
		}
		*ctx->store = st;
		cursor_log(ctx, "cursor ready");
	}
	const struct fomos_framebuffer *fb = &ctx->fb;
	if (fb->pixels == NULL || fb->w == 0 || ctx->input == NULL) {
		return FOMOS_CONTINUE;
	}
	size_t rows = fb->len / fb->w < fb->h ? fb->len / fb->w : fb->h;
	struct cursor_screen screen = {fb->pixels, (int64_t)fb->w, (int64_t)rows};
	int32_t x = (int32_t)ctx->input->mouse_x, y = (int32_t)ctx->input->mouse_y;
	unsigned buttons = cursor_buttons(ctx->input);

	cursor_trail_push(&st->trail, x, y);
	cursor_trail_draw(&st->trail, &screen);
	cursor_draw_arrow(&screen, x, y, buttons);
	cursor_draw_buttons(&screen, x, y, buttons);
	return FOMOS_CONTINUE;
}
