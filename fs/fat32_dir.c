/*
 * fs/fat32_dir.c — FAT32 directories: the sector cache, walking entries
 * (with VFAT long names), path lookup, and deleting entries.
 *
 * A long name is a run of LFN slots (attribute 0x0F) stored last part
 * first, each carrying 13 UTF-16 units and the checksum of the 8.3 short
 * entry that follows them. A run whose sequence or checksum does not match
 * its short entry is ignored (the short name is used), as the
 * specification asks; the walk reports such slots as orphans, which
 * fat32_repair deletes (fsck.fat complains about them).
 *
 * Directory sectors go through one write-back sector (dir_buf). Deleting
 * an entry marks the sector holding its short entry first: a crash part-way
 * can leave orphaned long-name slots, never a short entry that lost part of
 * its long name (it would show up under its 8.3 alias).
 *
 * Directory chains are walked at most cluster_count clusters, so a looping
 * directory is FAT32_ECORRUPT.
 *
 * Callers: the other fs/fat32*.c files.
 */
#include "fs/fat32_internal.h"
#include "lib/string.h"

const uint8_t fat32_lfn_offsets[13] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

static char ascii_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* Write dir_buf back if changed: after the FAT cache (see fat32_internal.h). */
int fat32_dir_flush(struct fat32 *fs)
{
	if (!fs->dir_dirty) {
		return 0;
	}
	int r = fat32_fat_flush(fs);
	if (r == 0) {
		r = fat32_write_sectors(fs, fs->dir_buf_sector, 1, fs->dir_buf);
	}
	if (r == 0) {
		fs->dir_dirty = false;
	}
	return r;
}

static int dir_load(struct fat32 *fs, uint64_t sector)
{
	if (fs->dir_buf_sector == sector) {
		return 0;
	}
	int r = fat32_dir_flush(fs);
	if (r < 0) {
		return r;
	}
	fs->dir_buf_sector = UINT64_MAX;
	r = fat32_read_sectors(fs, sector, 1, fs->dir_buf);
	if (r == 0) {
		fs->dir_buf_sector = sector;
	}
	return r;
}

/*
 * Point *slot at the entry at loc, inside dir_buf, for the caller to
 * change: its sector is written when another one is loaded or at
 * fat32_dir_flush, so changes to one sector cost one write.
 */
int fat32_dir_slot(struct fat32 *fs, struct fat32_loc loc, uint8_t **slot)
{
	int r = dir_load(fs, loc.sector);
	if (r == 0) {
		*slot = fs->dir_buf + loc.off;
		fs->dir_dirty = true;
	}
	return r;
}

int fat32_entry_write(struct fat32 *fs, struct fat32_loc loc, const uint8_t *raw)
{
	uint8_t *e;
	int r = fat32_dir_slot(fs, loc, &e);
	if (r == 0) {
		memcpy(e, raw, FAT32_DIRENT);
		r = fat32_dir_flush(fs);
	}
	return r;
}

uint8_t fat32_lfn_checksum(const uint8_t *short_name)
{
	uint8_t sum = 0;
	for (int i = 0; i < 11; i++) {
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + short_name[i]);
	}
	return sum;
}

/* Raw slot iteration: fn for every 32-byte slot in order, until it returns nonzero. */
int fat32_dir_slots(struct fat32 *fs, uint32_t dir, fat32_slot_fn fn, void *ctx, uint32_t *last)
{
	uint32_t c = dir;
	struct fat32_loop loop = {0};
	for (uint32_t steps = 0;; steps++) {
		if (steps > fs->cluster_count || fat32_loop_step(&loop, c)) {
			return FAT32_ECORRUPT;
		}
		for (uint32_t s = 0; s < fs->sec_per_clus; s++) {
			uint64_t sector = fat32_cluster_sector(fs, c) + s;
			for (uint32_t off = 0; off < FAT32_SECTOR_SIZE; off += FAT32_DIRENT) {
				int r = dir_load(fs, sector); /* fn may have loaded another */
				if (r < 0) {
					return r;
				}
				uint8_t raw[FAT32_DIRENT];
				memcpy(raw, fs->dir_buf + off, FAT32_DIRENT);
				r = fn(ctx, (struct fat32_loc){sector, off}, raw);
				if (r != 0) {
					return r;
				}
			}
		}
		uint32_t next;
		int r = fat32_fat_next(fs, c, &next);
		if (r < 0) {
			return r;
		}
		if (r == 0) {
			*last = c;
			return 0;
		}
		c = next;
	}
}

