/*
 * Host tests for fs/fat32*.c against real images: each test makes a fresh
 * image with mkfs.fat (dosfstools), puts files in with mtools, and checks
 * what the library writes with mcopy and `fsck.fat -n`. The block device is
 * the in-memory image of tests/unit/fat32_test_util.h, written back to the
 * image file before mtools or fsck.fat read it. Corruption tests patch the
 * image bytes (BPB, FAT entries) and expect clear errors, never a hang or
 * crash.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/fat32_test_util.h"

#define MB (1024u * 1024u)

static struct fat32 fs;

static int setup(void **state)
{
	(void)state;
	img_create(64 * 1024, "");
	return 0;
}

static void host_write(const char *name, const uint8_t *d, uint32_t len)
{
	char path[160];
	snprintf(path, sizeof(path), "%s/%s", img.dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(d, 1, len, f), len);
	fclose(f);
}

/* ---------------------------------------------------------------- tests -- */

static void test_read_mtools_files(void **state)
{
	(void)state;
	uint8_t *a = pattern(100000, 1), *b = pattern(5, 2);
	host_write("a", a, 100000);
	host_write("b", b, 5);
	assert_int_equal(sh("mmd -i %s ::/Sub ::/Sub/Deeper", img.path), 0);
	assert_int_equal(
	    sh("mcopy -i %s %s/a '::/A rather long file name.data'", img.path, img.dir), 0);
	assert_int_equal(sh("mcopy -i %s %s/b ::/Sub/Deeper/SHORT.TXT", img.path, img.dir), 0);
	assert_int_equal(sh("mcopy -i %s %s/b ::/empty_is_not", img.path, img.dir), 0);
	img_reload();
	assert_int_equal(img_mount(&fs), 0);
	expect_file(&fs, "/A rather long file name.data", a, 100000);
	expect_file(&fs, "a RATHER long FILE name.DATA", a, 100000);
	expect_file(&fs, "/sub/deeper/short.txt", b, 5);
	uint8_t small[4];
	uint32_t len;
	assert_int_equal(fat32_read_file(&fs, "/A rather long file name.data", small, 4, &len),
			 FAT32_ETOOBIG);
	assert_int_equal(len, 100000);
	assert_int_equal(fat32_read_file(&fs, "/nope", small, 4, &len), FAT32_ENOENT);
	assert_int_equal(fat32_read_file(&fs, "/Sub", small, 4, &len), FAT32_EISDIR);
	assert_int_equal(fat32_read_file(&fs, "/empty_is_not/x", small, 4, &len), FAT32_ENOTDIR);
	free(a);
	free(b);
}

struct names {
	int n;
	char seen[8][64];
};

static int collect(void *ctx, const struct fat32_stat *st)
{
	struct names *nm = ctx;
	if (nm->n < 8) {
		snprintf(nm->seen[nm->n++], 64, "%s%s", st->name, st->is_dir ? "/" : "");
	}
	return 0;
}

