/*
 * fs/fat32_dir_add.c — creating directory entries: name checks, the 8.3
 * short alias, choosing slots, writing the long-name slots and the short
 * entry.
 *
 * Names we create are ASCII; every entry gets LFN slots unless the name is
 * already an upper-case 8.3 name, and a unique short alias "BASE~N.EXT".
 *
 * Crash order: a name of up to 16 slots (names up to 195 characters) is
 * placed within one sector, so its long-name slots and short entry land in
 * one write — a crash leaves the name wholly there or not at all. When the
 * only room starts after the end-of-directory mark in an earlier sector,
 * the free slots before it are first marked deleted (0xE5; one write, a
 * harmless state) so the new entry stays reachable. A longer name spans two
 * or three sectors, written in directory order, the short entry's last: a
 * crash leaves orphaned long-name slots, which fat32_repair deletes. A
 * directory grows by a zeroed cluster, linked before anything is written
 * into it.
 *
 * Callers: fs/fat32_file.c.
 */
#include "fs/fat32_internal.h"
#include "lib/string.h"

static char ascii_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

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

/*
 * A run of `need` free slots being looked for. With one_sector, the run
 * must lie within one sector: a run that would cross a sector boundary is
 * dropped, and if it had reached the end-of-directory mark its slots are
 * kept as `pad`, to be marked deleted so the mark moves past them.
 */
struct slot_run {
	uint32_t need, have, npad;
	bool one_sector, end;
	struct fat32_loc locs[FAT32_MAX_SLOTS];
	struct fat32_loc pad[FAT32_SLOTS_PER_SECTOR];
};

static void drop_run(struct slot_run *s)
{
	s->npad = s->end ? s->have : 0;
	memcpy(s->pad, s->locs, s->npad * sizeof(s->locs[0]));
	s->have = 0;
}

static int free_run_fn(void *ctx, struct fat32_loc loc, const uint8_t *raw)
{
	struct slot_run *s = ctx;
	s->end = s->end || raw[0] == 0;
	if (raw[0] != 0 && raw[0] != 0xE5) {
		s->have = 0;
		return 0;
	}
	if (s->one_sector && s->have > 0 && s->locs[s->have - 1].sector != loc.sector) {
		drop_run(s);
	}
	s->locs[s->have++] = loc;
	return s->have == s->need;
}

/* Find the slots for s->need entries, growing the directory if necessary. */
static int find_slots(struct fat32 *fs, uint32_t dir, struct slot_run *s)
{
	uint32_t last;
	s->one_sector = s->need <= FAT32_SLOTS_PER_SECTOR;
	int r = fat32_dir_slots(fs, dir, free_run_fn, s, &last);
	while (r == 0) {
		uint32_t c;
		if (s->one_sector && s->have > 0) {
			drop_run(s); /* the new cluster's first sector holds it all */
		}
		r = fat32_alloc_cluster(fs, last, NULL, &c);
		if (r < 0) {
			return r;
		}
		last = c;
		for (uint32_t i = 0;
		     i < fs->sec_per_clus * FAT32_SLOTS_PER_SECTOR && s->have < s->need; i++) {
			s->locs[s->have++] = (struct fat32_loc){
			    fat32_cluster_sector(fs, c) + i / FAT32_SLOTS_PER_SECTOR,
			    (i % FAT32_SLOTS_PER_SECTOR) * FAT32_DIRENT};
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
		fat32_put16(e + fat32_lfn_offsets[i], ch);
	}
}

/* A changed entry's write time and access date: fs->date/time, if set. */
void fat32_touch_entry(const struct fat32 *fs, uint8_t *e)
{
	if (fs->date != 0) {
		fat32_put16(e + 18, fs->date);
		fat32_put16(e + 22, fs->time);
		fat32_put16(e + 24, fs->date);
	}
}

/* A short entry, stamped with fs->date/time (0: 1980-01-01). */
void fat32_short_entry(const struct fat32 *fs, uint8_t *e, const uint8_t *name83, uint8_t attr,
		       uint32_t cluster, uint32_t size)
{
	uint16_t date = fs->date ? fs->date : 0x0021;
	memset(e, 0, FAT32_DIRENT);
	memcpy(e, name83, 11);
	if (e[0] == 0xE5) {
		e[0] = 0x05;
	}
	e[11] = attr;
	fat32_put16(e + 14, fs->time);
	fat32_put16(e + 16, date);
	fat32_put16(e + 18, date);
	fat32_put16(e + 22, fs->time);
	fat32_put16(e + 24, date);
	fat32_set_entry_cluster(e, cluster);
	fat32_put32(e + 28, size);
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
	uint8_t *e, sum = fat32_lfn_checksum(sfn);
	for (uint32_t i = 0; r == 0 && i < s.npad; i++) {
		r = fat32_dir_slot(fs, s.pad[i], &e);
		if (r == 0) {
			e[0] = 0xE5;
		}
	}
	for (uint32_t i = 0; r == 0 && i <= nlfn; i++) {
		r = fat32_dir_slot(fs, s.locs[i], &e);
		if (r == 0 && i < nlfn) {
			fill_lfn(e, name, len, nlfn - i, i == 0, sum);
		} else if (r == 0) {
			fat32_short_entry(fs, e, sfn, attr, cluster, size);
		}
	}
	int f = fat32_dir_flush(fs);
	return r < 0 ? r : f;
}
