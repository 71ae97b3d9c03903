/*
 * fs/fat32_internal.h — shared between the files of the FAT32 library:
 * fat32.c (volume, FAT, allocation), fat32_io.c (moving file bytes),
 * fat32_dir.c (directory walk, lookup, deletion), fat32_dir_add.c (new
 * entries), fat32_file.c (the file operations), fat32_repair.c and
 * fat32_sweep.c (crash repair). Not for use outside fs/ and its tests.
 *
 * Two write-back caches live in struct fat32: the FAT window (up to
 * FAT32_FAT_WINDOW sectors of FAT #0, written as one request to every copy,
 * FAT #0 first, when it moves or is flushed; see fs/fat32.c) and dir_buf
 * (a directory sector). Their ordering rules: a directory sector is
 * written only after the FAT cache is flushed (fat32_dir_flush does it),
 * so no directory ever points at a chain whose links are not yet on disk;
 * a link onto, or a cut of, a chain that is already visible goes through
 * fat32_fat_set_ordered, so it is never in one (tearable) request with
 * the changes it orders; and both caches are flushed by the end of every
 * modifying call.
 */
#pragma once

#include "fs/fat32.h"

#define FAT32_EOC	       0x0FFFFFFFu
#define FAT32_MASK	       0x0FFFFFFFu
#define FAT32_ATTR_RO	       0x01
#define FAT32_ATTR_HID	       0x02
#define FAT32_ATTR_SYS	       0x04
#define FAT32_ATTR_VOL	       0x08
#define FAT32_ATTR_DIR	       0x10
#define FAT32_ATTR_ARC	       0x20
#define FAT32_ATTR_LFN	       0x0F
#define FAT32_DIRENT	       32
#define FAT32_BAD	       0x0FFFFFF7u
#define FAT32_MAX_SLOTS	       21 /* 20 LFN entries + the short entry */
#define FAT32_SLOTS_PER_SECTOR (FAT32_SECTOR_SIZE / FAT32_DIRENT)

/* Where one 32-byte directory entry lives. */
struct fat32_loc {
	uint64_t sector;
	uint32_t off;
};

static inline bool fat32_loc_eq(struct fat32_loc a, struct fat32_loc b)
{
	return a.sector == b.sector && a.off == b.off;
}

/*
 * The longest long name the slots can hold: 20 slots of 13 UTF-16 units
 * (the specification stops at 255 units, a disk need not), and its UTF-8
 * text: at most 3 bytes a unit (surrogates decode to '?').
 */
#define FAT32_LFN_UNITS	   260
#define FAT32_LFN_TEXT_MAX (FAT32_LFN_UNITS * 3)

