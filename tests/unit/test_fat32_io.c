/*
 * Host tests for moving file bytes (fs/fat32_io.c and fat32_read_at /
 * fat32_write_at / fat32_read_file / fat32_resize): exact ranges against a copy kept on
 * the host, on one- and four-sector clusters, contiguous and fragmented
 * files, checked by mcopy and `fsck.fat -n`; the errors (ETOOBIG, ENOENT,
 * EISDIR); fat32_map's runs against the image's bytes; that fat32_write_at writes nothing but the
 * file's own data sectors; and the request counts that batching is for — a run of consecutive
 * clusters in one request of up to FAT32_IO_MAX_SECTORS, a window of up to FAT32_FAT_WINDOW FAT
 * sectors read in one request and written in one per copy however many links it gets — also for
 * growing and freeing 16 MiB chains on 512-byte clusters and for a chain built in thousands of
 * one-cluster holes.
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

/*
 * Bounds on the reads and on the writes of the long-chain cases (64 MiB,
 * 512-byte clusters). Measured with the FAT window (FAT32_FAT_WINDOW = 32)
 * as reads/writes, and before it, with a one-sector FAT cache:
 *   grow by 4 MiB        4/10      (was 66/134)
 *   grow by 16 MiB      11/22      (was 322/518)
 *   shrink by 20 MiB    23/26      (was 642/644)
 *   remove 16 MiB       27/20      (was 771/516)
 *   grow in holes        7/14      (was 131/262)
 *   remove the comb     13/12      (was 387/260)
 */
#define FAT_GROW_4     16
#define FAT_GROW_16    32
#define FAT_FREE_16    40
#define FAT_FREE_20    40
#define FAT_GROW_HOLES 24

static struct fat32 fs;

static int setup_1(void **state)
{
	(void)state;
	img_create(34 * 1024, "-s 1");
	assert_int_equal(img_mount(&fs), 0);
	return 0;
}

static int setup_4(void **state)
{
	(void)state;
	img_create(132 * 1024, "-s 4");
	assert_int_equal(img_mount(&fs), 0);
	return 0;
}

/* 64 MiB with 512-byte clusters (mkfs.fat's default there): the snapshot disk. */
static int setup_64(void **state)
{
	(void)state;
	img_create(64 * 1024, "-s 1");
	assert_int_equal(img_mount(&fs), 0);
	return 0;
}

/* fsck.fat finds the image clean, and mcopy reads d from it. */
static void expect_clean_copy(const char *path, const uint8_t *d, uint32_t len)
{
	img_fsck_clean();
	expect_mtools(path, d, len);
}

/* Random ranges written with write_at into the file and into d, each read back. */
static void random_ranges(const char *path, uint8_t *d, uint32_t size, int rounds)
{
	srand(7);
	uint8_t *buf = malloc(size);
	for (int i = 0; i < rounds; i++) {
		uint32_t off = (uint32_t)rand() % size;
		uint32_t len = (uint32_t)rand() % (i % 4 == 0 ? size - off + 1 : 3000);
		len = len > size - off ? size - off : len;
		uint8_t *n = pattern(len, (uint32_t)i + 100);
		assert_int_equal(fat32_write_at(&fs, path, off, n, len), 0);
		memcpy(d + off, n, len);
		assert_int_equal(fat32_read_at(&fs, path, off, buf, len), 0);
		assert_memory_equal(buf, n, len);
		free(n);
	}
	assert_int_equal(fat32_read_at(&fs, path, 0, buf, size), 0);
	assert_memory_equal(buf, d, size);
	free(buf);
	expect_file(&fs, path, d, size);
}

static void test_ranges(void **state)
{
	(void)state;
	uint32_t size = 300000;
	uint8_t *d = pattern(size, 1), *buf = malloc(size);
	assert_int_equal(fat32_write_file(&fs, "/ranges.bin", d, size), 0);
	const uint32_t cases[][2] = {{0, 0},	     {0, 1},	    {511, 2},	      {512, 512},
				     {1000, 100000}, {size - 1, 1}, {size, 0},	      {0, size},
				     {4096, 8192},   {100, 412},    {513, size - 513}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(buf, 0, size);
		assert_int_equal(fat32_read_at(&fs, "/ranges.bin", cases[i][0], buf, cases[i][1]),
				 0);
		assert_memory_equal(buf, d + cases[i][0], cases[i][1]);
	}
	random_ranges("/ranges.bin", d, size, 60);
	expect_clean_copy("/ranges.bin", d, size);
	free(d);
	free(buf);
}

