/*
 * virtio-blk: block devices (disks) for the file system and snapshots.
 *
 * Sectors are always 512 bytes (the virtio unit, whatever the device's
 * preferred block size). A request names an operation, a sector range and
 * one buffer, which must be kernel direct-map memory (heap or frames, not
 * the kernel stack or image): the device reads or writes it by physical
 * address, and the direct map is physically contiguous by construction.
 *
 * Who may call what:
 *   - blk_submit: code running in the executor loop (tasks). Asynchronous:
 *     it checks the request, queues it and returns; the completion callback
 *     runs later from the device's task, in the loop, never from an
 *     interrupt. Many requests may be in flight; they may complete in any
 *     order. The request and its buffer belong to the driver until the
 *     callback ran.
 *   - blk_sync: boot-time and self-test code only, before executor_run().
 *     It submits one request and waits for it by polling the used ring
 *     (hlt between checks, bounded). In the loop it would race the task.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define BLK_SECTOR_SIZE 512u
#define BLK_MAX_SECTORS 2048u /* per request: 1 MiB */

enum blk_op { BLK_READ, BLK_WRITE, BLK_FLUSH };

enum blk_error {
	BLK_OK = 0,
	BLK_EINVAL = -1,    /* bad request: range, buffer, count, op */
	BLK_EIO = -2,	    /* the device reported an I/O error (or a bad answer) */
	BLK_EUNSUPP = -3,   /* the device does not support the operation */
	BLK_EROFS = -4,	    /* write to a read-only device */
	BLK_EFAILED = -5,   /* the device is failed; nothing more goes through */
	BLK_ETIMEDOUT = -6, /* blk_sync only: no answer in time (the device is failed) */
};

struct blk_device;

struct blk_request {
	enum blk_op op;
	uint64_t sector; /* first sector (READ/WRITE) */
	uint32_t count;	 /* sectors, 1..BLK_MAX_SECTORS (READ/WRITE; ignored by FLUSH) */
	void *buf;	 /* count * 512 bytes, direct-map memory */
	void (*done)(void *arg, int status); /* status: BLK_OK or a negative blk_error */
	void *arg;
	struct blk_request *next; /* private to the driver */
};

/* The first disk found, or NULL when none is attached (or it failed). */
struct blk_device *blk_first(void);

/* Capacity in 512-byte sectors; whether writes are refused. */
uint64_t blk_capacity(const struct blk_device *d);
bool blk_read_only(const struct blk_device *d);

/*
 * Queue a request (see above). 0 when accepted (done will be called
 * exactly once), or a negative blk_error when refused (done is not called).
 * A FLUSH on a device without VIRTIO_BLK_F_FLUSH completes with BLK_OK:
 * such a device has no volatile write cache to flush.
 */
int blk_submit(struct blk_device *d, struct blk_request *r);

/*
 * Give up on a device that stopped answering: fail it (waiting requests
 * complete with BLK_EFAILED, issued ones never) and reset it. True when
 * the reset took: from then on the device touches no buffer it was given,
 * so the memory of requests that never completed may be reused. False: a
 * device that ignores its reset may still write them.
 */
bool blk_abandon(struct blk_device *d, const char *why);

/* Whether bytes at buf are memory a request may name (the direct map, RAM). */
bool blk_buffer_ok(const void *buf, uint64_t bytes);

/* Before the executor runs only: submit and wait; BLK_OK or a negative blk_error. */
int blk_sync(struct blk_device *d, enum blk_op op, uint64_t sector, uint32_t count, void *buf);

struct pci_device;

/* Set up one virtio-blk PCI function (a second call for it does nothing). */
int virtio_blk_probe(struct pci_device *pci);
