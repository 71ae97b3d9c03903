/*
 * fs/fat32_io.c — moving a byte range of a file between a buffer and the
 * disk with as few block requests as possible.
 *
 * Each request costs a round trip to the device (a VM exit in an emulated
 * machine), far more than its size, so the cluster sequence (a file's
 * chain, or a new chain being allocated; see struct fat32_seq)
 * is cut into runs of consecutive clusters, and each run moves in one
 * request of up to FAT32_IO_MAX_SECTORS straight to or from the caller's
 * buffer. Only a partial first or last sector of the range goes through
 * fs->io_buf (read, patched, written back — or, for fresh clusters,
 * zero-padded without reading).
 *
 * Callers: fs/fat32_file.c (read_file, read_at, write_at, map), fs/fat32.c
 * (fat32_write_chain).
 */
#include "fs/fat32_internal.h"
#include "lib/string.h"

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* k bytes at byte `in` of one sector, through io_buf. */
static int partial(struct fat32 *fs, uint64_t sector, uint32_t in, uint32_t k,
		   const struct fat32_xfer *x, uint32_t at)
{
	int r = 0;
	if (x->fresh) {
		memset(fs->io_buf, 0, FAT32_SECTOR_SIZE);
	} else {
		r = fat32_read_sectors(fs, sector, 1, fs->io_buf);
	}
	if (r < 0) {
		return r;
	}
	if (x->dst) {
		memcpy(x->dst + at, fs->io_buf + in, k);
		return 0;
	}
	memcpy(fs->io_buf + in, x->src + at, k);
	return fat32_write_sectors(fs, sector, 1, fs->io_buf);
}

/* n bytes starting `in` bytes into consecutive sectors from `sector`. */
static int span(struct fat32 *fs, uint64_t sector, uint32_t in, uint32_t n,
		const struct fat32_xfer *x, uint32_t at)
{
	sector += in / FAT32_SECTOR_SIZE;
	in %= FAT32_SECTOR_SIZE;
	if (x->where != NULL) {
		return in != 0 || n % FAT32_SECTOR_SIZE != 0
			   ? FAT32_EINVAL
			   : x->where(x->where_arg, sector, n / FAT32_SECTOR_SIZE, at);
	}
	while (n > 0) {
		uint32_t k, count = 1;
		int r;
		if (in != 0 || n < FAT32_SECTOR_SIZE) {
			k = min_u32(FAT32_SECTOR_SIZE - in, n);
			r = partial(fs, sector, in, k, x, at);
		} else {
			count = n / FAT32_SECTOR_SIZE;
			k = count * FAT32_SECTOR_SIZE;
			r = x->dst ? fat32_read_sectors(fs, sector, count, x->dst + at)
				   : fat32_write_sectors(fs, sector, count, x->src + at);
		}
		if (r < 0) {
			return r;
		}
		sector += count;
		at += k;
		n -= k;
		in = 0;
	}
	return 0;
}

/* The next cluster of s, where a chain ending early is FAT32_ECORRUPT. */
static int need_next(struct fat32 *fs, struct fat32_seq *s, uint32_t *c)
{
	int r = fat32_seq_next(fs, s, c);
	return r == 1 ? 0 : r < 0 ? r : FAT32_ECORRUPT; /* chain shorter than the size */
}

/*
 * Move bytes [offset, offset + len) of the sequence s, as x says. Walks
 * exactly the clusters the range needs (from fs->hint when the chain is
 * the one the last transfer went along, and the range is further on: a
 * file read or written piece by piece is walked once, not once a piece);
 * a chain that ends before the range does, or a bad link or loop on the
 * way, is FAT32_ECORRUPT.
 */
int fat32_xfer(struct fat32 *fs, struct fat32_seq *s, uint32_t offset, uint32_t len,
	       const struct fat32_xfer *x)
{
	uint32_t csize = fs->sec_per_clus * FAT32_SECTOR_SIZE, c = 0, done = 0;
	uint32_t in = offset % csize, max_run = FAT32_IO_MAX_SECTORS / fs->sec_per_clus;
	bool have = false; /* c already taken from s: the start of the next run */
	int r = 0;
	uint32_t skip = offset / csize, first_cluster = s->cur;
	bool fresh_chain = !s->alloc && s->steps == 0 && first_cluster != 0;
	if (fresh_chain && fs->hint.first == first_cluster && fs->hint.index <= skip) {
		s->cur = fs->hint.cluster; /* on from where the last transfer got to */
		skip -= fs->hint.index;
	}
	for (; r == 0 && len != 0 && skip > 0; skip--) {
		r = need_next(fs, s, &c);
	}
	if (r == 0 && fresh_chain && len != 0 && s->cur != 0) {
		fs->hint.first = first_cluster;
		fs->hint.index = offset / csize;
		fs->hint.cluster = s->cur;
	}
	while (r == 0 && done < len) {
		uint32_t first = c, n = 1;
		if (!have) {
			r = need_next(fs, s, &first);
		}
		have = false;
		if (r == 0 && !s->alloc) { /* a chain: its consecutive clusters in one go */
			uint64_t needed = ((uint64_t)len - done + in + csize - 1) / csize;
			uint32_t more;
			r = fat32_seq_extend(fs, s, first,
					     (uint32_t)(needed < max_run ? needed : max_run) - 1,
					     &more);
			n += more;
		}
		while (r == 0 && s->alloc && (uint64_t)n * csize - in < len - done && n < max_run) {
			r = need_next(fs, s, &c);
			if (r == 0 && c != first + n) {
				have = true;
				break;
			}
			n++;
		}
		if (r < 0) {
			break;
		}
		uint64_t run = (uint64_t)n * csize - in;
		uint32_t bytes = run < len - done ? (uint32_t)run : len - done;
		if (x->dst || x->src || x->where) {
			r = span(fs, fat32_cluster_sector(fs, first), in, bytes, x, done);
		}
		done += bytes;
		in = 0;
	}
	return r;
}
