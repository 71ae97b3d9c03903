/*
 * The on-disk format of an app snapshot, and the choice between an app's
 * two snapshot files. Pure logic (host-tested): persist/snapshot.c does the
 * I/O.
 *
 * A snapshot file is a 512-byte header followed by the payload:
 *   the app's live heap blocks (SNAPSHOT_BLOCK_BYTES each: the offset
 *   into the arena and the size, two little-endian u64, in address
 *   order), each writable image segment, the arena;
 * each piece starting on a 512-byte boundary. The header names the app,
 * the binary it ran (source, size, XXH64), the slot its addresses belong
 * to, what it had stored in *ctx->store, its accounting, and the payload's
 * length and XXH64; its own last 8 bytes are the XXH64 of the rest.
 *
 * Each app has two files, .0 and .1; a save overwrites the older one (see
 * snapshot_pick), clearing its header first and writing it last, so at
 * any moment at least one of the two holds a complete snapshot.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "runtime/app_accounting.h"

#define SNAPSHOT_HEADER_BYTES 512u
/*
 * 4 adds the app's window (its surface's place and size: a restored app
 * keeps its window, rather than opening one more in its arena); 3: the
 * heap is the list of live blocks (the heap's bookkeeping left the
 * arena); 2 added the granted capabilities. Headers of 1 and 2 still
 * decode (their `format` says which), but their heap cannot be restored;
 * those of 3 read as having no window (the bytes were zero).
 */
#define SNAPSHOT_FORMAT		  4u
#define SNAPSHOT_FORMAT_HEAP_LIST 3u
#define SNAPSHOT_BLOCK_BYTES	  16u
#define SNAPSHOT_NAME_MAX	  32u
#define SNAPSHOT_SOURCE_MAX	  128u

enum snapshot_status {
	SNAPSHOT_OK = 0,
	SNAPSHOT_EMPTY = -1,	/* no snapshot: a cleared or never-written header */
	SNAPSHOT_ECORRUPT = -2, /* a header that fails its checksum or its checks */
	SNAPSHOT_EVERSION = -3, /* written by a newer format */
};

struct snapshot_header {
	uint64_t seq;	 /* higher is newer; per app */
	uint32_t format; /* the file's format (SNAPSHOT_FORMAT when written now) */
	uint32_t abi_version;
	uint32_t slot;
	char name[SNAPSHOT_NAME_MAX];	  /* NUL-terminated */
	char source[SNAPSHOT_SOURCE_MAX]; /* "archive" or a disk path; NUL-terminated */
	uint64_t binary_size, binary_hash;
	uint64_t store;
	uint64_t heap_bytes;  /* the live-block list */
	uint64_t data_bytes;  /* all writable segments together */
	uint64_t arena_bytes; /* mapped arena, a multiple of 4096 */
	uint64_t live_bytes, live_allocs, limit;
	uint32_t policy, budget_ms;
	uint32_t caps;		    /* the capabilities it was granted (enum manifest_cap bits) */
	bool caps_known;	    /* false for a format 1 file, which did not record them */
	struct app_accounting acct; /* calls, total_ns and max_ns are kept; the rest reads 0 */
	uint64_t uptime_ms;	    /* when it was taken, in the boot it was taken in */
	uint64_t payload_bytes, payload_hash;
	uint64_t window_pixels; /* its window's surface (an arena address), 0: none */
	uint64_t window_size;	/* its width << 32 | its height */
};

/* Bytes a payload piece takes in the file: rounded up to 512. */
static inline uint64_t snapshot_padded(uint64_t bytes)
{
	return (bytes + SNAPSHOT_HEADER_BYTES - 1) & ~(uint64_t)(SNAPSHOT_HEADER_BYTES - 1);
}

void snapshot_header_encode(const struct snapshot_header *h, uint8_t out[SNAPSHOT_HEADER_BYTES]);

/* Decode and check a header: SNAPSHOT_OK (h filled) or a negative status. */
int snapshot_header_decode(const uint8_t in[SNAPSHOT_HEADER_BYTES], struct snapshot_header *h);

/*
 * Given the decode status of files .0 and .1 and their headers: the index
 * of the newest usable snapshot (0 or 1) in *newest, and the file a new
 * save should overwrite (the other one, or .0 when both are unusable).
 * Returns false when neither holds a snapshot.
 */
bool snapshot_pick(const int status[2], const struct snapshot_header h[2], unsigned *newest,
		   unsigned *target);

/* snapshot_status as a short phrase. */
const char *snapshot_strstatus(int status);
