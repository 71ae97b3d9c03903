/*
 * Host tests for runtime/tar.c. Two sources of archives: Python's tarfile in
 * USTAR_FORMAT (the runner's producer; generated at build time into
 * tar_fixtures.h by gen_tar_fixtures.py) and a small builder below that
 * writes headers by hand, so that each field can be broken on purpose.
 * Every walk runs over a heap copy of exactly the archive's length, so
 * ASan catches any read past the end, and the random-corruption test
 * checks that no input makes the reader misbehave.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/tar.h"
#include "tar_fixtures.h"

#define BLOCK TAR_BLOCK_SIZE

/* ------------------------------------------------------------ helpers ---- */

struct builder {
	uint8_t buf[32 * BLOCK];
	size_t len;
};

static void put_octal(uint8_t *field, size_t width, uint64_t value)
{
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "%0*llo", (int)(width - 1), (unsigned long long)value);
	memcpy(field, tmp, width - 1);
	field[width - 1] = '\0';
}

/* Recompute the checksum of header h (after a test edited it). */
static void seal(uint8_t *h)
{
	unsigned sum = 0;
	memset(h + 148, ' ', 8);
	for (int i = 0; i < BLOCK; i++) {
		sum += h[i];
	}
	char tmp[8];
	snprintf(tmp, sizeof(tmp), "%06o", sum);
	memcpy(h + 148, tmp, 7); /* six digits and a NUL; the space stays */
}

/* Append a header; name and prefix are copied like strncpy (no NUL when full). */
static uint8_t *add_header(struct builder *b, const char *prefix, const char *name, char type,
			   uint64_t size)
{
	uint8_t *h = b->buf + b->len;
	memset(h, 0, BLOCK);
	strncpy((char *)h, name, 100);
	put_octal(h + 100, 8, 0644);
	put_octal(h + 108, 8, 0);
	put_octal(h + 116, 8, 0);
	put_octal(h + 124, 12, size);
	put_octal(h + 136, 12, 0);
	h[156] = (uint8_t)type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	strncpy((char *)h + 345, prefix, 155);
	seal(h);
	b->len += BLOCK;
	return h;
}

/* Append a regular file whose bytes are i * 7 + seed. */
static uint8_t *add_file(struct builder *b, const char *name, size_t size, uint8_t seed)
{
	uint8_t *h = add_header(b, "", name, '0', size);
	for (size_t i = 0; i < size; i++) {
		b->buf[b->len + i] = (uint8_t)(i * 7 + seed);
	}
	b->len += (size + BLOCK - 1) / BLOCK * BLOCK;
	return h;
}

static void add_end(struct builder *b)
{
	memset(b->buf + b->len, 0, 2 * BLOCK);
	b->len += 2 * BLOCK;
}

static struct builder *new_builder(void)
{
	struct builder *b = calloc(1, sizeof(*b));
	assert_non_null(b);
	return b;
}

/*
 * Walk a heap copy of exactly len bytes; returns the final status (0 or
 * negative) and counts the regular files. *it_out, if given, receives the
 * iterator's end state.
 */
static int walk(const uint8_t *archive, size_t len, size_t *files, struct tar_iter *it_out)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct tar_iter it;
	struct tar_entry e;
	size_t n = 0;
	int rc;

	assert_non_null(copy);
	if (len > 0) {
		memcpy(copy, archive, len);
	}
	tar_iter_init(&it, copy, len);
	while ((rc = tar_next(&it, &e)) == 1) {
		assert_true((const uint8_t *)e.data >= copy);
		assert_true((const uint8_t *)e.data + e.size <= copy + len);
		assert_true(strlen(e.name) >= 1 && strlen(e.name) <= TAR_NAME_MAX);
		n++;
	}
	free(copy);
	if (files != NULL) {
		*files = n;
	}
	if (it_out != NULL) {
		*it_out = it;
	}
	return rc;
}

