/*
 * fs/fat32_dir.c — FAT32 directories: walking entries, VFAT long names,
 * path lookup, adding and removing entries.
 *
 * A long name is a run of LFN entries (attribute 0x0F) stored last part
 * first, each carrying 13 UTF-16 units and the checksum of the 8.3 short
 * entry that follows them. A run whose sequence or checksum does not match
 * its short entry is ignored (the short name is used), as the
 * specification asks. Names we create are ASCII; every created entry gets
 * LFN entries unless the name is already an upper-case 8.3 name, and a
 * unique short alias "BASE~N.EXT".
 *
 * Directory chains are walked at most cluster_count clusters, so a looping
 * directory is FAT32_ECORRUPT. Entries are written one at a time through
 * fs->dir_buf (read-modify-write of one sector).
 *
 * Callers: fs/fat32_file.c.
 */
#include "fs/fat32_internal.h"
#include "lib/string.h"

static char ascii_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static int dir_load(struct fat32 *fs, uint64_t sector)
{
	if (fs->dir_buf_sector == sector) {
		return 0;
	}
	fs->dir_buf_sector = UINT64_MAX;
	int r = fat32_read_sectors(fs, sector, 1, fs->dir_buf);
	if (r == 0) {
		fs->dir_buf_sector = sector;
	}
	return r;
}

int fat32_entry_write(struct fat32 *fs, struct fat32_loc loc, const uint8_t *raw)
{
	int r = dir_load(fs, loc.sector);
	if (r < 0) {
		return r;
	}
	memcpy(fs->dir_buf + loc.off, raw, FAT32_DIRENT);
	return fat32_write_sectors(fs, loc.sector, 1, fs->dir_buf);
}

static uint8_t fat32_lfn_checksum(const uint8_t *short_name)
{
	uint8_t sum = 0;
	for (int i = 0; i < 11; i++) {
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + short_name[i]);
	}
	return sum;
}

/* Raw directory entry iteration: calls fn for every 32-byte slot in order. */
typedef int (*slot_fn)(void *ctx, struct fat32_loc loc, const uint8_t *raw);

static int dir_slots(struct fat32 *fs, uint32_t dir, slot_fn fn, void *ctx, uint32_t *last)
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
				int r = dir_load(fs, sector);
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
	void *ctx;
	uint32_t dir;
	int lfn_seq; /* next expected sequence number, 0: none pending */
	uint8_t lfn_sum;
	uint32_t lfn_len;
	struct fat32_loc lfn_first;
	bool ended;
	struct fat32_found f;
};

static void short_name_text(const uint8_t *raw, char *out)
{
	int n = 0;
	for (int i = 0; i < 8 && raw[i] != ' '; i++) {
		out[n++] = (char)(i == 0 && raw[0] == 0x05 ? 0xE5 : raw[i]);
	}
	if (raw[8] != ' ') {
		out[n++] = '.';
		for (int i = 8; i < 11 && raw[i] != ' '; i++) {
			out[n++] = (char)raw[i];
		}
	}
	out[n] = 0;
}

