/*
 * apps/bench_nop — the cheapest app there is: it returns at once, every
 * call. The benchmark (`bench` on the kernel command line, bench/bench.c)
 * starts it and calls it a million times to measure what calling an app
 * costs the kernel (name=app_dispatch). Not started at boot; harmless if
 * started by hand (`run bench_nop` in the console).
 */
#include "include/fomos.h"

int32_t _start(struct fomos_context *ctx)
{
	(void)ctx;
	return FOMOS_CONTINUE;
}