static void test_write_read_by_mtools(void **state)
{
	(void)state;
	assert_int_equal(img_mount(&fs), 0);
	uint8_t *big = pattern(3 * MB + 123, 3), *s = pattern(700, 4);
	assert_int_equal(fat32_write_file(&fs, "/README.TXT", s, 700), 0);
	assert_int_equal(fat32_write_file(&fs, "/big file with a long name.bin", big, 3 * MB + 123),
			 0);
	assert_int_equal(fat32_mkdir(&fs, "/Documents and Settings"), 0);
	assert_int_equal(fat32_mkdir(&fs, "/Documents and Settings"), FAT32_EEXIST);
	assert_int_equal(fat32_write_file(&fs, "/Documents and Settings/a.b.c.d", s, 10), 0);
	assert_int_equal(fat32_write_file(&fs, "/empty", s, 0), 0);
	/* Two names with the same 8.3 basis get distinct aliases. */
	assert_int_equal(fat32_write_file(&fs, "/longname1.txt", s, 1), 0);
	assert_int_equal(fat32_write_file(&fs, "/longname2.txt", s, 2), 0);
	char name[256];
	memset(name, 'x', 255);
	name[0] = '/';
	memcpy(name + 250, ".text", 6);
	assert_int_equal(fat32_write_file(&fs, name, s, 3), 0);
	img_fsck_clean();
	expect_mtools("/README.TXT", s, 700);
	expect_mtools("/big file with a long name.bin", big, 3 * MB + 123);
	expect_mtools("/Documents and Settings/a.b.c.d", s, 10);
	expect_mtools("/empty", s, 0);
	expect_mtools("/longname1.txt", s, 1);
	expect_mtools("/longname2.txt", s, 2);
	expect_mtools(name, s, 3);
	assert_int_equal(sh("mdir -i %s ::/ | grep -q 'LONGNA~2 TXT'", img.path), 0);

	/* Replace, then remove; the space comes back (fsck checks FSInfo). */
	assert_int_equal(fat32_write_file(&fs, "/big file with a long name.bin", s, 700), 0);
	expect_mtools("/big file with a long name.bin", s, 700);
	assert_int_equal(fat32_remove(&fs, "/Documents and Settings"), FAT32_ENOTEMPTY);
	assert_int_equal(fat32_remove(&fs, "/Documents and Settings/a.b.c.d"), 0);
	assert_int_equal(fat32_remove(&fs, "/Documents and Settings"), 0);
	assert_int_equal(fat32_remove(&fs, "/longname1.txt"), 0);
	img_fsck_clean();
	assert_int_not_equal(sh("mtype -i %s ::/longname1.txt 2>/dev/null", img.path), 0);

	struct names nm = {0};
	assert_int_equal(fat32_list(&fs, "/", collect, &nm), 0);
	assert_int_equal(nm.n, 5);
	assert_string_equal(nm.seen[0], "README.TXT");
	assert_string_equal(nm.seen[1], "big file with a long name.bin");

	/* A remount (fresh FSInfo) reads the same. */
	assert_int_equal(img_mount(&fs), 0);
	expect_file(&fs, "/big file with a long name.bin", s, 700);
	free(big);
	free(s);
}

static void test_fragmented_and_full(void **state)
{
	(void)state;
	assert_int_equal(img_mount(&fs), 0);
	uint8_t *chunk = pattern(MB, 5);
	char name[32];
	int n = 0, r;
	for (;; n++) {
		snprintf(name, sizeof(name), "/f%02d", n);
		r = fat32_write_file(&fs, name, chunk, MB);
		if (r != 0) {
			break;
		}
	}
	assert_int_equal(r, FAT32_ENOSPC);
	assert_true(n > 40);
	uint32_t len;
	bool is_dir;
	assert_int_equal(fat32_stat(&fs, name, &len, &is_dir), FAT32_ENOENT);
	img_fsck_clean();

	for (int i = 0; i < n; i += 2) {
		snprintf(name, sizeof(name), "/f%02d", i);
		assert_int_equal(fat32_remove(&fs, name), 0);
	}
	uint32_t big_len = (uint32_t)(n / 2) * MB;
	uint8_t *big = pattern(big_len, 6);
	assert_int_equal(fat32_write_file(&fs, "/fills the holes", big, big_len), 0);
	img_fsck_clean();
	expect_mtools("/fills the holes", big, big_len);
	expect_file(&fs, "/fills the holes", big, big_len);
	expect_mtools("/f01", chunk, MB);
	free(big);
	free(chunk);
}

static void test_corrupt_chains(void **state)
{
	(void)state;
	assert_int_equal(img_mount(&fs), 0);
	uint8_t *d = pattern(20000, 7), *buf = malloc(20000);
	assert_int_equal(fat32_write_file(&fs, "/outside", d, 20000), 0);
	assert_int_equal(fat32_write_file(&fs, "/loop", d, 20000), 0);
	uint32_t len;
	uint32_t c1 = img_entry(&fs, "/outside", NULL);
	uint32_t c2 = img_entry(&fs, "/loop", NULL);
	img_set_fat(&fs, c1 + 1, fs.cluster_count + 50, fs.num_fats);
	img_set_fat(&fs, c2 + 2, c2, fs.num_fats);
	assert_int_equal(img_mount(&fs), 0);
	assert_int_equal(fat32_read_file(&fs, "/outside", buf, 20000, &len), FAT32_ECORRUPT);
	assert_int_equal(fat32_read_file(&fs, "/loop", buf, 20000, &len), FAT32_ECORRUPT);
	assert_int_equal(fat32_remove(&fs, "/outside"), FAT32_ECORRUPT);
	/* A looping root directory chain (full clusters, no end marker). */
	for (int i = 0; i < 40; i++) {
		char name[32];
		snprintf(name, sizeof(name), "/entry number %02d", i);
		assert_int_equal(fat32_write_file(&fs, name, d, 1), 0);
	}
	uint32_t second;
	assert_int_equal(fat32_fat_next(&fs, fs.root_cluster, &second), 1);
	img_set_fat(&fs, second, fs.root_cluster, fs.num_fats);
	assert_int_equal(img_mount(&fs), 0);
	assert_int_equal(fat32_read_file(&fs, "/absent", buf, 1, &len), FAT32_ECORRUPT);
	assert_int_equal(fat32_write_file(&fs, "/new", d, 1), FAT32_ECORRUPT);
	free(d);
	free(buf);
}

