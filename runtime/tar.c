/*
 * runtime/tar.c — the ustar reader; see tar.h for what is checked and why.
 *
 * A header is decoded completely (magic, checksum, size, type, name) into
 * local values before the walk moves on, and every offset is compared with
 * the bytes that remain rather than added to a pointer first, so no check
 * can be defeated by an overflowing sum: `size` may be any 36-bit value
 * and `len` anything a caller has.
 *
 * Header layout (POSIX ustar), byte offsets into the 512-byte block:
 *   name 0 (100), size 124 (12), chksum 148 (8), typeflag 156,
 *   magic 257 (6, "ustar\0"), version 263 (2, "00"), prefix 345 (155).
 */
#include "runtime/tar.h"

#include "lib/string.h"

#define NAME_OFF     0
#define NAME_LEN     100
#define SIZE_OFF     124
#define SIZE_LEN     12
#define CHKSUM_OFF   148
#define CHKSUM_LEN   8
#define TYPEFLAG_OFF 156
#define MAGIC_OFF    257
#define VERSION_OFF  263
#define PREFIX_OFF   345
#define PREFIX_LEN   155

/* What a header says, once it has been checked. */
struct tar_header {
	uint64_t size;	      /* the size field */
	uint64_t data_blocks; /* 512-byte blocks of data that follow it */
	bool regular;
};

static bool block_is_zero(const uint8_t *block)
{
	for (size_t i = 0; i < TAR_BLOCK_SIZE; i++) {
		if (block[i] != 0) {
			return false;
		}
	}
	return true;
}

/*
 * A numeric field: optional leading spaces, at least one octal digit, then
 * only NUL or space to the end of the field (the digits may also fill it).
 * At most 12 digits, so the value fits in 36 bits.
 */
static bool parse_octal(const uint8_t *field, size_t width, uint64_t *out)
{
	size_t i = 0;
	uint64_t value = 0;

	while (i < width && field[i] == ' ') {
		i++;
	}
	size_t first_digit = i;
	while (i < width && field[i] >= '0' && field[i] <= '7') {
		value = value * 8 + (uint64_t)(field[i] - '0');
		i++;
	}
	if (i == first_digit) {
		return false;
	}
	for (; i < width; i++) {
		if (field[i] != '\0' && field[i] != ' ') {
			return false;
		}
	}
	*out = value;
	return true;
}

static bool checksum_ok(const uint8_t *h)
{
	uint64_t stored;
	uint64_t sum = 0;

	if (!parse_octal(h + CHKSUM_OFF, CHKSUM_LEN, &stored)) {
		return false;
	}
	for (size_t i = 0; i < TAR_BLOCK_SIZE; i++) {
		bool in_field = i >= CHKSUM_OFF && i < CHKSUM_OFF + CHKSUM_LEN;
		sum += in_field ? (uint64_t)' ' : h[i];
	}
	return sum == stored;
}

/* The length of a string field: up to its first NUL, or its full width. */
static size_t field_length(const uint8_t *field, size_t width)
{
	size_t n = 0;
	while (n < width && field[n] != '\0') {
		n++;
	}
	return n;
}

/* Join prefix and name into out (TAR_NAME_MAX + 1 bytes). */
static int decode_name(const uint8_t *h, char *out)
{
	size_t name_len = field_length(h + NAME_OFF, NAME_LEN);
	size_t prefix_len = field_length(h + PREFIX_OFF, PREFIX_LEN);
	size_t at = 0;

	if (name_len == 0) {
		return TAR_E_NAME;
	}
	if (prefix_len > 0) {
		memcpy(out, h + PREFIX_OFF, prefix_len);
		out[prefix_len] = '/';
		at = prefix_len + 1;
	}
	memcpy(out + at, h + NAME_OFF, name_len);
	out[at + name_len] = '\0';
	return TAR_OK;
}

/*
 * Types '1'..'6' (hard link, symlink, character and block device,
 * directory, FIFO) carry no data whatever their size field says; regular
 * files and unknown types are followed by `size` bytes of data.
 */
static int decode_type(uint8_t type, uint64_t size, struct tar_header *out)
{
	if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
		return TAR_E_UNSUPPORTED;
	}
	out->regular = type == '0' || type == '\0' || type == '7';
	bool has_data = !(type >= '1' && type <= '6');
	out->data_blocks = has_data ? size / TAR_BLOCK_SIZE + (size % TAR_BLOCK_SIZE != 0) : 0;
	return TAR_OK;
}

