/*
 * Windows; see windows.h.
 */
#include "desktop/windows.h"

#include <stdbool.h>
#include <stdint.h>

#include "drivers/display.h"
#include "kernel/log.h"
#include "runtime/app.h"

#define TITLE_H	   WINDOW_TITLE_H
#define CLOSE_W	   WINDOW_CLOSE_W
#define CASCADE	   32 /* each new window this far right and down of the last */
#define KEEP_SHOWN 48 /* pixels of a dragged window that stay on the screen */

struct win {
	uint64_t pid;
	int32_t x, y; /* the surface's top-left on the screen */
};

enum part { NOWHERE, BODY, TITLE, CLOSE };

static struct {
	struct win w[WINDOWS_MAX]; /* bottom to top */
	unsigned n;
	uint64_t focus; /* pid, 0: the shared screen */
	uint64_t grab;	/* a press held in this window's body */
	bool dragging;
	int32_t drag_dx, drag_dy;
	int32_t next_x, next_y; /* where the next window goes; next_x < 0: centred */
} wm = {.next_x = -1};

static struct app *app_of(const struct win *w)
{
	struct app *a = app_find(w->pid);
	return a != NULL && a->run.window.pixels != 0 && a->run.state != APP_EXITED ? a : NULL;
}

static struct win *find(uint64_t pid)
{
	for (unsigned i = 0; i < wm.n; i++) {
		if (wm.w[i].pid == pid) {
			return &wm.w[i];
		}
	}
	return NULL;
}

/* Put window i on top. */
static void raise(unsigned i)
{
	struct win top = wm.w[i];
	for (; i + 1 < wm.n; i++) {
		wm.w[i] = wm.w[i + 1];
	}
	wm.w[wm.n - 1] = top;
}

static void place(struct win *w, const struct app *a, const struct canvas *screen)
{
	int32_t sw = (int32_t)screen->width, sh = (int32_t)screen->height;
	int32_t ww = (int32_t)a->run.window.w, wh = (int32_t)a->run.window.h;
	if (wm.next_x < 0 || wm.next_x + ww > sw || wm.next_y + wh > sh) {
		wm.next_x = (sw - ww) / 2;
		wm.next_y = (sh - wh) / 2 > TITLE_H ? (sh - wh) / 2 : TITLE_H;
	}
	w->x = wm.next_x;
	w->y = wm.next_y;
	wm.next_x += CASCADE;
	wm.next_y += CASCADE;
	log_info("desktop", "window of pid %llu %s: %ux%u at %d,%d", (unsigned long long)a->id.pid,
		 a->id.name, a->run.window.w, a->run.window.h, w->x, w->y);
}

/* The focus to the top window, or to the shared screen when there is none. */
static void focus_top(void)
{
	wm.focus = wm.n > 0 ? wm.w[wm.n - 1].pid : 0;
}

/* Windows whose app went, or that appeared since the last frame. */
static void sync(const struct canvas *screen)
{
	unsigned kept = 0;
	for (unsigned i = 0; i < wm.n; i++) {
		if (app_of(&wm.w[i]) != NULL) {
			wm.w[kept++] = wm.w[i];
		}
	}
	wm.n = kept;
	if (find(wm.focus) == NULL) {
		focus_top();
	}
	for (struct app *a = app_first(); a != NULL; a = a->next) {
		if (a->run.window.pixels != 0 && a->run.state != APP_EXITED &&
		    find(a->id.pid) == NULL && wm.n < WINDOWS_MAX) {
			struct win *w = &wm.w[wm.n++];
			w->pid = a->id.pid;
			place(w, a, screen);
			wm.focus = a->id.pid; /* a new window has the focus */
		}
	}
}

/* The top window at (x, y) and the part hit; -1 when none. */
static int hit(int64_t x, int64_t y, enum part *part)
{
	for (int i = (int)wm.n - 1; i >= 0; i--) {
		const struct win *w = &wm.w[i];
		const struct app *a = app_of(w);
		if (a == NULL) {
			continue; /* closed this frame */
		}
		int64_t ww = a->run.window.w, wh = a->run.window.h;
		if (x < w->x || x >= w->x + ww || y < w->y - TITLE_H || y >= w->y + wh) {
			continue;
		}
		*part = y >= w->y ? BODY : x >= w->x + ww - CLOSE_W ? CLOSE : TITLE;
		return i;
	}
	*part = NOWHERE;
	return -1;
}

