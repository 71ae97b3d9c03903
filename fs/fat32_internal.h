/*
 * fs/fat32_internal.h — shared between fs/fat32.c (volume, FAT, cluster data,
 * whole-file operations) and fs/fat32_dir.c (directories and long names).
 * Not for use outside fs/.
 */
#pragma once

#include "fs/fat32.h"

#define FAT32_EOC	0x0FFFFFFFu
#define FAT32_MASK	0x0FFFFFFFu
#define FAT32_ATTR_RO	0x01
#define FAT32_ATTR_HID	0x02
#define FAT32_ATTR_SYS	0x04
#define FAT32_ATTR_VOL	0x08
#define FAT32_ATTR_DIR	0x10
#define FAT32_ATTR_ARC	0x20
#define FAT32_ATTR_LFN	0x0F
#define FAT32_DIRENT	32
#define FAT32_MAX_SLOTS 21 /* 20 LFN entries + the short entry */

/* Where one 32-byte directory entry lives. */
struct fat32_loc {
	uint64_t sector;
	uint32_t off;
};

/* One directory entry found by fat32_dir_walk, with its name decoded. */
struct fat32_found {
	uint8_t raw[FAT32_DIRENT]; /* the short entry */
	char name[FAT32_NAME_MAX * 3 + 1];
	struct fat32_loc first; /* first LFN entry (or the short one) */
	struct fat32_loc last;	/* the short entry */
	uint32_t parent;	/* cluster of the directory holding it */
};

static inline uint16_t fat32_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t fat32_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void fat32_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void fat32_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static inline uint32_t fat32_entry_cluster(const uint8_t *raw)
{
	return (uint32_t)fat32_get16(raw + 20) << 16 | fat32_get16(raw + 26);
}

static inline void fat32_set_entry_cluster(uint8_t *raw, uint32_t c)
{
	fat32_put16(raw + 20, (uint16_t)(c >> 16));
	fat32_put16(raw + 26, (uint16_t)c);
}

/*
 * Loop detection for chain walks (Brent's algorithm): call fat32_loop_step
 * with each cluster visited; it returns true once a cluster repeats, after
 * at most about twice the chain length plus the loop length.
 */
struct fat32_loop {
	uint32_t saved, power, lam;
};

static inline bool fat32_loop_step(struct fat32_loop *l, uint32_t c)
{
	if (l->power != 0 && c == l->saved) {
		return true;
	}
	if (l->lam == l->power) {
		l->saved = c;
		l->power = l->power ? l->power * 2 : 1;
		l->lam = 0;
	}
	l->lam++;
	return false;
}

/* fat32.c */
int fat32_chain_len(struct fat32 *fs, uint32_t c, uint32_t *len);
uint64_t fat32_cluster_sector(const struct fat32 *fs, uint32_t c);
int fat32_fat_next(struct fat32 *fs, uint32_t c, uint32_t *next);
int fat32_alloc_zeroed(struct fat32 *fs, uint32_t prev, uint32_t *out);
int fat32_free_chain(struct fat32 *fs, uint32_t c);
int fat32_sync(struct fat32 *fs);

/* fat32_dir.c */
typedef int (*fat32_walk_fn)(void *ctx, const struct fat32_found *f);
int fat32_dir_walk(struct fat32 *fs, uint32_t dir, fat32_walk_fn fn, void *ctx);
int fat32_lookup(struct fat32 *fs, const char *path, struct fat32_found *f, bool *is_root);
int fat32_lookup_parent(struct fat32 *fs, const char *path, uint32_t *dir, const char **leaf,
			size_t *leaf_len);
int fat32_find_in(struct fat32 *fs, uint32_t dir, const char *name, size_t len,
		  struct fat32_found *f);

/* Where a path leads: its parent directory, its last component, and its
 * entry when it exists (root: the path names the root directory). */
struct fat32_target {
	uint32_t dir;
	const char *leaf;
	size_t leaf_len;
	bool root, exists;
	struct fat32_found f;
};
/* 0 (t filled in, whether or not the leaf exists), or an error on the way. */
int fat32_locate(struct fat32 *fs, const char *path, struct fat32_target *t);
int fat32_entry_write(struct fat32 *fs, struct fat32_loc loc, const uint8_t *raw);
int fat32_dir_add(struct fat32 *fs, uint32_t dir, const char *name, size_t len, uint8_t attr,
		  uint32_t cluster, uint32_t size);
int fat32_dir_unlink(struct fat32 *fs, const struct fat32_found *f);
int fat32_dir_is_empty(struct fat32 *fs, uint32_t dir);
int fat32_write_chain(struct fat32 *fs, const uint8_t *data, uint32_t len, uint32_t *first);
int fat32_read_sectors(struct fat32 *fs, uint64_t sector, uint32_t n, void *buf);
int fat32_write_sectors(struct fat32 *fs, uint64_t sector, uint32_t n, const void *buf);
