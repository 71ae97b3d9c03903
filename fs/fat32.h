/*
 * fs/fat32.h — a FAT32 file system over a 512-byte-sector block device.
 *
 * Pure logic: the caller supplies the block device (function pointers) and
 * the struct fat32 that holds every scratch buffer, so nothing here
 * allocates and the same code runs in the kernel and in host tests.
 *
 * The API is whole-file: read a file into a buffer, write (create or
 * replace) a file from a buffer, remove, list a directory, make a
 * directory. Paths are absolute or relative to the root, separated by '/',
 * matched case-insensitively (ASCII) against long and short names.
 *
 * Crash order for a write: data goes into free clusters first, then the FAT
 * links them, then the directory entry points at them, then an old chain
 * (if replacing) is freed. A failure part-way leaves at worst lost clusters,
 * never a visible half-written file.
 *
 * Not thread-safe: one caller at a time per struct fat32.
 * See docs/fat32.md.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAT32_SECTOR_SIZE 512
#define FAT32_NAME_MAX	  255 /* bytes of one path component (ASCII to create) */

enum fat32_error {
	FAT32_EIO = -1,		 /* the block device failed */
	FAT32_ENOTFAT32 = -2,	 /* no FAT32 boot sector (or FAT12/16) */
	FAT32_ECORRUPT = -3,	 /* inconsistent BPB, FSInfo, FAT chain or directory */
	FAT32_EUNSUPPORTED = -4, /* valid FAT32, but sectors are not 512 bytes */
	FAT32_ENOENT = -5,	 /* a path component does not exist */
	FAT32_EEXIST = -6,	 /* mkdir of an existing name */
	FAT32_ENOSPC = -7,	 /* no free cluster left */
	FAT32_ENOTDIR = -8,	 /* a path component is a file */
	FAT32_EISDIR = -9,	 /* a file operation named a directory */
	FAT32_EINVAL = -10,	 /* bad name or path (empty, '.', bad character) */
	FAT32_ENAMETOOLONG = -11,
	FAT32_ETOOBIG = -12,   /* file larger than the caller's buffer, or >= 4 GiB */
	FAT32_ENOTEMPTY = -13, /* remove of a non-empty directory */
};

/* 512-byte sectors; each callback returns 0 or a negative value. */
struct fat32_blockdev {
	int (*read)(void *ctx, uint64_t sector, uint32_t count, void *buf);
	int (*write)(void *ctx, uint64_t sector, uint32_t count, const void *buf);
	int (*flush)(void *ctx);
	void *ctx;
	uint64_t sectors;
};

/* Everything below `dev` is private to fs/fat32*.c. */
struct fat32 {
	struct fat32_blockdev dev;
	uint16_t date, time; /* FAT-format stamps for new entries; 0 = 1980-01-01 */

	uint32_t fat_start;   /* first sector of FAT #0 */
	uint32_t fat_sectors; /* sectors per FAT */
	uint32_t num_fats;
	uint32_t data_start; /* sector of cluster 2 */
	uint32_t sec_per_clus;
	uint32_t cluster_count; /* valid clusters are 2 .. cluster_count + 1 */
	uint32_t root_cluster;
	uint32_t fsinfo_sector; /* 0: none */
	uint32_t free_count;	/* 0xFFFFFFFF: unknown */
	uint32_t next_free;

	uint64_t fat_buf_sector; /* sector of FAT #0 held in fat_buf, or UINT64_MAX */
	uint64_t dir_buf_sector; /* sector held in dir_buf, or UINT64_MAX */
	uint8_t fat_buf[FAT32_SECTOR_SIZE];
	uint8_t dir_buf[FAT32_SECTOR_SIZE];
	uint8_t io_buf[FAT32_SECTOR_SIZE]; /* partial data sectors, FSInfo */
	uint16_t lfn[260];		   /* long name being assembled (20 entries x 13) */
};

struct fat32_stat {
	const char *name; /* valid during the callback only */
	uint32_t size;
	bool is_dir;
};

/* Return nonzero to stop the listing; that value is returned by fat32_list. */
typedef int (*fat32_list_fn)(void *ctx, const struct fat32_stat *st);

int fat32_mount(struct fat32 *fs, const struct fat32_blockdev *dev);
int fat32_read_file(struct fat32 *fs, const char *path, void *buf, uint32_t max, uint32_t *len);
int fat32_write_file(struct fat32 *fs, const char *path, const void *data, uint32_t len);
int fat32_remove(struct fat32 *fs, const char *path);
int fat32_mkdir(struct fat32 *fs, const char *path);
int fat32_list(struct fat32 *fs, const char *dirpath, fat32_list_fn fn, void *ctx);
int fat32_stat(struct fat32 *fs, const char *path, uint32_t *size, bool *is_dir);