static void press(int64_t x, int64_t y)
{
	enum part part;
	int i = hit(x, y, &part);
	if (i < 0) {
		wm.focus = 0;
		return;
	}
	raise((unsigned)i);
	struct win *w = &wm.w[wm.n - 1];
	wm.focus = w->pid;
	if (part == CLOSE) {
		app_kill(w->pid, "closed from its window");
		wm.n--; /* gone now: keys typed in this very frame go to the next one */
		focus_top();
	} else if (part == TITLE) {
		wm.dragging = true;
		wm.drag_dx = (int32_t)(x - w->x);
		wm.drag_dy = (int32_t)(y - w->y);
		log_info("desktop", "dragging the window of pid %llu", (unsigned long long)w->pid);
	} else {
		wm.grab = w->pid;
	}
}

static void end_drag(void)
{
	if (wm.dragging && wm.n > 0) {
		const struct win *w = &wm.w[wm.n - 1];
		log_info("desktop", "window of pid %llu moved to %d,%d", (unsigned long long)w->pid,
			 w->x, w->y);
	}
	wm.dragging = false;
}

static void drag(int64_t x, int64_t y, const struct canvas *screen)
{
	struct win *w = &wm.w[wm.n - 1]; /* the dragged one was raised */
	const struct app *a = app_of(w);
	if (a == NULL) {
		return;
	}
	int32_t nx = (int32_t)x - wm.drag_dx, ny = (int32_t)y - wm.drag_dy;
	int32_t min_x = KEEP_SHOWN - (int32_t)a->run.window.w;
	int32_t max_x = (int32_t)screen->width - KEEP_SHOWN;
	w->x = nx < min_x ? min_x : nx > max_x ? max_x : nx;
	int32_t max_y = (int32_t)screen->height - KEEP_SHOWN;
	w->y = ny < TITLE_H ? TITLE_H : ny > max_y ? max_y : ny;
}

void windows_before_apps(const struct fomos_input *in, const struct chords *chords)
{
	const struct canvas *screen = display_canvas();
	if (screen == NULL) {
		return;
	}
	sync(screen);
	int64_t x = (int64_t)in->mouse_x, y = (int64_t)in->mouse_y;
	uint8_t left = in->keys[FOMOS_BTN_LEFT];
	bool held = fomos_key_is_down(left);
	if (wm.dragging && wm.n > 0) { /* where the pointer got to, also if just released */
		drag(x, y, screen);
	}
	if (!held || wm.n == 0) {
		end_drag();
		wm.grab = 0;
	}
	if (left == FOMOS_KEY_ON_FROM_OFF || left == FOMOS_KEY_OFF_TRANSIENT_ON) {
		press(x, y);
	}
	if (chords->next_window && wm.n > 1) {
		raise(0);
		focus_top();
	}
	enum part part;
	int over = hit(x, y, &part);
	for (unsigned i = 0; i < wm.n; i++) {
		struct app *a = app_of(&wm.w[i]);
		if (a == NULL) {
			continue;
		}
		bool inside = over == (int)i && part == BODY;
		a->run.rule = (struct input_view_rule){
		    .keys = wm.focus == a->id.pid,
		    .buttons = !wm.dragging && (wm.grab == a->id.pid || (wm.grab == 0 && inside)),
		    .x = wm.w[i].x,
		    .y = wm.w[i].y,
		    .w = a->run.window.w,
		    .h = a->run.window.h};
	}
	struct input_view_rule shared = {.keys = wm.focus == 0,
					 .buttons = over < 0 && wm.grab == 0 && !wm.dragging};
	app_set_shared_input_rule(&shared);
}

unsigned windows_stack(struct window_view *out)
{
	unsigned n = 0;
	for (unsigned i = 0; i < wm.n; i++) {
		const struct app *a = app_of(&wm.w[i]);
		if (a != NULL) {
			out[n++] = (struct window_view){.pid = a->id.pid,
							.x = wm.w[i].x,
							.y = wm.w[i].y,
							.w = a->run.window.w,
							.h = a->run.window.h,
							.focused = a->id.pid == wm.focus,
							.app = a};
		}
	}
	return n;
}

bool windows_under(int64_t x, int64_t y)
{
	enum part part;
	return hit(x, y, &part) >= 0;
}