static void test_errors(void **state)
{
	(void)state;
	uint8_t b[16] = {0};
	assert_int_equal(fat32_write_file(&fs, "/ten", b, 10), 0);
	assert_int_equal(fat32_write_file(&fs, "/empty", b, 0), 0);
	assert_int_equal(fat32_mkdir(&fs, "/dir"), 0);
	assert_int_equal(fat32_read_at(&fs, "/ten", 0, b, 11), FAT32_ETOOBIG);
	assert_int_equal(fat32_read_at(&fs, "/ten", 11, b, 0), FAT32_ETOOBIG);
	assert_int_equal(fat32_read_at(&fs, "/ten", 8, b, 3), FAT32_ETOOBIG);
	assert_int_equal(fat32_read_at(&fs, "/ten", UINT32_MAX, b, 2), FAT32_ETOOBIG);
	assert_int_equal(fat32_write_at(&fs, "/ten", 9, b, 2), FAT32_ETOOBIG);
	assert_int_equal(fat32_write_at(&fs, "/empty", 0, b, 1), FAT32_ETOOBIG);
	assert_int_equal(fat32_write_at(&fs, "/empty", 0, b, 0), 0);
	assert_int_equal(fat32_read_at(&fs, "/empty", 0, b, 0), 0);
	assert_int_equal(fat32_read_at(&fs, "/nope", 0, b, 1), FAT32_ENOENT);
	assert_int_equal(fat32_write_at(&fs, "/nope", 0, b, 1), FAT32_ENOENT);
	assert_int_equal(fat32_read_at(&fs, "/dir", 0, b, 0), FAT32_EISDIR);
	assert_int_equal(fat32_write_at(&fs, "/", 0, b, 0), FAT32_EISDIR);
	assert_int_equal(fat32_read_at(&fs, "/ten/x", 0, b, 0), FAT32_ENOTDIR);
	/* A chain shorter than the size: nothing written, ECORRUPT. */
	uint8_t *d = pattern(5000, 2);
	assert_int_equal(fat32_write_file(&fs, "/short chain", d, 5000), 0);
	uint32_t c = img_entry(&fs, "/short chain", NULL);
	img_set_fat(&fs, c + 2, FAT32_EOC, fs.num_fats);
	assert_int_equal(img_mount(&fs), 0);
	img_counters_clear();
	assert_int_equal(fat32_write_at(&fs, "/short chain", 0, d, 5000), FAT32_ECORRUPT);
	assert_int_equal(img.writes, 0);
	assert_int_equal(fat32_read_at(&fs, "/short chain", 4000, d, 10), FAT32_ECORRUPT);
	free(d);
}

/* write_at touches only the data sectors of the file's own clusters. */
static void test_write_at_only_data(void **state)
{
	(void)state;
	uint8_t *d = pattern(70000, 3);
	assert_int_equal(fat32_write_file(&fs, "/before", d, 1000), 0);
	assert_int_equal(fat32_write_file(&fs, "/target file", d, 70000), 0);
	assert_int_equal(fat32_write_file(&fs, "/after", d, 1000), 0);
	uint32_t first = img_entry(&fs, "/target file", NULL), n;
	assert_int_equal(fat32_chain_len(&fs, first, &n), 0);
	uint64_t lo = fat32_cluster_sector(&fs, first), hi = lo + (uint64_t)n * fs.sec_per_clus;
	uint8_t *p = pattern(60000, 4);
	img_counters_clear();
	assert_int_equal(fat32_write_at(&fs, "/target file", 3333, p, 60000), 0);
	assert_int_equal(img.writes, 3); /* partial head, the middle, partial tail */
	for (uint32_t i = 0; i < img.writes; i++) {
		assert_true(img.log[i].sector >= lo && img.log[i].sector + img.log[i].count <= hi);
	}
	memcpy(d + 3333, p, 60000);
	expect_clean_copy("/target file", d, 70000);
	free(d);
	free(p);
}

