/*
 * Host tests for fat32_repair (fs/fat32_repair.c, fs/fat32_sweep.c) on
 * damage planted by hand in an mkfs.fat image: lost chains, FAT copies and
 * FSInfo that disagree, orphaned long-name slots, sizes that disagree with
 * chains — each repaired until `fsck.fat -n` is clean (and checked to be
 * unclean before) — and damage repair must refuse with FAT32_ECORRUPT
 * without writing a byte: looping and cross-linked chains, links to free
 * clusters, directory cycles, a wrong "..". A tree made by mtools checks
 * that nothing reachable is ever freed.
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

static struct fat32 fs;

static int setup(void **state)
{
	(void)state;
	img_create(34 * 1024, "-s 1");
	assert_int_equal(img_mount(&fs), 0);
	return 0;
}

static void expect_clean_repair(void)
{
	struct fat32_repair_report rep;
	assert_int_equal(img_repair(&fs, &rep), 0);
	assert_int_equal(rep.lost_clusters + rep.orphan_lfn + rep.sizes_fixed, 0);
	assert_int_equal(rep.fat_copies_fixed, 0);
	assert_false(rep.fsinfo_fixed);
}

static void write_file(const char *path, uint32_t len, uint32_t seed)
{
	uint8_t *d = pattern(len, seed);
	assert_int_equal(fat32_write_file(&fs, path, d, len), 0);
	free(d);
}

static void expect_pattern(const char *path, uint32_t len, uint32_t seed)
{
	uint8_t *d = pattern(len, seed);
	expect_file(&fs, path, d, len);
	free(d);
}

/* repair must fail with err and leave every byte of the disk as it was. */
static void expect_refused(int err)
{
	uint8_t *before = malloc(img.sectors * 512);
	memcpy(before, img.disk, img.sectors * 512);
	struct fat32_repair_report rep;
	assert_int_equal(img_repair(&fs, &rep), err);
	assert_int_equal(memcmp(before, img.disk, img.sectors * 512), 0);
	free(before);
}

static void test_fresh_and_work_size(void **state)
{
	(void)state;
	expect_clean_repair();
	struct fat32_repair_report rep;
	size_t n = fat32_repair_bytes(&fs);
	assert_true(n >= (fs.cluster_count + 2 + 7) / 8);
	uint8_t *work = malloc(n);
	assert_int_equal(fat32_repair(&fs, work, n - 1, &rep), FAT32_EINVAL);
	assert_int_equal(fat32_repair(&fs, NULL, n, &rep), FAT32_EINVAL);
	assert_int_equal(fat32_repair(&fs, work, n, &rep), 0);
	free(work);
	img_fsck_clean();
}

static void test_lost_chains(void **state)
{
	(void)state;
	write_file("/kept file.bin", 30000, 1);
	uint32_t c = img_entry(&fs, "/kept file.bin", NULL) + 100;
	for (uint32_t i = 0; i < 4; i++) { /* a chain of 5, and a lone cluster */
		img_set_fat(&fs, c + i, c + i + 1, fs.num_fats);
	}
	img_set_fat(&fs, c + 4, FAT32_EOC, fs.num_fats);
	img_set_fat(&fs, c + 20, FAT32_EOC, fs.num_fats);
	img_set_fat(&fs, c + 21, FAT32_BAD, fs.num_fats); /* bad clusters stay */
	assert_false(img_fsck_ok(false));
	struct fat32_repair_report rep;
	assert_int_equal(img_repair(&fs, &rep), 0);
	assert_int_equal(rep.lost_clusters, 6);
	assert_true(rep.fsinfo_fixed); /* the bad cluster is not free */
	expect_pattern("/kept file.bin", 30000, 1);
	img_fsck_clean();
	expect_clean_repair();
}

static void test_fat_copies_and_fsinfo(void **state)
{
	(void)state;
	write_file("/f", 5000, 2);
	uint32_t c = img_entry(&fs, "/f", NULL);
	img_set_fat(&fs, c + 3, 0x0ABCDEF, 1); /* FAT #0 links outside the volume */
	expect_refused(FAT32_ECORRUPT);
	img_set_fat(&fs, c + 3, c + 4, 1);
	uint8_t b[8];
	fat32_put32(b, 0x0ABCDEF); /* FAT #1 only: the walk follows FAT #0 */
	img_patch(((uint64_t)fs.fat_start + fs.fat_sectors) * 512 + (c + 3) * 4, b, 4);
	img_set_fat(&fs, c + 500, FAT32_EOC, 1); /* FAT #0 only: a lost cluster */
	fat32_put32(b, 12345);
	fat32_put32(b + 4, 0x7FFFFFFF); /* a next-free hint outside the volume */
	img_patch((uint64_t)fs.fsinfo_sector * 512 + 488, b, 8);
	assert_false(img_fsck_ok(false));
	struct fat32_repair_report rep;
	assert_int_equal(img_repair(&fs, &rep), 0);
	assert_int_equal(rep.fat_copies_fixed, 2); /* c + 3 and c + 500: two FAT sectors */
	assert_int_equal(rep.lost_clusters, 1);
	assert_true(rep.fsinfo_fixed);
	uint32_t next = fat32_get32(img.disk + fs.fsinfo_sector * 512 + 492);
	assert_true(next >= 2 && next <= fs.cluster_count + 1);
	expect_pattern("/f", 5000, 2);
	img_fsck_clean();
	expect_clean_repair();
}