static int find_in(struct builder *b, const char *name, size_t *size)
{
	const void *data;
	return tar_find(b->buf, b->len, name, &data, size);
}

/* ---------------------------------------------- archives from tarfile ---- */

static void check_fixture(const struct fixture *f)
{
	struct tar_iter it;
	struct tar_entry e;
	size_t last_index = 0;

	tar_iter_init(&it, f->data, f->len);
	for (size_t i = 0; i < f->file_count; i++) {
		const struct fixture_file *want = &f->files[i];
		assert_int_equal(tar_next(&it, &e), 1);
		assert_string_equal(e.name, want->name);
		assert_int_equal(e.size, want->size);
		assert_true(i == 0 || e.index > last_index);
		last_index = e.index;
		const uint8_t *p = e.data;
		for (size_t j = 0; j < e.size; j++) {
			assert_int_equal(p[j], (uint8_t)(want->seed + 31 * j));
		}
	}
	assert_int_equal(tar_next(&it, &e), 0);
	assert_int_equal(tar_next(&it, &e), 0); /* the end stays the end */
}

static void test_fixtures_read_back(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		check_fixture(&fixtures[i]);
	}
}

static void test_fixtures_find(void **state)
{
	(void)state;
	const void *data;
	size_t size;

	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		const struct fixture *f = &fixtures[i];
		for (size_t j = 0; j < f->file_count; j++) {
			assert_int_equal(tar_find(f->data, f->len, f->files[j].name, &data, &size),
					 0);
			assert_int_equal(size, f->files[j].size);
			assert_true((const uint8_t *)data > f->data);
		}
		assert_int_equal(tar_find(f->data, f->len, "nope.elf", &data, &size),
				 TAR_E_NOT_FOUND);
	}
	/* Directories and links are not files. */
	const struct fixture *mixed = &fixtures[2];
	assert_string_equal(mixed->name, "mixed");
	assert_int_equal(tar_find(mixed->data, mixed->len, "dir/", &data, &size), TAR_E_NOT_FOUND);
	assert_int_equal(tar_find(mixed->data, mixed->len, "link", &data, &size), TAR_E_NOT_FOUND);
	assert_int_equal(tar_find(mixed->data, mixed->len, "hard", &data, &size), TAR_E_NOT_FOUND);
}

/* Every cut before the end marker is complete fails; every later cut is fine. */
static void test_fixtures_truncated_everywhere(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		const struct fixture *f = &fixtures[i];
		struct tar_iter it;
		assert_int_equal(walk(f->data, f->len, NULL, &it), 0);
		size_t end = it.offset + 2 * BLOCK; /* offset stays at the marker */
		assert_true(end <= f->len);
		for (size_t len = 0; len < end; len++) {
			int rc = walk(f->data, len, NULL, NULL);
			assert_true(rc == TAR_E_TRUNCATED || rc == TAR_E_NO_END);
		}
		for (size_t len = end; len <= f->len; len += 97) {
			assert_int_equal(walk(f->data, len, NULL, NULL), 0);
		}
	}
}

/* ------------------------------------------------ hand-built archives ---- */

static void test_hand_built_files_and_sizes(void **state)
{
	(void)state;
	struct builder *b = new_builder();
	add_file(b, "a.elf", 1, 1);
	add_file(b, "b.elf", 511, 2);
	add_file(b, "c.elf", 1024, 3);
	add_file(b, "d.elf", 0, 4);
	add_end(b);

	size_t files;
	assert_int_equal(walk(b->buf, b->len, &files, NULL), 0);
	assert_int_equal(files, 4);
	const void *data;
	size_t size;
	assert_int_equal(tar_find(b->buf, b->len, "c.elf", &data, &size), 0);
	assert_int_equal(size, 1024);
	assert_ptr_equal(data, b->buf + 5 * BLOCK); /* after a (2 blocks), b (2), c's header */
	assert_int_equal(((const uint8_t *)data)[1023], (uint8_t)(1023 * 7 + 3));
	assert_int_equal(find_in(b, "d.elf", &size), 0);
	assert_int_equal(size, 0);
	free(b);
}