/* Of the writes since the counters were cleared: how many hit the FAT, and
 * how many are multi-sector writes of file data. */
static void split_writes(uint32_t *fat, uint32_t *big_data)
{
	*fat = *big_data = 0;
	for (uint32_t i = 0; i < img.writes && i < IMG_LOG; i++) {
		bool data = img.log[i].sector >= fs.data_start;
		*fat += img.log[i].sector >= fs.fat_start && !data;
		*big_data += data && img.log[i].count > 1;
	}
}

static void test_batched_requests(void **state)
{
	(void)state;
	uint32_t size = 3 * MB + 100;
	uint8_t *d = pattern(size, 5), *buf = malloc(size);
	img_counters_clear();
	assert_int_equal(fat32_write_file(&fs, "/big", d, size), 0);
	/* 49 FAT sectors: in at most 2 blocks of FAT32_FAT_WINDOW, each read
	 * once and written once per copy */
	uint32_t data_sectors = size / 512, fat_blocks = 2, fat, big_data;
	split_writes(&fat, &big_data);
	print_message("  write_file 3 MiB: %u writes (%u FAT), %u reads\n", img.writes, fat,
		      img.reads);
	assert_true(img.reads <= fat_blocks + 4);
	assert_int_equal(big_data,
			 (data_sectors + FAT32_IO_MAX_SECTORS - 1) / FAT32_IO_MAX_SECTORS);
	assert_true(fat <= 2 * fat_blocks);
	assert_int_equal(img.writes, fat + big_data + 3); /* + the partial tail, dir, FSInfo */
	for (uint32_t i = 0; i < img.writes; i++) {
		assert_true(img.log[i].count <= FAT32_IO_MAX_SECTORS);
	}
	img_counters_clear();
	uint32_t len;
	assert_int_equal(fat32_read_file(&fs, "/big", buf, size, &len), 0);
	assert_memory_equal(buf, d, size);
	print_message("  read_file 3 MiB: %u reads (%u multi-sector)\n", img.reads, img.big_reads);
	assert_true(img.reads <= (data_sectors + FAT32_IO_MAX_SECTORS - 1) / FAT32_IO_MAX_SECTORS +
				     1 + fat_blocks + 4); /* + dir */
	img_counters_clear();
	assert_int_equal(fat32_read_at(&fs, "/big", 1000, buf, MB), 0);
	assert_memory_equal(buf, d + 1000, MB);
	assert_true(img.reads <= 1 + fat_blocks + 4);
	img_counters_clear();
	assert_int_equal(fat32_remove(&fs, "/big"), 0);
	print_message("  remove 3 MiB: %u writes\n", img.writes);
	assert_true(img.writes <= 1 + 2 * fat_blocks + 1);
	img_fsck_clean();
	free(d);
	free(buf);
}

