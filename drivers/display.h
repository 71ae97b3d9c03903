/*
 * The screen, whichever device shows it. There is one back buffer (a
 * canvas in the app ABI's pixel format: bytes r, g, b, a) that is shown,
 * and one active backend that shows it: the boot framebuffer
 * (drivers/fb.c) at first, virtio-gpu (drivers/virtio/gpu.c) once it is
 * ready. display_present() hands the backend what changed: the back
 * buffer's dirty rectangle (what the kernel drew through the canvas) and
 * the damage reported with display_damage() (what the compositor copied
 * in); a backend still busy with the previous present keeps it pending,
 * so nothing drawn is ever lost, only merged.
 *
 * Beside it the display keeps the shared layer, a second buffer of the
 * same size: the screen windowless apps draw into, which the compositor
 * (desktop/compositor.h) copies into the back buffer under the windows.
 *
 * Switching backends may change the screen size; the back buffer is then
 * reallocated and the redraw hook (the screen's owner) paints it anew.
 * Called from the executor loop only (and at boot).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lib/canvas.h"
#include "lib/damage.h"

struct display_backend {
	const char *name;
	uint32_t width, height;
	/* Take the back buffer into use (e.g. as a GPU resource's backing). */
	int (*attach)(struct display_backend *self, struct canvas *back);
	/* Start showing the rectangles of d; false when busy with the previous present. */
	bool (*present)(struct display_backend *self, const struct damage *d);
	/*
	 * True while the device may still read the back buffer for a present
	 * it accepted (NULL: present copies before it returns). Whatever is
	 * drawn then can reach the screen half old, half new: a torn frame.
	 */
	bool (*reading)(struct display_backend *self);
};

/* Make b the active backend; false (and a log line) when out of memory. */
bool display_set_backend(struct display_backend *b);

/* The back buffer, or NULL while there is no display. */
struct canvas *display_canvas(void);

/* The shared layer (see above), or NULL while there is no display. */
struct canvas *display_layer(void);

/* Pixels of the back buffer written directly (not through the canvas), to be presented. */
void display_damage(const struct damage *d);

/* Show what changed since the last present (no-op when nothing did). */
void display_present(void);

/* Pixels handed to a backend so far (to tell how much of the screen a present shows). */
uint64_t display_presented_pixels(void);

/*
 * Called with the new back buffer whenever it must be painted from scratch
 * (a backend switch); the hook presents it when it has painted it.
 */
void display_set_redraw_hook(void (*redraw)(struct canvas *back));

/* Grows at every backend switch: whoever kept pixels or sizes must refresh. */
uint32_t display_generation(void);

/*
 * A backend that learns when a present reached the screen (virtio-gpu: its
 * RESOURCE_FLUSH was answered) reports it here with the time it was sent.
 * The first one logs `display: first frame presented at N us` (kernel
 * entry to that moment); every one goes to the present hook.
 */
void display_presented(uint64_t sent_ns);
/* When the first present was shown (clock_ns() time), or 0 until then. */
uint64_t display_first_presented_ns(void);
/* Call hook(sent_ns, shown_ns) for every present reported (NULL: none). */
void display_set_present_hook(void (*hook)(uint64_t sent_ns, uint64_t shown_ns));

/*
 * True while the back buffer must not be drawn into: the device is still
 * reading it for a present (see display_backend.reading). When it is done
 * it reports display_presented(), which calls the idle hook.
 */
bool display_busy(void);
/* Call hook() whenever a present the device was reading has been shown (NULL: none). */
void display_set_idle_hook(void (*hook)(void));

/* The active backend, or NULL. */
struct display_backend *display_backend(void);

/* The active backend's name, or "none". */
const char *display_backend_name(void);
