/*
 * tests/fuzz/fuzz_fat32.c — libFuzzer target for the FAT32 driver
 * (fs/fat32*.c), which reads whatever the disk says.
 *
 * The volume: mkfs.fat's 34 MiB FAT32 image with 512-byte clusters,
 * filled once by the driver itself (files short and long, a 255-byte
 * name, a directory, a fragmented 200 KiB file). The input is XORed
 * over its metadata — the reserved sectors (boot sector, FSInfo, backup),
 * the start of both FATs, the root directory and the subdirectory, as
 * records (see apply) — so an empty input is the clean volume and every
 * mutation is a disk that lies.
 * On each: mount, list, stat, read and map; repair, twice; then change
 * things (write, mkdir, resize, remove) and read again. Besides what ASan and UBSan catch
 * (and libFuzzer's timeout, for a walk that never ends), abort() when a
 * promise of fs/fat32.h breaks: a read-only call writes nothing; a repair
 * that finds the tree broken writes nothing; a repair that succeeds
 * leaves a volume whose second repair reports nothing.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/fat32.h"
#include "fs/fat32_internal.h"

#define SECTOR	    512u
#define IMAGE_KIB   (34u * 1024)
#define SECTORS	    (IMAGE_KIB * 2u)
#define REGIONS_MAX 6
#define FAT_SECTORS 16u /* of each FAT copy: the first 8192 clusters' links */
#define DIR_SECTORS 8u	/* of the root directory and of /dir */
#define READ_MAX    (256u * 1024)
#define BIG_FILE    (200u * 1024)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *disk, *clean;
static bool touched[SECTORS];
static unsigned writes;
static uint8_t read_buf[READ_MAX];

struct region {
	uint64_t sector;
	uint32_t count;
};
static struct region regions[REGIONS_MAX];
static unsigned region_count;

static int dev_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
	(void)ctx;
	if (sector > SECTORS || count > SECTORS - sector) {
		abort(); /* the driver checks ranges against dev.sectors itself */
	}
	memcpy(buf, disk + sector * SECTOR, (size_t)count * SECTOR);
	return 0;
}

static int dev_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
	(void)ctx;
	if (sector > SECTORS || count > SECTORS - sector) {
		abort();
	}
	memcpy(disk + sector * SECTOR, buf, (size_t)count * SECTOR);
	for (uint32_t i = 0; i < count; i++) {
		touched[sector + i] = true;
	}
	writes++;
	return 0;
}

static int dev_flush(void *ctx)
{
	(void)ctx;
	return 0;
}

static int mount(struct fat32 *fs)
{
	struct fat32_blockdev dev = {
	    .read = dev_read, .write = dev_write, .flush = dev_flush, .sectors = SECTORS};
	return fat32_mount(fs, &dev);
}

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_fat32: %s\n", what);
	abort();
}

/* count sectors from `sector` get XORed with the input, after the regions before. */
static void add_region(uint64_t sector, uint32_t count)
{
	if (region_count < REGIONS_MAX) {
		regions[region_count++] = (struct region){sector, count};
	}
}

static uint64_t cluster_sector(const struct fat32 *fs, uint32_t c)
{
	return fs->data_start + (uint64_t)(c - 2) * fs->sec_per_clus;
}

/* Format with mkfs.fat, fill with the driver, note the metadata regions. */
static void build_volume(void)
{
	char path[] = "/tmp/fuzz_fat32_XXXXXX";
	int fd = mkstemp(path);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "mkfs.fat -F 32 -s 1 -C %s.img %u >/dev/null", path, IMAGE_KIB);
	if (fd < 0 || system(cmd) != 0) {
		fail("mkfs.fat (dosfstools) failed");
	}
	snprintf(cmd, sizeof(cmd), "%s.img", path);
	FILE *f = fopen(cmd, "rb");
	disk = malloc((size_t)SECTORS * SECTOR);
	clean = malloc((size_t)SECTORS * SECTOR);
	if (f == NULL || disk == NULL || clean == NULL ||
	    fread(disk, SECTOR, SECTORS, f) != SECTORS) {
		fail("cannot read the fresh image");
	}
	fclose(f);
	remove(cmd);
	remove(path);

	struct fat32 fs;
	static uint8_t data[BIG_FILE];
	for (uint32_t i = 0; i < BIG_FILE; i++) {
		data[i] = (uint8_t)(i * 131 + i / 512);
	}
	char longest[1 + FAT32_NAME_MAX + 1] = "/"; /* 20 long-name slots */
	memset(longest + 1, 'n', FAT32_NAME_MAX);
	int r = mount(&fs);
	r = r ? r : fat32_write_file(&fs, "/HELLO.TXT", data, 12);
	r = r ? r : fat32_write_file(&fs, "/a rather long name.bin", data, 5000);
	r = r ? r : fat32_write_file(&fs, longest, data, 700);
	r = r ? r : fat32_mkdir(&fs, "/dir");
	r = r ? r : fat32_write_file(&fs, "/dir/inner", data, 1500);
	r = r ? r : fat32_write_file(&fs, "/gap", data, 3000);
	r = r ? r : fat32_write_file(&fs, "/big", data, BIG_FILE / 2);
	r = r ? r : fat32_remove(&fs, "/gap"); /* /big grows into the hole: fragmented */
	r = r ? r : fat32_resize(&fs, "/big", BIG_FILE);
	r = r ? r : fat32_write_at(&fs, "/big", 0, data, BIG_FILE);
	if (r != 0) {
		fprintf(stderr, "fuzz_fat32: filling the volume: error %d\n", r);
		abort();
	}
	add_region(0, fs.fat_start);
	add_region(fs.fat_start, FAT_SECTORS);
	add_region(fs.fat_start + fs.fat_sectors, FAT_SECTORS);
	add_region(cluster_sector(&fs, fs.root_cluster), DIR_SECTORS);
	struct fat32_found dir;
	bool root;
	if (fat32_lookup(&fs, "/dir", &dir, &root) != 0) {
		fail("no /dir");
	}
	add_region(cluster_sector(&fs, fat32_entry_cluster(dir.raw)), DIR_SECTORS);
	memcpy(clean, disk, (size_t)SECTORS * SECTOR);
	memset(touched, 0, sizeof(touched));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	build_volume();
	return 0;
}

