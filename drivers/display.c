/*
 * The display switchboard; see display.h. The back buffer comes from the
 * kernel heap, page aligned (a GPU backend hands its pages to the device).
 */
#include "drivers/display.h"

#include <stddef.h>

#include "kernel/clock.h"
#include "kernel/log.h"
#include "mm/heap.h"

static struct display_backend *active;
static struct canvas back;
static struct canvas_rect pending; /* taken from the canvas, not yet shown */
static void (*redraw_hook)(struct canvas *back);
static uint32_t generation;
static uint64_t first_presented_ns;
static void (*present_hook)(uint64_t sent_ns, uint64_t shown_ns);
static void (*idle_hook)(void);

static struct canvas_rect rect_union(struct canvas_rect a, struct canvas_rect b)
{
	if (a.w == 0 || a.h == 0) {
		return b;
	}
	if (b.w == 0 || b.h == 0) {
		return a;
	}
	uint32_t x0 = a.x < b.x ? a.x : b.x, y0 = a.y < b.y ? a.y : b.y;
	uint32_t x1 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w;
	uint32_t y1 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;
	return (struct canvas_rect){x0, y0, x1 - x0, y1 - y0};
}

static bool resize_back_buffer(uint32_t width, uint32_t height)
{
	if (back.pixels != NULL && back.width == width && back.height == height) {
		return true;
	}
	/* Whole pages: the runtime lets apps write them (runtime/app_shared.h). */
	size_t bytes = ((size_t)width * height * 4 + 4095) & ~(size_t)4095;
	uint32_t *pixels = kmalloc_aligned(bytes, 4096);
	if (pixels == NULL) {
		log_error("display", "no memory for a %ux%u back buffer", width, height);
		return false;
	}
	kfree(back.pixels);
	canvas_init(&back, pixels, width, height, width);
	canvas_fill_rect(&back, 0, 0, (int32_t)width, (int32_t)height, CANVAS_RGB(0, 0, 0));
	return true;
}

bool display_set_backend(struct display_backend *b)
{
	if (!resize_back_buffer(b->width, b->height) || b->attach(b, &back) != 0) {
		log_error("display", "cannot switch to %s", b->name);
		return false;
	}
	active = b;
	generation++;
	pending = (struct canvas_rect){0, 0, 0, 0};
	canvas_take_dirty(&back); /* nothing is shown until the hook has painted */
	if (redraw_hook != NULL) {
		redraw_hook(&back);
	}
	log_info("display", "showing on %s, %ux%u", b->name, b->width, b->height);
	return true;
}

struct canvas *display_canvas(void)
{
	return active != NULL ? &back : NULL;
}

void display_present(void)
{
	if (active == NULL) {
		return;
	}
	pending = rect_union(pending, canvas_take_dirty(&back));
	if (pending.w == 0 || pending.h == 0) {
		return;
	}
	if (active->present(active, pending)) {
		pending = (struct canvas_rect){0, 0, 0, 0};
	}
}

void display_set_redraw_hook(void (*redraw)(struct canvas *back))
{
	redraw_hook = redraw;
}

const char *display_backend_name(void)
{
	return active != NULL ? active->name : "none";
}

uint32_t display_generation(void)
{
	return generation;
}

struct display_backend *display_backend(void)
{
	return active;
}

void display_presented(uint64_t sent_ns)
{
	uint64_t now = clock_ns();

	if (first_presented_ns == 0) {
		first_presented_ns = now;
		log_info("display", "first frame presented at %llu us",
			 (unsigned long long)(now / 1000));
	}
	if (present_hook != NULL) {
		present_hook(sent_ns, now);
	}
	if (idle_hook != NULL) {
		idle_hook();
	}
}

bool display_busy(void)
{
	return active != NULL && active->reading != NULL && active->reading(active);
}

void display_set_idle_hook(void (*hook)(void))
{
	idle_hook = hook;
}

uint64_t display_first_presented_ns(void)
{
	return first_presented_ns;
}

void display_set_present_hook(void (*hook)(uint64_t sent_ns, uint64_t shown_ns))
{
	present_hook = hook;
}
