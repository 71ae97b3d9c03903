# apps/bench_ctx/app.mk — the Context benchmark app: its main.c (picked up
# by the generic rule) plus the histogram it records into, the very file
# the kernel reads it with, and lib/string.c for the memset the compiler
# may emit.
APP_SRCS_bench_ctx := lib/hist.c lib/string.c