static void test_bad_bpb(void **state)
{
	(void)state;
	assert_int_equal(img_mount(&fs), 0);
	uint8_t b[2];
	fat32_put16(b, 1024);
	img_patch(11, b, 2);
	assert_int_equal(img_mount(&fs), FAT32_EUNSUPPORTED);
	fat32_put16(b, 700);
	img_patch(11, b, 2);
	assert_int_equal(img_mount(&fs), FAT32_ECORRUPT);
	fat32_put16(b, 512);
	img_patch(11, b, 2);
	img_patch(13, "\x03", 1); /* sectors per cluster not a power of two */
	assert_int_equal(img_mount(&fs), FAT32_ECORRUPT);
	img_patch(13, "\x01", 1);
	assert_int_equal(img_mount(&fs), 0);
	img_patch(44, "\xff\xff\xff\x0f", 4); /* root cluster outside the volume */
	assert_int_equal(img_mount(&fs), FAT32_ECORRUPT);
	img_patch(44, "\x02\x00\x00\x00", 4);
	img_patch(512, "XXXX", 4); /* FSInfo signature */
	assert_int_equal(img_mount(&fs), FAT32_ECORRUPT);
	img_patch(512, "RRaA", 4);
	assert_int_equal(img_mount(&fs), 0);
	img_patch(510, "\x00\x00", 2);
	assert_int_equal(img_mount(&fs), FAT32_ENOTFAT32);
	/* A volume claiming more sectors than the device has. */
	img_patch(510, "\x55\xaa", 2);
	uint64_t sectors = img.sectors;
	img.sectors = MB / 512; /* the device the library is given: 1 MiB */
	assert_int_equal(img_mount(&fs), FAT32_ECORRUPT);
	img.sectors = sectors;
	/* FAT16 is not FAT32. */
	assert_int_equal(sh("rm %s && mkfs.fat -F 16 -C %s 65536 >/dev/null", img.path, img.path),
			 0);
	img_reload();
	assert_int_equal(img_mount(&fs), FAT32_ENOTFAT32);
}

/* Random bytes in the BPB and FAT never crash or hang the library. */
static void test_random_corruption(void **state)
{
	(void)state;
	assert_int_equal(img_mount(&fs), 0);
	uint8_t *d = pattern(5000, 8), *buf = malloc(5000);
	assert_int_equal(fat32_write_file(&fs, "/some file", d, 5000), 0);
	srand(42);
	uint64_t fat = (uint64_t)fs.fat_start * 512;
	for (int i = 0; i < 200; i++) {
		uint8_t v = (uint8_t)rand();
		img_patch(i % 2 ? fat + (uint64_t)(rand() % 64) : (uint64_t)(rand() % 90), &v, 1);
		uint32_t len;
		if (img_mount(&fs) == 0) {
			(void)fat32_read_file(&fs, "/some file", buf, 5000, &len);
			(void)fat32_write_file(&fs, "/other", d, 3000);
		}
	}
	free(d);
	free(buf);
}

/* 2 KiB clusters: the 21 entries of a 20-slot name sit in one cluster. */
static int setup_2k(void **state)
{
	(void)state;
	img_create(132 * 1024, "-s 4");
	return 0;
}

struct longest {
	size_t len;   /* bytes of the longest name listed */
	bool all_cjk; /* and it is nothing but U+4E2D */
};

static int find_longest(void *ctx, const struct fat32_stat *st)
{
	struct longest *l = ctx;
	size_t len = strlen(st->name);
	if (len > l->len) {
		l->len = len;
		l->all_cjk = len % 3 == 0;
		for (size_t i = 0; i < len; i += 3) {
			l->all_cjk = l->all_cjk && memcmp(st->name + i, "\xe4\xb8\xad", 3) == 0;
		}
	}
	return 0;
}

