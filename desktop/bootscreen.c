/*
 * The boot screen; see bootscreen.h.
 *
 * Layout, for any screen size (1280x800 is the usual one):
 *   a header band with the name in the boot font scaled 4x,
 *   an information block (CPU, memory, display, firmware, uptime),
 *   a log panel showing the latest lines of the log history
 *   (kernel/log.c keeps them; the panel is repainted from it, so scrolling
 *   and a resized screen need no state of their own).
 */
#include "desktop/bootscreen.h"

#include <stdbool.h>
#include <stddef.h>

#include "arch/x86_64/cpu_features.h"
#include "desktop/font.h"
#include "drivers/display.h"
#include "kernel/clock.h"
#include "kernel/log.h"
#include "lib/format.h"
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

static struct psf_font font; /* a copy of the system font, for brevity */
static bool font_ok;
static struct canvas *screen;
static const struct boot_info *boot;
static int info_top, panel_top, panel_rows, panel_row;
static bool deferred, log_dirty;
static bool full_redraw_due; /* a new screen, not yet painted (deferred) */
static uint64_t info_drawn_second;

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
	fmt_snprintf(line, sizeof(line), "%ux%u on %s", screen->width, screen->height,
		     display_backend_name());
	draw_info_line(2, "Display", line);
	fmt_snprintf(line, sizeof(line), "%s, %s firmware", boot->loader_name,
		     boot->efi_booted ? "UEFI" : "BIOS");
	draw_info_line(3, "Boot", line);
	fmt_snprintf(line, sizeof(line), "%llu:%02llu:%02llu", (unsigned long long)(uptime / 3600),
		     (unsigned long long)(uptime / 60 % 60), (unsigned long long)(uptime % 60));
	draw_info_line(4, "Uptime", line);
	info_drawn_second = uptime;
}

static void draw_panel_line(enum log_level level, const char *line, unsigned len)
{
	unsigned max_chars = (screen->width - 2 * MARGIN) / font.width;
	int y = panel_top + panel_row++ * (int)font.height;

	canvas_draw_text(screen, &font, MARGIN, y, line, len < max_chars ? len : max_chars,
			 color_level[level], color_panel);
}

static void draw_log_panel(void)
{
	canvas_fill_rect(screen, 0, panel_top - 8, (int)screen->width,
			 panel_rows * (int)font.height + 16, color_panel);
	panel_row = 0;
	log_replay(draw_panel_line, (unsigned)panel_rows);
	log_dirty = false;
}

/*
 * Before the frame loop runs, the log is shown as it grows, but at most
 * every EAGER_PRESENT_MS: a present copies the whole screen (10 ms to the
 * boot framebuffer under TCG), and a present per line held the boot up by
 * a quarter of a second. A fatal line is shown at once; the first frame
 * shows what is left.
 */
#define EAGER_PRESENT_MS 100

static void on_log_line(enum log_level level, const char *line, unsigned len)
{
	static uint64_t presented_ms;
	(void)line;
	(void)len;
	log_dirty = true;
	bool due = clock_ms() - presented_ms >= EAGER_PRESENT_MS || presented_ms == 0;
	if (screen != NULL && ((!deferred && due) || level == LOG_FATAL)) {
		draw_log_panel();
		display_present();
		presented_ms = clock_ms();
	}
}

static void draw_header(void)
{
	static const char subtitle[] = "in C  -  an operating system where an app is a function";
	int title_y = (HEADER_HEIGHT - TITLE_SCALE * (int)font.height) / 2;

	canvas_fill_rect(screen, 0, 0, (int)screen->width, HEADER_HEIGHT, color_header);
	int x = MARGIN + canvas_draw_text_scaled(screen, &font, MARGIN, title_y, "Fomos", 5,
						 TITLE_SCALE, color_title, CANVAS_TRANSPARENT);
	canvas_draw_text(screen, &font, x + 24, title_y + (TITLE_SCALE - 1) * (int)font.height,
			 subtitle, sizeof(subtitle) - 1, color_text, CANVAS_TRANSPARENT);
}

static void redraw_now(void)
{
	info_top = HEADER_HEIGHT + MARGIN / 2;
	panel_top = info_top + (INFO_LINES + 1) * (int)font.height + 8;
	panel_rows = ((int)screen->height - MARGIN / 2 - panel_top) / (int)font.height;
	if (panel_rows < 1) {
		panel_rows = 1;
	}
	canvas_fill_rect(screen, 0, 0, (int)screen->width, (int)screen->height, color_background);
	draw_header();
	draw_info();
	draw_log_panel();
	full_redraw_due = false;
}

void bootscreen_redraw(struct canvas *back)
{
	screen = back;
	full_redraw_due = true;
	if (!deferred) {
		redraw_now();
		display_present();
	}
}

void bootscreen_init(const struct boot_info *info)
{
	boot = info;
	if (system_font() == NULL) {
		log_error("screen", "no font, boot screen disabled");
		return;
	}
	font = *system_font();
	font_ok = true;
	display_set_redraw_hook(bootscreen_redraw);
	log_set_screen_sink(on_log_line);
	if (display_canvas() != NULL) {
		bootscreen_redraw(display_canvas());
	}
	log_info("screen", "boot screen on, font %ux%u (%u glyphs)", font.width, font.height,
		 font.glyph_count);
}

void bootscreen_defer_to_frames(void)
{
	deferred = true;
}

bool bootscreen_pending(void)
{
	return font_ok && screen != NULL &&
	       (full_redraw_due || log_dirty || clock_ms() / 1000 != info_drawn_second);
}

void bootscreen_update(void)
{
	if (!font_ok || screen == NULL) {
		return;
	}
	if (full_redraw_due) {
		redraw_now();
		return;
	}
	if (log_dirty) {
		draw_log_panel();
	}
	if (clock_ms() / 1000 != info_drawn_second) {
		draw_info();
	}
}
