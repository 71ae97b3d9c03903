# apps/cursor/app.mk — the cursor app: its own sources (picked up by the
# generic rule) plus lib/string.c, for the memcpy/memset the compiler may
# emit for struct copies and zeroing.
APP_SRCS_cursor := lib/string.c