/* Resize, then fill in place: what the snapshot code does. */
static void test_resize(void **state)
{
	(void)state;
	uint32_t big = 700000, csize = fs.sec_per_clus * 512;
	uint8_t *d = pattern(big, 7), *buf = malloc(big);
	assert_int_equal(fat32_resize(&fs, "/new by resize", big), 0); /* creates */
	assert_int_equal(fat32_write_at(&fs, "/new by resize", 0, d, big), 0);
	expect_clean_copy("/new by resize", d, big);
	assert_int_equal(fat32_write_file(&fs, "/grown", d, 1000), 0);
	assert_int_equal(fat32_write_file(&fs, "/in the way", d, 1), 0); /* no room right after */
	assert_int_equal(fat32_resize(&fs, "/grown", big), 0);
	assert_int_equal(fat32_write_at(&fs, "/grown", 1000, d + 1000, big - 1000), 0);
	expect_clean_copy("/grown", d, big);
	const uint32_t sizes[] = {big - 1, csize * 3, csize * 3 + 1, 1, 0, 5000, 0};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint32_t keep = sizes[i], size;
		bool is_dir;
		assert_int_equal(fat32_resize(&fs, "/grown", keep), 0);
		assert_int_equal(fat32_stat(&fs, "/grown", &size, &is_dir), 0);
		assert_int_equal(size, keep);
		assert_int_equal(fat32_write_at(&fs, "/grown", 0, d, keep), 0);
		expect_clean_copy("/grown", d, keep);
	}
	assert_int_equal(fat32_resize(&fs, "/", 1), FAT32_EISDIR);
	assert_int_equal(fat32_mkdir(&fs, "/d"), 0);
	assert_int_equal(fat32_resize(&fs, "/d", 1), FAT32_EISDIR);
	assert_int_equal(fat32_resize(&fs, "/nope/x", 1), FAT32_ENOENT);
	assert_int_equal(fat32_resize(&fs, "/huge", 0xFFFFFFFFu), FAT32_ENOSPC);
	assert_int_equal(fat32_resize(&fs, "/grown", 0xFFFFFFFFu), FAT32_ENOSPC);
	assert_int_equal(fat32_resize(&fs, "/grown", 0xFFFFFFFFu - csize), FAT32_ENOSPC);
	img_fsck_clean();
	struct fat32_repair_report rep;
	assert_int_equal(img_repair(&fs, &rep), 0);
	assert_int_equal(rep.lost_clusters + rep.sizes_fixed, 0);
	free(d);
	free(buf);
}

/* A file in three pieces: runs end where the clusters stop being consecutive. */
static void test_fragmented(void **state)
{
	(void)state;
	uint8_t *d = pattern(40000, 6);
	assert_int_equal(fat32_write_file(&fs, "/one", d, 3000), 0);
	assert_int_equal(fat32_write_file(&fs, "/two", d, 9000), 0);
	assert_int_equal(fat32_write_file(&fs, "/three", d, 3000), 0);
	assert_int_equal(fat32_write_file(&fs, "/four", d, 5000), 0);
	assert_int_equal(fat32_remove(&fs, "/one"), 0);
	assert_int_equal(fat32_remove(&fs, "/three"), 0);
	fs.next_free = 2; /* allocate from the holes on */
	img_counters_clear();
	assert_int_equal(fat32_write_file(&fs, "/pieces", d, 40000), 0);
	assert_true(img.big_writes >= 3);
	uint32_t c = img_entry(&fs, "/pieces", NULL), next, breaks = 0;
	for (int r; (r = fat32_fat_next(&fs, c, &next)) == 1; c = next) {
		breaks += next != c + 1;
	}
	assert_true(breaks >= 2);
	random_ranges("/pieces", d, 40000, 40);
	expect_clean_copy("/pieces", d, 40000);
	free(d);
}

/* ---- fat32_map: where a range lies, for callers that move it themselves ---- */

struct mapped {
	const uint8_t *want; /* the file's bytes from the mapped offset on */
	uint32_t next_at, runs, fail_at_run;
};

/* Each run must follow the last, fit the request limit, and hold the file's bytes. */
static int check_run(void *arg, uint64_t sector, uint32_t count, uint32_t at)
{
	struct mapped *m = arg;
	assert_int_equal(at, m->next_at);
	assert_true(count >= 1 && count <= FAT32_IO_MAX_SECTORS);
	assert_true(sector + count <= img.sectors);
	assert_memory_equal(img.disk + sector * 512, m->want + at, (size_t)count * 512);
	m->next_at += count * 512;
	return ++m->runs == m->fail_at_run ? 77 : 0;
}

