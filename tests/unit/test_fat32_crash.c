/*
 * Crash tests for fs/fat32*.c: every modifying operation, killed after
 * every possible number of its block writes.
 *
 * For each operation, an uncut run counts its write requests W. Then for
 * every N in 0..W the operation runs again on a fresh copy of one mkfs.fat
 * image (34 MiB, one sector per cluster, so each directory cluster is a
 * single sector and long names cross sectors early) with the power cut
 * after N writes — and again with write N torn when it is a multi-sector
 * request: cut after each of its sectors for a write to FAT #0 of up to
 * TEAR_EVERY sectors (every FAT write-back span), and after its first
 * sector, its first half and all but its last for any other. After the
 * cut:
 * fat32_mount + fat32_repair must succeed; the whole tree's listing (every
 * name with its size) must be the one from before or the one from after
 * the operation, and the file wholly old or wholly new (sector by sector
 * for fat32_write_at, which overwrites in place); a repair after a complete
 * operation must find nothing to do, and a second repair never does; and
 * `fsck.fat -n` must report the image clean.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "tests/unit/fat32_test_util.h"

struct op {
	const char *path;
	uint32_t old_len, new_len; /* old_len 0: the file does not exist before */
	void (*prepare)(struct fat32 *fs, const struct op *op);
	int (*run)(struct fat32 *fs, const struct op *op);
	void (*check)(struct fat32 *fs, const struct op *op, bool done);
	uint32_t at; /* write_at: offset */
};

#define TREE_MAX   8192
#define TEAR_EVERY 64
#define BIG	   (4200u * 512 + 100) /* 4,201 clusters: over two FAT windows */

static uint32_t cases_run;
static uint64_t fat0_start, fat0_end; /* the sectors of FAT #0 */
static char long_path[260];
static char tree_before[TREE_MAX], tree_after[TREE_MAX]; /* of the uncut run */

static uint8_t *made[2]; /* pattern(made_len[i], i + 1) */
static uint32_t made_len[2];

/* pattern(len, seed), made once per op: the big ones are needed hundreds of times. */
static const uint8_t *data(uint32_t len, uint32_t seed)
{
	if (made[seed - 1] == NULL || made_len[seed - 1] != len) {
		free(made[seed - 1]);
		made[seed - 1] = pattern(len, seed);
		made_len[seed - 1] = len;
	}
	return made[seed - 1];
}

static const uint8_t *old_data(const struct op *op)
{
	return data(op->old_len, 1);
}

static const uint8_t *new_data(const struct op *op)
{
	return data(op->new_len, 2);
}

/* ---- preparing and running ---- */

static void prepare_old(struct fat32 *fs, const struct op *op)
{
	assert_int_equal(fat32_write_file(fs, op->path, old_data(op), op->old_len), 0);
}

/* Fill the root's first cluster (16 slots) to 15: the next name grows it. */
static void prepare_full_root(struct fat32 *fs, const struct op *op)
{
	(void)op;
	uint8_t b = 7;
	for (int i = 0; i < 5; i++) {
		char name[32];
		snprintf(name, sizeof(name), "/file number %02d", i); /* 2 LFN slots + 1 */
		assert_int_equal(fat32_write_file(fs, name, &b, 1), 0);
	}
}

/* Free space from cluster 2 on in pieces: 1 cluster, 4, then the rest. */
static void prepare_holes(struct fat32 *fs, const struct op *op)
{
	prepare_full_root(fs, op);
	uint8_t *d = pattern(2048, 9);
	assert_int_equal(fat32_write_file(fs, "/hole", d, 2048), 0);
	assert_int_equal(fat32_write_file(fs, "/after the hole", d, 1), 0);
	assert_int_equal(fat32_remove(fs, "/hole"), 0);
	assert_int_equal(fat32_remove(fs, "/file number 01"), 0); /* a hole of 3 slots */
	fs->next_free = 2;
	free(d);
}

/* The old file, then holes before it (see prepare_holes): a new tail
 * starts in FAT sectors before the one holding the old last cluster. */
static void prepare_old_holes(struct fat32 *fs, const struct op *op)
{
	prepare_old(fs, op);
	prepare_holes(fs, op);
}

/* A full root cluster, and free space looked for from cluster 400: the
 * root's new cluster is marked in a later FAT sector than the link to it,
 * in the same window. The link must not land first (a directory chain
 * into a free cluster is beyond repair). */
static void prepare_full_root_near(struct fat32 *fs, const struct op *op)
{
	prepare_full_root(fs, op);
	fs->next_free = 400;
}

