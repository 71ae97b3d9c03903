/*
 * fs/fat32.h — a FAT32 file system over a 512-byte-sector block device.
 *
 * Pure logic: the caller supplies the block device (function pointers) and
 * the struct fat32 that holds every scratch buffer, so nothing here
 * allocates and the same code runs in the kernel and in host tests.
 *
 * The API is whole-file (read a file into a buffer, write — create or
 * replace — a file from a buffer, remove, list, make a directory) plus
 * in-place access to an existing file's bytes (fat32_read_at and
 * fat32_write_at, which never change its size; fat32_resize does). Paths are absolute or
 * relative to the root, separated by '/', matched case-insensitively
 * (ASCII) against long and short names.
 *
 * Crash safety: every modifying call orders its block writes so that a
 * kill after any prefix of them, followed by fat32_mount and fat32_repair,
 * leaves a volume `fsck.fat` finds clean, on which a written, removed or
 * created name has either its old or its new state. This needs each write
 * callback to return only once its write is on the device (writes land in
 * the order they are issued). See docs/fat32.md, "Crash safety".
 *
 * Not thread-safe: one caller at a time per struct fat32.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/civil_time.h"

#define FAT32_SECTOR_SIZE    512
#define FAT32_NAME_MAX	     255   /* bytes of one path component (ASCII to create) */
#define FAT32_IO_MAX_SECTORS 16384 /* the largest request made of the device (8 MiB) */
#define FAT32_FAT_WINDOW     32	   /* FAT sectors cached, and written back, together (16 KiB) */

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

/*
 * 512-byte sectors; each callback returns 0 or a negative value. A request
 * has 1..FAT32_IO_MAX_SECTORS sectors and its buffer may be the caller's
 * own (the one given to fat32_read_at and friends, at any alignment) or a
 * buffer inside struct fat32. A write must be on the device when the
 * callback returns (crash ordering depends on it); flush may be NULL.
 * pause, which may be NULL, lets the rest of the system run a moment if
 * it has waited long enough (the device decides; it may return at once): a
 * user of the file system with long work between transfers (hashing a big
 * file) calls it now and then; the library itself never does.
 */
struct fat32_blockdev {
	int (*read)(void *ctx, uint64_t sector, uint32_t count, void *buf);
	int (*write)(void *ctx, uint64_t sector, uint32_t count, const void *buf);
	int (*flush)(void *ctx);
	void (*pause)(void *ctx);
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

	/* The FAT cache (fs/fat32.c): two aligned blocks of FAT32_FAT_WINDOW
	 * sectors of FAT #0 (block b starts at fat_start + b * FAT32_FAT_WINDOW).
	 * fat_win[fat_cur] is the write-back window, the other a read-only
	 * look-ahead; they never hold the same block. */
	uint32_t fat_block[2];	 /* the block each holds, or UINT32_MAX */
	uint32_t fat_cur;	 /* 0 or 1: which is the window */
	uint32_t fat_dirty;	 /* bit i: sector i of the window differs from the disk */
	uint64_t dir_buf_sector; /* sector held in dir_buf, or UINT64_MAX */
	bool dir_dirty;		 /* dir_buf differs from the disk */
	/* Where the last transfer over a chain got to (fs/fat32_io.c): cluster
	 * number `index` of the chain that starts at `first` is `cluster`, so
	 * a transfer further along starts there instead of at the chain's
	 * start. first == 0: none. Every FAT change drops it. */
	struct {
		uint32_t first, index, cluster;
	} hint;
	uint8_t fat_win[2][FAT32_FAT_WINDOW * FAT32_SECTOR_SIZE];
	uint8_t dir_buf[FAT32_SECTOR_SIZE];
	uint8_t io_buf[FAT32_SECTOR_SIZE]; /* partial data sectors, FSInfo */
	uint16_t lfn[260];		   /* long name being assembled (20 slots x 13 units) */
};

struct fat32_stat {
	const char *name; /* valid during the callback only */
	uint32_t size;
	bool is_dir;
};

/* Return nonzero to stop the listing; that value is returned by fat32_list. */
typedef int (*fat32_list_fn)(void *ctx, const struct fat32_stat *st);

int fat32_mount(struct fat32 *fs, const struct fat32_blockdev *dev);

/*
 * Date entries created from now on with t (UTC): FAT stamps hold 1980 to
 * 2107 at two-second steps; a time outside that range leaves them at
 * 1980-01-01, as they are after mount.
 */
void fat32_set_time(struct fat32 *fs, const struct civil_time *t);
int fat32_read_file(struct fat32 *fs, const char *path, void *buf, uint32_t max, uint32_t *len);
int fat32_write_file(struct fat32 *fs, const char *path, const void *data, uint32_t len);
int fat32_remove(struct fat32 *fs, const char *path);

