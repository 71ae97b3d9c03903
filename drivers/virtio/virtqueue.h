#pragma once
/*
 * drivers/virtio/virtqueue.h — the driver side of a virtio 1.x split virtqueue.
 *
 * What: the ring logic every virtio device driver shares. A driver offers a
 * buffer (a chain of physically contiguous pieces, device-readable ones
 * first) with vq_add, notifies the device when vq_kick_needed says so, and
 * collects finished buffers with vq_get_used. The transport (PCI) only needs
 * the three device-visible addresses and the queue size.
 *
 * Why pure logic: no allocation, no MMIO, no globals. The caller provides all
 * storage, so the same file is linked into the kernel and into the host test
 * tests/unit/test_virtqueue.c, which runs it against a simulated device.
 *
 * Trust: the ring is shared with the device and the device is not trusted.
 * Nothing it writes is used as an index or a length before it is checked
 * against state the device cannot reach (struct vq_desc_state, kept by the
 * caller in driver-only memory). A device that breaks the protocol makes the
 * queue "broken": sticky, with a reason string; every later vq_add and
 * vq_get_used is refused. The driver then logs the reason and sets the
 * device status to FAILED. Bad arguments from the driver itself (a caller
 * bug) are refused with VQ_EINVAL and do not break the queue.
 *
 * Byte order: virtio 1.x rings are little-endian (le16/le32/le64), as is
 * x86-64, so the layout structs use plain integer types (asserted below).
 *
 * Callers: virtio device drivers, one task per queue. No locking inside: a
 * queue must not be used from two contexts at once (for example from an
 * interrupt handler while its task runs).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "virtio rings are little-endian; the structs below use native integers");

/* ------------------------------------------------- layout (virtio 1.x) ---- */

#define VQ_DESC_F_NEXT	   1 /* the chain continues at desc.next */
#define VQ_DESC_F_WRITE	   2 /* device-writable (otherwise device-readable) */
#define VQ_DESC_F_INDIRECT 4 /* points to a table of descriptors (not used by us) */

#define VQ_AVAIL_F_NO_INTERRUPT 1 /* driver -> device: do not interrupt me */
#define VQ_USED_F_NO_NOTIFY	1 /* device -> driver: do not notify me */

#define VQ_MAX_SIZE   32768 /* largest power of two a 16-bit idx can tell full from empty */
#define VQ_RING_ALIGN 4096  /* we require the whole ring block to be page-aligned */

/* Descriptor table entry: 16-byte aligned table of `size` entries. */
struct vq_desc {
	uint64_t addr; /* le64: physical address of the buffer */
	uint32_t len;  /* le32: its length in bytes */
	uint16_t flags;
	uint16_t next; /* le16: next descriptor when flags has VQ_DESC_F_NEXT */
};

/* Available ring (driver -> device), 2-byte aligned: then ring[size] and
 * used_event (ring[size], only with EVENT_IDX, which we do not negotiate). */
struct vq_avail {
	uint16_t flags;
	uint16_t idx; /* free-running count of heads published, wraps at 65536 */
	uint16_t ring[];
};

struct vq_used_elem {
	uint32_t id;  /* head of the finished chain */
	uint32_t len; /* bytes the device wrote into the chain's writable part */
};

/* Used ring (device -> driver), 4-byte aligned: then ring[size] and a
 * trailing le16 avail_event (only with EVENT_IDX). */
struct vq_used {
	uint16_t flags;
	uint16_t idx; /* free-running count of entries the device wrote */
	struct vq_used_elem ring[];
};

_Static_assert(sizeof(struct vq_desc) == 16, "virtq_desc is 16 bytes");
_Static_assert(offsetof(struct vq_desc, len) == 8, "virtq_desc.len at 8");
_Static_assert(offsetof(struct vq_desc, flags) == 12, "virtq_desc.flags at 12");
_Static_assert(offsetof(struct vq_desc, next) == 14, "virtq_desc.next at 14");
_Static_assert(sizeof(struct vq_avail) == 4, "virtq_avail header is 4 bytes");
_Static_assert(offsetof(struct vq_avail, ring) == 4, "virtq_avail.ring at 4");
_Static_assert(sizeof(struct vq_used_elem) == 8, "virtq_used_elem is 8 bytes");
_Static_assert(sizeof(struct vq_used) == 4, "virtq_used header is 4 bytes");
_Static_assert(offsetof(struct vq_used, ring) == 4, "virtq_used.ring at 4");

/* --------------------------------------------------- memory barriers ---- */
/*
 * x86-64 is TSO: stores are seen in program order by other agents (store ->
 * store holds) and loads are not reordered with older loads (load -> load
 * holds), so for those two only the compiler must be stopped. The one
 * ordering TSO does not give is an older store before a younger load (the
 * store may still sit in the store buffer): publishing avail->idx and then
 * reading used->flags is exactly that, and the spec asks for a barrier there
 * ("before reading flags or avail_event, to avoid missing a notification"),
 * with or without EVENT_IDX. The device does the mirror image (clear
 * NO_NOTIFY, full barrier, re-read avail->idx); without our half both sides
 * can miss each other and the queue stalls. So vq_mb() is a real fence.
 * These are inline functions, not macros, so they work on the host as well.
 */