/* ... from cluster 4150: in the next FAT window. */
static void prepare_full_root_far(struct fat32 *fs, const struct op *op)
{
	prepare_full_root(fs, op);
	fs->next_free = 2 + 128 * FAT32_FAT_WINDOW + 50;
}

static void prepare_dir(struct fat32 *fs, const struct op *op)
{
	(void)op;
	assert_int_equal(fat32_mkdir(fs, "/Parent dir"), 0);
	prepare_full_root(fs, op); /* and a few neighbours */
}

static void prepare_dir_old(struct fat32 *fs, const struct op *op)
{
	prepare_dir(fs, op);
	prepare_old(fs, op);
}

static int run_write(struct fat32 *fs, const struct op *op)
{
	return fat32_write_file(fs, op->path, new_data(op), op->new_len);
}

static int run_write_at(struct fat32 *fs, const struct op *op)
{
	return fat32_write_at(fs, op->path, op->at, new_data(op), op->new_len);
}

static int run_resize(struct fat32 *fs, const struct op *op)
{
	return fat32_resize(fs, op->path, op->new_len);
}

static int run_remove(struct fat32 *fs, const struct op *op)
{
	return fat32_remove(fs, op->path);
}

static int run_mkdir(struct fat32 *fs, const struct op *op)
{
	return fat32_mkdir(fs, op->path);
}

/* ---- checking: old or new ---- */

/* Whether the file at path holds exactly d[0..len). */
static bool holds(struct fat32 *fs, const char *path, const uint8_t *d, uint32_t len)
{
	uint8_t *buf = malloc(len + 1);
	uint32_t got = 0;
	int r = fat32_read_file(fs, path, buf, len + 1, &got);
	bool same = r == 0 && got == len && memcmp(buf, d, len) == 0;
	free(buf);
	return same;
}

static bool absent(struct fat32 *fs, const char *path)
{
	uint32_t size;
	bool is_dir;
	return fat32_stat(fs, path, &size, &is_dir) == FAT32_ENOENT;
}

static void check_file(struct fat32 *fs, const struct op *op, bool done)
{
	bool is_new = holds(fs, op->path, new_data(op), op->new_len);
	bool is_old =
	    op->old_len ? holds(fs, op->path, old_data(op), op->old_len) : absent(fs, op->path);
	assert_true(is_new || (is_old && !done));
}

static void check_removed(struct fat32 *fs, const struct op *op, bool done)
{
	bool gone = absent(fs, op->path);
	assert_true(gone || (!done && holds(fs, op->path, old_data(op), op->old_len)));
}

static int count_fn(void *ctx, const struct fat32_stat *st)
{
	(void)st;
	++*(int *)ctx;
	return 0;
}

static void check_mkdir(struct fat32 *fs, const struct op *op, bool done)
{
	uint32_t size;
	bool is_dir;
	int r = fat32_stat(fs, op->path, &size, &is_dir), n = 0;
	assert_true(r == 0 || (r == FAT32_ENOENT && !done));
	if (r == 0) {
		assert_true(is_dir);
		assert_int_equal(fat32_list(fs, op->path, count_fn, &n), 0);
		assert_int_equal(n, 0);
	}
}

static void check_removed_dir(struct fat32 *fs, const struct op *op, bool done)
{
	uint32_t size;
	bool is_dir;
	int r = fat32_stat(fs, op->path, &size, &is_dir);
	assert_true(r == FAT32_ENOENT || (r == 0 && is_dir && !done));
}

/* Resized: the old size or the new, with the old bytes that are kept. */
static void check_resized(struct fat32 *fs, const struct op *op, bool done)
{
	uint32_t size, keep = op->old_len < op->new_len ? op->old_len : op->new_len;
	bool is_dir;
	int r = fat32_stat(fs, op->path, &size, &is_dir);
	if (r == FAT32_ENOENT && op->old_len == 0 && !done && op->prepare == NULL) {
		return; /* not created yet */
	}
	assert_int_equal(r, 0);
	assert_true(size == op->new_len || (size == op->old_len && !done));
	uint8_t *buf = malloc(keep + 1);
	assert_int_equal(fat32_read_at(fs, op->path, 0, buf, keep), 0);
	assert_memory_equal(buf, old_data(op), keep);
	free(buf);
}

