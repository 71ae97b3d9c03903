/*
 * fs/fat32_repair.c — fat32_repair: after a crash, find everything the
 * directory tree reaches, fix the entries a cut-short operation (of this
 * library, or of another implementation) can leave, then let fat32_sweep
 * (fs/fat32_sweep.c) free the rest and fix the FAT copies and FSInfo.
 *
 * The tree is walked without recursion or a stack. Descending into a
 * subdirectory scans it from its start; when it is done, its ".." —
 * checked on the way down to name the directory it was found in — leads
 * back up, and the parent's scan starts again, skipping to just after that
 * subdirectory's entry. Every cluster of every chain is marked in the
 * caller's bitmap as it is reached, so a cluster reached twice (a
 * cross-link, a looping chain, a directory inside itself) is caught at
 * once, and the walk ends: each descent marks clusters never marked before.
 *
 * Decode, then act: a first walk only reads, marks and counts what needs
 * fixing. Only if it succeeded and found something does a second,
 * identical walk (on a cleared bitmap) make the fixes, so a corrupt tree is
 * reported with nothing written. The fixes:
 *   - long-name slots that belong to no short entry (a create or remove
 *     cut short between sectors) are deleted, as fsck.fat does;
 *   - a file whose chain is longer than its size needs has the chain cut
 *     after the clusters the size needs (the rest is swept): what
 *     fat32_resize leaves when cut between its FAT and directory writes,
 *     which this turns into the file's old size (growing) or new one
 *     (shrinking). A file whose chain is shorter than its size gets the
 *     chain's size; this library never leaves that. Both are fsck.fat's
 *     rules.
 *
 * Callers: the owner of a freshly mounted struct fat32 (see fs/fat32.h).
 */
#include "fs/fat32_internal.h"
#include "lib/string.h"

#define REPAIR_BUF_SECTORS 64 /* FAT reads: two halves, FAT #0 and a copy */

struct repair {
	struct fat32 *fs;
	uint8_t *map;	 /* one bit per cluster: reached */
	bool fix;	 /* the second walk: make the fixes */
	uint32_t needed; /* fixes the first walk found */
	struct fat32_repair_report *rep;
	uint32_t dir;	 /* the directory being scanned */
	uint32_t resume; /* skipping entries up to the subdirectory at this cluster */
	uint32_t child;	 /* a subdirectory to descend into */
};

/* Chain marking: n clusters marked, the last one, whether the chain goes on. */
struct marked {
	uint32_t n, last;
	bool more;
};

static size_t map_bytes(const struct fat32 *fs)
{
	return ((size_t)fs->cluster_count + 2 + 7) / 8;
}

/* Mark at most `limit` clusters of the chain from c (0: an empty chain). */
static int mark_chain(struct repair *rp, uint32_t c, uint32_t limit, struct marked *m)
{
	struct fat32 *fs = rp->fs;
	*m = (struct marked){.more = c != 0};
	while (m->more && m->n < limit) {
		if (c < 2 || c > fs->cluster_count + 1 || fat32_map_test(rp->map, c)) {
			return FAT32_ECORRUPT; /* outside the volume, or reached twice */
		}
		rp->map[c / 8] |= (uint8_t)(1u << (c % 8));
		uint32_t next;
		int r = fat32_fat_next(fs, c, &next);
		if (r < 0) {
			return r; /* a link to a free, bad or out-of-volume cluster */
		}
		m->n++;
		m->last = c;
		m->more = r == 1;
		c = next;
	}
	return 0;
}

static int file_entry(struct repair *rp, const struct fat32_found *f)
{
	struct fat32 *fs = rp->fs;
	uint32_t csize = fs->sec_per_clus * FAT32_SECTOR_SIZE, size = fat32_get32(f->raw + 28);
	uint32_t need = size / csize + (size % csize != 0);
	struct marked m;
	int r = mark_chain(rp, fat32_entry_cluster(f->raw), need, &m);
	if (r < 0 || (m.n == need && !m.more)) {
		return r;
	}
	if (!rp->fix) {
		rp->needed++;
		return 0;
	}
	rp->rep->sizes_fixed++;
	uint8_t raw[FAT32_DIRENT];
	memcpy(raw, f->raw, FAT32_DIRENT);
	if (m.n < need) {
		fat32_put32(raw + 28, m.n * csize); /* the size shrinks to the chain */
	} else if (need == 0) {
		fat32_set_entry_cluster(raw, 0); /* the chain goes; the sweep frees it */
	} else {
		return fat32_fat_set(fs, m.last, FAT32_EOC); /* the tail goes */
	}
	return fat32_entry_write(fs, f->last, raw);
}

