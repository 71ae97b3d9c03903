/*
 * fs/fat32.c — FAT32 volume: mounting (BPB and FSInfo decode), the file
 * allocation table, cluster allocation and FSInfo upkeep.
 *
 * Every value read from the disk is checked before use: the BPB once at
 * mount, each FAT entry as it is followed (it must name a cluster inside
 * the volume, and chains are walked at most cluster_count steps, so a loop
 * is reported as FAT32_ECORRUPT rather than spinning).
 *
 * The FAT goes through a cache of two aligned blocks of FAT32_FAT_WINDOW
 * sectors of FAT #0 (struct fat32): a write-back window, which gathers
 * the changes, and a read-only look-ahead, which serves reads elsewhere
 * while the window holds changes (the next free cluster, found before the
 * previous one is linked to it). Each block is read in one request, and
 * the window's changed sectors are written back as one span: one request
 * to FAT #0, then one to each other copy — when another block is to be
 * changed, before any directory write (fat32_dir_flush) and at
 * fat32_sync. So the 4096 links of 32 FAT sectors cost one read and one
 * write per FAT copy, not 32 of each; and after a crash FAT #0 is the
 * newest copy, which fat32_repair copies over the others.
 *
 * A span can be torn by a crash, leaving any prefix of its sectors
 * written, so it must never hold two changes whose order matters: the
 * changes a span carries make no cluster reachable (a new chain's links,
 * found only once a directory entry is written after the flush) or only
 * unreachable (freeing a chain no entry points at). The two entries
 * that order the others — the link that hangs a new tail onto a visible
 * chain and the end mark that cuts a visible chain before its rest is
 * freed — go through fat32_fat_set_ordered, written in a request of their
 * own after everything before them.
 *
 * Allocation never makes data reachable before it is written: a new
 * file's clusters are allocated, linked and written before a directory
 * entry points at them, and a directory's new cluster is zeroed and marked
 * the end of a chain before the previous cluster's link points at it.
 * FSInfo's free count and next-free hint are kept exact while mounted and
 * written back by fat32_sync at the end of each modifying call.
 *
 * Callers: the other fs/fat32*.c files. See fs/fat32.h.
 */
#include "fs/fat32_internal.h"
#include "lib/string.h"

#define FSI_LEAD_SIG	   0x41615252u
#define FSI_STRUC_SIG	   0x61417272u
#define FSI_TRAIL_SIG	   0xAA550000u
#define FSI_UNKNOWN	   0xFFFFFFFFu
#define MIN_FAT32_CLUSTERS 65525u

static int dev_read(struct fat32 *fs, uint64_t sector, uint32_t n, void *buf)
{
	if (sector >= fs->dev.sectors || n > fs->dev.sectors - sector) {
		return FAT32_ECORRUPT;
	}
	return fs->dev.read(fs->dev.ctx, sector, n, buf) < 0 ? FAT32_EIO : 0;
}

static int dev_write(struct fat32 *fs, uint64_t sector, uint32_t n, const void *buf)
{
	if (sector >= fs->dev.sectors || n > fs->dev.sectors - sector) {
		return FAT32_ECORRUPT;
	}
	return fs->dev.write(fs->dev.ctx, sector, n, buf) < 0 ? FAT32_EIO : 0;
}

