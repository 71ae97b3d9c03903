# apps/hello_window/app.mk — the windowed example app: its main.c (picked up
# by the generic rule) plus lib/format.c for its one formatted log line and
# lib/string.c for what the compiler may emit for its fill loops.
APP_SRCS_hello_window := lib/format.c lib/string.c