/*
 * The longest long name a directory can hold: 20 full slots, 260 UTF-16
 * units, here all CJK (3 UTF-8 bytes each: 780 bytes). The library
 * creates ASCII names only, so the name is written in ASCII and its
 * slots' characters are changed behind its back. Listing shows all 780
 * bytes, and removing the file by its short name removes exactly its
 * entries: the decoded name once overran its buffer into the entry's
 * position, and the remove then deleted the wrong slots (fsck found
 * orphaned long-name parts).
 */
static void test_longest_long_name(void **state)
{
	(void)state;
	assert_int_equal(img_mount(&fs), 0);
	char name[257] = "/";
	memset(name + 1, 'n', 255);
	uint8_t *d = pattern(5000, 9);
	assert_int_equal(fat32_write_file(&fs, name, d, 5000), 0);
	assert_int_equal(fat32_write_file(&fs, "/after it", d, 100), 0);
	struct fat32_loc loc;
	img_entry(&fs, name, &loc);
	uint64_t short_entry = loc.sector * 512 + loc.off;
	for (uint64_t slot = 1; slot <= 20; slot++) { /* slot n holds units 13(n-1) .. 13n-1 */
		assert_int_equal(img.disk[short_entry - 32 * slot] & 0x1F, slot);
		for (int i = 0; i < 13; i++) {
			img_patch(short_entry - 32 * slot + fat32_lfn_offsets[i], "\x2d\x4e", 2);
		}
	}
	char alias[16] = "/";
	memcpy(alias + 1, img.disk + short_entry, 8); /* NNNNNN~1, no extension */
	alias[9] = '\0';

	assert_int_equal(img_mount(&fs), 0);
	struct longest l = {0};
	assert_int_equal(fat32_list(&fs, "/", find_longest, &l), 0);
	assert_int_equal(l.len, 780);
	assert_true(l.all_cjk);
	assert_int_equal(fat32_remove(&fs, alias), 0);
	img_fsck_clean();
	expect_file(&fs, "/after it", d, 100);
	free(d);
}

/* Entries made or changed after fat32_set_time carry that time, as mtools reads it. */
/* The listing mdir gives of the root holds a line matching the extended regex re. */
static void expect_mdir_line(const char *re)
{
	assert_int_equal(sh("mdir -i %s ::/ | grep -Eq '%s'", img.path, re), 0);
}

/* Entries made or changed after fat32_set_time carry that time, as mtools reads it. */
static void test_entries_are_dated(void **state)
{
	(void)state;
	assert_int_equal(img_mount(&fs), 0);
	uint8_t *d = pattern(3000, 5);
	struct civil_time made = {2026, 12, 3, 12, 30, 4}, changed = {2027, 1, 2, 3, 4, 6};
	fat32_set_time(&fs, &made);
	assert_int_equal(fat32_write_file(&fs, "/dated.txt", d, 3000), 0);
	assert_int_equal(fat32_mkdir(&fs, "/Dated dir"), 0);
	img_fsck_clean();
	expect_mdir_line(" 3000 2026-12-03 +12:30  dated.txt$");
	expect_mdir_line("<DIR> +2026-12-03 +12:30  Dated dir$");
	fat32_set_time(&fs, &changed);
	assert_int_equal(fat32_write_file(&fs, "/dated.txt", d, 100), 0); /* replaced */
	img_fsck_clean();
	expect_mdir_line(" 100 2027-01-02 +3:04  dated.txt$");
	struct civil_time before_fat = {1979, 12, 31, 0, 0, 0};
	fat32_set_time(&fs, &before_fat); /* FAT cannot say it: 1980-01-01 */
	assert_int_equal(fat32_write_file(&fs, "/old.txt", d, 10), 0);
	img_fsck_clean();
	expect_mdir_line(" 10 1980-01-01 +0:00  old.txt$");
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_read_mtools_files, setup, img_teardown),
	    cmocka_unit_test_setup_teardown(test_write_read_by_mtools, setup, img_teardown),
	    cmocka_unit_test_setup_teardown(test_fragmented_and_full, setup, img_teardown),
	    cmocka_unit_test_setup_teardown(test_corrupt_chains, setup, img_teardown),
	    cmocka_unit_test_setup_teardown(test_bad_bpb, setup, img_teardown),
	    cmocka_unit_test_setup_teardown(test_random_corruption, setup, img_teardown),
	    cmocka_unit_test_setup_teardown(test_longest_long_name, setup_2k, img_teardown),
	    cmocka_unit_test_setup_teardown(test_entries_are_dated, setup, img_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