/* In place: each sector of the range is old or new; the rest is old. */
static void check_write_at(struct fat32 *fs, const struct op *op, bool done)
{
	const uint8_t *o = old_data(op), *n = new_data(op);
	uint8_t *buf = malloc(op->old_len);
	assert_int_equal(fat32_read_at(fs, op->path, 0, buf, op->old_len), 0);
	for (uint32_t pos = 0; pos < op->old_len; pos += 512) {
		uint32_t k = op->old_len - pos < 512 ? op->old_len - pos : 512;
		bool is_old = memcmp(buf + pos, o + pos, k) == 0;
		uint8_t *want = malloc(k); /* the new content of this sector */
		memcpy(want, o + pos, k);
		for (uint32_t i = 0; i < k; i++) {
			if (pos + i >= op->at && pos + i < op->at + op->new_len) {
				want[i] = n[pos + i - op->at];
			}
		}
		bool is_new = memcmp(buf + pos, want, k) == 0;
		assert_true(is_new || (is_old && !done));
		free(want);
	}
	free(buf);
}

/* ---- the tree listing ---- */

struct listing {
	int n;
	struct {
		char name[256];
		uint32_t size;
		bool is_dir;
	} e[24];
};

static int list_fn(void *ctx, const struct fat32_stat *st)
{
	struct listing *l = ctx;
	assert_true(l->n < 24);
	snprintf(l->e[l->n].name, sizeof(l->e[0].name), "%s", st->name);
	l->e[l->n].size = st->size;
	l->e[l->n++].is_dir = st->is_dir;
	return 0;
}

/* Append "path size\n" for everything under dir, depth first. */
static void tree_text(struct fat32 *fs, const char *dir, char *out)
{
	struct listing *l = calloc(1, sizeof(*l));
	assert_int_equal(fat32_list(fs, dir, list_fn, l), 0);
	for (int i = 0; i < l->n; i++) {
		char path[600];
		snprintf(path, sizeof(path), "%s/%s", dir, l->e[i].name);
		size_t len = strlen(out);
		snprintf(out + len, TREE_MAX - len, "%s %u%s\n", path, l->e[i].size,
			 l->e[i].is_dir ? "/" : "");
		assert_true(strlen(out) < TREE_MAX - 1);
		if (l->e[i].is_dir) {
			tree_text(fs, path, out);
		}
	}
	free(l);
}

static void tree(struct fat32 *fs, char *out)
{
	out[0] = 0;
	tree_text(fs, "", out);
}

/* ---- the cut loop ---- */

static void expect_nothing(const struct fat32_repair_report *rep)
{
	assert_int_equal(rep->lost_clusters, 0);
	assert_int_equal(rep->orphan_lfn, 0);
	assert_int_equal(rep->sizes_fixed, 0);
	assert_int_equal(rep->fat_copies_fixed, 0);
	assert_false(rep->fsinfo_fixed);
}

/* Run op with the power cut after `cut` writes, `torn` sectors of the
 * next one landing anyway; returns the writes made. */
static uint32_t run_cut(const struct op *op, uint32_t cut, uint32_t torn, uint32_t total)
{
	struct fat32 fs;
	struct fat32_repair_report rep;
	img_reset();
	assert_int_equal(img_mount(&fs), 0);
	if (op->prepare) {
		op->prepare(&fs, op);
	}
	char *now = malloc(TREE_MAX);
	if (cut == IMG_NO_CUT) {
		tree(&fs, tree_before);
	}
	img_counters_clear();
	img.cut = cut;
	img.torn = torn;
	int r = op->run(&fs, op);
	uint32_t made = img.writes;
	bool done = cut >= total;
	assert_true(done ? r == 0 : r < 0);
	img.cut = IMG_NO_CUT;
	img.dead = false;
	assert_int_equal(img_repair(&fs, &rep), 0);
	if (done) {
		expect_nothing(&rep);
	}
	tree(&fs, now);
	if (cut == IMG_NO_CUT) {
		strcpy(tree_after, now);
	} else if (strcmp(now, tree_after) != 0 && (done || strcmp(now, tree_before) != 0)) {
		fail_msg("after cut %u (+%u sectors) of %u the tree is neither old nor new:\n%s",
			 cut, torn, total, now);
	}
	free(now);
	op->check(&fs, op, done);
	assert_int_equal(img_repair(&fs, &rep), 0);
	expect_nothing(&rep);
	op->check(&fs, op, done);
	if (!img_fsck_ok(true)) {
		fail_msg("fsck.fat after cut %u (+%u sectors) of %u", cut, torn, total);
	}
	cases_run++;
	return made;
}

