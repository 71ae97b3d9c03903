/*
 * lib/string.h — the kernel's memory and string primitives.
 *
 * The kernel has no libc, yet the compiler itself emits calls to memcpy,
 * memmove, memset and memcmp (struct copies, zeroing, loop idioms), so these
 * must exist under exactly the standard names and prototypes. The few string
 * functions beside them are the ones the kernel actually needs.
 *
 * On the host (unit tests) the same names come from the C library and
 * lib/string.c is not linked; the prototypes below are identical to libc's so
 * this header and <string.h> may both be included in one file.
 *
 * Callers: any kernel code; the compiler, implicitly.
 */
#pragma once

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
void *memchr(const void *s, int c, size_t n);