static void test_map(void **state)
{
	(void)state;
	uint8_t *d = pattern(40000, 9);
	assert_int_equal(fat32_write_file(&fs, "/one", d, 3000), 0);
	assert_int_equal(fat32_write_file(&fs, "/two", d, 9000), 0);
	assert_int_equal(fat32_write_file(&fs, "/three", d, 3000), 0);
	assert_int_equal(fat32_remove(&fs, "/one"), 0);
	fs.next_free = 2; /* the next file starts in the hole: fragmented */
	assert_int_equal(fat32_write_file(&fs, "/pieces", d, 40000), 0);
	img_counters_clear();

	struct mapped m = {.want = d + 1024};
	assert_int_equal(fat32_map(&fs, "/pieces", 1024, 38912, check_run, &m), 0);
	assert_int_equal(m.next_at, 38912);
	assert_true(m.runs >= 2); /* the hole, then the rest */
	assert_int_equal(img.writes, 0);

	m = (struct mapped){.want = d, .fail_at_run = 2};
	assert_int_equal(fat32_map(&fs, "/pieces", 0, 38912, check_run, &m), 77);
	assert_int_equal(m.runs, 2); /* a callback's nonzero stops the walk */

	assert_int_equal(fat32_map(&fs, "/pieces", 100, 512, check_run, &m), FAT32_EINVAL);
	assert_int_equal(fat32_map(&fs, "/pieces", 0, 1000, check_run, &m), FAT32_EINVAL);
	assert_int_equal(fat32_map(&fs, "/pieces", 39936, 1024, check_run, &m), FAT32_ETOOBIG);
	assert_int_equal(fat32_map(&fs, "/none", 0, 512, check_run, &m), FAT32_ENOENT);
	free(d);
}

/* ---- growing and freeing long chains: FAT requests ---- */

static void counts(const char *what)
{
	print_message("  %-34s %5u reads (%3u multi-sector), %5u writes (%3u multi-sector)\n", what,
		      img.reads, img.big_reads, img.writes, img.big_writes);
}

/* At most `max` reads and `max` writes since the counters were cleared. */
static void expect_requests(const char *what, uint32_t max)
{
	counts(what);
	assert_true(img.reads <= max);
	assert_true(img.writes <= max);
}

/*
 * A snapshot file grown by 4 MiB and by 16 MiB with fat32_resize (FAT
 * work only: nothing is written to the new clusters), a 16 MiB file
 * written whole, then everything freed — on 512-byte clusters, where
 * 16 MiB takes 256 FAT sectors.
 */
static void test_long_chains(void **state)
{
	(void)state;
	assert_int_equal(fs.sec_per_clus, 1);
	uint8_t *d = pattern(16 * MB, 8);
	assert_int_equal(fat32_write_file(&fs, "/snap", d, 1000), 0);
	img_counters_clear();
	assert_int_equal(fat32_resize(&fs, "/snap", 1000 + 4 * MB), 0);
	expect_requests("resize: grow by 4 MiB", FAT_GROW_4);
	img_counters_clear();
	assert_int_equal(fat32_resize(&fs, "/snap", 1000 + 20 * MB), 0);
	expect_requests("resize: grow by 16 MiB", FAT_GROW_16);
	img_counters_clear();
	assert_int_equal(fat32_write_file(&fs, "/whole", d, 16 * MB), 0);
	counts("write_file 16 MiB");
	assert_true(img.reads <= FAT_GROW_16);
	assert_true(img.writes <= FAT_GROW_16 + 16); /* + 16 data requests of 1 MiB */
	img_counters_clear();
	uint32_t len;
	assert_int_equal(fat32_read_file(&fs, "/whole", d, 16 * MB, &len), 0);
	counts("read_file 16 MiB");
	img_counters_clear();
	assert_int_equal(fat32_write_at(&fs, "/snap", 4 * MB, d, 16 * MB), 0);
	counts("write_at 16 MiB");
	img_counters_clear();
	assert_int_equal(fat32_resize(&fs, "/snap", 1000), 0);
	expect_requests("resize: shrink by 20 MiB", FAT_FREE_20);
	img_counters_clear();
	assert_int_equal(fat32_remove(&fs, "/whole"), 0);
	expect_requests("remove 16 MiB", FAT_FREE_16);
	img_fsck_clean();
	struct fat32_repair_report rep;
	assert_int_equal(img_repair(&fs, &rep), 0);
	assert_int_equal(rep.lost_clusters + rep.sizes_fixed + rep.fat_copies_fixed, 0);
	free(d);
}