/* Delete a short entry behind the library's back: its LFN slots are orphans. */
static uint32_t orphan(const char *path)
{
	struct fat32_loc loc;
	uint32_t c = img_entry(&fs, path, &loc);
	img_patch(loc.sector * 512 + loc.off, "\xE5", 1);
	return c;
}

static void test_orphaned_long_names(void **state)
{
	(void)state;
	char longname[260] = "/";
	memset(longname + 1, 'q', 230);
	write_file("/first long name.txt", 600, 3);
	write_file(longname, 600, 4);
	write_file("/third long name.txt", 600, 5);
	assert_int_equal(fat32_mkdir(&fs, "/Sub directory"), 0);
	write_file("/Sub directory/inner long name", 100, 6);
	write_file("/Sub directory/after it", 100, 7);
	orphan("/first long name.txt");
	orphan(longname); /* 19 slots over two sectors */
	orphan("/Sub directory/inner long name");
	/* An LFN slot with no start, right before a live entry. */
	struct fat32_loc loc;
	img_entry(&fs, "/third long name.txt", &loc);
	img_patch(loc.sector * 512 + loc.off - 64, "\x01", 1);
	assert_false(img_fsck_ok(false));
	struct fat32_repair_report rep;
	assert_int_equal(img_repair(&fs, &rep), 0);
	assert_int_equal(rep.orphan_lfn, 4);
	assert_int_equal(rep.lost_clusters, 2 + 2 + 1); /* the chains of the three orphans */
	uint32_t size;
	bool is_dir;
	assert_int_equal(fat32_stat(&fs, "/third long name.txt", &size, &is_dir), FAT32_ENOENT);
	expect_pattern("/Sub directory/after it", 100, 7);
	img_fsck_clean();
	expect_clean_repair();
}

static void test_sizes_and_chains(void **state)
{
	(void)state;
	write_file("/size too big", 1000, 8);	/* 2 clusters */
	write_file("/size too small", 5000, 9); /* 10 clusters */
	write_file("/size zero", 3000, 10);	/* 6 clusters */
	uint8_t b[4];
	struct fat32_loc loc;
	img_entry(&fs, "/size too big", &loc);
	fat32_put32(b, 5000);
	img_patch(loc.sector * 512 + loc.off + 28, b, 4);
	img_entry(&fs, "/size too small", &loc);
	fat32_put32(b, 1000);
	img_patch(loc.sector * 512 + loc.off + 28, b, 4);
	img_entry(&fs, "/size zero", &loc);
	fat32_put32(b, 0);
	img_patch(loc.sector * 512 + loc.off + 28, b, 4);
	assert_false(img_fsck_ok(false));
	struct fat32_repair_report rep;
	assert_int_equal(img_repair(&fs, &rep), 0);
	assert_int_equal(rep.sizes_fixed, 3);
	assert_int_equal(rep.lost_clusters, 8 + 6);
	uint8_t *d = pattern(1024, 8);
	memset(d + 1000, 0, 24); /* what the library wrote past the old end */
	expect_file(&fs, "/size too big", d, 1024);
	free(d);
	expect_pattern("/size too small", 1000, 9);
	assert_int_equal(img_entry(&fs, "/size zero", NULL), 0);
	img_fsck_clean();
	expect_clean_repair();
}