/* One directory entry found by fat32_dir_walk, with its name decoded. */
struct fat32_found {
	uint8_t raw[FAT32_DIRENT]; /* the short entry */
	char name[FAT32_LFN_TEXT_MAX + 1];
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

/* fat32_repair's bitmap: whether the walk reached cluster c. */
static inline bool fat32_map_test(const uint8_t *map, uint32_t c)
{
	return (map[c / 8] >> (c % 8)) & 1;
}

/*
 * A sequence of clusters: a file's chain (FAT links, checked as followed:
 * a bad link or a loop is FAT32_ECORRUPT), or a new chain, each free
 * cluster allocated and linked after the previous one as it is taken.
 */
struct fat32_seq {
	uint32_t cur; /* chain: the next cluster, 0 at the end; alloc: where to look */
	bool alloc;
	uint32_t first, prev; /* alloc: the chain so far */
	uint32_t steps;
	struct fat32_loop loop;
};

static inline void fat32_seq_chain(struct fat32_seq *s, uint32_t first)
{
	*s = (struct fat32_seq){.cur = first};
}

static inline void fat32_seq_alloc(struct fat32_seq *s, uint32_t from)
{
	*s = (struct fat32_seq){.cur = from, .alloc = true};
}

/* What fat32_xfer does with the bytes of a cluster sequence. */
struct fat32_xfer {
	uint8_t *dst;	       /* read into dst, or */
	const uint8_t *src;    /* write from src, or */
	fat32_extent_fn where; /* tell where the range lies (fat32_map); none: only walk */
	void *where_arg;
	bool fresh; /* writing clusters with nothing to keep: pad, don't read */
};

/* fat32.c */
uint64_t fat32_cluster_sector(const struct fat32 *fs, uint32_t c);
int fat32_fat_next(struct fat32 *fs, uint32_t c, uint32_t *next);
int fat32_fat_set(struct fat32 *fs, uint32_t c, uint32_t v);
int fat32_fat_set_ordered(struct fat32 *fs, uint32_t c, uint32_t v);
int fat32_fat_flush(struct fat32 *fs);
int fat32_fat_release(struct fat32 *fs);
int fat32_seq_next(struct fat32 *fs, struct fat32_seq *s, uint32_t *c);
int fat32_seq_extend(struct fat32 *fs, struct fat32_seq *s, uint32_t last, uint32_t max,
		     uint32_t *taken);
int fat32_chain_len(struct fat32 *fs, uint32_t c, uint32_t *len);
int fat32_alloc_cluster(struct fat32 *fs, uint32_t prev, const uint32_t *dots, uint32_t *out);
int fat32_write_chain(struct fat32 *fs, const uint8_t *data, uint32_t len, uint32_t *first);
int fat32_free_chain(struct fat32 *fs, uint32_t c);
int fat32_sync(struct fat32 *fs);
int fat32_flush_dev(struct fat32 *fs);
int fat32_read_sectors(struct fat32 *fs, uint64_t sector, uint32_t n, void *buf);
int fat32_write_sectors(struct fat32 *fs, uint64_t sector, uint32_t n, const void *buf);

/* fat32_io.c */
int fat32_xfer(struct fat32 *fs, struct fat32_seq *s, uint32_t offset, uint32_t len,
	       const struct fat32_xfer *x);

/* fat32_dir.c */
typedef int (*fat32_walk_fn)(void *ctx, const struct fat32_found *f);
/* Long-name slots first..last that belong to no entry. */
typedef int (*fat32_orphan_fn)(void *ctx, struct fat32_loc first, struct fat32_loc last);
typedef int (*fat32_slot_fn)(void *ctx, struct fat32_loc loc, const uint8_t *raw);
extern const uint8_t fat32_lfn_offsets[13];
uint8_t fat32_lfn_checksum(const uint8_t *short_name);
int fat32_dir_slots(struct fat32 *fs, uint32_t dir, fat32_slot_fn fn, void *ctx, uint32_t *last);
int fat32_dir_scan(struct fat32 *fs, uint32_t dir, fat32_walk_fn fn, fat32_orphan_fn orphan,
		   void *ctx);
int fat32_dir_walk(struct fat32 *fs, uint32_t dir, fat32_walk_fn fn, void *ctx);
int fat32_dir_slot(struct fat32 *fs, struct fat32_loc loc, uint8_t **slot);
int fat32_dir_flush(struct fat32 *fs);
int fat32_dir_parent(struct fat32 *fs, uint32_t dir, uint32_t *parent);
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
int fat32_dir_delete(struct fat32 *fs, uint32_t dir, struct fat32_loc first, struct fat32_loc last);
int fat32_dir_is_empty(struct fat32 *fs, uint32_t dir);
bool fat32_is_dot(const uint8_t *raw);

/* fat32_dir_add.c */
int fat32_dir_add(struct fat32 *fs, uint32_t dir, const char *name, size_t len, uint8_t attr,
		  uint32_t cluster, uint32_t size);
void fat32_touch_entry(const struct fat32 *fs, uint8_t *e);
void fat32_short_entry(const struct fat32 *fs, uint8_t *e, const uint8_t *name83, uint8_t attr,
		       uint32_t cluster, uint32_t size);

/* fat32_sweep.c */
int fat32_sweep(struct fat32 *fs, const uint8_t *map, uint8_t *buf, uint32_t buf_sectors,
		struct fat32_repair_report *rep);