static bool is_pow2(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

/* Decode the boot sector in fs->io_buf into fs. */
static int decode_bpb(struct fat32 *fs)
{
	const uint8_t *b = fs->io_buf;
	if (fat32_get16(b + 510) != 0xAA55 || (b[0] != 0xEB && b[0] != 0xE9)) {
		return FAT32_ENOTFAT32;
	}
	uint32_t bps = fat32_get16(b + 11), spc = b[13], rsvd = fat32_get16(b + 14);
	uint32_t nfats = b[16], root_ents = fat32_get16(b + 17);
	uint32_t fatsz = fat32_get32(b + 36), total = fat32_get32(b + 32);
	if (root_ents != 0 || fat32_get16(b + 22) != 0 || fat32_get16(b + 19) != 0 ||
	    memcmp(b + 82, "FAT32   ", 8) != 0) {
		return FAT32_ENOTFAT32; /* FAT12/16 or not FAT at all */
	}
	if (bps != FAT32_SECTOR_SIZE) {
		return is_pow2(bps) && bps >= 512 && bps <= 4096 ? FAT32_EUNSUPPORTED
								 : FAT32_ECORRUPT;
	}
	if (!is_pow2(spc) || spc > 128 || rsvd == 0 || nfats == 0 || nfats > 4 || fatsz == 0) {
		return FAT32_ECORRUPT;
	}
	uint64_t meta = (uint64_t)rsvd + (uint64_t)nfats * fatsz;
	if (total > fs->dev.sectors || meta >= total) {
		return FAT32_ECORRUPT;
	}
	uint64_t clusters = (total - meta) / spc;
	if (clusters < MIN_FAT32_CLUSTERS) {
		return FAT32_ENOTFAT32;
	}
	if (clusters > 0x0FFFFFF5u || (uint64_t)fatsz * 128 < clusters + 2) {
		return FAT32_ECORRUPT;
	}
	fs->fat_start = rsvd;
	fs->fat_sectors = fatsz;
	fs->num_fats = nfats;
	fs->data_start = (uint32_t)meta;
	fs->sec_per_clus = spc;
	fs->cluster_count = (uint32_t)clusters;
	fs->root_cluster = fat32_get32(b + 44);
	fs->fsinfo_sector = fat32_get16(b + 48);
	if (fs->root_cluster < 2 || fs->root_cluster > fs->cluster_count + 1) {
		return FAT32_ECORRUPT;
	}
	if (fs->fsinfo_sector == 0xFFFF) {
		fs->fsinfo_sector = 0;
	}
	if (fs->fsinfo_sector >= rsvd) {
		return FAT32_ECORRUPT;
	}
	return 0;
}

/* Decode FSInfo; implausible counts are treated as unknown, then counted. */
static int decode_fsinfo(struct fat32 *fs)
{
	fs->free_count = FSI_UNKNOWN;
	fs->next_free = 2;
	if (fs->fsinfo_sector != 0) {
		int r = dev_read(fs, fs->fsinfo_sector, 1, fs->io_buf);
		if (r < 0) {
			return r;
		}
		const uint8_t *b = fs->io_buf;
		if (fat32_get32(b) != FSI_LEAD_SIG || fat32_get32(b + 484) != FSI_STRUC_SIG ||
		    fat32_get32(b + 508) != FSI_TRAIL_SIG) {
			return FAT32_ECORRUPT;
		}
		fs->free_count = fat32_get32(b + 488);
		fs->next_free = fat32_get32(b + 492);
	}
	if (fs->next_free < 2 || fs->next_free > fs->cluster_count + 1) {
		fs->next_free = 2;
	}
	if (fs->free_count > fs->cluster_count) {
		uint32_t n = 0, v;
		for (uint32_t c = 2; c < fs->cluster_count + 2; c++) {
			int r = fat32_fat_next(fs, c, &v);
			if (r == FAT32_ECORRUPT && v == 0) {
				n++;
			} else if (r == FAT32_EIO) {
				return r;
			}
		}
		fs->free_count = n;
	}
	return 0;
}

int fat32_mount(struct fat32 *fs, const struct fat32_blockdev *dev)
{
	memset(fs, 0, sizeof(*fs));
	fs->dev = *dev;
	fs->fat_block[0] = fs->fat_block[1] = UINT32_MAX;
	fs->dir_buf_sector = UINT64_MAX;
	if (!dev->read || !dev->write || dev->sectors == 0) {
		return FAT32_EINVAL;
	}
	int r = dev_read(fs, 0, 1, fs->io_buf);
	if (r < 0) {
		return r;
	}
	r = decode_bpb(fs);
	if (r < 0) {
		return r;
	}
	uint32_t v;
	r = fat32_fat_next(fs, fs->root_cluster, &v);
	if (r < 0 && !(r == FAT32_ECORRUPT && v != 0)) {
		return r == FAT32_EIO ? r : FAT32_ECORRUPT; /* a free root cluster */
	}
	return decode_fsinfo(fs);
}

uint64_t fat32_cluster_sector(const struct fat32 *fs, uint32_t c)
{
	return fs->data_start + (uint64_t)(c - 2) * fs->sec_per_clus;
}

_Static_assert(FAT32_FAT_WINDOW >= 1 && FAT32_FAT_WINDOW <= 32, "fat_dirty: one bit per sector");
_Static_assert(FAT32_FAT_WINDOW <= FAT32_IO_MAX_SECTORS, "a window is one request");

/* The sectors of cache block b: FAT32_FAT_WINDOW, fewer for the FAT's last block. */
static uint32_t block_sectors(const struct fat32 *fs, uint32_t b)
{
	uint32_t left = fs->fat_sectors - b * FAT32_FAT_WINDOW;
	return left < FAT32_FAT_WINDOW ? left : FAT32_FAT_WINDOW;
}

static uint64_t block_start(const struct fat32 *fs, uint32_t b)
{
	return fs->fat_start + (uint64_t)b * FAT32_FAT_WINDOW;
}

/*
 * Write the window's changes back: the sectors from its first changed one
 * to its last in one request to FAT #0, then the same to every other copy.
 * Unchanged sectors in between go too (as they are on FAT #0): fewer
 * requests, and nothing on the disk changes meaning.
 */
int fat32_fat_flush(struct fat32 *fs)
{
	uint32_t lo = 0, hi = FAT32_FAT_WINDOW - 1;
	if (fs->fat_dirty == 0) {
		return 0;
	}
	while (!((fs->fat_dirty >> lo) & 1)) {
		lo++;
	}
	while (!((fs->fat_dirty >> hi) & 1)) {
		hi--;
	}
	uint64_t sector = block_start(fs, fs->fat_block[fs->fat_cur]) + lo;
	const uint8_t *buf = fs->fat_win[fs->fat_cur] + (size_t)lo * FAT32_SECTOR_SIZE;
	for (uint32_t i = 0; i < fs->num_fats; i++) {
		int r = dev_write(fs, sector + (uint64_t)i * fs->fat_sectors, hi - lo + 1, buf);
		if (r < 0) {
			return r;
		}
	}
	fs->fat_dirty = 0;
	return 0;
}

/* Write the FAT cache back and empty it, for a caller about to read and
 * write the FAT directly (fat32_sweep). */
int fat32_fat_release(struct fat32 *fs)
{
	int r = fat32_fat_flush(fs);
	if (r == 0) {
		fs->fat_block[0] = fs->fat_block[1] = UINT32_MAX;
	}
	return r;
}

/* Read block b of FAT #0 into cache slot i, in one request. */
static int block_read(struct fat32 *fs, uint32_t i, uint32_t b)
{
	fs->fat_block[i] = UINT32_MAX;
	int r = dev_read(fs, block_start(fs, b), block_sectors(fs, b), fs->fat_win[i]);
	if (r == 0) {
		fs->fat_block[i] = b;
	}
	return r;
}

/* Make block b the window, writing the old window back first. If the
 * look-ahead holds b they trade places (the old window, now clean, stays
 * as the look-ahead). */
static int window_load(struct fat32 *fs, uint32_t b)
{
	if (fs->fat_block[fs->fat_cur] == b) {
		return 0;
	}
	int r = fat32_fat_flush(fs);
	if (r < 0) {
		return r;
	}
	if (fs->fat_block[fs->fat_cur ^ 1] == b) {
		fs->fat_cur ^= 1;
		return 0;
	}
	return block_read(fs, fs->fat_cur, b);
}

/*
 * Point *p at entry c in the cache. An entry to change is brought into
 * the window. An entry only read comes from the look-ahead when that
 * holds its block or when the window holds changes: building a chain
 * looks for the next free cluster, often in the next block, before
 * linking the previous one, and must not write the window twice for it.
 */
static int fat_entry(struct fat32 *fs, uint32_t c, bool change, uint8_t **p)
{
	uint32_t sector = c / 128, b = sector / FAT32_FAT_WINDOW, i = fs->fat_cur;
	int r = 0;
	if (fs->fat_block[i] != b && !change && (fs->fat_block[i ^ 1] == b || fs->fat_dirty != 0)) {
		i ^= 1;
		r = fs->fat_block[i] == b ? 0 : block_read(fs, i, b);
	} else {
		r = window_load(fs, b);
		i = fs->fat_cur;
	}
	*p = fs->fat_win[i] + (size_t)(sector % FAT32_FAT_WINDOW) * FAT32_SECTOR_SIZE +
	     (c % 128) * 4;
	return r;
}

/* Read entry c (its low 28 bits). */
static int fat_get(struct fat32 *fs, uint32_t c, uint32_t *v)
{
	uint8_t *p;
	int r = fat_entry(fs, c, false, &p);
	if (r == 0) {
		*v = fat32_get32(p) & FAT32_MASK;
	}
	return r;
}

/* Set entry c (in the cache; see fat32_fat_flush), keeping its top four bits. */
int fat32_fat_set(struct fat32 *fs, uint32_t c, uint32_t v)
{
	uint8_t *p;
	int r = fat_entry(fs, c, true, &p);
	if (r < 0) {
		return r;
	}
	fat32_put32(p, (fat32_get32(p) & ~FAT32_MASK) | (v & FAT32_MASK));
	fs->fat_dirty |= 1u << (c / 128 % FAT32_FAT_WINDOW);
	fs->hint.first = 0; /* the chains may have changed */
	return 0;
}

/*
 * Set entry c so that it reaches the disk after every FAT change made
 * before it and before every one made after it, as if FAT sectors were
 * written one at a time in program order: what the window holds is
 * written first (unless it is all in c's own sector, which then lands
 * with c in one single-sector write), then c's sector in a request of its
 * own. For the entries that make clusters reachable — a grown file's or
 * directory's link to its new tail, which must be on the disk before it —
 * and those that make them unreachable — a shrunk chain's new end, which
 * must be before its freed clusters. A flush that could be torn then
 * never holds such an entry together with what it orders.
 */
int fat32_fat_set_ordered(struct fat32 *fs, uint32_t c, uint32_t v)
{
	uint32_t own = 1u << (c / 128 % FAT32_FAT_WINDOW);
	bool alone =
	    fs->fat_block[fs->fat_cur] == c / 128 / FAT32_FAT_WINDOW && (fs->fat_dirty & ~own) == 0;
	int r = alone ? 0 : fat32_fat_flush(fs);
	r = r < 0 ? r : fat32_fat_set(fs, c, v);
	return r < 0 ? r : fat32_fat_flush(fs);
}

/*
 * Follow cluster c (which must be valid). Returns 1 with *next set to a
 * valid cluster, 0 at end of chain, FAT32_ECORRUPT for a free, bad,
 * reserved or out-of-volume entry (*next holds the raw value).
 */
int fat32_fat_next(struct fat32 *fs, uint32_t c, uint32_t *next)
{
	*next = 0;
	if (c < 2 || c > fs->cluster_count + 1) {
		return FAT32_ECORRUPT;
	}
	int r = fat_get(fs, c, next);
	if (r < 0) {
		return r;
	}
	if (*next >= 0x0FFFFFF8u) {
		return 0;
	}
	if (*next < 2 || *next > fs->cluster_count + 1) {
		return FAT32_ECORRUPT;
	}
	return 1;
}

/* The first free cluster at or after `from`, wrapping once around. */
static int find_free(struct fat32 *fs, uint32_t from, uint32_t *out)
{
	uint32_t n = fs->cluster_count, v;
	if (from < 2 || from > n + 1) {
		from = 2;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t c = 2 + (from - 2 + i) % n;
		int r = fat_get(fs, c, &v);
		if (r < 0) {
			return r;
		}
		if (v == 0) {
			*out = c;
			return 0;
		}
	}
	return FAT32_ENOSPC;
}

static int mark_used(struct fat32 *fs, uint32_t c, uint32_t v)
{
	int r = fat32_fat_set(fs, c, v);
	if (r == 0) {
		if (fs->free_count != FSI_UNKNOWN && fs->free_count > 0) {
			fs->free_count--;
		}
		fs->next_free = c + 1 > fs->cluster_count + 1 ? 2 : c + 1;
	}
	return r;
}

/* The next free cluster, linked after s->prev and marked as the end. */
static int seq_alloc(struct fat32 *fs, struct fat32_seq *s, uint32_t *c)
{
	int r = find_free(fs, s->cur, c);
	/* prev's link first, while its block is the window (the look-ahead
	 * holds c's): each window is written once. Nothing reaches the
	 * chain yet. */
	if (r == 0 && s->prev != 0) {
		r = fat32_fat_set(fs, s->prev, *c);
	}
	if (r == 0) {
		r = mark_used(fs, *c, FAT32_EOC);
	}
	if (r < 0) {
		return r;
	}
	s->first = s->first ? s->first : *c;
	s->prev = *c;
	s->cur = *c + 1;
	return 1;
}

/*
 * The next cluster of the sequence: 1 with *c set, 0 at the end of a
 * chain, or an error. A chain is walked at most cluster_count steps with
 * loop detection, so a loop is FAT32_ECORRUPT rather than a hang.
 */
int fat32_seq_next(struct fat32 *fs, struct fat32_seq *s, uint32_t *c)
{
	if (s->alloc) {
		return seq_alloc(fs, s, c);
	}
	if (s->cur == 0) {
		return 0;
	}
	if (fat32_loop_step(&s->loop, s->cur) || s->steps++ >= fs->cluster_count) {
		return FAT32_ECORRUPT;
	}
	*c = s->cur;
	uint32_t next;
	int r = fat32_fat_next(fs, *c, &next);
	if (r < 0) {
		return r;
	}
	s->cur = r == 1 ? next : 0;
	return 1;
}

/*
 * Take from chain s the clusters that go on from `last` one after the
 * other (last + 1, last + 2, ...), at most max; *taken says how many, and
 * s goes on after the last one taken. Their links are read straight from
 * the cached FAT block, so a contiguous file costs a look per cluster
 * rather than a call. Only the clusters taken one by one step the loop
 * check: a run of ascending links cannot loop, so a loop still passes
 * through a stepped cluster every time round.
 */
int fat32_seq_extend(struct fat32 *fs, struct fat32_seq *s, uint32_t last, uint32_t max,
		     uint32_t *taken)
{
	*taken = 0;
	while (*taken < max && s->cur != 0 && s->cur == last + 1) {
		uint32_t c = s->cur, v;
		uint8_t *p;
		int r = c > fs->cluster_count + 1 ? FAT32_ECORRUPT : fat_entry(fs, c, false, &p);
		if (r < 0) {
			return r;
		}
		uint32_t block_end = (c / 128 / FAT32_FAT_WINDOW + 1) * FAT32_FAT_WINDOW * 128;
		uint32_t end =
		    block_end < fs->cluster_count + 2 ? block_end : fs->cluster_count + 2;
		for (;; c++, p += 4) { /* c is taken; go on while it links to c + 1 */
			if (s->steps++ >= fs->cluster_count) {
				return FAT32_ECORRUPT;
			}
			v = fat32_get32(p) & FAT32_MASK;
			if (++*taken == max || v != c + 1 || v >= end) {
				break;
			}
		}
		if (v < 0x0FFFFFF8u && (v < 2 || v > fs->cluster_count + 1)) {
			return FAT32_ECORRUPT;
		}
		s->cur = v >= 0x0FFFFFF8u ? 0 : v;
		last = c;
	}
	return 0;
}

/* Count the clusters of a chain; a bad link or a loop is FAT32_ECORRUPT. */
int fat32_chain_len(struct fat32 *fs, uint32_t c, uint32_t *len)
{
	struct fat32_seq s;
	fat32_seq_chain(&s, c);
	int r;
	for (*len = 0; (r = fat32_seq_next(fs, &s, &c)) == 1;) {
		++*len;
	}
	return r;
}

/*
 * Allocate a directory cluster, written (zeros, and with dots its "." and
 * ".." naming *dots as the parent, 0 for the root) before the FAT marks it
 * used; if prev != 0, link it after prev (a directory growing).
 */
int fat32_alloc_cluster(struct fat32 *fs, uint32_t prev, const uint32_t *dots, uint32_t *out)
{
	uint32_t c;
	int r = find_free(fs, fs->next_free, &c);
	if (r < 0) {
		return r;
	}
	memset(fs->io_buf, 0, FAT32_SECTOR_SIZE);
	if (dots) {
		fat32_short_entry(fs, fs->io_buf, (const uint8_t *)".          ", FAT32_ATTR_DIR, c,
				  0);
		fat32_short_entry(fs, fs->io_buf + FAT32_DIRENT, (const uint8_t *)"..         ",
				  FAT32_ATTR_DIR, *dots, 0);
	}
	for (uint32_t i = 0; r == 0 && i < fs->sec_per_clus; i++) {
		r = dev_write(fs, fat32_cluster_sector(fs, c) + i, 1, fs->io_buf);
		memset(fs->io_buf, 0, 2 * FAT32_DIRENT);
	}
	/* dir_buf (clean between directory operations) may hold a stale copy
	 * of a sector of c from when c last belonged to a directory. */
	fs->dir_buf_sector = UINT64_MAX;
	if (r == 0) {
		r = mark_used(fs, c, FAT32_EOC);
	}
	if (r == 0 && prev != 0) {
		r = fat32_fat_set_ordered(fs, prev, c); /* c's end mark is on the disk first */
	}
	*out = c;
	return r;
}

/*
 * Write `len` bytes into a new chain: each run of consecutive free
 * clusters is allocated (in the FAT cache) and written in one request
 * (data NULL: only allocated, its bytes whatever the disk held).
 * Nothing points at the chain until the caller's directory write, which
 * flushes the FAT first. Returns the first cluster in *first (0 for len 0).
 * ENOSPC is found from the free count before anything is written; after
 * another error what was allocated is freed again (best effort: what stays
 * is lost until fat32_repair).
 */
int fat32_write_chain(struct fat32 *fs, const uint8_t *data, uint32_t len, uint32_t *first)
{
	uint32_t csize = fs->sec_per_clus * FAT32_SECTOR_SIZE;
	uint32_t need = len / csize + (len % csize != 0);
	*first = 0;
	if (fs->free_count != FSI_UNKNOWN && need > fs->free_count) {
		return FAT32_ENOSPC;
	}
	struct fat32_seq s;
	fat32_seq_alloc(&s, fs->next_free);
	int r = fat32_xfer(fs, &s, 0, len, &(struct fat32_xfer){.src = data, .fresh = true});
	if (r < 0 && s.first != 0) {
		fat32_free_chain(fs, s.first);
	}
	*first = r < 0 ? 0 : s.first;
	return r;
}

/* Free a whole chain, checked first so a corrupt chain is left untouched. */
int fat32_free_chain(struct fat32 *fs, uint32_t c)
{
	uint32_t len;
	int r = fat32_chain_len(fs, c, &len);
	struct fat32_seq s;
	fat32_seq_chain(&s, c);
	while (r == 0 && (r = fat32_seq_next(fs, &s, &c)) == 1) {
		r = fat32_fat_set(fs, c, 0); /* s already read c's link */
		if (fs->free_count != FSI_UNKNOWN) {
			fs->free_count++;
		}
	}
	return r;
}

int fat32_flush_dev(struct fat32 *fs)
{
	if (fs->dev.flush && fs->dev.flush(fs->dev.ctx) < 0) {
		return FAT32_EIO;
	}
	return 0;
}

void fat32_space(const struct fat32 *fs, uint64_t *total, uint64_t *free)
{
	uint64_t cluster = (uint64_t)fs->sec_per_clus * FAT32_SECTOR_SIZE;
	*total = fs->cluster_count * cluster;
	*free = fs->free_count <= fs->cluster_count ? fs->free_count * cluster : 0;
}

void fat32_set_time(struct fat32 *fs, const struct civil_time *t)
{
	if (t->year < 1980 || t->year > 2107) {
		fs->date = fs->time = 0;
		return;
	}
	fs->date = (uint16_t)((t->year - 1980) << 9 | t->month << 5 | t->day);
	fs->time = (uint16_t)(t->hour << 11 | t->minute << 5 | t->second / 2);
}

/* Write the FAT cache and FSInfo back and flush the device. */
int fat32_sync(struct fat32 *fs)
{
	int r = fat32_fat_flush(fs);
	if (r == 0 && fs->fsinfo_sector != 0) {
		r = dev_read(fs, fs->fsinfo_sector, 1, fs->io_buf);
		if (r == 0) {
			fat32_put32(fs->io_buf + 488, fs->free_count);
			fat32_put32(fs->io_buf + 492, fs->next_free);
			r = dev_write(fs, fs->fsinfo_sector, 1, fs->io_buf);
		}
	}
	return r < 0 ? r : fat32_flush_dev(fs);
}

int fat32_read_sectors(struct fat32 *fs, uint64_t sector, uint32_t n, void *buf)
{
	return dev_read(fs, sector, n, buf);
}

int fat32_write_sectors(struct fat32 *fs, uint64_t sector, uint32_t n, const void *buf)
{
	return dev_write(fs, sector, n, buf);
}