struct walk {
	struct fat32 *fs;
	fat32_walk_fn fn;
	fat32_orphan_fn orphan;
	void *ctx;
	uint32_t dir;
	int lfn_seq; /* next expected sequence number; -1: complete; 0: none (or broken) */
	uint8_t lfn_sum;
	uint32_t lfn_len;
	bool pending; /* LFN slots pend_first..pend_last not yet owned or reported */
	struct fat32_loc pend_first, pend_last;
	bool ended;
	struct fat32_found f;
};

/* Windows NT's case bits in a short entry's byte 12 (mtools and Linux set them). */
#define NT_LOWER_BASE 0x08
#define NT_LOWER_EXT  0x10

static char with_case(uint8_t c, bool lower)
{
	return (char)(lower && c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

/* An 8.3 entry's name as text: "README.TXT", or "readme.txt" by the case bits. */
static void short_name_text(const uint8_t *raw, char *out)
{
	int n = 0;
	for (int i = 0; i < 8 && raw[i] != ' '; i++) {
		out[n++] = i == 0 && raw[0] == 0x05 ? (char)0xE5
						    : with_case(raw[i], raw[12] & NT_LOWER_BASE);
	}
	if (raw[8] != ' ') {
		out[n++] = '.';
		for (int i = 8; i < 11 && raw[i] != ' '; i++) {
			out[n++] = with_case(raw[i], raw[12] & NT_LOWER_EXT);
		}
	}
	out[n] = 0;
}

_Static_assert(sizeof(((struct fat32 *)0)->lfn) == FAT32_LFN_UNITS * sizeof(uint16_t),
	       "the long name being assembled holds every unit the slots can");

/*
 * UTF-16 (BMP; surrogates become '?') to UTF-8: at most FAT32_LFN_UNITS
 * units, which fill at most FAT32_LFN_TEXT_MAX bytes (out holds one more).
 */
static void lfn_text(const uint16_t *u, uint32_t n, char out[FAT32_LFN_TEXT_MAX + 1])
{
	size_t k = 0;
	for (uint32_t i = 0; i < n && i < FAT32_LFN_UNITS; i++) {
		uint16_t c = u[i];
		if (c < 0x80) {
			out[k++] = (char)c;
		} else if (c < 0x800) {
			out[k++] = (char)(0xC0 | c >> 6);
			out[k++] = (char)(0x80 | (c & 0x3F));
		} else if (c >= 0xD800 && c < 0xE000) {
			out[k++] = '?';
		} else {
			out[k++] = (char)(0xE0 | c >> 12);
			out[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[k++] = (char)(0x80 | (c & 0x3F));
		}
	}
	out[k] = 0;
}

/* The pending LFN slots belong to no entry. */
static int report_orphans(struct walk *w)
{
	bool pending = w->pending;
	w->pending = false;
	w->lfn_seq = 0;
	return pending && w->orphan ? w->orphan(w->ctx, w->pend_first, w->pend_last) : 0;
}

static int walk_lfn(struct walk *w, struct fat32_loc loc, const uint8_t *raw)
{
	int seq = raw[0] & 0x1F;
	if (raw[0] & 0x40) { /* the first slot of a run: what is pending is orphaned */
		int r = report_orphans(w);
		if (r != 0) {
			return r;
		}
		w->lfn_seq = seq >= 1 && seq <= 20 ? seq : 0;
		w->lfn_sum = raw[13];
		w->lfn_len = (uint32_t)seq * 13;
		w->pend_first = loc;
	} else if (w->lfn_seq <= 0 || seq != w->lfn_seq || raw[13] != w->lfn_sum) {
		w->lfn_seq = 0; /* a broken run: these slots can only be orphans */
		if (!w->pending) {
			w->pend_first = loc;
		}
	}
	w->pending = true;
	w->pend_last = loc;
	if (w->lfn_seq <= 0) {
		return 0;
	}
	for (int i = 0; i < 13; i++) {
		uint16_t ch = fat32_get16(raw + fat32_lfn_offsets[i]);
		uint32_t pos = (uint32_t)(seq - 1) * 13 + (uint32_t)i;
		if (ch == 0 && pos < w->lfn_len) {
			w->lfn_len = pos;
		}
		w->fs->lfn[pos] = ch;
	}
	w->lfn_seq = seq == 1 ? -1 : seq - 1; /* -1: complete, the short entry is next */
	return 0;
}

static int walk_slot(void *ctx, struct fat32_loc loc, const uint8_t *raw)
{
	struct walk *w = ctx;
	if (raw[0] == 0) {
		w->ended = true;
		int r = report_orphans(w);
		return r != 0 ? r : 1;
	}
	if (raw[0] == 0xE5) {
		return report_orphans(w);
	}
	if ((raw[11] & 0x3F) == FAT32_ATTR_LFN) {
		return walk_lfn(w, loc, raw);
	}
	bool has_lfn = w->lfn_seq == -1 && w->lfn_sum == fat32_lfn_checksum(raw) &&
		       w->lfn_len > 0 && !(raw[11] & FAT32_ATTR_VOL);
	if (has_lfn) {
		w->pending = false; /* the run is this entry's long name */
		w->lfn_seq = 0;
	} else {
		int r = report_orphans(w);
		if (r != 0) {
			return r;
		}
	}
	if (raw[11] & FAT32_ATTR_VOL) {
		return 0;
	}
	memcpy(w->f.raw, raw, FAT32_DIRENT);
	w->f.last = loc;
	w->f.first = has_lfn ? w->pend_first : loc;
	w->f.parent = w->dir;
	if (has_lfn) {
		lfn_text(w->fs->lfn, w->lfn_len, w->f.name);
	} else {
		short_name_text(raw, w->f.name);
	}
	return w->fn(w->ctx, &w->f);
}

/*
 * Calls fn for each live entry (with its name) and orphan (if not NULL)
 * for each run of long-name slots that belongs to no entry, in directory
 * order; stops at the first nonzero return, which it returns.
 */
int fat32_dir_scan(struct fat32 *fs, uint32_t dir, fat32_walk_fn fn, fat32_orphan_fn orphan,
		   void *ctx)
{
	struct walk w = {.fs = fs, .fn = fn, .orphan = orphan, .ctx = ctx, .dir = dir};
	uint32_t last;
	int r = fat32_dir_slots(fs, dir, walk_slot, &w, &last);
	if (r == 0) {
		return report_orphans(&w); /* the chain ended without an end mark */
	}
	return w.ended && r == 1 ? 0 : r;
}

int fat32_dir_walk(struct fat32 *fs, uint32_t dir, fat32_walk_fn fn, void *ctx)
{
	return fat32_dir_scan(fs, dir, fn, NULL, ctx);
}

struct find {
	const char *name;
	size_t len;
	struct fat32_found *out;
};

static bool name_eq(const char *a, size_t alen, const char *b)
{
	size_t i = 0;
	for (; i < alen && b[i]; i++) {
		if (ascii_upper(a[i]) != ascii_upper(b[i])) {
			return false;
		}
	}
	return i == alen && b[i] == 0;
}

static int find_fn(void *ctx, const struct fat32_found *f)
{
	struct find *q = ctx;
	char sn[13];
	short_name_text(f->raw, sn);
	if (name_eq(q->name, q->len, f->name) || name_eq(q->name, q->len, sn)) {
		*q->out = *f;
		return 1;
	}
	return 0;
}

int fat32_find_in(struct fat32 *fs, uint32_t dir, const char *name, size_t len,
		  struct fat32_found *f)
{
	struct find q = {name, len, f};
	int r = fat32_dir_walk(fs, dir, find_fn, &q);
	return r == 1 ? 0 : r < 0 ? r : FAT32_ENOENT;
}

static uint32_t dir_cluster_of(const struct fat32 *fs, const uint8_t *raw)
{
	uint32_t c = fat32_entry_cluster(raw);
	return c == 0 ? fs->root_cluster : c; /* ".." of a top-level dir is 0 */
}

/* Resolve all but the last component; *leaf points at the last one. */
int fat32_lookup_parent(struct fat32 *fs, const char *path, uint32_t *dir, const char **leaf,
			size_t *leaf_len)
{
	uint32_t d = fs->root_cluster;
	for (;;) {
		while (*path == '/') {
			path++;
		}
		size_t n = 0;
		while (path[n] && path[n] != '/') {
			n++;
		}
		if (n > FAT32_NAME_MAX) {
			return FAT32_ENAMETOOLONG;
		}
		const char *rest = path + n;
		while (*rest == '/') {
			rest++;
		}
		if (*rest == 0) {
			*dir = d;
			*leaf = path;
			*leaf_len = n;
			return 0;
		}
		struct fat32_found f;
		int r = fat32_find_in(fs, d, path, n, &f);
		if (r < 0) {
			return r;
		}
		if (!(f.raw[11] & FAT32_ATTR_DIR)) {
			return FAT32_ENOTDIR;
		}
		d = dir_cluster_of(fs, f.raw);
		path = rest;
	}
}

int fat32_locate(struct fat32 *fs, const char *path, struct fat32_target *t)
{
	int r = fat32_lookup_parent(fs, path, &t->dir, &t->leaf, &t->leaf_len);
	t->root = t->exists = false;
	if (r < 0) {
		return r;
	}
	if (t->leaf_len == 0) {
		t->root = true;
		return 0;
	}
	r = fat32_find_in(fs, t->dir, t->leaf, t->leaf_len, &t->f);
	t->exists = r == 0;
	return r == FAT32_ENOENT ? 0 : r;
}

/* Find the entry for path; the root has no entry (*is_root set instead). */
int fat32_lookup(struct fat32 *fs, const char *path, struct fat32_found *f, bool *is_root)
{
	struct fat32_target t;
	int r = fat32_locate(fs, path, &t);
	*is_root = t.root;
	if (r < 0 || t.root) {
		return r;
	}
	if (!t.exists) {
		return FAT32_ENOENT;
	}
	*f = t.f;
	return 0;
}

bool fat32_is_dot(const uint8_t *raw)
{
	return memcmp(raw, ".          ", 11) == 0 || memcmp(raw, "..         ", 11) == 0;
}

static int empty_fn(void *ctx, const struct fat32_found *f)
{
	(void)ctx;
	return fat32_is_dot(f->raw) ? 0 : 1;
}

int fat32_dir_is_empty(struct fat32 *fs, uint32_t dir)
{
	int r = fat32_dir_walk(fs, dir, empty_fn, NULL);
	return r < 0 ? r : r == 0;
}

/* The parent a subdirectory's ".." names (its second slot); 0 there is the root. */
int fat32_dir_parent(struct fat32 *fs, uint32_t dir, uint32_t *parent)
{
	int r = dir_load(fs, fat32_cluster_sector(fs, dir));
	if (r < 0) {
		return r;
	}
	const uint8_t *e = fs->dir_buf + FAT32_DIRENT;
	if (memcmp(e, "..         ", 11) != 0 || !(e[11] & FAT32_ATTR_DIR)) {
		return FAT32_ECORRUPT;
	}
	*parent = dir_cluster_of(fs, e);
	return 0;
}

struct deletion {
	struct fat32 *fs;
	struct fat32_loc first;
	uint64_t stop; /* the sector of the last slot, already done */
	bool active;
};

static int delete_slot(void *ctx, struct fat32_loc loc, const uint8_t *raw)
{
	struct deletion *d = ctx;
	(void)raw;
	d->active = d->active || fat32_loc_eq(loc, d->first);
	if (loc.sector == d->stop) {
		return d->active ? 1 : FAT32_ECORRUPT;
	}
	uint8_t *e;
	int r = d->active ? fat32_dir_slot(d->fs, loc, &e) : 0;
	if (d->active && r == 0) {
		e[0] = 0xE5;
	}
	return r;
}

/*
 * Mark slots first..last of dir deleted (an entry with its long name, or
 * an orphaned run; they may span sectors and clusters). The sector holding
 * `last` is written first, then the earlier ones in order.
 */
int fat32_dir_delete(struct fat32 *fs, uint32_t dir, struct fat32_loc first, struct fat32_loc last)
{
	uint32_t from = first.sector == last.sector ? first.off : 0;
	int r = 0;
	for (uint32_t off = from; r == 0 && off <= last.off; off += FAT32_DIRENT) {
		uint8_t *e;
		r = fat32_dir_slot(fs, (struct fat32_loc){last.sector, off}, &e);
		if (r == 0) {
			e[0] = 0xE5;
		}
	}
	if (r == 0) {
		r = fat32_dir_flush(fs);
	}
	if (r < 0 || first.sector == last.sector) {
		return r;
	}
	struct deletion d = {fs, first, last.sector, false};
	uint32_t end;
	r = fat32_dir_slots(fs, dir, delete_slot, &d, &end);
	int f = fat32_dir_flush(fs);
	r = r == 1 ? 0 : r < 0 ? r : FAT32_ECORRUPT;
	return r < 0 ? r : f;
}
