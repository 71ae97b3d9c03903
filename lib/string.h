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

/*
 * Freestanding code gets no builtin memcpy (-ffreestanding implies
 * -fno-builtin), so without these a load_le64 or a small struct copy is
 * a call: xxh64 of a 16 MiB snapshot spent most of its 66 ms under TCG
 * calling memcpy for 8 bytes. The builtins inline what has a small
 * constant size and call the functions above for the rest. Kernel only
 * (FOMOS_KERNEL, set by the Makefile): the host and the apps may include
 * a libc's <string.h>, whose prototypes the macros would break.
 */
#ifdef FOMOS_KERNEL
#define memcpy(dst, src, n) __builtin_memcpy((dst), (src), (n))
#define memset(dst, c, n)   __builtin_memset((dst), (c), (n))
#define memcmp(a, b, n)	    __builtin_memcmp((a), (b), (n))
#endif

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
void *memchr(const void *s, int c, size_t n);