/* The volume's data area and what of it is free, in bytes. */
void fat32_space(const struct fat32 *fs, uint64_t *total, uint64_t *free);
int fat32_mkdir(struct fat32 *fs, const char *path);
int fat32_list(struct fat32 *fs, const char *dirpath, fat32_list_fn fn, void *ctx);
int fat32_stat(struct fat32 *fs, const char *path, uint32_t *size, bool *is_dir);

/*
 * Exactly len bytes of an existing file at offset: FAT32_ETOOBIG when
 * offset + len passes the end of the file (nothing is transferred).
 * fat32_write_at overwrites in place and writes nothing but the file's data
 * sectors (never the FAT, a directory or FSInfo): a crash part-way leaves
 * some sectors old and some new, and the volume consistent. Runs of
 * consecutive clusters move in one request each (up to
 * FAT32_IO_MAX_SECTORS); only a partial first or last sector goes through
 * fs->io_buf.
 */
int fat32_read_at(struct fat32 *fs, const char *path, uint32_t offset, void *buf, uint32_t len);
int fat32_write_at(struct fat32 *fs, const char *path, uint32_t offset, const void *data,
		   uint32_t len);

/*
 * fat32_write_at without its device flush, for a caller that writes a
 * file in pieces and flushes once after the last (fs->dev.flush): a flush
 * per piece costs the host a sync each.
 */
int fat32_write_part(struct fat32 *fs, const char *path, uint32_t offset, const void *data,
		     uint32_t len);

/*
 * Where bytes [offset, offset + len) of an existing file lie on the disk,
 * for a caller that moves them itself (a snapshot streaming an app's
 * memory: fs/volume.h's direct transfers): fn gets each run of
 * consecutive sectors in file order, as its first sector, its count (at
 * most FAT32_IO_MAX_SECTORS) and its place in the range (bytes from
 * offset). offset and len must be whole sectors (FAT32_EINVAL);
 * FAT32_ETOOBIG when the range passes the end of the file. fn returns 0
 * to go on; anything else ends the walk and is returned. The runs stay
 * valid until the file is next resized or removed.
 */
typedef int (*fat32_extent_fn)(void *arg, uint64_t sector, uint32_t count, uint32_t at);
int fat32_map(struct fat32 *fs, const char *path, uint32_t offset, uint32_t len, fat32_extent_fn fn,
	      void *arg);

/*
 * Set the size of the file at path, creating it if it does not exist, so
 * that fat32_write_at can then fill it in place. Bytes past the old end
 * are unspecified (whatever the disk held: nothing is written to them).
 * Crash order: growing links the new clusters to the chain, then writes
 * the size; shrinking writes the size, then cuts the chain. A cut between
 * leaves a chain longer than the size, which fat32_repair cuts back, so
 * the file has its old size or its new one.
 */
int fat32_resize(struct fat32 *fs, const char *path, uint32_t size);

/* What fat32_repair found and fixed. */
struct fat32_repair_report {
	uint32_t lost_clusters;	   /* allocated but reachable from no entry: freed */
	uint32_t orphan_lfn;	   /* runs of long-name slots with no short entry: deleted */
	uint32_t sizes_fixed;	   /* file entries whose size and chain disagreed */
	uint32_t fat_copies_fixed; /* FAT sectors of copies #1.. that differed from #0 */
	bool fsinfo_fixed;	   /* FSInfo free count or next-free hint rewritten */
};

/*
 * Bring a mounted volume back to a consistent state after a crash (call it
 * right after fat32_mount, before anything else). It walks the directory
 * tree from the root marking every cluster of every directory and file in
 * `work` (caller memory of at least fat32_repair_bytes(fs) bytes: a bitmap
 * of one bit per cluster, then a buffer for reading the FAT in large
 * requests); then it deletes orphaned long-name slots, cuts a file's chain
 * or size down to whichever is shorter, copies FAT #0 over the other copies
 * where they differ, frees every allocated cluster nothing reaches, and
 * rewrites FSInfo if its free count or next-free hint is wrong.
 *
 * FAT32_EINVAL when work is too small. FAT32_ECORRUPT — with nothing
 * written — when the tree itself is broken: a cluster reached twice (a
 * cross-link, a looping chain or a directory inside itself), a chain link
 * to a free or out-of-volume cluster, or a subdirectory whose ".." does not
 * name its parent. Repair is idempotent: a second call reports nothing.
 */
size_t fat32_repair_bytes(const struct fat32 *fs);
int fat32_repair(struct fat32 *fs, uint8_t *work, size_t work_bytes,
		 struct fat32_repair_report *report);