static void test_full_length_name_and_prefix(void **state)
{
	(void)state;
	struct builder *b = new_builder();
	char name[101], prefix[156], want[TAR_NAME_MAX + 1];
	memset(name, 'n', 100);
	name[100] = '\0';
	memset(prefix, 'p', 155);
	prefix[155] = '\0';
	add_header(b, prefix, name, '0', 0); /* neither field has a NUL */
	add_header(b, "", name, '0', 0);
	add_header(b, "dir", "f", '0', 0);
	add_end(b);

	struct tar_iter it;
	struct tar_entry e;
	tar_iter_init(&it, b->buf, b->len);
	assert_int_equal(tar_next(&it, &e), 1);
	snprintf(want, sizeof(want), "%s/%s", prefix, name);
	assert_int_equal(strlen(e.name), TAR_NAME_MAX);
	assert_string_equal(e.name, want);
	assert_int_equal(tar_next(&it, &e), 1);
	assert_string_equal(e.name, name);
	assert_int_equal(tar_next(&it, &e), 1);
	assert_string_equal(e.name, "dir/f");
	assert_int_equal(tar_next(&it, &e), 0);
	free(b);
}

static void test_empty_name(void **state)
{
	(void)state;
	struct builder *b = new_builder();
	add_file(b, "ok.elf", 3, 0);
	add_header(b, "some/prefix", "", '0', 0);
	add_end(b);
	struct tar_iter it;
	size_t files;
	assert_int_equal(walk(b->buf, b->len, &files, &it), TAR_E_NAME);
	assert_int_equal(files, 1);
	assert_int_equal(it.error_index, 1);
	assert_int_equal(it.error_offset, 2 * BLOCK);
	free(b);
}

static void test_non_regular_entries_skipped(void **state)
{
	(void)state;
	struct builder *b = new_builder();
	add_header(b, "", "dir/", '5', 4096); /* no data follows, whatever size says */
	add_header(b, "", "sym", '2', 0);
	add_header(b, "", "hard", '1', 0);
	add_header(b, "", "chr", '3', 0);
	add_header(b, "", "blk", '4', 0);
	add_header(b, "", "fifo", '6', 0);
	add_file(b, "dir/a.elf", 600, 1);
	uint8_t *odd = add_file(b, "vendor", 700, 2); /* an unknown type: data skipped */
	odd[156] = 'V';
	seal(odd);
	uint8_t *old = add_file(b, "old.elf", 2, 3); /* pre-POSIX regular: type NUL */
	old[156] = '\0';
	seal(old);
	uint8_t *cont = add_file(b, "cont.elf", 2, 4); /* contiguous file = regular */
	cont[156] = '7';
	seal(cont);
	add_end(b);

	struct tar_iter it;
	struct tar_entry e;
	const char *want[] = {"dir/a.elf", "old.elf", "cont.elf"};
	size_t want_index[] = {6, 8, 9};
	tar_iter_init(&it, b->buf, b->len);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(tar_next(&it, &e), 1);
		assert_string_equal(e.name, want[i]);
		assert_int_equal(e.index, want_index[i]);
	}
	assert_int_equal(tar_next(&it, &e), 0);
	size_t size;
	assert_int_equal(find_in(b, "vendor", &size), TAR_E_NOT_FOUND);
	assert_int_equal(find_in(b, "dir/", &size), TAR_E_NOT_FOUND);
	free(b);
}

