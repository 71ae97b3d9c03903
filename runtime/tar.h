/*
 * runtime/tar.h — reading the boot archive (apps.tar), a POSIX ustar archive
 * lying in memory.
 *
 * The archive comes from outside the kernel (the runner packs it, GRUB
 * loads it as a module), so this is a decode step in the seL4 sense: every
 * header is checked before anything in it is believed, and a malformed
 * archive is an error naming the entry and the reason, never an access
 * outside [archive, archive + len). What is checked, per header block:
 *
 *   - the magic "ustar\0" and version "00" (POSIX ustar; the older GNU
 *     "ustar  " format is refused rather than half-understood);
 *   - the header checksum (unsigned sum of the 512 bytes, the checksum
 *     field counted as spaces);
 *   - the size field: octal digits, optionally space-padded, ended by NUL
 *     or space (GNU base-256 sizes are refused);
 *   - name and prefix: NUL-terminated inside their fields or exactly
 *     filling them; the name is not empty; the full name is
 *     "prefix/name" when the prefix is not empty;
 *   - the data (rounded up to whole 512-byte blocks) lies inside the
 *     archive;
 *   - the archive ends with two zero blocks (anything after them, such as
 *     the padding tar writes up to a record size, is ignored).
 *
 * Regular files (type '0', '\0' and '7') are returned; links, devices,
 * directories and FIFOs (types '1'..'6', no data follows them) and unknown
 * types (their data is skipped) are passed over. pax and GNU extension
 * headers ('x', 'g', 'L', 'K') are refused: they change the name or size
 * of the entry that follows, and reading that entry without them would
 * give a wrong name or wrong data.
 *
 * Pure logic with no state of its own: callable from anywhere, built on the
 * host for tests/unit/test_tar.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TAR_BLOCK_SIZE 512
#define TAR_NAME_MAX   256 /* prefix (155) + '/' + name (100), without the NUL */

enum tar_error {
	TAR_OK = 0,
	TAR_E_TRUNCATED = -1,	/* a header or its data runs past the end */
	TAR_E_FORMAT = -2,	/* not a ustar header (magic or version) */
	TAR_E_CHECKSUM = -3,	/* the header checksum does not match */
	TAR_E_SIZE = -4,	/* the size field is not an octal number */
	TAR_E_NAME = -5,	/* the name field is empty */
	TAR_E_UNSUPPORTED = -6, /* a pax or GNU extension header */
	TAR_E_NO_END = -7,	/* no end-of-archive marker (two zero blocks) */
	TAR_E_NOT_FOUND = -8,	/* tar_find: no regular file of that name */
	TAR_E_DUPLICATE = -9,	/* tar_find: two regular files of that name */
};

/* A regular file of the archive; data points into the archive itself. */
struct tar_entry {
	char name[TAR_NAME_MAX + 1]; /* NUL-terminated */
	const void *data;
	size_t size;
	size_t index; /* of its header among all headers, from 0 */
};

/*
 * A walk over an archive. After tar_next returned an error, `error` holds
 * it, `error_index` is the index of the header at fault (counting every
 * header, from 0; for a missing end marker, the index the next header
 * would have had) and `error_offset` its byte offset. Errors are sticky.
 */
struct tar_iter {
	const uint8_t *archive;
	size_t len;
	size_t offset; /* of the next header block */
	size_t index;  /* of the next header */
	bool done;     /* the end marker was reached */
	int error;
	size_t error_index;
	size_t error_offset;
};

void tar_iter_init(struct tar_iter *it, const void *archive, size_t len);

/*
 * Advance to the next regular file: 1 with *entry filled in, 0 at the
 * (valid) end of the archive, or a negative enum tar_error. *entry is
 * scratch space otherwise: its contents then mean nothing.
 */
int tar_next(struct tar_iter *it, struct tar_entry *entry);

/*
 * Find the regular file called `name` (the full "prefix/name"). The whole
 * archive is checked first, so a malformed archive is an error even when
 * the file comes before the fault, and a name present twice is
 * TAR_E_DUPLICATE. 0 with *data and *size set, or a negative enum
 * tar_error; walk the archive with tar_next to learn where it is broken.
 */
int tar_find(const void *archive, size_t len, const char *name, const void **data, size_t *size);

/* A short, constant description of an enum tar_error value. */
const char *tar_strerror(int error);