static void test_refuses_broken_chains(void **state)
{
	(void)state;
	write_file("/a", 5000, 11);
	write_file("/b", 5000, 12);
	write_file("/c", 5000, 13);
	uint32_t a = img_entry(&fs, "/a", NULL), b = img_entry(&fs, "/b", NULL);
	uint32_t c = img_entry(&fs, "/c", NULL);
	img_set_fat(&fs, a + 5, a + 2, fs.num_fats); /* a loop */
	expect_refused(FAT32_ECORRUPT);
	img_set_fat(&fs, a + 5, a + 6, fs.num_fats);
	img_set_fat(&fs, b + 3, a + 7, fs.num_fats); /* b joins a's chain */
	expect_refused(FAT32_ECORRUPT);
	img_set_fat(&fs, b + 3, b + 4, fs.num_fats);
	img_set_fat(&fs, c + 2, fs.cluster_count + 9, fs.num_fats); /* outside */
	expect_refused(FAT32_ECORRUPT);
	img_set_fat(&fs, c + 2, c + 9000, fs.num_fats); /* a free cluster */
	expect_refused(FAT32_ECORRUPT);
	img_set_fat(&fs, c + 2, c + 3, fs.num_fats);
	expect_clean_repair();
	img_fsck_clean();
}

static void test_refuses_directory_cycles(void **state)
{
	(void)state;
	assert_int_equal(fat32_mkdir(&fs, "/a"), 0);
	assert_int_equal(fat32_mkdir(&fs, "/a/b"), 0);
	assert_int_equal(fat32_mkdir(&fs, "/a/b/c"), 0);
	uint32_t a = img_entry(&fs, "/a", NULL);
	struct fat32_loc loc, dotdot;
	uint32_t c = img_entry(&fs, "/a/b/c", &loc);
	uint8_t e[FAT32_DIRENT];
	memcpy(e, img.disk + loc.sector * 512 + loc.off, FAT32_DIRENT);
	fat32_set_entry_cluster(e, a); /* c is a: /a/b/c/b/c/... */
	img_patch(loc.sector * 512 + loc.off, e, FAT32_DIRENT);
	expect_refused(FAT32_ECORRUPT);
	fat32_set_entry_cluster(e, c);
	img_patch(loc.sector * 512 + loc.off, e, FAT32_DIRENT);
	expect_clean_repair();
	dotdot = (struct fat32_loc){fat32_cluster_sector(&fs, c), FAT32_DIRENT};
	memcpy(e, img.disk + dotdot.sector * 512 + dotdot.off, FAT32_DIRENT);
	fat32_set_entry_cluster(e, a); /* c's ".." names a, not b */
	img_patch(dotdot.sector * 512 + dotdot.off, e, FAT32_DIRENT);
	expect_refused(FAT32_ECORRUPT);
}

/* A tree made by mtools (".." of top-level directories is 0), many levels
 * and siblings: repair frees exactly the planted leak, nothing reachable. */
static void test_mtools_tree(void **state)
{
	(void)state;
	uint8_t *d = pattern(9000, 14);
	char host[160];
	snprintf(host, sizeof(host), "%s/data", img.dir);
	FILE *f = fopen(host, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(d, 1, 9000, f), 9000);
	fclose(f);
	assert_int_equal(sh("mmd -i %s ::/d1 ::/d1/d2 ::/d1/d2/d3 ::/d1/d2/d3/d4 ::/d1/x1 "
			    "::/d1/x2 ::/d1/x2/y ::/top2",
			    img.path),
			 0);
	const char *files[] = {
	    "/d1/a long file name", "/d1/d2/f", "/d1/d2/d3/d4/deep file",
	    "/d1/x2/y/g",	    "/top2/h",	"/root file",
	    "/d1/x1/last",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		assert_int_equal(sh("mcopy -i %s %s '::%s'", img.path, host, files[i]), 0);
	}
	img_reload();
	assert_int_equal(img_mount(&fs), 0);
	expect_clean_repair();
	uint32_t c = img_entry(&fs, "/d1/x1/last", NULL) + 200;
	img_set_fat(&fs, c, c + 1, fs.num_fats);
	img_set_fat(&fs, c + 1, FAT32_EOC, fs.num_fats);
	struct fat32_repair_report rep;
	assert_int_equal(img_repair(&fs, &rep), 0);
	assert_int_equal(rep.lost_clusters, 2);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		expect_file(&fs, files[i], d, 9000);
	}
	img_fsck_clean();
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_fresh_and_work_size, setup, img_teardown),
	    cmocka_unit_test_setup_teardown(test_lost_chains, setup, img_teardown),
	    cmocka_unit_test_setup_teardown(test_fat_copies_and_fsinfo, setup, img_teardown),
	    cmocka_unit_test_setup_teardown(test_orphaned_long_names, setup, img_teardown),
	    cmocka_unit_test_setup_teardown(test_sizes_and_chains, setup, img_teardown),
	    cmocka_unit_test_setup_teardown(test_refuses_broken_chains, setup, img_teardown),
	    cmocka_unit_test_setup_teardown(test_refuses_directory_cycles, setup, img_teardown),
	    cmocka_unit_test_setup_teardown(test_mtools_tree, setup, img_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
