/*
 * runtime/manifest.h — the boot manifest: which apps start at boot, in which
 * order.
 *
 * `boot.manifest` is a small text file inside apps.tar (the runner writes
 * it from apps/boot.manifest plus every --app). One app name per line: the
 * name of its ELF file without ".elf". `#` starts a comment that runs to
 * the end of the line; spaces, tabs and a trailing '\r' around a name are
 * ignored, and so are lines left empty. A name may be followed by the
 * capabilities the app is granted, `caps=` and a comma-separated list of
 * apps (app management: app_start, app_list, app_kill, app_stats,
 * app_control) and jobs (job_start, job_poll); an app gets no capability
 * it is not granted here, whatever its name. The order of the names is the
 * start order, which is also the z-order (the first app draws first, so it
 * lies at the back). A name may appear twice: that app then runs twice.
 *
 *     # the default desktop
 *     background
 *     console caps=apps,jobs   # the shell
 *     cursor top               # over everything, also later apps
 *     clock_reader always      # also when a saved session resumes
 *
 * `shell` marks the desktop's shell (the first line with it counts): it
 * restarts when it crashes or runs over its budget, one is started again
 * when none runs, and Ctrl+Alt+T opens another (desktop/shell_keeper.h).
 * `top` puts an app in the top layer: it is called (and so draws) after
 * every app without `top`, also after those started later (the pointer).
 *
 * A session saved on the disk replaces the manifest at boot (persist/
 * session.h), except for the apps marked `always`: those start too unless
 * the session brought them back (./fomos run marks its --app files so).
 *
 * The file comes from outside the kernel, so it is decoded completely and
 * refused as a whole when any line is wrong (names of 1..MANIFEST_NAME_MAX characters from
 * [a-z0-9_-], one per line, each with at most one caps= list of known capabilities and at most one
 * of each of `always`, `shell` and `top`, no NUL byte): a half-started desktop
 * would hide the mistake. The error says which line. More than
 * MANIFEST_MAX_APPS names is no mistake in a line: the first ones start,
 * and the error says from which line on the rest do not.
 *
 * Pure logic with no state of its own, built on the host for
 * tests/unit/test_manifest.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MANIFEST_MAX_APPS 256 /* lines that start apps: more start from the shell */
#define MANIFEST_NAME_MAX 31  /* characters, without the NUL */

enum manifest_error {
	MANIFEST_OK = 0,
	MANIFEST_E_TOO_MANY = -1,  /* more than MANIFEST_MAX_APPS names */
	MANIFEST_E_TOO_LONG = -2,  /* a name longer than MANIFEST_NAME_MAX */
	MANIFEST_E_BAD_CHAR = -3,  /* a character outside [a-z0-9_-] in a name */
	MANIFEST_E_TWO_NAMES = -4, /* a second word on a line */
	MANIFEST_E_NUL = -5,	   /* a NUL byte in the text */
	MANIFEST_E_BAD_CAP = -6,   /* caps= names an unknown capability */
	MANIFEST_E_TWO_CAPS = -7,  /* a second caps= on a line */
	MANIFEST_E_TWICE = -8,	   /* a second `always`, `shell` or `top` on a line */
};

/* The capabilities a manifest line can grant (bits of manifest.caps[]). */
enum manifest_cap {
	MANIFEST_CAP_APPS = 1u << 0, /* app management: start, list, kill, stats, control */
	MANIFEST_CAP_JOBS = 1u << 1, /* the shell's jobs: save, restore, reboot, run from disk */
};

struct manifest {
	size_t count;
	char names[MANIFEST_MAX_APPS][MANIFEST_NAME_MAX + 1]; /* NUL-terminated */
	uint32_t caps[MANIFEST_MAX_APPS];		      /* enum manifest_cap bits */
	bool always[MANIFEST_MAX_APPS]; /* started also when a saved session resumes */
	bool shell[MANIFEST_MAX_APPS];	/* the desktop's shell (desktop/shell_keeper.h) */
	bool top[MANIFEST_MAX_APPS];	/* called after every app without top */
};

/*
 * Parse the len bytes at text (no terminating NUL needed) into *out.
 * MANIFEST_OK, or a negative enum manifest_error with *error_line set to
 * the line at fault (counting from 1); *out is then empty, except after
 * MANIFEST_E_TOO_MANY: it then holds the first MANIFEST_MAX_APPS names,
 * which start (the rest are not even read). error_line may be NULL.
 */
int manifest_parse(const char *text, size_t len, struct manifest *out, size_t *error_line);

/* A short, constant description of an enum manifest_error value. */
const char *manifest_strerror(int error);