/* Mark a subdirectory and stop the scan to descend into it. */
static int dir_entry(struct repair *rp, const struct fat32_found *f)
{
	uint32_t c = fat32_entry_cluster(f->raw), parent;
	struct marked m;
	int r = mark_chain(rp, c, UINT32_MAX, &m);
	if (r == 0 && c == 0) {
		r = FAT32_ECORRUPT;
	}
	if (r == 0) {
		r = fat32_dir_parent(rp->fs, c, &parent);
	}
	if (r == 0 && parent != rp->dir) {
		r = FAT32_ECORRUPT; /* ".." would not lead back here */
	}
	rp->child = c;
	return r < 0 ? r : 1;
}

static int entry_fn(void *ctx, const struct fat32_found *f)
{
	struct repair *rp = ctx;
	bool dot = fat32_is_dot(f->raw), is_dir = (f->raw[11] & FAT32_ATTR_DIR) != 0;
	if (rp->resume != 0) { /* done before descending into rp->resume */
		if (is_dir && !dot && fat32_entry_cluster(f->raw) == rp->resume) {
			rp->resume = 0;
		}
		return 0;
	}
	if (dot) {
		return 0;
	}
	return is_dir ? dir_entry(rp, f) : file_entry(rp, f);
}

static int orphan_fn(void *ctx, struct fat32_loc first, struct fat32_loc last)
{
	struct repair *rp = ctx;
	if (rp->resume != 0) {
		return 0; /* seen before descending */
	}
	if (!rp->fix) {
		rp->needed++;
		return 0;
	}
	rp->rep->orphan_lfn++;
	return fat32_dir_delete(rp->fs, rp->dir, first, last);
}

static int walk_tree(struct repair *rp)
{
	struct fat32 *fs = rp->fs;
	uint32_t dir = fs->root_cluster;
	struct marked m;
	int r = mark_chain(rp, dir, UINT32_MAX, &m);
	rp->resume = 0;
	while (r == 0) {
		rp->dir = dir;
		rp->child = 0;
		r = fat32_dir_scan(fs, dir, entry_fn, orphan_fn, rp);
		if (r == 1) { /* descend */
			dir = rp->child;
			r = 0;
		} else if (r == 0 && rp->resume != 0) {
			r = FAT32_ECORRUPT; /* the subdirectory we came from is gone */
		} else if (r == 0 && dir == fs->root_cluster) {
			return 0;
		} else if (r == 0) { /* up, to just after this directory's entry */
			rp->resume = dir;
			r = fat32_dir_parent(fs, dir, &dir);
		}
	}
	return r;
}

size_t fat32_repair_bytes(const struct fat32 *fs)
{
	return map_bytes(fs) + REPAIR_BUF_SECTORS * FAT32_SECTOR_SIZE;
}

int fat32_repair(struct fat32 *fs, uint8_t *work, size_t work_bytes,
		 struct fat32_repair_report *report)
{
	memset(report, 0, sizeof(*report));
	if (!work || work_bytes < fat32_repair_bytes(fs)) {
		return FAT32_EINVAL;
	}
	struct repair rp = {.fs = fs, .map = work, .rep = report};
	memset(work, 0, map_bytes(fs));
	int r = walk_tree(&rp);
	if (r == 0 && rp.needed > 0) {
		memset(work, 0, map_bytes(fs));
		rp.fix = true;
		r = walk_tree(&rp);
	}
	if (r < 0) {
		return r;
	}
	return fat32_sweep(fs, work, work + map_bytes(fs), REPAIR_BUF_SECTORS, report);
}