/*
 * A long contiguous chain is walked a FAT block at a time
 * (fat32_seq_extend), and still checked link by link: bent back from its
 * middle to its first cluster it is a loop, with a link out of the volume
 * at a block's last entry it is corrupt, never a hang or a read beyond;
 * intact, it reads back byte for byte.
 */
static void test_long_contiguous_chain_checks(void **state)
{
	(void)state;
	uint32_t bytes = 6 * MB, clusters = bytes / 512, len;
	uint8_t *d = pattern(bytes, 12), *buf = malloc(bytes);
	assert_int_equal(fat32_write_file(&fs, "/run", d, bytes), 0);
	uint32_t first = img_entry(&fs, "/run", NULL);
	assert_int_equal(fat32_read_file(&fs, "/run", buf, bytes, &len), 0);
	assert_memory_equal(buf, d, bytes);

	uint32_t block = FAT32_FAT_WINDOW * 128, edge = (first / block + 2) * block - 1;
	assert_true(edge < first + clusters - 1);
	img_set_fat(&fs, edge, fs.cluster_count + 9, fs.num_fats);
	assert_int_equal(img_mount(&fs), 0);
	assert_int_equal(fat32_read_file(&fs, "/run", buf, bytes, &len), FAT32_ECORRUPT);

	img_set_fat(&fs, edge, edge + 1, fs.num_fats);
	assert_int_equal(img_mount(&fs), 0);
	assert_int_equal(fat32_read_file(&fs, "/run", buf, bytes, &len), 0);
	assert_memory_equal(buf, d, bytes);
	img_set_fat(&fs, first + clusters / 2, first, fs.num_fats);
	assert_int_equal(img_mount(&fs), 0);
	assert_int_equal(fat32_read_file(&fs, "/run", buf, bytes, &len), FAT32_ECORRUPT);
	free(buf);
	free(d);
}

/*
 * Free space as a comb: a 4 MiB file rewritten (in the FAT, behind the
 * library's back) to take every other cluster of 8 MiB, so growing
 * another file to 4 MiB takes 8190 single-cluster holes over 128 FAT
 * sectors.
 */
static void test_long_chain_in_holes(void **state)
{
	(void)state;
	uint32_t n = 4 * MB / 512;
	uint8_t b[1000] = {0};
	assert_int_equal(fat32_write_file(&fs, "/grown", b, sizeof(b)), 0);
	assert_int_equal(fat32_resize(&fs, "/COMB", 4 * MB), 0);
	uint32_t c0 = img_entry(&fs, "/COMB", NULL);
	for (uint32_t i = 0; i < 2 * n; i++) {
		uint32_t v = i % 2 ? 0 : i == 2 * n - 2 ? FAT32_EOC : c0 + i + 2;
		img_set_fat(&fs, c0 + i, v, fs.num_fats);
	}
	assert_int_equal(img_mount(&fs), 0);
	img_fsck_clean();
	fs.next_free = c0;
	img_counters_clear();
	assert_int_equal(fat32_resize(&fs, "/grown", 4 * MB), 0);
	expect_requests("resize: grow by 4 MiB in holes", FAT_GROW_HOLES);
	uint32_t c = img_entry(&fs, "/grown", NULL), len, second;
	assert_int_equal(fat32_chain_len(&fs, c, &len), 0);
	assert_int_equal(len, n);
	assert_int_equal(fat32_fat_next(&fs, c + 1, &second), 1);
	assert_int_equal(second, c0 + 1); /* the tail starts in the first hole */
	img_counters_clear();
	assert_int_equal(fat32_remove(&fs, "/COMB"), 0);
	expect_requests("remove the comb", FAT_GROW_HOLES);
	img_fsck_clean();
	struct fat32_repair_report rep;
	assert_int_equal(img_repair(&fs, &rep), 0);
	assert_int_equal(rep.lost_clusters + rep.sizes_fixed + rep.fat_copies_fixed, 0);
}

