/*
 * Boot framebuffer driver; see fb.h.
 *
 * The device memory is mapped write-combining, so the row copies of
 * fb_present() become burst writes. Only 32-bit direct-colour modes with
 * 8-bit channels are driven (what GRUB sets for our 1280x800x32 request);
 * anything else leaves the system on the serial console, and says so.
 */
#include "drivers/fb.h"

#include <stddef.h>
#include <stdint.h>

#include "kernel/log.h"
#include "lib/string.h"
#include "mm/vmm.h"

enum fb_layout {
	LAYOUT_RGBX, /* same byte order as the back buffer: plain copies */
	LAYOUT_BGRX, /* the usual VBE/GOP order: swap red and blue */
	LAYOUT_OTHER,
};

static const struct canvas *back;
static uint8_t *screen;
static struct boot_framebuffer mode;
static enum fb_layout layout;

static enum fb_layout classify(const struct boot_framebuffer *fb)
{
	if (fb->red_pos == 0 && fb->green_pos == 8 && fb->blue_pos == 16) {
		return LAYOUT_RGBX;
	}
	if (fb->red_pos == 16 && fb->green_pos == 8 && fb->blue_pos == 0) {
		return LAYOUT_BGRX;
	}
	return LAYOUT_OTHER;
}

static bool usable(const struct boot_info *info)
{
	const struct boot_framebuffer *fb = &info->fb;
	if (!info->has_framebuffer) {
		log_info("fb", "no framebuffer (type %u from the boot loader), serial console only",
			 info->framebuffer_type);
		return false;
	}
	if (fb->bpp != 32 || fb->red_size != 8 || fb->green_size != 8 || fb->blue_size != 8) {
		log_warn(
		    "fb",
		    "no framebuffer: %ux%u at %u bpp is not a 32-bit mode, serial console only",
		    fb->width, fb->height, fb->bpp);
		return false;
	}
	return true;
}

static void convert_row(uint32_t *dst, const uint32_t *src, uint32_t n)
{
	switch (layout) {
	case LAYOUT_RGBX:
		memcpy(dst, src, (size_t)n * 4);
		break;
	case LAYOUT_BGRX:
		for (uint32_t i = 0; i < n; i++) {
			uint32_t p = src[i];
			dst[i] = ((p & 0xff) << 16) | (p & 0xff00) | ((p >> 16) & 0xff);
		}
		break;
	case LAYOUT_OTHER:
		for (uint32_t i = 0; i < n; i++) {
			uint32_t p = src[i];
			dst[i] = ((p & 0xff) << mode.red_pos) |
				 (((p >> 8) & 0xff) << mode.green_pos) |
				 (((p >> 16) & 0xff) << mode.blue_pos);
		}
		break;
	}
}

static int fb_attach(struct display_backend *self, struct canvas *canvas)
{
	(void)self;
	back = canvas;
	return 0;
}

static bool fb_present(struct display_backend *self, const struct damage *d)
{
	(void)self;
	for (unsigned i = 0; i < d->n; i++) {
		struct canvas_rect r = d->r[i];
		for (uint32_t y = r.y; y < r.y + r.h; y++) {
			uint32_t *dst = (uint32_t *)(screen + (size_t)y * mode.pitch) + r.x;
			convert_row(dst, back->pixels + (size_t)y * back->stride + r.x, r.w);
		}
	}
	return true;
}

static struct display_backend fb_backend = {
    .name = "boot framebuffer",
    .attach = fb_attach,
    .present = fb_present,
};

struct display_backend *fb_init(const struct boot_info *info)
{
	if (!usable(info)) {
		return NULL;
	}
	mode = info->fb;
	layout = classify(&mode);
	screen =
	    vmm_map_mmio(mode.addr, (size_t)mode.pitch * mode.height, VMM_CACHE_WRITE_COMBINING);
	fb_backend.width = mode.width;
	fb_backend.height = mode.height;
	log_info("fb", "framebuffer %ux%u 32 bpp, pitch %u, at %#llx, channels r@%u g@%u b@%u",
		 mode.width, mode.height, mode.pitch, (unsigned long long)mode.addr, mode.red_pos,
		 mode.green_pos, mode.blue_pos);
	return &fb_backend;
}
