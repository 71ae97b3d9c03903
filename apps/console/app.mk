# apps/console/app.mk — the console app: its own sources (apps/console/*.c,
# picked up by the generic rule) plus the freestanding library parts it
# uses, and the Terminus font embedded as data: tools/embed.S with the same
# file and symbol names as the kernel's copy (font_psf .. font_psf_end).
APP_SRCS_console   := lib/psf.c lib/format.c lib/string.c lib/civil_time.c tools/embed.S
APP_CFLAGS_console := -DEMBED_FILE='"$(BUILD)/font.psf"' -DEMBED_SYMBOL=font_psf
$(BUILD)/apps/console.elf: $(BUILD)/font.psf