/* Read path in `pieces` equal pieces, in order, and compare them with d. */
static void read_in_pieces(const char *path, const uint8_t *d, uint32_t size, uint32_t pieces)
{
	uint32_t piece = size / pieces;
	uint8_t *buf = malloc(piece);
	for (uint32_t off = 0; off + piece <= size; off += piece) {
		assert_int_equal(fat32_read_at(&fs, path, off, buf, piece), 0);
		assert_memory_equal(buf, d + off, piece);
	}
	free(buf);
}

/*
 * A file moved piece by piece goes on from where the last piece got to
 * (fs->hint), and no stale position survives a change of the chains: two
 * files read in alternation, one replaced by a new chain, one shrunk and
 * grown again, each read back right.
 */
static void test_pieces_follow_the_chain(void **state)
{
	(void)state;
	uint32_t size = MB, csize = fs.sec_per_clus * 512;
	uint8_t *a = pattern(size, 1), *b = pattern(size, 2), *a2 = pattern(size, 3);
	assert_int_equal(fat32_write_file(&fs, "/a", a, size), 0);
	assert_int_equal(fat32_write_file(&fs, "/b", b, size), 0);

	read_in_pieces("/a", a, size, 64);
	assert_int_equal(fs.hint.index, (size - size / 64) / csize); /* the walk went on */
	for (uint32_t off = 0; off < size; off += size / 16) {	     /* alternating chains */
		uint8_t buf[512];
		assert_int_equal(fat32_read_at(&fs, "/a", off, buf, sizeof(buf)), 0);
		assert_memory_equal(buf, a + off, sizeof(buf));
		assert_int_equal(fat32_read_at(&fs, "/b", off, buf, sizeof(buf)), 0);
		assert_memory_equal(buf, b + off, sizeof(buf));
	}
	assert_int_equal(fat32_write_file(&fs, "/a", a2, size), 0); /* a new chain */
	read_in_pieces("/a", a2, size, 64);
	assert_int_equal(fat32_resize(&fs, "/b", size / 2), 0);
	assert_int_equal(fat32_resize(&fs, "/b", size), 0);
	assert_int_equal(fat32_write_at(&fs, "/b", size / 2, b + size / 2, size / 2), 0);
	read_in_pieces("/b", b, size, 32);
	for (uint32_t off = size; off > 0; off -= size / 8) { /* backwards: walks from the start */
		uint8_t buf[512];
		assert_int_equal(fat32_read_at(&fs, "/a", off - sizeof(buf), buf, sizeof(buf)), 0);
		assert_memory_equal(buf, a2 + off - sizeof(buf), sizeof(buf));
	}
	expect_clean_copy("/a", a2, size);
	free(a);
	free(b);
	free(a2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_ranges, setup_1, img_teardown),
	    cmocka_unit_test_setup_teardown(test_ranges, setup_4, img_teardown),
	    cmocka_unit_test_setup_teardown(test_errors, setup_1, img_teardown),
	    cmocka_unit_test_setup_teardown(test_write_at_only_data, setup_1, img_teardown),
	    cmocka_unit_test_setup_teardown(test_write_at_only_data, setup_4, img_teardown),
	    cmocka_unit_test_setup_teardown(test_batched_requests, setup_1, img_teardown),
	    cmocka_unit_test_setup_teardown(test_resize, setup_1, img_teardown),
	    cmocka_unit_test_setup_teardown(test_resize, setup_4, img_teardown),
	    cmocka_unit_test_setup_teardown(test_fragmented, setup_1, img_teardown),
	    cmocka_unit_test_setup_teardown(test_fragmented, setup_4, img_teardown),
	    cmocka_unit_test_setup_teardown(test_map, setup_1, img_teardown),
	    cmocka_unit_test_setup_teardown(test_map, setup_4, img_teardown),
	    cmocka_unit_test_setup_teardown(test_long_chains, setup_64, img_teardown),
	    cmocka_unit_test_setup_teardown(test_long_chain_in_holes, setup_64, img_teardown),
	    cmocka_unit_test_setup_teardown(test_long_contiguous_chain_checks, setup_64,
					    img_teardown),
	    cmocka_unit_test_setup_teardown(test_pieces_follow_the_chain, setup_4, img_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