static void test_extension_headers_refused(void **state)
{
	(void)state;
	const char types[] = {'x', 'g', 'L', 'K'};
	for (size_t i = 0; i < sizeof(types); i++) {
		struct builder *b = new_builder();
		add_file(b, "a.elf", 10, 0);
		uint8_t *h = add_file(b, "././@PaxHeader", 30, 0);
		h[156] = (uint8_t)types[i];
		seal(h);
		add_file(b, "b.elf", 10, 0);
		add_end(b);
		struct tar_iter it;
		assert_int_equal(walk(b->buf, b->len, NULL, &it), TAR_E_UNSUPPORTED);
		assert_int_equal(it.error_index, 1);
		free(b);
	}
}

/* ------------------------------------------------- broken header fields ---- */

static void test_bad_checksum(void **state)
{
	(void)state;
	struct builder *b = new_builder();
	add_file(b, "a.elf", 100, 0);
	uint8_t *h = add_file(b, "b.elf", 100, 0);
	add_end(b);

	h[5] ^= 1; /* a name byte changes, the checksum does not */
	struct tar_iter it;
	size_t files;
	assert_int_equal(walk(b->buf, b->len, &files, &it), TAR_E_CHECKSUM);
	assert_int_equal(files, 1);
	assert_int_equal(it.error_index, 1);
	assert_int_equal(it.error_offset, 2 * BLOCK);

	/* The file before the fault is not found either: the whole archive is checked. */
	size_t size;
	assert_int_equal(find_in(b, "a.elf", &size), TAR_E_CHECKSUM);

	h[5] ^= 1;
	memcpy(h + 148, "12345x\0 ", 8); /* a checksum that is not octal */
	assert_int_equal(walk(b->buf, b->len, NULL, NULL), TAR_E_CHECKSUM);
	memset(h + 148, 0, 8); /* none at all */
	assert_int_equal(walk(b->buf, b->len, NULL, NULL), TAR_E_CHECKSUM);
	seal(h);
	assert_int_equal(walk(b->buf, b->len, NULL, NULL), 0);
	free(b);
}

/* Overwrite the size field of h with the 12 bytes at field, and reseal. */
static int walk_with_size(struct builder *b, uint8_t *h, const char *field)
{
	memcpy(h + 124, field, 12);
	seal(h);
	return walk(b->buf, b->len, NULL, NULL);
}

static void test_size_field(void **state)
{
	(void)state;
	struct builder *b = new_builder();
	uint8_t *h = add_file(b, "a.elf", 1000, 0); /* 1000 = 01750 */
	add_end(b);

	assert_int_equal(walk_with_size(b, h, "00000001750\0"), 0);
	assert_int_equal(walk_with_size(b, h, "000000001750"), 0);	   /* digits fill it */
	assert_int_equal(walk_with_size(b, h, "      1750 \0"), 0);	   /* space padded */
	assert_int_equal(walk_with_size(b, h, "1750\0\0\0\0\0\0\0\0"), 0); /* short */
	assert_int_equal(walk_with_size(b, h, "00000001758\0"), TAR_E_SIZE);
	assert_int_equal(walk_with_size(b, h, "0000000175x\0"), TAR_E_SIZE);
	assert_int_equal(walk_with_size(b, h, "000001 1750\0"), TAR_E_SIZE);
	assert_int_equal(walk_with_size(b, h, "-0000001750\0"), TAR_E_SIZE);
	assert_int_equal(walk_with_size(b, h, "\0\0\0\0\0\0\0\0\0\0\0\0"), TAR_E_SIZE);
	assert_int_equal(walk_with_size(b, h, "            "), TAR_E_SIZE);
	/* GNU base-256: high bit set, big-endian binary. */
	assert_int_equal(walk_with_size(b, h, "\x80\0\0\0\0\0\0\0\0\0\x03\xe8"), TAR_E_SIZE);
	free(b);
}

