/*
 * tests/unit/fat32_test_util.h — what the FAT32 host tests share: an
 * in-memory image, its device, and the dosfstools/mtools checks on it
 * (test_fat32, test_fat32_io, test_fat32_crash, test_fat32_repair).
 *
 * One image at a time (the global `img`): made once by mkfs.fat, kept as
 * `base`, and served from `disk` as a struct fat32_blockdev that counts
 * requests and can lose power: after `cut` write requests every later
 * request fails and lands nothing (with `torn` = k, the request at the
 * cut lands its first k sectors first) — a QEMU kill, where what was
 * written before stays and nothing after reaches the disk. Sectors ever
 * written are tracked, so img_reset restores the base quickly and
 * img_fsck_clean brings the image file up to date for fsck.fat.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "fs/fat32_internal.h"

#define IMG_NO_CUT UINT32_MAX
#define IMG_LOG	   4096

struct img_write {
	uint64_t sector;
	uint32_t count;
};

struct img {
	char dir[64], path[96]; /* a temp directory holding the image file */
	uint8_t *base, *disk;
	uint8_t *touched; /* one bit per sector: written since img_create */
	uint64_t sectors;
	uint32_t cut;  /* write requests that land, or IMG_NO_CUT */
	uint32_t torn; /* sectors of the request at the cut that land anyway */
	bool dead;
	uint32_t reads, writes;		/* requests since the counters were cleared */
	uint32_t big_reads, big_writes; /* of more than one sector */
	struct img_write log[IMG_LOG];	/* the first IMG_LOG writes */
};

extern struct img img;

int sh(const char *fmt, ...);
uint8_t *pattern(uint32_t len, uint32_t seed);

/* mkfs.fat -F 32 <args> on a fresh image of `kib` KiB, loaded as base and disk. */
void img_create(uint32_t kib, const char *mkfs_args);
/* Take the image file (changed by mtools) as the new base and disk. */
void img_reload(void);
void img_destroy(void);
/* A cmocka teardown: img_destroy. */
int img_teardown(void **state);
/* disk = base, counters cleared, power on. */
void img_reset(void);
void img_counters_clear(void);
int img_mount(struct fat32 *fs);
/* Mount (must succeed) and run fat32_repair; returns its result. */
int img_repair(struct fat32 *fs, struct fat32_repair_report *rep);
/* fsck.fat -n on the disk: its exit status 0 and nothing but the summary. */
bool img_fsck_ok(bool print);
void img_fsck_clean(void);
/* Change the disk behind the library's back (remount afterwards). */
void img_patch(uint64_t byte, const void *p, size_t n);
/* Set FAT entry c in every copy (copies: how many, from FAT #0). */
void img_set_fat(const struct fat32 *fs, uint32_t c, uint32_t v, uint32_t copies);
/* The first cluster of the entry at path, and where its short entry is. */
uint32_t img_entry(struct fat32 *fs, const char *path, struct fat32_loc *loc);
/* The file at path must hold exactly d[0..len). */
void expect_file(struct fat32 *fs, const char *path, const uint8_t *d, uint32_t len);
/* The same, read by mcopy from the image file (brought up to date first). */
void expect_mtools(const char *path, const uint8_t *d, uint32_t len);
