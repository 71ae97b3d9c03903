/*
 * The system volume: the FAT32 file system on the first virtio-blk disk,
 * where app binaries and app snapshots live.
 *
 * The FAT32 library (fs/fat32.h) is sequential code that reads a sector,
 * looks at it, reads the next. It runs here inside a coroutine of the
 * volume's task: each sector request goes to the disk asynchronously and
 * the coroutine yields until the disk's interrupt wakes the task, so the
 * frame loop, input and apps keep running while the disk works.
 *
 * Work is queued as volume jobs and done one at a time, in order: `run`
 * executes in the coroutine and may call any fat32_* function on the file
 * system it is given; afterwards `done` runs in the loop (on the normal
 * kernel stack) with run's result. The first thing the coroutine does is
 * mount the disk and repair what a power cut left behind (lost clusters,
 * a stale free count), so every job sees a consistent file system.
 *
 * Callers may pass any kernel memory. Direct-map memory (the heap,
 * frames) moves straight between the disk and the buffer, several
 * requests in flight; anything else (the kernel image, an app's user
 * addresses) goes through the volume's own bounce buffer. A disk that
 * stops answering (10 s for a request) is reset and takes the volume
 * offline: the job gets VOLUME_EOFFLINE and so does every later one.
 */
#pragma once

#include <stdbool.h>

#include "drivers/virtio/blk.h"
#include "fs/fat32.h"

enum volume_error {
	VOLUME_ENODISK = -100,	  /* no disk attached */
	VOLUME_EUNMOUNTED = -101, /* the disk holds no usable FAT32 (logged at mount) */
	VOLUME_EOFFLINE = -102,	  /* the disk failed or stopped answering */
	VOLUME_EBUSY = -103,	  /* volume_direct_start: every slot is in flight */
};

#define VOLUME_DIRECT_MAX 8 /* direct transfers in flight at once */

struct volume_job {
	int (*run)(struct fat32 *fs, void *arg); /* in the coroutine */
	void (*done)(void *arg, int result);	 /* in the loop; may be NULL */
	void *arg;
	struct volume_job *next; /* private to fs/volume.c */
};

/*
 * Inside a job only: transfers the job drives itself, for one that moves
 * much data and has work to do meanwhile (a snapshot hashes an app's
 * memory while the disk writes it). volume_direct_start hands count
 * sectors (1..BLK_MAX_SECTORS) between the disk and buf (direct-map
 * memory: blk_buffer_ok) to the disk and returns at once: a ticket
 * (>= 0), VOLUME_EBUSY when VOLUME_DIRECT_MAX are in flight, or a
 * negative error. volume_direct_wait yields until the ticket's transfer
 * is done and returns its status (0 or negative); every started ticket
 * must be waited for, and buf is the disk's until then. The sectors come
 * from fat32_map: the job stays within files it has sized beforehand.
 */
int volume_direct_start(enum blk_op op, uint64_t sector, uint32_t count, void *buf);
int volume_direct_wait(int ticket);

/* Find the disk and start the volume's task (mounting comes first in it). */
void volume_init(void);

/* Queue a job; done is always called, with VOLUME_E* when there is no volume. */
void volume_submit(struct volume_job *job);

/*
 * The longest the volume's coroutine ran in one go (the loop waits for it
 * then: frames are late by as much) since the last call; 0 afterwards.
 */
uint64_t volume_take_longest_stretch_ns(void);

/* A fat32_* or volume_error code as a short phrase ("no space left", ...). */
const char *volume_strerror(int error);