/* Put back every sector the last input changed or wrote. */
static void reset(void)
{
	for (uint32_t s = 0; s < SECTORS; s++) {
		if (touched[s]) {
			memcpy(disk + (size_t)s * SECTOR, clean + (size_t)s * SECTOR, SECTOR);
			touched[s] = false;
		}
	}
}

/*
 * The input is records: a region (a byte, modulo the regions), an offset
 * in it (two bytes, little-endian, modulo its size), a length n (a byte),
 * then n bytes XORed there. Short inputs reach every region.
 */
static void apply(const uint8_t *data, size_t size)
{
	for (size_t at = 0; at + 4 <= size;) {
		const struct region *r = &regions[data[at] % region_count];
		uint32_t bytes = r->count * SECTOR;
		uint32_t offset = (uint32_t)(data[at + 1] | data[at + 2] << 8) % bytes;
		size_t n = data[at + 3];
		at += 4;
		for (size_t i = 0; i < n && at < size; i++, at++) {
			uint64_t byte = r->sector * SECTOR + (offset + i) % bytes;
			disk[byte] ^= data[at];
			touched[byte / SECTOR] = true;
		}
	}
}

struct names {
	char path[8][800];
	unsigned count;
	const char *dir;
};

static int note_name(void *ctx, const struct fat32_stat *st)
{
	struct names *n = ctx;
	if (n->count < 8) {
		snprintf(n->path[n->count++], sizeof(n->path[0]), "%s/%s", n->dir, st->name);
	}
	return 0;
}

static int note_run(void *arg, uint64_t sector, uint32_t count, uint32_t at)
{
	(void)at;
	if (sector >= SECTORS || count > SECTORS - sector) {
		abort(); /* a run the driver hands out lies inside the volume */
	}
	(*(unsigned *)arg)++;
	return 0;
}

/* Everything that only reads; it must write nothing. */
static void read_everything(struct fat32 *fs)
{
	unsigned before = writes;
	struct names n = {.dir = ""};
	fat32_list(fs, "/", note_name, &n);
	n.dir = "/dir";
	fat32_list(fs, "/dir", note_name, &n);
	for (unsigned i = 0; i < n.count; i++) {
		uint32_t size, len, runs = 0;
		bool is_dir;
		if (fat32_stat(fs, n.path[i], &size, &is_dir) != 0 || is_dir) {
			continue;
		}
		fat32_read_file(fs, n.path[i], read_buf, READ_MAX, &len);
		fat32_read_at(fs, n.path[i], size / 3, read_buf, (size - size / 3) % READ_MAX);
		fat32_map(fs, n.path[i], 0, size / SECTOR * SECTOR, note_run, &runs);
	}
	uint64_t total, free_bytes;
	fat32_space(fs, &total, &free_bytes);
	if (writes != before) {
		fail("a read-only call wrote to the disk");
	}
}

static void change_things(struct fat32 *fs)
{
	fat32_write_file(fs, "/new file.txt", read_buf, 3000);
	fat32_mkdir(fs, "/dir/sub");
	fat32_write_file(fs, "/dir/sub/x", read_buf, 700);
	fat32_resize(fs, "/big", 1000);
	fat32_write_at(fs, "/a rather long name.bin", 512, read_buf, 1024);
	fat32_remove(fs, "/HELLO.TXT");
	fat32_remove(fs, "/dir/inner");
}

static void repair_twice(void)
{
	struct fat32 fs;
	if (mount(&fs) != 0) {
		return;
	}
	size_t bytes = fat32_repair_bytes(&fs);
	uint8_t *work = malloc(bytes);
	struct fat32_repair_report rep, again;
	unsigned before = writes;
	int r = fat32_repair(&fs, work, bytes, &rep);
	if (r == FAT32_ECORRUPT && writes != before) {
		fail("a repair that found the tree broken wrote to the disk");
	}
	if (r == 0 && mount(&fs) == 0 && fat32_repair(&fs, work, bytes, &again) == 0 &&
	    (again.lost_clusters || again.orphan_lfn || again.sizes_fixed ||
	     again.fat_copies_fixed || again.fsinfo_fixed)) {
		fail("a second repair found more to fix");
	}
	free(work);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reset();
	apply(data, size);
	struct fat32 fs;
	if (mount(&fs) == 0) {
		read_everything(&fs);
		repair_twice();
		if (mount(&fs) == 0) {
			change_things(&fs);
			read_everything(&fs);
		}
	}
	return 0;
}
