/*
 * apps/hello_window — the smallest windowed app (docs/desktop.md): a
 * window of its own, drawn only where something changed, answering the
 * pointer and the keys the desktop lets through to it.
 *
 * Its first call asks for a HW_W x HW_H window (ctx->window, ABI 6); from
 * the next call on ctx->fb is that surface and ctx->input the window's
 * view. It paints the surface once (a vertical gradient), then each call:
 *   - a box follows the pointer while the pointer is over the window (the
 *     coordinates are the window's own: 0,0 is its top-left pixel), so
 *     only the box's old and new places are written;
 *   - a left click there changes the box's colour and logs
 *         hello_window: click at X,Y
 *     in window coordinates;
 *   - Space (only while the window has the focus) does the same.
 * Everything else it leaves alone, so a still window costs the compositor
 * nothing (desktop/compositor.h finds damage from the pages an app wrote).
 * On a kernel before version 6 it draws nothing and exits.
 */
#include "include/fomos.h"
#include "lib/format.h"

#define HW_W   320
#define HW_H   200
#define HW_BOX 16

#define SAY(ctx, s) (ctx)->log((s), sizeof(s) - 1)

struct hw_state {
	const struct fomos_rgba *painted; /* the surface the gradient is in, or NULL */
	int64_t box_x, box_y;		  /* where the box is drawn; box_x < 0: nowhere */
	uint32_t colour;		  /* which of the box colours */
};

static const struct fomos_rgba box_colours[] = {
    {250, 200, 60, 255}, {90, 220, 140, 255}, {240, 110, 120, 255}, {120, 170, 255, 255}};

static struct fomos_rgba hw_gradient(size_t y)
{
	return (struct fomos_rgba){(uint8_t)(30 + y / 8), (uint8_t)(40 + y / 5), 90, 255};
}

/* The gradient back into the box's place (nothing if it is nowhere). */
static void hw_erase(struct fomos_context *ctx, const struct hw_state *s)
{
	for (int64_t y = s->box_y; s->box_x >= 0 && y < s->box_y + HW_BOX; y++) {
		for (int64_t x = s->box_x; x < s->box_x + HW_BOX; x++) {
			ctx->fb.pixels[(size_t)y * ctx->fb.w + (size_t)x] = hw_gradient((size_t)y);
		}
	}
}

static int64_t hw_clamp(int64_t v, int64_t max)
{
	return v < 0 ? 0 : v > max ? max : v;
}

/* The box at (x, y), inside the surface. */
static void hw_box(struct fomos_context *ctx, struct hw_state *s, int64_t x, int64_t y)
{
	s->box_x = x;
	s->box_y = y;
	for (int64_t yy = s->box_y; yy < s->box_y + HW_BOX; yy++) {
		for (int64_t xx = s->box_x; xx < s->box_x + HW_BOX; xx++) {
			ctx->fb.pixels[(size_t)yy * ctx->fb.w + (size_t)xx] =
			    box_colours[s->colour];
		}
	}
}

static void hw_paint(struct fomos_context *ctx, struct hw_state *s)
{
	for (size_t y = 0; y < HW_H; y++) {
		for (size_t x = 0; x < HW_W; x++) {
			ctx->fb.pixels[y * ctx->fb.w + x] = hw_gradient(y);
		}
	}
	s->painted = ctx->fb.pixels;
	s->box_x = -1;
	SAY(ctx, "hello_window: window 320x200 open");
}

/* A press since the last call of a key or button (also one already let go). */
static bool hw_pressed(const struct fomos_input *in, size_t code)
{
	uint8_t k = in->keys[code];
	return k == FOMOS_KEY_ON_FROM_OFF || k == FOMOS_KEY_OFF_TRANSIENT_ON;
}

int32_t _start(struct fomos_context *ctx)
{
	struct hw_state *s = *ctx->store;

	if (ctx->version < 6) {
		SAY(ctx, "hello_window: this kernel has no windows");
		return FOMOS_EXIT;
	}
	if (s == NULL) {
		s = ctx->calloc(sizeof(*s), _Alignof(struct hw_state));
		if (s == NULL) {
			return -1;
		}
		*ctx->store = s;
	}
	int32_t err = ctx->window(HW_W, HW_H);
	if (err != 0 || ctx->fb.w != HW_W || ctx->fb.h != HW_H) {
		return err == 0 ? FOMOS_CONTINUE
				: err; /* the surface is there from the next call */
	}
	if (s->painted != ctx->fb.pixels) {
		hw_paint(ctx, s); /* a new surface (the first, or a resumed app's) */
	}
	const struct fomos_input *in = ctx->input;
	bool click = hw_pressed(in, FOMOS_BTN_LEFT);
	bool recolour = click || hw_pressed(in, FOMOS_KEY_SPACE);
	if (recolour) {
		s->colour = (s->colour + 1) % (sizeof(box_colours) / sizeof(box_colours[0]));
	}
	if (click) {
		char line[64];
		int n = fmt_snprintf(line, sizeof(line), "hello_window: click at %zu,%zu",
				     in->mouse_x, in->mouse_y);
		ctx->log(line, (uint32_t)n);
	}
	int64_t x = hw_clamp((int64_t)in->mouse_x - HW_BOX / 2, HW_W - HW_BOX);
	int64_t y = hw_clamp((int64_t)in->mouse_y - HW_BOX / 2, HW_H - HW_BOX);
	bool over = in->mouse_x > 0 && in->mouse_x < HW_W - 1 && in->mouse_y > 0 &&
		    in->mouse_y < HW_H - 1; /* the view clamps the pointer onto the edge */
	if (over && (x != s->box_x || y != s->box_y)) {
		hw_erase(ctx, s);
		hw_box(ctx, s, x, y);
	} else if (recolour && s->box_x >= 0) {
		hw_box(ctx, s, s->box_x, s->box_y);
	}
	return FOMOS_CONTINUE;
}
