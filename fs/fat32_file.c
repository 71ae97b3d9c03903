/*
 * fs/fat32_file.c — the file operations of fs/fat32.h: read, write (create
 * or replace), read and write in place, resize, remove, mkdir, list, stat.
 *
 * Crash order (docs/fat32.md, "Crash safety"): a write puts the data into
 * free clusters, links them in the FAT, then switches the directory entry
 * (one sector write: the file is old or new), then frees a replaced chain.
 * A resize that grows links a new tail to the chain, then writes the size;
 * one that shrinks writes the size, then cuts the chain: a cut between
 * leaves a chain longer than the size, which fat32_repair cuts back.
 * A remove deletes the entry (its short entry's sector first), then frees
 * the chain. A mkdir fills a cluster with "." and "..", marks it used, then
 * adds the entry. Whatever a crash cuts short is left as lost clusters or
 * orphaned long-name slots, which fat32_repair frees or deletes. Each
 * modifying call ends with fat32_sync (FAT cache, FSInfo, device flush);
 * fat32_write_at writes only data sectors and ends with a device flush.
 *
 * Callers: anyone holding a mounted struct fat32 (one at a time).
 */
#include "fs/fat32_internal.h"
#include "lib/string.h"

/* The entry of the regular file at path, and its size. */
static int open_file(struct fat32 *fs, const char *path, struct fat32_found *f, uint32_t *size)
{
	bool root;
	int r = fat32_lookup(fs, path, f, &root);
	if (r < 0) {
		return r;
	}
	if (root || (f->raw[11] & FAT32_ATTR_DIR)) {
		return FAT32_EISDIR;
	}
	*size = fat32_get32(f->raw + 28);
	return 0;
}

/* Transfer [offset, offset + len) of the file at path, within its size. */
static int file_xfer(struct fat32 *fs, const char *path, uint32_t offset, uint32_t len,
		     const struct fat32_xfer *x)
{
	struct fat32_found f;
	uint32_t size;
	int r = open_file(fs, path, &f, &size);
	if (r < 0) {
		return r;
	}
	if (offset > size || len > size - offset) {
		return FAT32_ETOOBIG;
	}
	struct fat32_seq s;
	if (x->src) { /* check the whole range before the first write */
		fat32_seq_chain(&s, fat32_entry_cluster(f.raw));
		r = fat32_xfer(fs, &s, offset, len, &(struct fat32_xfer){0});
	}
	fat32_seq_chain(&s, fat32_entry_cluster(f.raw));
	return r < 0 ? r : fat32_xfer(fs, &s, offset, len, x);
}

int fat32_read_file(struct fat32 *fs, const char *path, void *buf, uint32_t max, uint32_t *len)
{
	struct fat32_found f;
	int r = open_file(fs, path, &f, len);
	if (r < 0) {
		return r;
	}
	if (*len > max) {
		return FAT32_ETOOBIG;
	}
	struct fat32_seq s;
	fat32_seq_chain(&s, fat32_entry_cluster(f.raw));
	return fat32_xfer(fs, &s, 0, *len, &(struct fat32_xfer){.dst = buf});
}

int fat32_read_at(struct fat32 *fs, const char *path, uint32_t offset, void *buf, uint32_t len)
{
	return file_xfer(fs, path, offset, len, &(struct fat32_xfer){.dst = buf});
}

int fat32_write_part(struct fat32 *fs, const char *path, uint32_t offset, const void *data,
		     uint32_t len)
{
	return file_xfer(fs, path, offset, len, &(struct fat32_xfer){.src = data});
}

int fat32_map(struct fat32 *fs, const char *path, uint32_t offset, uint32_t len, fat32_extent_fn fn,
	      void *arg)
{
	if (offset % FAT32_SECTOR_SIZE != 0 || len % FAT32_SECTOR_SIZE != 0 || fn == NULL) {
		return FAT32_EINVAL;
	}
	return file_xfer(fs, path, offset, len,
			 &(struct fat32_xfer){.where = fn, .where_arg = arg});
}

