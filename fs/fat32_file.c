/*
 * fs/fat32_file.c — the whole-file operations of fs/fat32.h: read, write
 * (create or replace), remove, mkdir, list, stat.
 *
 * Each modifying call ends with fat32_sync (FSInfo + device flush). Write
 * order for crash safety: data, FAT links, directory entry, then freeing of
 * what was replaced or removed.
 *
 * Callers: anyone holding a mounted struct fat32 (one at a time).
 */
#include "fs/fat32_internal.h"
#include "lib/string.h"

static int read_chain(struct fat32 *fs, uint32_t c, uint8_t *buf, uint32_t len)
{
	uint32_t csize = fs->sec_per_clus * FAT32_SECTOR_SIZE, pos = 0, n;
	int r = fat32_chain_len(fs, c, &n);
	if (r < 0) {
		return r;
	}
	if (n < len / csize + (len % csize != 0)) {
		return FAT32_ECORRUPT; /* chain shorter than the size */
	}
	for (uint32_t steps = 0; pos < len; steps++) {
		if (steps >= fs->cluster_count || c < 2 || c > fs->cluster_count + 1) {
			return FAT32_ECORRUPT;
		}
		for (uint32_t s = 0; s < fs->sec_per_clus && pos < len; s++) {
			uint64_t sector = fat32_cluster_sector(fs, c) + s;
			uint32_t n = len - pos < FAT32_SECTOR_SIZE ? len - pos : FAT32_SECTOR_SIZE;
			r = fat32_read_sectors(fs, sector, 1,
					       n == FAT32_SECTOR_SIZE ? buf + pos : fs->io_buf);
			if (r < 0) {
				return r;
			}
			if (n < FAT32_SECTOR_SIZE) {
				memcpy(buf + pos, fs->io_buf, n);
			}
			pos += n;
		}
		if (pos < len) {
			uint32_t next;
			r = fat32_fat_next(fs, c, &next);
			if (r <= 0) {
				return r < 0 ? r : FAT32_ECORRUPT; /* chain shorter than the size */
			}
			c = next;
		}
	}
	return 0;
}

int fat32_read_file(struct fat32 *fs, const char *path, void *buf, uint32_t max, uint32_t *len)
{
	struct fat32_found f;
	bool root;
	int r = fat32_lookup(fs, path, &f, &root);
	if (r < 0) {
		return r;
	}
	if (root || (f.raw[11] & FAT32_ATTR_DIR)) {
		return FAT32_EISDIR;
	}
	uint32_t size = fat32_get32(f.raw + 28);
	*len = size;
	if (size > max) {
		return FAT32_ETOOBIG;
	}
	return read_chain(fs, fat32_entry_cluster(f.raw), buf, size);
}

int fat32_stat(struct fat32 *fs, const char *path, uint32_t *size, bool *is_dir)
{
	struct fat32_found f;
	bool root;
	int r = fat32_lookup(fs, path, &f, &root);
	if (r < 0) {
		return r;
	}
	*is_dir = root || (f.raw[11] & FAT32_ATTR_DIR);
	*size = root ? 0 : fat32_get32(f.raw + 28);
	return 0;
}

int fat32_write_file(struct fat32 *fs, const char *path, const void *data, uint32_t len)
{
	uint32_t first;
	struct fat32_target t;
	int r = fat32_locate(fs, path, &t);
	if (r < 0) {
		return r;
	}
	if (t.root) {
		return FAT32_EISDIR;
	}
	bool exists = t.exists;
	struct fat32_found f = t.f;
	if (exists && (f.raw[11] & FAT32_ATTR_DIR)) {
		return FAT32_EISDIR;
	}
	r = fat32_write_chain(fs, data, len, &first);
	if (r < 0) {
		return r;
	}
	if (exists) {
		uint32_t old = fat32_entry_cluster(f.raw);
		fat32_set_entry_cluster(f.raw, first);
		fat32_put32(f.raw + 28, len);
		f.raw[11] |= FAT32_ATTR_ARC;
		r = fat32_entry_write(fs, f.last, f.raw);
		if (r == 0 && old != 0) {
			r = fat32_free_chain(fs, old);
		}
	} else {
		r = fat32_dir_add(fs, t.dir, t.leaf, t.leaf_len, FAT32_ATTR_ARC, first, len);
		if (r < 0 && first != 0) {
			fat32_free_chain(fs, first); /* never became visible */
		}
	}
	int s = fat32_sync(fs);
	return r < 0 ? r : s;
}

