/*
 * runtime/manifest.h — the boot manifest: which apps start at boot, in which
 * order.
 *
 * `boot.manifest` is a small text file inside apps.tar (the runner writes
 * it from apps/boot.manifest plus every --app). One app name per line: the
 * name of its ELF file without ".elf". `#` starts a comment that runs to
 * the end of the line; spaces, tabs and a trailing '\r' around a name are
 * ignored, and so are lines left empty. The order of the names is the
 * start order, which is also the z-order (the first app draws first, so it
 * lies at the back). A name may appear twice: that app then runs twice.
 *
 *     # the default desktop
 *     background
 *     console   # the shell
 *     cursor
 *
 * The file comes from outside the kernel, so it is decoded completely and
 * refused as a whole when any line is wrong (at most MANIFEST_MAX_APPS
 * names of 1..MANIFEST_NAME_MAX characters from [a-z0-9_-], one per line,
 * no NUL byte): a half-started desktop would hide the mistake. The error
 * says which line.
 *
 * Pure logic with no state of its own, built on the host for
 * tests/unit/test_manifest.c.
 */
#pragma once

#include <stddef.h>

#define MANIFEST_MAX_APPS 32
#define MANIFEST_NAME_MAX 31 /* characters, without the NUL */

enum manifest_error {
	MANIFEST_OK = 0,
	MANIFEST_E_TOO_MANY = -1,  /* more than MANIFEST_MAX_APPS names */
	MANIFEST_E_TOO_LONG = -2,  /* a name longer than MANIFEST_NAME_MAX */
	MANIFEST_E_BAD_CHAR = -3,  /* a character outside [a-z0-9_-] in a name */
	MANIFEST_E_TWO_NAMES = -4, /* a second word on a line */
	MANIFEST_E_NUL = -5,	   /* a NUL byte in the text */
};

struct manifest {
	size_t count;
	char names[MANIFEST_MAX_APPS][MANIFEST_NAME_MAX + 1]; /* NUL-terminated */
};

/*
 * Parse the len bytes at text (no terminating NUL needed) into *out.
 * MANIFEST_OK, or a negative enum manifest_error with *error_line set to
 * the line at fault (counting from 1); *out is then empty. error_line may
 * be NULL.
 */
int manifest_parse(const char *text, size_t len, struct manifest *out, size_t *error_line);

/* A short, constant description of an enum manifest_error value. */
const char *manifest_strerror(int error);