static inline void vq_wmb(void)
{
	__asm__ __volatile__("" ::: "memory");
}

static inline void vq_rmb(void)
{
	__asm__ __volatile__("" ::: "memory");
}

static inline void vq_mb(void)
{
	__asm__ __volatile__("mfence" ::: "memory");
}

/* ---------------------------------------------------------------- API ---- */

enum vq_error {
	VQ_EINVAL = -1,	 /* bad argument from the caller; the queue is unchanged */
	VQ_ENOSPC = -2,	 /* not enough free descriptors now; retry after completions */
	VQ_EBROKEN = -3, /* the device broke the protocol; see vq_broken_reason */
};

#define VQ_REASON_LEN 80

/*
 * Driver-only bookkeeping, one entry per descriptor (caller storage, never
 * shared with the device). `next` shadows desc.next: the free list runs
 * through it, and so does every chain, so freeing a chain never reads the
 * device-visible table. token/writable/count are meaningful on chain heads.
 */
struct vq_desc_state {
	void *token;	   /* non-NULL iff this is the head of a chain in flight */
	uint32_t writable; /* head: total device-writable bytes (saturating) */
	uint16_t next;	   /* free-list link, or next descriptor of the chain */
	uint16_t count;	   /* head: descriptors in the chain (1..size) */
};

#define VQ_STATE_BYTES(size) ((size_t)(size) * sizeof(struct vq_desc_state))

/* Fields are private to virtqueue.c; visible so callers can hold the storage. */
struct virtqueue {
	struct vq_desc *desc;
	struct vq_avail *avail;
	struct vq_used *used;
	struct vq_desc_state *state;
	uint64_t ring_phys;
	uint64_t added;	    /* buffers made available since vq_init */
	uint64_t completed; /* buffers returned by vq_get_used since vq_init */
	uint32_t avail_off; /* byte offsets of the avail and used rings in the block */
	uint32_t used_off;
	uint16_t size; /* power of two, 1..VQ_MAX_SIZE */
	uint16_t free_head;
	uint16_t free_count; /* descriptors on the free list */
	uint16_t in_flight;  /* chains made available and not yet returned */
	uint16_t avail_idx;  /* our copy of avail->idx: never read back from the ring */
	uint16_t last_used;  /* used->idx value up to which we have consumed */
	bool broken;
	char reason[VQ_REASON_LEN]; /* NUL-terminated; "" while not broken */
};

struct vq_buffer {
	uint64_t phys; /* physical address, as the device sees it */
	uint32_t len;  /* > 0 */
	bool device_writable;
};

/* Bytes of the ring block for a queue of `size` entries (descriptor table,
 * avail ring, used ring, each with its virtio 1.x alignment); 0 when size is
 * not a power of two in 1..VQ_MAX_SIZE. */
size_t vq_ring_bytes(uint16_t size);

/*
 * Set up `vq` over caller storage: `ring` (vq_ring_bytes(size) bytes,
 * VQ_RING_ALIGN-aligned, device address ring_phys, also VQ_RING_ALIGN-aligned)
 * is zeroed; `state` holds `size` entries (VQ_STATE_BYTES(size)). Returns 0
 * or VQ_EINVAL. Also the way to reuse a queue after a device reset.
 */
int vq_init(struct virtqueue *vq, uint16_t size, void *ring, uint64_t ring_phys,
	    struct vq_desc_state *state);

/* Device addresses of the three parts, for the transport's queue registers. */
uint64_t vq_desc_phys(const struct virtqueue *vq);
uint64_t vq_avail_phys(const struct virtqueue *vq);
uint64_t vq_used_phys(const struct virtqueue *vq);
uint16_t vq_size(const struct virtqueue *vq);

/*
 * Chain bufs[0..count) into one buffer and make it available. Device-readable
 * pieces must come before device-writable ones. token (non-NULL) is what
 * vq_get_used hands back. Returns 0, VQ_EINVAL (nothing changed), VQ_ENOSPC
 * (fewer than count free descriptors; nothing changed) or VQ_EBROKEN.
 */
int vq_add(struct virtqueue *vq, const struct vq_buffer *bufs, unsigned count, void *token);

/* After vq_add: whether the device wants an available-buffer notification.
 * Contains the full barrier the spec requires before reading used->flags. */
bool vq_kick_needed(const struct virtqueue *vq);

/*
 * Take the next finished buffer: returns 1 with *token and *written (bytes
 * the device wrote, already checked against the chain's writable size), 0
 * when none is pending, VQ_EBROKEN if the device broke the protocol (now or
 * before). *token and *written are written only when 1 is returned.
 */
int vq_get_used(struct virtqueue *vq, void **token, uint32_t *written);

/*
 * After a device reset only (the device no longer touches the ring): hand
 * back the token of one buffer still in flight, NULL when none is left. The
 * driver frees what its tokens refer to and calls vq_init before reuse.
 */
void *vq_detach_unused(struct virtqueue *vq);

bool vq_is_broken(const struct virtqueue *vq);
const char *vq_broken_reason(const struct virtqueue *vq); /* "" while not broken */
unsigned vq_free_count(const struct virtqueue *vq);
unsigned vq_in_flight(const struct virtqueue *vq);
uint64_t vq_added_count(const struct virtqueue *vq);
uint64_t vq_completed_count(const struct virtqueue *vq);