/* Check the (non-zero) header block h; fill *out and, if regular, *entry. */
static int decode_header(const uint8_t *h, struct tar_header *out, struct tar_entry *entry)
{
	if (memcmp(h + MAGIC_OFF, "ustar", 6) != 0 || memcmp(h + VERSION_OFF, "00", 2) != 0) {
		return TAR_E_FORMAT;
	}
	if (!checksum_ok(h)) {
		return TAR_E_CHECKSUM;
	}
	if (!parse_octal(h + SIZE_OFF, SIZE_LEN, &out->size)) {
		return TAR_E_SIZE;
	}
	int rc = decode_type(h[TYPEFLAG_OFF], out->size, out);
	if (rc != TAR_OK) {
		return rc;
	}
	return decode_name(h, entry->name);
}

void tar_iter_init(struct tar_iter *it, const void *archive, size_t len)
{
	memset(it, 0, sizeof(*it));
	it->archive = archive;
	it->len = len;
}

static int fail(struct tar_iter *it, int error)
{
	it->error = error;
	it->error_index = it->index;
	it->error_offset = it->offset;
	return error;
}

/* At a zero block: the end, if a second zero block follows it. */
static int end_of_archive(struct tar_iter *it)
{
	size_t left = it->len - it->offset;

	if (left < 2 * TAR_BLOCK_SIZE ||
	    !block_is_zero(it->archive + it->offset + TAR_BLOCK_SIZE)) {
		return fail(it, TAR_E_NO_END);
	}
	it->done = true;
	return 0;
}

/* Decode the header at it->offset and step over it and its data. */
static int step(struct tar_iter *it, struct tar_entry *entry, bool *regular)
{
	const uint8_t *h = it->archive + it->offset;
	struct tar_header hdr;

	int rc = decode_header(h, &hdr, entry);
	if (rc != TAR_OK) {
		return fail(it, rc);
	}
	size_t left = it->len - it->offset - TAR_BLOCK_SIZE;
	if (hdr.data_blocks > left / TAR_BLOCK_SIZE) {
		return fail(it, TAR_E_TRUNCATED);
	}
	*regular = hdr.regular;
	entry->data = h + TAR_BLOCK_SIZE;
	entry->size = (size_t)hdr.size;
	entry->index = it->index;
	it->offset += TAR_BLOCK_SIZE + (size_t)hdr.data_blocks * TAR_BLOCK_SIZE;
	it->index++;
	return TAR_OK;
}

int tar_next(struct tar_iter *it, struct tar_entry *entry)
{
	for (;;) {
		if (it->error != TAR_OK) {
			return it->error;
		}
		if (it->done) {
			return 0;
		}
		size_t left = it->len - it->offset; /* offset <= len always */
		if (left == 0) {
			return fail(it, TAR_E_NO_END);
		}
		if (left < TAR_BLOCK_SIZE) {
			return fail(it, TAR_E_TRUNCATED);
		}
		if (block_is_zero(it->archive + it->offset)) {
			return end_of_archive(it);
		}
		bool regular = false;
		int rc = step(it, entry, &regular);
		if (rc != TAR_OK) {
			return rc;
		}
		if (regular) {
			return 1;
		}
	}
}

int tar_find(const void *archive, size_t len, const char *name, const void **data, size_t *size)
{
	struct tar_iter it;
	struct tar_entry entry;
	const void *found_data = NULL;
	size_t found_size = 0;
	bool found = false;
	int rc;

	tar_iter_init(&it, archive, len);
	while ((rc = tar_next(&it, &entry)) == 1) {
		if (strcmp(entry.name, name) != 0) {
			continue;
		}
		if (found) {
			return TAR_E_DUPLICATE;
		}
		found = true;
		found_data = entry.data;
		found_size = entry.size;
	}
	if (rc < 0) {
		return rc;
	}
	if (!found) {
		return TAR_E_NOT_FOUND;
	}
	*data = found_data;
	*size = found_size;
	return TAR_OK;
}

const char *tar_strerror(int error)
{
	switch (error) {
	case TAR_OK:
		return "no error";
	case TAR_E_TRUNCATED:
		return "header or data runs past the end of the archive";
	case TAR_E_FORMAT:
		return "not a ustar header (bad magic or version)";
	case TAR_E_CHECKSUM:
		return "bad header checksum";
	case TAR_E_SIZE:
		return "size field is not an octal number";
	case TAR_E_NAME:
		return "empty file name";
	case TAR_E_UNSUPPORTED:
		return "pax or GNU extension header (not supported)";
	case TAR_E_NO_END:
		return "no end-of-archive marker (two zero blocks)";
	case TAR_E_NOT_FOUND:
		return "no such file";
	case TAR_E_DUPLICATE:
		return "file present twice";
	default:
		return "unknown error";
	}
}