/* UTF-16 (BMP; surrogates become '?') to UTF-8. */
static void lfn_text(const uint16_t *u, uint32_t n, char *out)
{
	size_t k = 0;
	for (uint32_t i = 0; i < n; i++) {
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

static const uint8_t lfn_offsets[13] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

static void walk_lfn(struct walk *w, struct fat32_loc loc, const uint8_t *raw)
{
	int seq = raw[0] & 0x1F;
	if (raw[0] & 0x40) {
		w->lfn_seq = seq;
		w->lfn_sum = raw[13];
		w->lfn_first = loc;
		w->lfn_len = (uint32_t)seq * 13;
	} else if (seq != w->lfn_seq || raw[13] != w->lfn_sum) {
		w->lfn_seq = 0;
		return;
	}
	if (seq < 1 || seq > 20) {
		w->lfn_seq = 0;
		return;
	}
	for (int i = 0; i < 13; i++) {
		uint16_t ch = fat32_get16(raw + lfn_offsets[i]);
		uint32_t pos = (uint32_t)(seq - 1) * 13 + (uint32_t)i;
		if (ch == 0 && pos < w->lfn_len) {
			w->lfn_len = pos;
		}
		w->fs->lfn[pos] = ch;
	}
	w->lfn_seq = seq - 1;
	if (w->lfn_seq == 0) {
		w->lfn_seq = -1; /* complete: waiting for the short entry */
	}
}

static int walk_slot(void *ctx, struct fat32_loc loc, const uint8_t *raw)
{
	struct walk *w = ctx;
	if (raw[0] == 0) {
		w->ended = true;
		return 1;
	}
	if (raw[0] == 0xE5) {
		w->lfn_seq = 0;
		return 0;
	}
	if ((raw[11] & 0x3F) == FAT32_ATTR_LFN) {
		walk_lfn(w, loc, raw);
		return 0;
	}
	bool has_lfn = w->lfn_seq == -1 && w->lfn_sum == fat32_lfn_checksum(raw) && w->lfn_len > 0;
	w->lfn_seq = 0;
	if (raw[11] & FAT32_ATTR_VOL) {
		return 0;
	}
	memcpy(w->f.raw, raw, FAT32_DIRENT);
	w->f.last = loc;
	w->f.first = has_lfn ? w->lfn_first : loc;
	w->f.parent = w->dir;
	if (has_lfn) {
		lfn_text(w->fs->lfn, w->lfn_len, w->f.name);
	} else {
		short_name_text(raw, w->f.name);
	}
	int r = w->fn(w->ctx, &w->f);
	return r;
}

/* Calls fn for each live entry (with its name); stops at fn's nonzero. */
int fat32_dir_walk(struct fat32 *fs, uint32_t dir, fat32_walk_fn fn, void *ctx)
{
	struct walk w = {.fs = fs, .fn = fn, .ctx = ctx, .dir = dir};
	uint32_t last;
	int r = dir_slots(fs, dir, walk_slot, &w, &last);
	return w.ended && r == 1 ? 0 : r;
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

static int empty_fn(void *ctx, const struct fat32_found *f)
{
	(void)ctx;
	return f->raw[0] == '.' ? 0 : 1;
}

int fat32_dir_is_empty(struct fat32 *fs, uint32_t dir)
{
	int r = fat32_dir_walk(fs, dir, empty_fn, NULL);
	return r < 0 ? r : r == 0;
}

struct unlink {
	struct fat32 *fs;
	const struct fat32_found *f;
	bool active;
};

static int unlink_slot(void *ctx, struct fat32_loc loc, const uint8_t *raw)
{
	struct unlink *u = ctx;
	if (loc.sector == u->f->first.sector && loc.off == u->f->first.off) {
		u->active = true;
	}
	if (!u->active) {
		return 0;
	}
	uint8_t e[FAT32_DIRENT];
	memcpy(e, raw, FAT32_DIRENT);
	e[0] = 0xE5;
	int r = fat32_entry_write(u->fs, loc, e);
	if (r < 0) {
		return r;
	}
	return loc.sector == u->f->last.sector && loc.off == u->f->last.off ? 1 : 0;
}

/* Mark an entry and its LFN run deleted (they may span clusters). */
int fat32_dir_unlink(struct fat32 *fs, const struct fat32_found *f)
{
	struct unlink u = {fs, f, false};
	uint32_t last;
	int r = dir_slots(fs, f->parent, unlink_slot, &u, &last);
	return r == 1 ? 0 : r < 0 ? r : FAT32_ECORRUPT;
}

/* ---- creating entries ---- */

static bool sfn_char_ok(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("$%'-_@~`!(){}^#&", c);
}

/* Validate a name for creation: ASCII, no control or reserved characters. */
static int check_name(const char *name, size_t len)
{
	if (len == 0 || (len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.')) {
		return FAT32_EINVAL;
	}
	if (len > FAT32_NAME_MAX) {
		return FAT32_ENAMETOOLONG;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c >= 0x7F || strchr("\"*/:<>?\\|", c)) {
			return FAT32_EINVAL;
		}
	}
	if (name[len - 1] == ' ' || name[len - 1] == '.') {
		return FAT32_EINVAL;
	}
	return 0;
}

/* True if name is exactly representable as an upper-case 8.3 name; fills sfn. */
static bool exact_83(const char *name, size_t len, uint8_t *sfn)
{
	memset(sfn, ' ', 11);
	size_t dot = len;
	for (size_t i = 0; i < len; i++) {
		if (name[i] == '.') {
			if (dot != len || i == 0) {
				return false;
			}
			dot = i;
		} else if (!sfn_char_ok(name[i])) {
			return false;
		}
	}
	if (dot > 8 || len - dot > 4 || (dot < len && len - dot == 1)) {
		return false;
	}
	memcpy(sfn, name, dot);
	if (dot < len) {
		memcpy(sfn + 8, name + dot + 1, len - dot - 1);
	}
	return true;
}

/* The lossy base/extension of a short alias (before the ~N tail). */
static void alias_basis(const char *name, size_t len, uint8_t *sfn, size_t *base_len)
{
	memset(sfn, ' ', 11);
	size_t dot = len;
	for (size_t i = len; i-- > 0;) {
		if (name[i] == '.') {
			dot = i;
			break;
		}
	}
	size_t b = 0;
	for (size_t i = 0; i < dot && b < 8; i++) {
		char c = ascii_upper(name[i]);
		if (c == ' ' || c == '.') {
			continue;
		}
		sfn[b++] = (uint8_t)(sfn_char_ok(c) ? c : '_');
	}
	size_t e = 0;
	for (size_t i = dot + 1; i < len && e < 3; i++) {
		char c = ascii_upper(name[i]);
		if (c != ' ') {
			sfn[8 + e++] = (uint8_t)(sfn_char_ok(c) ? c : '_');
		}
	}
	if (b == 0) {
		sfn[b++] = '_';
	}
	*base_len = b;
}

struct sfn_probe {
	const uint8_t *sfn;
};

static int sfn_used_fn(void *ctx, const struct fat32_found *f)
{
	const struct sfn_probe *p = ctx;
	return memcmp(f->raw, p->sfn, 11) == 0;
}

/* Pick "BASE~N.EXT" not used in dir. */
static int make_alias(struct fat32 *fs, uint32_t dir, const char *name, size_t len, uint8_t *sfn)
{
	size_t base_len;
	alias_basis(name, len, sfn, &base_len);
	for (uint32_t n = 1; n < 1000000; n++) {
		char tail[8];
		int t = 0;
		for (uint32_t v = n; v; v /= 10) {
			tail[t++] = (char)('0' + v % 10);
		}
		size_t keep = base_len < (size_t)(7 - t) ? base_len : (size_t)(7 - t);
		uint8_t cand[11];
		memcpy(cand, sfn, 11);
		memset(cand + keep, ' ', 8 - keep);
		cand[keep] = '~';
		for (int i = 0; i < t; i++) {
			cand[keep + 1 + (size_t)i] = (uint8_t)tail[t - 1 - i];
		}
		struct sfn_probe p = {cand};
		int r = fat32_dir_walk(fs, dir, sfn_used_fn, &p);
		if (r < 0) {
			return r;
		}
		if (r == 0) {
			memcpy(sfn, cand, 11);
			return 0;
		}
	}
	return FAT32_EEXIST;
}

struct slot_run {
	uint32_t need, have;
	struct fat32_loc locs[FAT32_MAX_SLOTS];
};

static int free_run_fn(void *ctx, struct fat32_loc loc, const uint8_t *raw)
{
	struct slot_run *s = ctx;
	if (raw[0] != 0 && raw[0] != 0xE5) {
		s->have = 0;
		return 0;
	}
	s->locs[s->have++] = loc;
	return s->have == s->need;
}

/* Find `need` consecutive free slots, growing the directory if necessary. */
static int find_slots(struct fat32 *fs, uint32_t dir, struct slot_run *s)
{
	uint32_t last;
	int r = dir_slots(fs, dir, free_run_fn, s, &last);
	while (r == 0) {
		uint32_t c;
		r = fat32_alloc_zeroed(fs, last, &c);
		if (r < 0) {
			return r;
		}
		last = c;
		for (uint32_t i = 0; i < fs->sec_per_clus * 16 && s->have < s->need; i++) {
			s->locs[s->have++] = (struct fat32_loc){
			    fat32_cluster_sector(fs, c) + i / 16, (i % 16) * FAT32_DIRENT};
		}
		r = s->have == s->need;
	}
	return r < 0 ? r : 0;
}

static void fill_lfn(uint8_t *e, const char *name, size_t len, uint32_t seq, bool last, uint8_t sum)
{
	memset(e, 0, FAT32_DIRENT);
	e[0] = (uint8_t)(seq | (last ? 0x40 : 0));
	e[11] = FAT32_ATTR_LFN;
	e[13] = sum;
	for (uint32_t i = 0; i < 13; i++) {
		size_t pos = (seq - 1) * 13 + i;
		uint16_t ch = pos < len ? (uint8_t)name[pos] : pos == len ? 0 : 0xFFFF;
		fat32_put16(e + lfn_offsets[i], ch);
	}
}

/* Add an entry `name` to dir (the caller checked it does not exist). */
int fat32_dir_add(struct fat32 *fs, uint32_t dir, const char *name, size_t len, uint8_t attr,
		  uint32_t cluster, uint32_t size)
{
	int r = check_name(name, len);
	if (r < 0) {
		return r;
	}
	uint8_t sfn[11];
	uint32_t nlfn = 0;
	if (!exact_83(name, len, sfn)) {
		r = make_alias(fs, dir, name, len, sfn);
		if (r < 0) {
			return r;
		}
		nlfn = (uint32_t)(len + 12) / 13;
	}
	struct slot_run s = {.need = nlfn + 1};
	r = find_slots(fs, dir, &s);
	if (r < 0) {
		return r;
	}
	uint8_t e[FAT32_DIRENT], sum = fat32_lfn_checksum(sfn);
	for (uint32_t i = 0; i < nlfn; i++) {
		fill_lfn(e, name, len, nlfn - i, i == 0, sum);
		r = fat32_entry_write(fs, s.locs[i], e);
		if (r < 0) {
			return r;
		}
	}
	memset(e, 0, FAT32_DIRENT);
	memcpy(e, sfn, 11);
	if (e[0] == 0xE5) {
		e[0] = 0x05;
	}
	e[11] = attr;
	uint16_t date = fs->date ? fs->date : 0x0021;
	fat32_put16(e + 14, fs->time);
	fat32_put16(e + 16, date);
	fat32_put16(e + 18, date);
	fat32_put16(e + 22, fs->time);
	fat32_put16(e + 24, date);
	fat32_set_entry_cluster(e, cluster);
	fat32_put32(e + 28, size);
	return fat32_entry_write(fs, s.locs[nlfn], e);
}
