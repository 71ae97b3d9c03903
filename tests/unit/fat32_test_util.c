/*
 * tests/unit/fat32_test_util.c — the in-memory image device and fsck.fat
 * runs shared by the FAT32 host tests; see fat32_test_util.h.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/fat32_test_util.h"

struct img img;

int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = snprintf(cmd, sizeof(cmd), "PATH=$PATH:/usr/sbin:/sbin; ");
	vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	va_end(ap);
	return system(cmd);
}

uint8_t *pattern(uint32_t len, uint32_t seed)
{
	uint8_t *p = malloc(len ? len : 1);
	uint32_t x = seed * 2654435761u + 1;
	for (uint32_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (uint8_t)(x >> 16);
	}
	return p;
}

static bool touched(uint64_t s)
{
	return (img.touched[s / 8] >> (s % 8)) & 1;
}

static void land(uint64_t sector, uint32_t count, const void *buf)
{
	memcpy(img.disk + sector * 512, buf, (size_t)count * 512);
	for (uint64_t s = sector; s < sector + count; s++) {
		img.touched[s / 8] |= (uint8_t)(1u << (s % 8));
	}
}

static int dev_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
	(void)ctx;
	assert_true(count >= 1 && count <= FAT32_IO_MAX_SECTORS && sector + count <= img.sectors);
	if (img.dead) {
		return -1;
	}
	img.reads++;
	img.big_reads += count > 1;
	memcpy(buf, img.disk + sector * 512, (size_t)count * 512);
	return 0;
}

static int dev_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
	(void)ctx;
	assert_true(count >= 1 && count <= FAT32_IO_MAX_SECTORS && sector + count <= img.sectors);
	if (img.dead) {
		return -1;
	}
	if (img.writes < IMG_LOG) {
		img.log[img.writes] = (struct img_write){sector, count};
	}
	if (img.writes == img.cut) {
		img.dead = true;
		if (img.torn > 0 && img.torn < count) {
			land(sector, img.torn, buf);
		}
		return -1;
	}
	img.writes++;
	img.big_writes += count > 1;
	land(sector, count, buf);
	return 0;
}

static int dev_flush(void *ctx)
{
	(void)ctx;
	return img.dead ? -1 : 0;
}

static void load_base(void)
{
	FILE *f = fopen(img.path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(img.base, 512, img.sectors, f), img.sectors);
	fclose(f);
	memcpy(img.disk, img.base, img.sectors * 512);
	memset(img.touched, 0, (img.sectors + 7) / 8);
}

void img_create(uint32_t kib, const char *mkfs_args)
{
	strcpy(img.dir, "/tmp/fat32test.XXXXXX");
	assert_non_null(mkdtemp(img.dir));
	snprintf(img.path, sizeof(img.path), "%s/img", img.dir);
	assert_int_equal(
	    sh("mkfs.fat -F 32 %s -C %s %u >/dev/null", mkfs_args, img.path, (unsigned)kib), 0);
	img.sectors = (uint64_t)kib * 2;
	img.base = malloc(img.sectors * 512);
	img.disk = malloc(img.sectors * 512);
	img.touched = malloc((img.sectors + 7) / 8);
	load_base();
	img_reset();
}

void img_reload(void)
{
	load_base();
	img_reset();
}

void img_destroy(void)
{
	sh("rm -rf %s", img.dir);
	free(img.base);
	free(img.disk);
	free(img.touched);
}

int img_teardown(void **state)
{
	(void)state;
	img_destroy();
	return 0;
}

void img_counters_clear(void)
{
	img.reads = img.writes = img.big_reads = img.big_writes = 0;
}

void img_reset(void)
{
	for (uint64_t s = 0; s < img.sectors; s++) {
		if (touched(s)) {
			memcpy(img.disk + s * 512, img.base + s * 512, 512);
		}
	}
	img.cut = IMG_NO_CUT;
	img.torn = 0;
	img.dead = false;
	img_counters_clear();
}

int img_mount(struct fat32 *fs)
{
	struct fat32_blockdev dev = {
	    .read = dev_read, .write = dev_write, .flush = dev_flush, .sectors = img.sectors};
	return fat32_mount(fs, &dev);
}

int img_repair(struct fat32 *fs, struct fat32_repair_report *rep)
{
	assert_int_equal(img_mount(fs), 0);
	size_t n = fat32_repair_bytes(fs);
	uint8_t *work = malloc(n);
	int r = fat32_repair(fs, work, n, rep);
	free(work);
	return r;
}

/* Bring the image file up to date: every sector ever written, each run of
 * them in one pwrite. */
