/*
 * Moving an app's arena between its frames and a snapshot file with no
 * copy in between: the disk reads or writes the frames themselves
 * (fs/volume.h's direct transfers, at the sectors fat32_map names),
 * several transfers in flight, and each piece is hashed while the disk
 * works on others. Inside a volume job only, on a pinned app.
 */
#pragma once

#include <stdint.h>

#include "drivers/virtio/blk.h"
#include "fs/fat32.h"
#include "lib/xxhash64.h"

struct app;

/*
 * Add n bytes at p to hash, letting the system run between megabytes
 * (fs->dev.pause): the loop waits for the volume's coroutine meanwhile.
 */
void snapshot_hash_pausing(struct fat32 *fs, struct xxh64_state *hash, const void *p, uint64_t n);

/*
 * Write (BLK_WRITE) the first `bytes` of a's arena to path at offset, or
 * read them back (BLK_READ), adding them to hash in arena order either
 * way. offset and bytes are whole sectors and the file is long enough
 * (sized by the caller); a write is on the disk when this returns (the
 * caller flushes it). 0 or a negative fat32/volume error.
 */
int snapshot_stream_arena(struct fat32 *fs, const char *path, uint32_t offset, struct app *a,
			  uint64_t bytes, struct xxh64_state *hash, enum blk_op op);