static void cut_everywhere(const struct op *op)
{
	uint32_t total = run_cut(op, IMG_NO_CUT, 0, 0);
	assert_true(total > 0 && total < IMG_LOG);
	struct img_write *log = malloc(sizeof(img.log));
	memcpy(log, img.log, sizeof(img.log));
	for (uint32_t n = 0; n <= total; n++) {
		run_cut(op, n, 0, total);
		uint32_t count = n < total ? log[n].count : 1;
		bool every =
		    count <= TEAR_EVERY && log[n].sector >= fat0_start && log[n].sector < fat0_end;
		for (uint32_t k = 1; k < count; k++) {
			if (every || k == 1 || k == count / 2 || k == count - 1) {
				run_cut(op, n, k, total);
			}
		}
	}
	free(log);
	print_message("  %.40s: %u writes\n", op->path, total);
}

#define CRASH_TEST(name, ...)                                                                      \
	static void name(void **state)                                                             \
	{                                                                                          \
		(void)state;                                                                       \
		const struct op op = {__VA_ARGS__};                                                \
		cut_everywhere(&op);                                                               \
	}

CRASH_TEST(test_create_small, .path = "/small.snap", .new_len = 300, .run = run_write,
	   .check = check_file)
CRASH_TEST(test_create_multi_cluster, .path = "/a multi-cluster snapshot.bin", .new_len = 40000,
	   .run = run_write, .check = check_file)
CRASH_TEST(test_create_two_fat_sectors, .path = "/over two FAT sectors.bin", .new_len = 100000,
	   .run = run_write, .check = check_file)
CRASH_TEST(test_create_fragmented, .path = "/fragmented", .new_len = 5000, .prepare = prepare_holes,
	   .run = run_write, .check = check_file)
CRASH_TEST(test_replace_larger, .path = "/app state.snap", .old_len = 3000, .new_len = 50000,
	   .prepare = prepare_old, .run = run_write, .check = check_file)
CRASH_TEST(test_replace_smaller, .path = "/app state.snap", .old_len = 50000, .new_len = 1000,
	   .prepare = prepare_old, .run = run_write, .check = check_file)
CRASH_TEST(test_replace_with_empty, .path = "/APP.SNP", .old_len = 5000, .new_len = 0,
	   .prepare = prepare_old, .run = run_write, .check = check_file)
CRASH_TEST(test_write_at, .path = "/in place.bin", .old_len = 20000, .new_len = 12000, .at = 1000,
	   .prepare = prepare_old, .run = run_write_at, .check = check_write_at)
CRASH_TEST(test_resize_grow, .path = "/grows.snap", .old_len = 3000, .new_len = 300000,
	   .prepare = prepare_old, .run = run_resize, .check = check_resized)
CRASH_TEST(test_resize_shrink, .path = "/shrinks.snap", .old_len = 300000, .new_len = 3000,
	   .prepare = prepare_old, .run = run_resize, .check = check_resized)
CRASH_TEST(test_resize_create, .path = "/made by resize", .new_len = 70000, .run = run_resize,
	   .check = check_resized)
CRASH_TEST(test_resize_from_empty, .path = "/was empty", .new_len = 9000, .prepare = prepare_old,
	   .run = run_resize, .check = check_resized)
CRASH_TEST(test_resize_to_empty, .path = "/goes empty", .old_len = 9000, .prepare = prepare_old,
	   .run = run_resize, .check = check_resized)
CRASH_TEST(test_resize_same_clusters, .path = "/same clusters", .old_len = 9000, .new_len = 9100,
	   .prepare = prepare_old, .run = run_resize, .check = check_resized)
CRASH_TEST(test_remove, .path = "/to be removed.bin", .old_len = 10000, .prepare = prepare_old,
	   .run = run_remove, .check = check_removed)
CRASH_TEST(test_mkdir, .path = "/Snapshots of apps", .run = run_mkdir, .check = check_mkdir)
CRASH_TEST(test_create_grows_dir, .path = "/one more file", .new_len = 700,
	   .prepare = prepare_full_root, .run = run_write, .check = check_file)
CRASH_TEST(test_mkdir_grows_dir, .path = "/one more dir", .prepare = prepare_full_root,
	   .run = run_mkdir, .check = check_mkdir)
CRASH_TEST(test_create_in_subdir, .path = "/Parent dir/inner file.txt", .new_len = 2000,
	   .prepare = prepare_dir, .run = run_write, .check = check_file)
CRASH_TEST(test_replace_in_subdir, .path = "/Parent dir/inner file.txt", .old_len = 2000,
	   .new_len = 2500, .prepare = prepare_dir_old, .run = run_write, .check = check_file)
CRASH_TEST(test_mkdir_in_subdir, .path = "/Parent dir/Child dir", .prepare = prepare_dir,
	   .run = run_mkdir, .check = check_mkdir)
CRASH_TEST(test_create_big, .path = "/big snapshot", .new_len = BIG, .run = run_write,
	   .check = check_file)
