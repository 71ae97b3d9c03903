/*
 * The boot screen; see bootscreen.h.
 *
 * Layout, for any screen size (1280x800 is the one we ask GRUB for):
 *   a header band with the name in the boot font scaled 4x,
 *   an information block (CPU, memory, display, firmware, uptime),
 *   a log panel that scrolls: a new line moves the panel's pixels up one
 *   text row, so old lines need no storage of their own.
 * Drawing happens in the back buffer; every change is presented at once
 * (it is rare: boot lines and one tick a second).
 */
#include "core/bootscreen.h"

#include <stdbool.h>
#include <stddef.h>

#include "arch/x86_64/cpu_features.h"
#include "core/clock.h"
#include "core/log.h"
#include "drivers/fb.h"
#include "lib/format.h"
#include "lib/psf.h"
#include "lib/string.h"
#include "mm/pmm.h"

#define MARGIN	      32
#define TITLE_SCALE   4
#define HEADER_HEIGHT 140
#define INFO_LINES    5

static const uint32_t color_background = CANVAS_RGB(0x14, 0x18, 0x26);
static const uint32_t color_header = CANVAS_RGB(0x1f, 0x2a, 0x44);
static const uint32_t color_panel = CANVAS_RGB(0x0c, 0x0e, 0x16);
static const uint32_t color_title = CANVAS_RGB(0xf2, 0xf4, 0xf8);
static const uint32_t color_text = CANVAS_RGB(0xc8, 0xcc, 0xd4);
static const uint32_t color_label = CANVAS_RGB(0x7f, 0xb4, 0xff);
static const uint32_t color_level[] = {
    CANVAS_RGB(0x80, 0x84, 0x8c), /* debug */
    CANVAS_RGB(0xc8, 0xcc, 0xd4), /* info */
    CANVAS_RGB(0xff, 0xd0, 0x60), /* warn */
    CANVAS_RGB(0xff, 0x70, 0x60), /* error */
    CANVAS_RGB(0xff, 0x50, 0x50), /* fatal */
};

extern const uint8_t font_psf[], font_psf_end[];

static struct psf_font font;
static struct canvas *screen;
static const struct boot_info *boot;
static int info_top, panel_top, panel_bottom, panel_rows, panel_next_row;

static void draw_info_line(int row, const char *label, const char *value)
{
	int y = info_top + row * (int)font.height;
	canvas_fill_rect(screen, MARGIN, y, (int)screen->width - 2 * MARGIN, (int)font.height,
			 color_background);
	canvas_draw_text(screen, &font, MARGIN, y, label, strlen(label), color_label,
			 color_background);
	canvas_draw_text(screen, &font, MARGIN + 10 * (int)font.width, y, value, strlen(value),
			 color_text, color_background);
}

static void draw_info(void)
{
	char line[160];
	uint64_t uptime = clock_ms() / 1000;

	fmt_snprintf(line, sizeof(line), "%s %s", cpu.vendor, cpu.brand);
	draw_info_line(0, "CPU", line);
	fmt_snprintf(line, sizeof(line), "%llu MiB free of %llu MiB",
		     (unsigned long long)(pmm_free_bytes() >> 20),
		     (unsigned long long)(pmm_total_bytes() >> 20));
	draw_info_line(1, "Memory", line);
	fmt_snprintf(line, sizeof(line), "%ux%u, 32 bpp boot framebuffer", screen->width,
		     screen->height);
	draw_info_line(2, "Display", line);
	fmt_snprintf(line, sizeof(line), "%s, %s firmware", boot->loader_name,
		     boot->efi_booted ? "UEFI" : "BIOS");
	draw_info_line(3, "Boot", line);
	fmt_snprintf(line, sizeof(line), "%llu:%02llu:%02llu", (unsigned long long)(uptime / 3600),
		     (unsigned long long)(uptime / 60 % 60), (unsigned long long)(uptime % 60));
	draw_info_line(4, "Uptime", line);
}

/* Move the panel's text up one row, making room at the bottom. */
static void scroll_panel(void)
{
	size_t row_bytes = (size_t)screen->stride * 4;
	uint32_t *top = screen->pixels + (size_t)panel_top * screen->stride;
	size_t lines = (size_t)(panel_rows - 1) * font.height;

	memmove(top, top + (size_t)font.height * screen->stride, lines * row_bytes);
	canvas_fill_rect(screen, 0, panel_top + (int)lines, (int)screen->width, (int)font.height,
			 color_panel);
	canvas_mark_dirty(screen, 0, panel_top, (int)screen->width, panel_bottom - panel_top);
}

static void log_to_screen(enum log_level level, const char *line, unsigned len)
{
	unsigned max_chars = (screen->width - 2 * MARGIN) / font.width;

	if (panel_next_row == panel_rows) {
		scroll_panel();
		panel_next_row--;
	}
	len = len < max_chars ? len : max_chars;
	int y = panel_top + panel_next_row * (int)font.height;
	canvas_draw_text(screen, &font, MARGIN, y, line, len, color_level[level], color_panel);
	panel_next_row++;
	fb_present();
}

static void draw_frame(void)
{
	int title_y = (HEADER_HEIGHT - TITLE_SCALE * (int)font.height) / 2;

	canvas_fill_rect(screen, 0, 0, (int)screen->width, (int)screen->height, color_background);
	canvas_fill_rect(screen, 0, 0, (int)screen->width, HEADER_HEIGHT, color_header);
	int x = MARGIN + canvas_draw_text_scaled(screen, &font, MARGIN, title_y, "Fomos", 5,
						 TITLE_SCALE, color_title, CANVAS_TRANSPARENT);
	static const char subtitle[] = "in C  -  an operating system where an app is a function";
	canvas_draw_text(screen, &font, x + 24, title_y + (TITLE_SCALE - 1) * (int)font.height,
			 subtitle, sizeof(subtitle) - 1, color_text, CANVAS_TRANSPARENT);
	canvas_fill_rect(screen, 0, panel_top - 8, (int)screen->width,
			 panel_bottom - panel_top + 16, color_panel);
}

void bootscreen_init(const struct boot_info *info)
{
	screen = fb_canvas();
	boot = info;
	if (screen == NULL || psf_parse(&font, font_psf, (size_t)(font_psf_end - font_psf)) != 0) {
		log_error("screen", "boot font unusable, boot screen disabled");
		return;
	}
	info_top = HEADER_HEIGHT + MARGIN / 2;
	panel_top = info_top + (INFO_LINES + 1) * (int)font.height + 8;
	panel_rows = ((int)screen->height - MARGIN / 2 - panel_top) / (int)font.height;
	panel_bottom = panel_top + panel_rows * (int)font.height;
	panel_next_row = 0;
	draw_frame();
	draw_info();
	fb_present();
	log_set_screen_sink(log_to_screen);
	log_info("screen", "boot screen on, font %ux%u (%u glyphs)", font.width, font.height,
		 font.glyph_count);
}

void bootscreen_tick(void)
{
	if (screen == NULL || font.height == 0) {
		return;
	}
	draw_info();
	fb_present();
}
