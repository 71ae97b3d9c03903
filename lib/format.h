/*
 * lib/format.h — printf-style formatting without libc.
 *
 * One formatter, fmt_vformat, hands its output in pieces to a caller-supplied
 * sink; the serial console streams straight to the UART through it, and
 * fmt_vsnprintf/fmt_snprintf are just a sink that fills a buffer.
 *
 * Semantics are C99's for the subset supported:
 *   conversions  %d %i %u %x %X %o %c %s %p %%
 *   length       hh h l ll z t j
 *   flags        - 0 + space #
 *   width and precision, either may be `*` (a negative `*` width means `-`,
 *   a negative `*` precision means none).
 * Differences, all deliberate: no floating point (the kernel has no SSE);
 * no %n (writes through an argument, never needed); %p prints 0x-prefixed
 * hex, "0x0" for NULL; a NULL %s prints "(null)" (cut by the precision like
 * any other string); %lc and %ls are treated as %c and %s; an unknown
 * conversion is copied to the output verbatim.
 *
 * Return value: the number of characters produced (for snprintf: that would
 * have been written given room), or -1 if that exceeds INT_MAX.
 *
 * Callers: anyone; no global state, safe to call from any context that may
 * call the sink.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

/* Receives n (> 0) characters, not NUL-terminated, in order. */
typedef void fmt_put_fn(void *arg, const char *s, size_t n);

int fmt_vformat(fmt_put_fn *put, void *arg, const char *fmt, va_list ap);

/* C99 vsnprintf: writes at most size - 1 characters and then a NUL if
 * size > 0; buf may be NULL when size is 0. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