CRASH_TEST(test_replace_big, .path = "/BIG.SNP", .old_len = BIG, .new_len = BIG - 70000,
	   .prepare = prepare_old, .run = run_write, .check = check_file)
CRASH_TEST(test_resize_grow_big, .path = "/grows big", .old_len = 3000, .new_len = BIG,
	   .prepare = prepare_old, .run = run_resize, .check = check_resized)
CRASH_TEST(test_resize_shrink_big, .path = "/shrinks big", .old_len = BIG, .new_len = 3000,
	   .prepare = prepare_old, .run = run_resize, .check = check_resized)
CRASH_TEST(test_resize_grow_holes, .path = "/grows into holes", .old_len = 3000, .new_len = 300000,
	   .prepare = prepare_old_holes, .run = run_resize, .check = check_resized)
CRASH_TEST(test_remove_big, .path = "/big, removed", .old_len = BIG, .prepare = prepare_old,
	   .run = run_remove, .check = check_removed)
CRASH_TEST(test_create_grows_dir_near, .path = "/one more, near", .new_len = 700,
	   .prepare = prepare_full_root_near, .run = run_write, .check = check_file)
CRASH_TEST(test_create_grows_dir_far, .path = "/one more, far", .new_len = 700,
	   .prepare = prepare_full_root_far, .run = run_write, .check = check_file)
CRASH_TEST(test_remove_dir, .path = "/Parent dir", .prepare = prepare_dir, .run = run_remove,
	   .check = check_removed_dir)

/* 255-character names: 21 slots, two or three sectors. */
static void test_long_names(void **state)
{
	(void)state;
	long_path[0] = '/';
	memset(long_path + 1, 'n', 249);
	memcpy(long_path + 250, ".snap", 6);
	const struct op create = {
	    .path = long_path, .new_len = 2000, .run = run_write, .check = check_file};
	const struct op create_grow = {.path = long_path,
				       .new_len = 2000,
				       .prepare = prepare_full_root,
				       .run = run_write,
				       .check = check_file};
	const struct op remove = {.path = long_path,
				  .old_len = 3000,
				  .prepare = prepare_old,
				  .run = run_remove,
				  .check = check_removed};
	const struct op mkdir = {.path = long_path, .run = run_mkdir, .check = check_mkdir};
	cut_everywhere(&create);
	cut_everywhere(&create_grow);
	cut_everywhere(&remove);
	cut_everywhere(&mkdir);
}

static int group_setup(void **state)
{
	(void)state;
	img_create(34 * 1024, "-s 1");
	struct fat32 fs;
	assert_int_equal(img_mount(&fs), 0);
	fat0_start = fs.fat_start;
	fat0_end = fs.fat_start + fs.fat_sectors;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	img_destroy();
	free(made[0]);
	free(made[1]);
	print_message("crash cases: %u (each: mount, repair twice, fsck.fat)\n", cases_run);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_small),
	    cmocka_unit_test(test_create_multi_cluster),
	    cmocka_unit_test(test_create_two_fat_sectors),
	    cmocka_unit_test(test_create_fragmented),
	    cmocka_unit_test(test_replace_larger),
	    cmocka_unit_test(test_replace_smaller),
	    cmocka_unit_test(test_replace_with_empty),
	    cmocka_unit_test(test_write_at),
	    cmocka_unit_test(test_resize_grow),
	    cmocka_unit_test(test_resize_shrink),
	    cmocka_unit_test(test_resize_create),
	    cmocka_unit_test(test_resize_from_empty),
	    cmocka_unit_test(test_resize_to_empty),
	    cmocka_unit_test(test_resize_same_clusters),
	    cmocka_unit_test(test_remove),
	    cmocka_unit_test(test_mkdir),
	    cmocka_unit_test(test_create_grows_dir),
	    cmocka_unit_test(test_mkdir_grows_dir),
	    cmocka_unit_test(test_create_in_subdir),
	    cmocka_unit_test(test_replace_in_subdir),
	    cmocka_unit_test(test_mkdir_in_subdir),
	    cmocka_unit_test(test_remove_dir),
	    cmocka_unit_test(test_create_big),
	    cmocka_unit_test(test_replace_big),
	    cmocka_unit_test(test_resize_grow_big),
	    cmocka_unit_test(test_resize_shrink_big),
	    cmocka_unit_test(test_resize_grow_holes),
	    cmocka_unit_test(test_remove_big),
	    cmocka_unit_test(test_create_grows_dir_near),
	    cmocka_unit_test(test_create_grows_dir_far),
	    cmocka_unit_test(test_long_names),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
