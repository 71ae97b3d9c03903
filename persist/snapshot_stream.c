/*
 * Streaming an arena to and from a snapshot file; see snapshot_stream.h.
 *
 * fat32_map hands over the file's runs of consecutive sectors; each run
 * is cut where the arena's frames stop being physically consecutive and
 * at BLK_MAX_SECTORS, and every piece goes to the disk as one direct
 * transfer. Up to VOLUME_DIRECT_MAX are in flight, oldest first in a
 * queue. A piece being written is hashed right after it is handed over
 * (the disk and the hash read the same frames); a piece being read is
 * hashed once the disk is done with it, while the later ones are still
 * in flight. Either way the hash sees the arena in order.
 *
 * The runs are gathered in batches before any of them goes to the disk,
 * and the walk along the file's chain goes on only once a batch is done:
 * the FAT sectors the walk reads are then never queued behind megabytes
 * of data (that wait was a quarter of a restore).
 */
#include "persist/snapshot_stream.h"

#include "fs/volume.h"
#include "runtime/app.h"

#define HASH_STEP (1u << 20) /* hashed between offers to pause: ~0.4 ms under TCG */

void snapshot_hash_pausing(struct fat32 *fs, struct xxh64_state *hash, const void *p, uint64_t n)
{
	for (const uint8_t *at = p; n > 0;) {
		uint64_t step = n < HASH_STEP ? n : HASH_STEP;
		xxh64_update(hash, at, step);
		at += step;
		n -= step;
		if (n > 0 && fs->dev.pause != NULL) {
			fs->dev.pause(fs->dev.ctx);
		}
	}
}

struct piece {
	int ticket;
	const uint8_t *at; /* the frames, in the direct map */
	uint32_t bytes;
};

#define RUNS_MAX 64 /* runs gathered per batch: a contiguous file has one or two */

struct run {
	uint64_t sector;
	uint32_t count, at;
};

struct stream {
	struct fat32 *fs;
	const struct app_memory *m;
	uintptr_t arena;
	enum blk_op op;
	struct xxh64_state *hash;
	struct piece queue[VOLUME_DIRECT_MAX];
	unsigned first, count;
	struct run runs[RUNS_MAX];
	unsigned run_count;
};

static void hash_piece(struct stream *s, const struct piece *p)
{
	xxh64_update(s->hash, p->at, p->bytes);
	if (s->fs->dev.pause != NULL) {
		s->fs->dev.pause(s->fs->dev.ctx);
	}
}

/* Wait for the oldest piece in flight; a read is hashed once it is in. */
static int finish_oldest(struct stream *s)
{
	struct piece *p = &s->queue[s->first];
	int err = volume_direct_wait(p->ticket);
	s->first = (s->first + 1) % VOLUME_DIRECT_MAX;
	s->count--;
	if (err == 0 && s->op == BLK_READ) {
		hash_piece(s, p);
	}
	return err;
}

/* Hand the `count` sectors at `sector` holding arena bytes at `at` to the disk. */
static int stream_run(struct stream *s, uint64_t sector, uint32_t count, uint32_t at)
{
	uint64_t left = (uint64_t)count * FAT32_SECTOR_SIZE;
	while (left > 0) {
		uint64_t most = left < BLK_MAX_SECTORS * BLK_SECTOR_SIZE
				    ? left
				    : BLK_MAX_SECTORS * BLK_SECTOR_SIZE;
		size_t n;
		uint8_t *frames = app_memory_direct(s->m, s->arena + at, most, &n);
		int err = s->count == VOLUME_DIRECT_MAX ? finish_oldest(s) : 0;
		int ticket = err == 0
				 ? volume_direct_start(s->op, sector, n / BLK_SECTOR_SIZE, frames)
				 : err;
		if (ticket < 0) {
			return ticket;
		}
		struct piece *p = &s->queue[(s->first + s->count++) % VOLUME_DIRECT_MAX];
		*p = (struct piece){ticket, frames, (uint32_t)n};
		if (s->op == BLK_WRITE) {
			hash_piece(s, p);
		}
		sector += n / BLK_SECTOR_SIZE;
		at += (uint32_t)n;
		left -= n;
	}
	return 0;
}

/* Transfer the gathered runs and wait for every piece handed over, even after an error. */
static int stream_batch(struct stream *s)
{
	int err = 0;
	for (unsigned i = 0; i < s->run_count && err == 0; i++) {
		err = stream_run(s, s->runs[i].sector, s->runs[i].count, s->runs[i].at);
	}
	s->run_count = 0;
	while (s->count > 0) {
		int e = finish_oldest(s);
		err = err != 0 ? err : e;
	}
	return err;
}

/* fat32_map's callback: gather one run, transferring the batch when it is full. */
static int gather_run(void *arg, uint64_t sector, uint32_t count, uint32_t at)
{
	struct stream *s = arg;
	int err = s->run_count == RUNS_MAX ? stream_batch(s) : 0;
	s->runs[s->run_count++] = (struct run){sector, count, at};
	return err;
}

int snapshot_stream_arena(struct fat32 *fs, const char *path, uint32_t offset, struct app *a,
			  uint64_t bytes, struct xxh64_state *hash, enum blk_op op)
{
	struct stream s = {.fs = fs,
			   .m = &a->run.memory,
			   .arena = a->run.memory.base + APP_IMAGE_MAX,
			   .op = op,
			   .hash = hash};
	int err = fat32_map(fs, path, offset, (uint32_t)bytes, gather_run, &s);
	return err == 0 ? stream_batch(&s) : err;
}