static void test_huge_sizes(void **state)
{
	(void)state;
	struct builder *b = new_builder();
	add_file(b, "a.elf", 10, 0);
	uint8_t *h = add_file(b, "b.elf", 1000, 0);
	add_end(b);

	struct tar_iter it;
	assert_int_equal(walk_with_size(b, h, "77777777777\0"), TAR_E_TRUNCATED);
	assert_int_equal(walk_with_size(b, h, "777777777777"), TAR_E_TRUNCATED); /* 2^36 - 1 */
	/* 2048 bytes end exactly at the archive's end: no end marker left. */
	assert_int_equal(walk_with_size(b, h, "00000004000\0"), TAR_E_NO_END);
	/* One byte more needs one block more than there is. */
	assert_int_equal(walk_with_size(b, h, "00000004001\0"), TAR_E_TRUNCATED);
	walk(b->buf, b->len, NULL, &it);
	assert_int_equal(it.error_index, 1);
	free(b);
}

static void test_not_ustar(void **state)
{
	(void)state;
	struct builder *b = new_builder();
	uint8_t *h = add_file(b, "a.elf", 10, 0);
	add_end(b);

	memcpy(h + 257, "ustar  \0", 8); /* old GNU format */
	seal(h);
	assert_int_equal(walk(b->buf, b->len, NULL, NULL), TAR_E_FORMAT);
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "01", 2); /* unknown version */
	seal(h);
	assert_int_equal(walk(b->buf, b->len, NULL, NULL), TAR_E_FORMAT);
	memset(h, 0xa5, BLOCK); /* not a header at all */
	assert_int_equal(walk(b->buf, b->len, NULL, NULL), TAR_E_FORMAT);
	free(b);
}

/* ------------------------------------------------------- the end marker ---- */

static void test_end_marker(void **state)
{
	(void)state;
	struct builder *b = new_builder();
	add_file(b, "a.elf", 10, 0);
	size_t body = b->len;
	add_end(b);
	struct tar_iter it;

	assert_int_equal(walk(b->buf, body, NULL, &it), TAR_E_NO_END); /* none */
	assert_int_equal(it.error_index, 1);
	assert_int_equal(it.error_offset, body);
	assert_int_equal(walk(b->buf, body + BLOCK, NULL, NULL), TAR_E_NO_END); /* half */
	assert_int_equal(walk(b->buf, body + 100, NULL, NULL), TAR_E_TRUNCATED);
	assert_int_equal(walk(b->buf, body + BLOCK + 100, NULL, NULL), TAR_E_NO_END);

	/* A lone zero block followed by another header is not an end. */
	struct builder *c = new_builder();
	add_file(c, "a.elf", 10, 0);
	memset(c->buf + c->len, 0, BLOCK);
	c->len += BLOCK;
	add_file(c, "b.elf", 10, 0);
	add_end(c);
	assert_int_equal(walk(c->buf, c->len, NULL, NULL), TAR_E_NO_END);

	/* Whatever follows the marker is ignored (tar pads to a record size). */
	memset(b->buf + b->len, 0xee, 3 * BLOCK + 7);
	assert_int_equal(walk(b->buf, b->len + 3 * BLOCK + 7, NULL, NULL), 0);
	assert_int_equal(walk(b->buf, 0, NULL, NULL), TAR_E_NO_END);
	free(b);
	free(c);
}

static void test_errors_are_sticky(void **state)
{
	(void)state;
	struct builder *b = new_builder();
	uint8_t *h = add_file(b, "a.elf", 10, 0);
	add_file(b, "b.elf", 10, 0);
	add_end(b);
	h[0] ^= 0x40;

	struct tar_iter it;
	struct tar_entry e;
	tar_iter_init(&it, b->buf, b->len);
	assert_int_equal(tar_next(&it, &e), TAR_E_CHECKSUM);
	assert_int_equal(tar_next(&it, &e), TAR_E_CHECKSUM);
	assert_int_equal(it.error, TAR_E_CHECKSUM);
	free(b);
}

