/*
 * The system font; see font.h. Parsing is lazy and happens once: the first
 * caller pays, everyone after gets the same struct.
 */
#include "desktop/font.h"

#include <stdbool.h>
#include <stddef.h>

#include "kernel/log.h"

extern const uint8_t font_psf[], font_psf_end[];

static struct psf_font font;
static bool parsed, usable;

const struct psf_font *system_font(void)
{
	if (!parsed) {
		parsed = true;
		int err = psf_parse(&font, font_psf, (size_t)(font_psf_end - font_psf));
		usable = err == 0;
		if (!usable) {
			log_error("font", "embedded font unusable (error %d)", err);
		}
	}
	return usable ? &font : NULL;
}
