# apps/spawner/app.mk — main.c (the generic rule) and the formatter of its
# log lines, with lib/string.c for what the compiler may emit.
APP_SRCS_spawner := lib/format.c lib/string.c