static void test_find_duplicate(void **state)
{
	(void)state;
	struct builder *b = new_builder();
	add_file(b, "a.elf", 10, 0);
	add_header(b, "", "a.elf", '5', 0); /* a directory of that name does not count */
	add_file(b, "b.elf", 10, 0);
	add_end(b);
	size_t size;
	assert_int_equal(find_in(b, "a.elf", &size), 0);

	b->len -= 2 * BLOCK;
	add_file(b, "a.elf", 20, 0);
	add_end(b);
	assert_int_equal(find_in(b, "a.elf", &size), TAR_E_DUPLICATE);
	assert_int_equal(find_in(b, "b.elf", &size), 0);
	free(b);
}

/* ----------------------------------------------------- random damage ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/*
 * Damage a few bytes of a valid archive, half the time resealing the
 * headers so that the damage gets past the checksum into the fields. The
 * walk must end in 0 or an error, with every entry inside the archive.
 */
static void test_random_corruption(void **state)
{
	(void)state;
	struct builder *orig = new_builder();
	size_t headers[4];
	headers[0] = orig->len;
	add_file(orig, "a.elf", 700, 1);
	headers[1] = orig->len;
	add_header(orig, "some", "dir/", '5', 0);
	headers[2] = orig->len;
	add_file(orig, "b.elf", 3, 2);
	headers[3] = orig->len;
	add_file(orig, "c.elf", 1500, 3);
	add_end(orig);

	struct builder *b = new_builder();
	size_t results[16] = {0};
	for (int round = 0; round < 20000; round++) {
		*b = *orig;
		int flips = 1 + (int)(rng() % 4);
		for (int i = 0; i < flips; i++) {
			size_t at =
			    (rng() % 2) ? headers[rng() % 4] + rng() % BLOCK : rng() % b->len;
			b->buf[at] = (uint8_t)rng();
		}
		if (rng() % 2) {
			for (size_t i = 0; i < 4; i++) {
				seal(b->buf + headers[i]);
			}
		}
		size_t len = (rng() % 8 == 0) ? rng() % (b->len + 1) : b->len;
		int rc = walk(b->buf, len, NULL, NULL);
		assert_true(rc <= 0 && rc >= TAR_E_NO_END);
		results[-rc]++;
	}
	/* The damage reached most of the checks. */
	assert_true(results[0] > 0);
	assert_true(results[-TAR_E_CHECKSUM] > 0);
	assert_true(results[-TAR_E_SIZE] > 0);
	assert_true(results[-TAR_E_TRUNCATED] > 0);
	assert_true(results[-TAR_E_FORMAT] > 0);
	free(orig);
	free(b);
}

static void test_strerror(void **state)
{
	(void)state;
	for (int e = 0; e >= TAR_E_DUPLICATE; e--) {
		const char *s = tar_strerror(e);
		assert_non_null(s);
		assert_true(strlen(s) > 0);
		assert_string_not_equal(s, "unknown error");
		for (int f = 0; f > e; f--) {
			assert_string_not_equal(s, tar_strerror(f));
		}
	}
	assert_string_equal(tar_strerror(-100), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixtures_read_back),
	    cmocka_unit_test(test_fixtures_find),
	    cmocka_unit_test(test_fixtures_truncated_everywhere),
	    cmocka_unit_test(test_hand_built_files_and_sizes),
	    cmocka_unit_test(test_full_length_name_and_prefix),
	    cmocka_unit_test(test_empty_name),
	    cmocka_unit_test(test_non_regular_entries_skipped),
	    cmocka_unit_test(test_extension_headers_refused),
	    cmocka_unit_test(test_bad_checksum),
	    cmocka_unit_test(test_size_field),
	    cmocka_unit_test(test_huge_sizes),
	    cmocka_unit_test(test_not_ustar),
	    cmocka_unit_test(test_end_marker),
	    cmocka_unit_test(test_errors_are_sticky),
	    cmocka_unit_test(test_find_duplicate),
	    cmocka_unit_test(test_random_corruption),
	    cmocka_unit_test(test_strerror),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
