# apps/bench_ctx/app.mk — the Context benchmark app: its main.c (picked up
# by the generic rule) plus the freestanding library parts it uses: the
# histogram it records into, the formatter of its report lines, and
# lib/string.c for the memset the compiler may emit.
APP_SRCS_bench_ctx := lib/hist.c lib/format.c lib/string.c