static void sync_file(void)
{
	int fd = open(img.path, O_WRONLY);
	assert_true(fd >= 0);
	for (uint64_t s = 0; s < img.sectors; s++) {
		uint64_t n = 0;
		while (s + n < img.sectors && touched(s + n)) {
			n++;
		}
		if (n > 0) {
			size_t bytes = (size_t)n * 512;
			assert_int_equal(pwrite(fd, img.disk + s * 512, bytes, (off_t)(s * 512)),
					 (ssize_t)bytes);
			s += n;
		}
	}
	close(fd);
}

bool img_fsck_ok(bool print)
{
	sync_file();
	char log[160], line[256];
	snprintf(log, sizeof(log), "%s/fsck.log", img.dir);
	int rc = sh("fsck.fat -n %s >%s 2>&1", img.path, log);
	FILE *f = fopen(log, "r");
	assert_non_null(f);
	bool ok = rc == 0;
	/* Clean is two lines: "fsck.fat 4.2 (...)" and "<image>: N files, ...". */
	while (fgets(line, sizeof(line), f)) {
		bool expected =
		    strncmp(line, "fsck.fat ", 9) == 0 ||
		    (strncmp(line, img.path, strlen(img.path)) == 0 && strstr(line, " files, "));
		ok = ok && expected;
		if (print && !expected) {
			fputs(line, stderr);
		}
	}
	fclose(f);
	return ok;
}

void img_fsck_clean(void)
{
	assert_true(img_fsck_ok(true));
}

void img_patch(uint64_t byte, const void *p, size_t n)
{
	uint8_t sector[512];
	for (size_t done = 0; done < n;) {
		uint64_t s = (byte + done) / 512, in = (byte + done) % 512;
		size_t k = n - done < 512 - in ? n - done : 512 - in;
		memcpy(sector, img.disk + s * 512, 512);
		memcpy(sector + in, (const uint8_t *)p + done, k);
		land(s, 1, sector);
		done += k;
	}
}

void img_set_fat(const struct fat32 *fs, uint32_t c, uint32_t v, uint32_t copies)
{
	uint8_t b[4];
	fat32_put32(b, v);
	for (uint32_t i = 0; i < copies; i++) {
		img_patch(((uint64_t)fs->fat_start + (uint64_t)i * fs->fat_sectors) * 512 + c * 4,
			  b, 4);
	}
}

uint32_t img_entry(struct fat32 *fs, const char *path, struct fat32_loc *loc)
{
	struct fat32_found f;
	bool root;
	assert_int_equal(fat32_lookup(fs, path, &f, &root), 0);
	if (loc) {
		*loc = f.last;
	}
	return fat32_entry_cluster(f.raw);
}

void expect_file(struct fat32 *fs, const char *path, const uint8_t *d, uint32_t len)
{
	uint8_t *buf = malloc(len + 1);
	uint32_t got = 0;
	assert_int_equal(fat32_read_file(fs, path, buf, len + 1, &got), 0);
	assert_int_equal(got, len);
	assert_memory_equal(buf, d, len);
	free(buf);
}

void expect_mtools(const char *path, const uint8_t *d, uint32_t len)
{
	char out[160];
	snprintf(out, sizeof(out), "%s/out", img.dir);
	sync_file();
	assert_int_equal(sh("mcopy -n -i %s '::%s' %s", img.path, path, out), 0);
	FILE *f = fopen(out, "rb");
	assert_non_null(f);
	uint8_t *buf = malloc(len + 1);
	assert_int_equal(fread(buf, 1, len + 1, f), len);
	fclose(f);
	assert_memory_equal(buf, d, len);
	free(buf);
}
