# apps/witness/app.mk — the witness app: its main.c (picked up by the
# generic rule) plus lib/string.c for the memset/memcpy the compiler may
# emit for its fill and check loops.
APP_SRCS_witness := lib/string.c
