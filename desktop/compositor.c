/*
 * The compositor; see compositor.h.
 */
#include "desktop/compositor.h"

#include <stdbool.h>
#include <stdint.h>

#include "desktop/font.h"
#include "desktop/windows.h"
#include "drivers/display.h"
#include "lib/damage.h"
#include "lib/format.h"
#include "lib/rect.h"
#include "lib/string.h"
#include "mm/vmm.h"
#include "runtime/app.h"
#include "runtime/app_shared.h"

#define TITLE_H WINDOW_TITLE_H
#define CLOSE_W WINDOW_CLOSE_W
#define ARROW_W 12
#define ARROW_H 17

#define TITLE_FOCUSED CANVAS_RGB(52, 101, 164)
#define TITLE_OTHER   CANVAS_RGB(72, 76, 86)
#define TITLE_TEXT    CANVAS_RGB(240, 240, 240)
#define CLOSE_BOX     CANVAS_RGB(190, 60, 60)
#define ARROW_FILL    CANVAS_RGB(250, 250, 250)
#define ARROW_EDGE    CANVAS_RGB(0, 0, 0)

/* What the back buffer shows (valid while `shown` is). */
static struct {
	bool shown;
	uint32_t generation; /* display_generation() it was composed for */
	struct window_view windows[WINDOWS_MAX];
	unsigned n;
	bool arrow;
	int32_t arrow_x, arrow_y;
} last;

void compositor_forget(void)
{
	last.shown = false;
}

/* A window's place with its title bar. */
static void add_frame(struct damage *d, const struct window_view *w)
{
	damage_add(d, w->x, (int64_t)w->y - TITLE_H, w->w, (int64_t)w->h + TITLE_H);
}

static bool same(const struct window_view *a, const struct window_view *b)
{
	return a->pid == b->pid && a->x == b->x && a->y == b->y && a->w == b->w && a->h == b->h &&
	       a->focused == b->focused;
}

struct written {
	struct damage *d;
	const struct window_view *w;
};

static void add_surface_written(size_t first, size_t end, void *arg)
{
	struct written *wr = arg;
	damage_add_span(wr->d, wr->w->x, wr->w->y, first / 4, (end + 3) / 4, wr->w->w);
}

/* Everything that changed since the last frame composed. */
static void find_damage(struct damage *d, const struct window_view *now, unsigned n, bool arrow,
			int32_t ax, int32_t ay)
{
	app_shared_take_written(d);
	for (unsigned i = 0; i < n; i++) {
		struct written wr = {d, &now[i]};
		vmm_take_written(now[i].app->run.window.pixels, (size_t)now[i].w * now[i].h * 4,
				 add_surface_written, &wr);
	}
	if (!last.shown || last.generation != display_generation()) {
		damage_add_all(d);
		return;
	}
	for (unsigned i = 0; i < n || i < last.n; i++) {
		if (i < n && i < last.n && same(&now[i], &last.windows[i])) {
			continue;
		}
		if (i < n) {
			add_frame(d, &now[i]);
		}
		if (i < last.n) {
			add_frame(d, &last.windows[i]);
		}
	}
	if (arrow != last.arrow || ax != last.arrow_x || ay != last.arrow_y) {
		if (arrow) {
			damage_add(d, ax, ay, ARROW_W, ARROW_H);
		}
		if (last.arrow) {
			damage_add(d, last.arrow_x, last.arrow_y, ARROW_W, ARROW_H);
		}
	}
}

/*
 * A canvas over rectangle r of the back buffer: what is drawn into it at
 * (x - r.x, y - r.y) lands at (x, y), clipped to r.
 */
static struct canvas view_of(const struct canvas *back, struct canvas_rect r)
{
	struct canvas v;
	canvas_init(&v, back->pixels + (size_t)r.y * back->stride + r.x, r.w, r.h, back->stride);
	return v;
}

static void decorate(struct canvas *v, struct canvas_rect r, const struct window_view *w)
{
	int32_t x = w->x - (int32_t)r.x, top = w->y - TITLE_H - (int32_t)r.y;
	int32_t ww = (int32_t)w->w;
	const struct psf_font *font = system_font();
	canvas_fill_rect(v, x, top, ww, TITLE_H, w->focused ? TITLE_FOCUSED : TITLE_OTHER);
	canvas_fill_rect(v, x + ww - CLOSE_W + 3, top + 3, CLOSE_W - 6, TITLE_H - 6, CLOSE_BOX);
	if (font != NULL) {
		char title[64];
		int n = fmt_snprintf(title, sizeof(title), "%s  (pid %llu)", w->app->id.name,
				     (unsigned long long)w->pid);
		int32_t ty = top + (TITLE_H - (int32_t)font->height) / 2;
		canvas_draw_text(v, font, x + 8, ty, title,
				 n < (int)sizeof(title) ? (size_t)n : sizeof(title) - 1, TITLE_TEXT,
				 CANVAS_TRANSPARENT);
		canvas_draw_text(v, font, x + ww - CLOSE_W / 2 - (int32_t)font->width / 2, ty, "x",
				 1, TITLE_TEXT, CANVAS_TRANSPARENT);
	}
}