int fat32_remove(struct fat32 *fs, const char *path)
{
	struct fat32_found f;
	bool root;
	int r = fat32_lookup(fs, path, &f, &root);
	if (r < 0) {
		return r;
	}
	if (root || f.raw[0] == '.') {
		return FAT32_EINVAL;
	}
	uint32_t c = fat32_entry_cluster(f.raw), n;
	r = fat32_chain_len(fs, c, &n);
	if (r < 0) {
		return r; /* refuse before unlinking: fsck's job */
	}
	if (f.raw[11] & FAT32_ATTR_DIR) {
		r = fat32_dir_is_empty(fs, c);
		if (r <= 0) {
			return r < 0 ? r : FAT32_ENOTEMPTY;
		}
	}
	r = fat32_dir_unlink(fs, &f);
	if (r == 0 && c != 0) {
		r = fat32_free_chain(fs, c);
	}
	int s = fat32_sync(fs);
	return r < 0 ? r : s;
}

static void dot_entry(struct fat32 *fs, uint8_t *e, const char *name, uint32_t cluster)
{
	uint16_t date = fs->date ? fs->date : 0x0021;
	memset(e, 0, FAT32_DIRENT);
	memset(e, ' ', 11);
	memcpy(e, name, strlen(name));
	e[11] = FAT32_ATTR_DIR;
	fat32_put16(e + 14, fs->time);
	fat32_put16(e + 16, date);
	fat32_put16(e + 18, date);
	fat32_put16(e + 22, fs->time);
	fat32_put16(e + 24, date);
	fat32_set_entry_cluster(e, cluster);
}

int fat32_mkdir(struct fat32 *fs, const char *path)
{
	uint32_t c;
	struct fat32_target t;
	int r = fat32_locate(fs, path, &t);
	if (r < 0) {
		return r;
	}
	if (t.root || t.exists) {
		return FAT32_EEXIST;
	}
	r = fat32_alloc_zeroed(fs, 0, &c);
	if (r < 0) {
		return r;
	}
	uint8_t e[FAT32_DIRENT];
	uint64_t sector = fat32_cluster_sector(fs, c);
	dot_entry(fs, e, ".", c);
	r = fat32_entry_write(fs, (struct fat32_loc){sector, 0}, e);
	dot_entry(fs, e, "..", t.dir == fs->root_cluster ? 0 : t.dir);
	if (r == 0) {
		r = fat32_entry_write(fs, (struct fat32_loc){sector, FAT32_DIRENT}, e);
	}
	if (r == 0) {
		r = fat32_dir_add(fs, t.dir, t.leaf, t.leaf_len, FAT32_ATTR_DIR, c, 0);
	}
	if (r < 0) {
		fat32_free_chain(fs, c);
	}
	int s = fat32_sync(fs);
	return r < 0 ? r : s;
}

struct list {
	fat32_list_fn fn;
	void *ctx;
};

static int list_fn(void *ctx, const struct fat32_found *f)
{
	struct list *l = ctx;
	if (f->raw[0] == '.') {
		return 0;
	}
	struct fat32_stat st = {f->name, fat32_get32(f->raw + 28),
				(f->raw[11] & FAT32_ATTR_DIR) != 0};
	return l->fn(l->ctx, &st);
}

int fat32_list(struct fat32 *fs, const char *dirpath, fat32_list_fn fn, void *ctx)
{
	struct fat32_found f;
	bool root;
	int r = fat32_lookup(fs, dirpath, &f, &root);
	if (r < 0) {
		return r;
	}
	if (!root && !(f.raw[11] & FAT32_ATTR_DIR)) {
		return FAT32_ENOTDIR;
	}
	uint32_t dir = root ? fs->root_cluster : fat32_entry_cluster(f.raw);
	if (dir == 0) {
		dir = fs->root_cluster;
	}
	struct list l = {fn, ctx};
	return fat32_dir_walk(fs, dir, list_fn, &l);
}
