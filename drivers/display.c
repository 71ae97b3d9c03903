/*
 * The display switchboard; see display.h. The back buffer and the shared
 * layer come from the kernel heap, whole pages (a GPU backend hands the
 * back buffer's pages to the device; the runtime lets apps write the
 * layer's: runtime/app_shared.h).
 */
#include "drivers/display.h"

#include <stddef.h>

#include "kernel/clock.h"
#include "kernel/log.h"
#include "mm/heap.h"

static struct display_backend *active;
static struct canvas back, layer;
static struct damage pending; /* reported or taken from the canvas, not yet shown */
static uint64_t presented_pixels;
static void (*redraw_hook)(struct canvas *back);
static uint32_t generation;
static uint64_t first_presented_ns;
static void (*present_hook)(uint64_t sent_ns, uint64_t shown_ns);
static void (*idle_hook)(void);

/*
 * QEMU's emulated TLB (256 entries of 4 KiB) thrashes on every access of a
 * copy between buffers a multiple of 1 MiB apart: the compositor's copy
 * from the layer into the back buffer took 5 ms instead of 1 for 4 MB. So
 * the layer starts SKEW past the back buffer, modulo SKEW_SPAN, in the
 * block that holds both.
 */
#define SKEW_SPAN (1u << 20)
#define SKEW	  (17u * 4096)

static uint32_t *block; /* the back buffer and the layer */

/* Both screen buffers, black, width x height, whole pages; false (unchanged) when out of memory. */
static bool resize(uint32_t width, uint32_t height)
{
	if (block != NULL && back.width == width && back.height == height) {
		return true;
	}
	size_t bytes = ((size_t)width * height * 4 + 4095) & ~(size_t)4095;
	size_t gap = (SKEW + SKEW_SPAN - bytes % SKEW_SPAN) % SKEW_SPAN;
	uint32_t *both = kmalloc_aligned(2 * bytes + gap, 4096);
	if (both == NULL) {
		log_error("display", "no memory for a %ux%u screen", width, height);
		return false;
	}
	kfree(block);
	block = both;
	canvas_init(&back, both, width, height, width);
	canvas_init(&layer, (uint32_t *)((uint8_t *)both + bytes + gap), width, height, width);
	canvas_fill_rect(&back, 0, 0, (int32_t)width, (int32_t)height, CANVAS_RGB(0, 0, 0));
	canvas_fill_rect(&layer, 0, 0, (int32_t)width, (int32_t)height, CANVAS_RGB(0, 0, 0));
	canvas_take_dirty(&layer);
	return true;
}

bool display_set_backend(struct display_backend *b)
{
	if (!resize(b->width, b->height) || b->attach(b, &back) != 0) {
		log_error("display", "cannot switch to %s", b->name);
		return false;
	}
	active = b;
	generation++;
	damage_init(&pending, back.width, back.height);
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

struct canvas *display_layer(void)
{
	return active != NULL ? &layer : NULL;
}

void display_damage(const struct damage *d)
{
	damage_merge(&pending, d);
}

void display_present(void)
{
	if (active == NULL) {
		return;
	}
	struct canvas_rect drawn = canvas_take_dirty(&back);
	damage_add(&pending, drawn.x, drawn.y, drawn.w, drawn.h);
	if (pending.n > 0 && active->present(active, &pending)) {
		presented_pixels += damage_pixels(&pending);
		damage_init(&pending, back.width, back.height);
	}
}

uint64_t display_presented_pixels(void)
{
	return presented_pixels;
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