/* The part of the surface inside r, straight from the app's frames. */
static void blit(struct canvas *back, struct canvas_rect r, const struct window_view *w)
{
	struct canvas_rect in;
	if (!rect_intersect(r, w->x, w->y, w->w, w->h, &in)) {
		return;
	}
	for (uint32_t sy = in.y; sy < in.y + in.h; sy++) {
		uintptr_t from =
		    w->app->run.window.pixels +
		    ((uintptr_t)((int64_t)sy - w->y) * w->w + (uintptr_t)((int64_t)in.x - w->x)) *
			4;
		app_memory_read(&w->app->run.memory, from,
				&back->pixels[(size_t)sy * back->stride + in.x], (size_t)in.w * 4);
	}
}

/* Window w, title bar and surface, where it lies inside r. */
static void draw_window(struct canvas *back, struct canvas_rect r, const struct window_view *w)
{
	struct canvas v = view_of(back, r);
	decorate(&v, r, w);
	blit(back, r, w);
}

/* A plain arrow, its tip at (x, y). */
static void arrow(struct canvas *v, int32_t x, int32_t y)
{
	for (int32_t r = 0; r < ARROW_H; r++) {
		int32_t len = r < ARROW_W ? r + 1 : ARROW_W - (r - (ARROW_W - 1)) * 2;
		if (len <= 0) {
			break;
		}
		canvas_fill_rect(v, x, y + r, len, 1, ARROW_EDGE);
		if (len > 2) {
			canvas_fill_rect(v, x + 1, y + r, len - 2, 1, ARROW_FILL);
		}
	}
}

static void copy_layer(struct canvas *back, const struct canvas *layer, struct canvas_rect r)
{
	for (uint32_t y = r.y; y < r.y + r.h; y++) {
		memcpy(&back->pixels[(size_t)y * back->stride + r.x],
		       &layer->pixels[(size_t)y * layer->stride + r.x], (size_t)r.w * 4);
	}
}

/*
 * Everything under r, bottom to top (the painter's way: what a window
 * hides is drawn and then drawn over).
 */
static void compose_all(struct canvas *back, const struct canvas *layer, struct canvas_rect r)
{
	copy_layer(back, layer, r);
	for (unsigned i = 0; i < last.n; i++) {
		draw_window(back, r, &last.windows[i]);
	}
}

#define PIECES_MAX 64

/*
 * Each part of r from what is on top there, and nothing else: windows top
 * to bottom, each drawn where it meets the parts still to do, which then
 * lose that piece (up to four parts are left of one); the layer fills
 * what no window covers. With cascaded windows most of a lower one is
 * hidden and costs nothing. Should the parts become too many (windows in
 * a checkerboard), r is drawn the painter's way instead.
 */
static void compose_visible(struct canvas *back, const struct canvas *layer, struct canvas_rect r)
{
	struct canvas_rect todo[PIECES_MAX], left[PIECES_MAX];
	unsigned n = 1;
	todo[0] = r;
	for (unsigned i = last.n; i-- > 0 && n > 0;) {
		const struct window_view *w = &last.windows[i];
		unsigned m = 0;
		for (unsigned k = 0; k < n; k++) {
			struct canvas_rect hit;
			if (!rect_intersect(todo[k], w->x, (int64_t)w->y - TITLE_H, w->w,
					    (int64_t)w->h + TITLE_H, &hit)) {
				left[m++] = todo[k];
				continue;
			}
			if (m + 4 + (n - k - 1) > PIECES_MAX) {
				compose_all(back, layer, r);
				return;
			}
			draw_window(back, hit, w);
			m += rect_subtract(todo[k], hit, &left[m]);
		}
		memcpy(todo, left, m * sizeof(left[0]));
		n = m;
	}
	for (unsigned k = 0; k < n; k++) {
		copy_layer(back, layer, todo[k]);
	}
}

static void compose(struct canvas *back, const struct canvas *layer, struct canvas_rect r)
{
	compose_visible(back, layer, r);
	if (last.arrow) {
		struct canvas v = view_of(back, r);
		arrow(&v, last.arrow_x - (int32_t)r.x, last.arrow_y - (int32_t)r.y);
	}
}

void compositor_frame(struct canvas *back, const struct canvas *layer, const struct fomos_input *in)
{
	struct window_view now[WINDOWS_MAX];
	unsigned n = windows_stack(now);
	int32_t ax = (int32_t)in->mouse_x, ay = (int32_t)in->mouse_y;
	bool over = windows_under(ax, ay);
	struct damage d;

	damage_init(&d, back->width, back->height);
	find_damage(&d, now, n, over, ax, ay);
	memcpy(last.windows, now, sizeof(now[0]) * n);
	last.n = n;
	last.arrow = over;
	last.arrow_x = ax;
	last.arrow_y = ay;
	last.shown = true;
	last.generation = display_generation();
	for (unsigned i = 0; i < d.n; i++) {
		compose(back, layer, d.r[i]);
	}
	display_damage(&d);
}