int fat32_write_at(struct fat32 *fs, const char *path, uint32_t offset, const void *data,
		   uint32_t len)
{
	int r = fat32_write_part(fs, path, offset, data, len);
	return r < 0 ? r : fat32_flush_dev(fs);
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
		fat32_touch_entry(fs, f.raw);
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

/* The n-th cluster (from 1) of the chain from c, checked on the way. */
static int nth_cluster(struct fat32 *fs, uint32_t c, uint32_t n, uint32_t *out)
{
	struct fat32_seq s;
	fat32_seq_chain(&s, c);
	int r = 0;
	for (uint32_t i = 0; r == 0 && i < n; i++) {
		r = fat32_seq_next(fs, &s, out);
		r = r == 1 ? 0 : r < 0 ? r : FAT32_ECORRUPT; /* chain shorter than the size */
	}
	return r;
}

/* Grow f's chain from `have` clusters to what `size` needs, then its size. */
static int grow(struct fat32 *fs, struct fat32_found *f, uint32_t have, uint32_t size)
{
	uint32_t csize = fs->sec_per_clus * FAT32_SECTOR_SIZE, last = 0, tail;
	int r = have != 0 ? nth_cluster(fs, fat32_entry_cluster(f->raw), have, &last) : 0;
	if (r < 0) {
		return r;
	}
	/* The tail: an unreachable chain, all on the disk before the request
	 * that writes the link to it (fat32_fat_set_ordered). */
	r = fat32_write_chain(fs, NULL, size - have * csize, &tail); /* < size: no overflow */
	if (r == 0 && last != 0) {
		r = fat32_fat_set_ordered(fs, last, tail); /* a cut from here: chain > size */
	} else {
		fat32_set_entry_cluster(f->raw, tail);
	}
	fat32_put32(f->raw + 28, size);
	fat32_touch_entry(fs, f->raw);
	return r < 0 ? r : fat32_entry_write(fs, f->last, f->raw);
}

/* The size first, then cut f's chain to `need` clusters. */
static int shrink(struct fat32 *fs, struct fat32_found *f, uint32_t need, uint32_t size)
{
	uint32_t c = fat32_entry_cluster(f->raw), last = 0, rest = c;
	int r = 0;
	if (need != 0) { /* rest: what follows the new last cluster */
		r = nth_cluster(fs, c, need, &last);
		r = r < 0 ? r : fat32_fat_next(fs, last, &rest);
		rest = r == 1 ? rest : 0;
	}
	if (r < 0) {
		return r;
	}
	fat32_set_entry_cluster(f->raw, need != 0 ? c : 0);
	fat32_put32(f->raw + 28, size);
	fat32_touch_entry(fs, f->raw);
	r = fat32_entry_write(fs, f->last, f->raw);
	if (r == 0 && rest != 0 && last != 0) {
		/* on the disk before any cluster after it is freed */
		r = fat32_fat_set_ordered(fs, last, FAT32_EOC); /* a cut before: chain > size */
	}
	return r == 0 && rest != 0 ? fat32_free_chain(fs, rest) : r;
}

int fat32_resize(struct fat32 *fs, const char *path, uint32_t size)
{
	struct fat32_target t;
	int r = fat32_locate(fs, path, &t);
	if (r == 0 && (t.root || (t.exists && (t.f.raw[11] & FAT32_ATTR_DIR)))) {
		r = FAT32_EISDIR;
	}
	if (r < 0) {
		return r;
	}
	uint32_t csize = fs->sec_per_clus * FAT32_SECTOR_SIZE, first = 0;
	uint32_t old = t.exists ? fat32_get32(t.f.raw + 28) : 0;
	uint32_t have = old / csize + (old % csize != 0), need = size / csize + (size % csize != 0);
	if (!t.exists) {
		r = fat32_write_chain(fs, NULL, size, &first);
		r = r < 0
			? r
			: fat32_dir_add(fs, t.dir, t.leaf, t.leaf_len, FAT32_ATTR_ARC, first, size);
		if (r < 0 && first != 0) {
			fat32_free_chain(fs, first); /* never became visible */
		}
	} else if (need > have) {
		r = grow(fs, &t.f, have, size);
	} else if (need < have || size != old) {
		r = shrink(fs, &t.f, need, size);
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
	if (root || fat32_is_dot(f.raw)) {
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
	r = fat32_dir_delete(fs, f.parent, f.first, f.last);
	if (r == 0 && c != 0) {
		r = fat32_free_chain(fs, c);
	}
	int s = fat32_sync(fs);
	return r < 0 ? r : s;
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
	uint32_t parent = t.dir == fs->root_cluster ? 0 : t.dir;
	r = fat32_alloc_cluster(fs, 0, &parent, &c);
	if (r < 0) {
		return r;
	}
	r = fat32_dir_add(fs, t.dir, t.leaf, t.leaf_len, FAT32_ATTR_DIR, c, 0);
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
