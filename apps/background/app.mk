# apps/background/app.mk — the background app: its own sources (picked up by
# the generic rule), the freestanding library parts it uses, and a PNG
# embedded as data with tools/embed.S (bg_picture_png .. bg_picture_png_end),
# decoded at run time by stb_image (libstb-dev: <stb/stb_image.h>, found on
# the compiler's default include path). The picture is Adwaita's "video
# display" icon, 512x512 RGBA (package adwaita-icon-theme).
BG_PICTURE_PNG := /usr/share/icons/Adwaita/512x512/devices/video-display.png
APP_SRCS_background   := lib/string.c lib/format.c tools/embed.S
APP_CFLAGS_background := -DEMBED_FILE='"$(BG_PICTURE_PNG)"' -DEMBED_SYMBOL=bg_picture_png
$(BUILD)/apps/background.elf: $(BG_PICTURE_PNG) /usr/include/stb/stb_image.h
