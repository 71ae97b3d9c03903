/*
 * drivers/virtio/virtqueue.c — split virtqueue, driver side (virtio 1.x).
 *
 * Ring block (one page-aligned, caller-provided block; offsets from its start):
 *
 *   0                  descriptor table   16 * size        (16-aligned)
 *   16 * size          avail ring         6 + 2 * size     (2-aligned)
 *   align4(...)        used ring          6 + 8 * size     (4-aligned)
 *
 * Ownership: the driver writes the descriptor table and the avail ring, the
 * device writes the used ring. We never read back what we wrote to the
 * shared block (avail->idx is mirrored in vq->avail_idx, desc.next in
 * state[].next), so a device scribbling over "our" parts can only hurt
 * itself. Every value read from the used ring is read once (volatile) into
 * a local and checked before use:
 *
 *   used->idx    pending = idx - last_used (mod 2^16) must be <= in_flight;
 *                more is "ran ahead", a negative distance "went back";
 *   used id      < size, and state[id].token != NULL, i.e. the head of a
 *                chain in flight (this also rejects a second completion of
 *                the same chain and ids of non-head descriptors);
 *   used len     <= the chain's device-writable total, recorded at vq_add.
 *
 * Free list: descriptors not in flight are linked through state[].next,
 * starting at free_head. vq_add takes `count` entries from its front and,
 * because consecutive free-list entries are linked through the same
 * state[].next, they already form the chain: the device-visible desc.next is
 * a copy of that shadow. Completion returns the chain to the front of the
 * list walking state[].next exactly count - 1 steps, count being recorded at
 * vq_add (<= size), so no device write can make the walk longer.
 *
 * Invariants (between calls): free_count + the descriptors of all chains in
 * flight == size; in_flight == number of state[] entries with a token;
 * (uint16_t)(avail_idx - last_used) == in_flight; once broken, nothing but
 * vq_detach_unused and vq_init changes the queue any more.
 */

#include <stdarg.h>

#include "drivers/virtio/virtqueue.h"
#include "lib/string.h"

/* ---------------------------------------------------------- layout ---- */

static bool vq_size_ok(uint16_t size)
{
	return size != 0 && (size & (size - 1)) == 0 && size <= VQ_MAX_SIZE;
}

static uint32_t vq_avail_offset(uint16_t size)
{
	return (uint32_t)size * sizeof(struct vq_desc);
}

static uint32_t vq_used_offset(uint16_t size)
{
	uint32_t avail_end = vq_avail_offset(size) + 6 + 2 * (uint32_t)size;

	return (avail_end + 3) & ~(uint32_t)3;
}

size_t vq_ring_bytes(uint16_t size)
{
	if (!vq_size_ok(size)) {
		return 0;
	}
	return (size_t)vq_used_offset(size) + 6 + 8 * (size_t)size;
}

/* ------------------------------------------------ shared-memory access ---- */
/* Volatile: the device may change these at any time; each is read once. */

static uint16_t vq_load16(const volatile uint16_t *p)
{
	return *p;
}

static uint32_t vq_load32(const volatile uint32_t *p)
{
	return *p;
}

static void vq_store16(volatile uint16_t *p, uint16_t v)
{
	*p = v;
}

/* ----------------------------------------------------- broken state ---- */

static void vq_reason_put(struct virtqueue *vq, size_t *at, const char *s, size_t n)
{
	while (n-- > 0 && *at + 1 < sizeof(vq->reason)) {
		vq->reason[(*at)++] = *s++;
	}
}

static void vq_reason_put_uint(struct virtqueue *vq, size_t *at, unsigned v)
{
	char digits[10];
	size_t n = 0;

	do {
		digits[sizeof(digits) - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	vq_reason_put(vq, at, digits + sizeof(digits) - n, n);
}

/*
 * Mark the queue broken for good, with a reason formatted from fmt, which
 * knows only %u (unsigned int). The reason is cut at VQ_REASON_LEN - 1.
 */
static int vq_break(struct virtqueue *vq, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int vq_break(struct virtqueue *vq, const char *fmt, ...)
{
	va_list ap;
	size_t at = 0;

	va_start(ap, fmt);
	for (const char *p = fmt; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] == 'u') {
			vq_reason_put_uint(vq, &at, va_arg(ap, unsigned));
			p++;
		} else {
			vq_reason_put(vq, &at, p, 1);
		}
	}
	va_end(ap);
	vq->reason[at] = '\0';
	vq->broken = true;
	return VQ_EBROKEN;
}

/* ----------------------------------------------------------- set-up ---- */

int vq_init(struct virtqueue *vq, uint16_t size, void *ring, uint64_t ring_phys,
	    struct vq_desc_state *state)
{
	uint8_t *base = ring;

	if (vq == NULL || ring == NULL || state == NULL || !vq_size_ok(size)) {
		return VQ_EINVAL;
	}
	if ((uintptr_t)ring % VQ_RING_ALIGN != 0 || ring_phys % VQ_RING_ALIGN != 0) {
		return VQ_EINVAL;
	}
	memset(ring, 0, vq_ring_bytes(size)); /* also flags = 0, as the spec asks */
	memset(vq, 0, sizeof(*vq));
	vq->size = size;
	vq->ring_phys = ring_phys;
	vq->avail_off = vq_avail_offset(size);
	vq->used_off = vq_used_offset(size);
	vq->desc = (struct vq_desc *)base;
	vq->avail = (struct vq_avail *)(base + vq->avail_off);
	vq->used = (struct vq_used *)(base + vq->used_off);
	vq->state = state;
	for (uint32_t i = 0; i < size; i++) {
		state[i] = (struct vq_desc_state){.next = (uint16_t)((i + 1) & (size - 1u))};
	}
	vq->free_head = 0;
	vq->free_count = size;
	return 0;
}

uint64_t vq_desc_phys(const struct virtqueue *vq)
{
	return vq->ring_phys;
}

uint64_t vq_avail_phys(const struct virtqueue *vq)
{
	return vq->ring_phys + vq->avail_off;
}

uint64_t vq_used_phys(const struct virtqueue *vq)
{
	return vq->ring_phys + vq->used_off;
}

uint16_t vq_size(const struct virtqueue *vq)
{
	return vq->size;
}

/* ------------------------------------------------------------- add ---- */

/* Decode: readable pieces first, no empty piece, no piece wrapping 2^64. */
static int vq_check_bufs(const struct virtqueue *vq, const struct vq_buffer *bufs, unsigned count,
			 const void *token)
{
	bool seen_writable = false;

	if (bufs == NULL || token == NULL || count == 0 || count > vq->size) {
		return VQ_EINVAL;
	}
	for (unsigned i = 0; i < count; i++) {
		if (bufs[i].len == 0 || bufs[i].phys > UINT64_MAX - (bufs[i].len - 1)) {
			return VQ_EINVAL;
		}
		if (bufs[i].device_writable) {
			seen_writable = true;
		} else if (seen_writable) {
			return VQ_EINVAL;
		}
	}
	return 0;
}

/* Fill descriptors for bufs from the free list; returns the chain's head. */
static uint16_t vq_fill_chain(struct virtqueue *vq, const struct vq_buffer *bufs, unsigned count,
			      void *token)
{
	uint16_t head = vq->free_head;
	uint16_t d = head;
	uint64_t writable = 0;

	for (unsigned i = 0; i < count; i++) {
		bool last = i + 1 == count;
		struct vq_desc *desc = &vq->desc[d];

		desc->addr = bufs[i].phys;
		desc->len = bufs[i].len;
		desc->flags = (uint16_t)((bufs[i].device_writable ? VQ_DESC_F_WRITE : 0) |
					 (last ? 0 : VQ_DESC_F_NEXT));
		desc->next = last ? 0 : vq->state[d].next;
		if (bufs[i].device_writable) {
			writable += bufs[i].len;
		}
		if (!last) {
			d = vq->state[d].next;
		}
	}
	vq->free_head = vq->state[d].next; /* d is the chain's last descriptor */
	vq->free_count = (uint16_t)(vq->free_count - count);
	vq->state[head].token = token;
	vq->state[head].count = (uint16_t)count;
	vq->state[head].writable = writable > UINT32_MAX ? UINT32_MAX : (uint32_t)writable;
	return head;
}

int vq_add(struct virtqueue *vq, const struct vq_buffer *bufs, unsigned count, void *token)
{
	uint16_t head;
	int err;

	if (vq->broken) {
		return VQ_EBROKEN;
	}
	err = vq_check_bufs(vq, bufs, count, token);
	if (err != 0) {
		return err;
	}
	if (count > vq->free_count) {
		return VQ_ENOSPC;
	}
	head = vq_fill_chain(vq, bufs, count, token);
	vq->avail->ring[vq->avail_idx & (vq->size - 1u)] = head;
	/* Orders the descriptor and avail->ring stores before the avail->idx
	 * store that publishes them (store -> store: compiler only on TSO). */
	vq_wmb();
	vq->avail_idx++;
	vq_store16(&vq->avail->idx, vq->avail_idx);
	vq->in_flight++;
	vq->added++;
	return 0;
}

bool vq_kick_needed(const struct virtqueue *vq)
{
	/* Orders the avail->idx store of vq_add before the used->flags load
	 * (store -> load: not given by TSO, so a real fence; see the header). */
	vq_mb();
	return (vq_load16(&vq->used->flags) & VQ_USED_F_NO_NOTIFY) == 0;
}

/* ------------------------------------------------------------ used ---- */

/* Decode used->idx: how many entries are pending, or VQ_EBROKEN. */
static int vq_pending(struct virtqueue *vq)
{
	uint16_t idx = vq_load16(&vq->used->idx);
	uint16_t pending = (uint16_t)(idx - vq->last_used);

	if (pending <= vq->in_flight) {
		return pending;
	}
	if (pending >= 0x8000) {
		return vq_break(vq, "used idx went back from %u to %u", vq->last_used, idx);
	}
	return vq_break(vq, "used idx ran %u ahead of %u in flight", pending, vq->in_flight);
}

/* Decode one used entry; 0 when id and len are acceptable. */
static int vq_check_used(struct virtqueue *vq, uint32_t id, uint32_t len)
{
	if (id >= vq->size) {
		return vq_break(vq, "used id %u out of range (size %u)", id, vq->size);
	}
	if (vq->state[id].token == NULL) {
		return vq_break(vq, "used id %u is not in flight", id);
	}
	if (len > vq->state[id].writable) {
		return vq_break(vq, "used len %u > writable %u", len, vq->state[id].writable);
	}
	return 0;
}

/* Return the chain at head to the free list (bounded walk over our shadow). */
static void vq_free_chain(struct virtqueue *vq, uint16_t head)
{
	struct vq_desc_state *st = vq->state;
	uint16_t count = st[head].count;
	uint16_t last = head;

	for (uint16_t i = 1; i < count; i++) {
		last = st[last].next;
	}
	st[last].next = vq->free_head;
	vq->free_head = head;
	vq->free_count = (uint16_t)(vq->free_count + count);
	st[head].token = NULL;
	st[head].count = 0;
	st[head].writable = 0;
}

int vq_get_used(struct virtqueue *vq, void **token, uint32_t *written)
{
	const volatile struct vq_used_elem *elem;
	uint32_t id, len;
	int pending;

	if (vq->broken) {
		return VQ_EBROKEN;
	}
	pending = vq_pending(vq);
	if (pending <= 0) {
		return pending;
	}
	/* Orders the used->idx load before the loads of the entry it covers
	 * (load -> load: compiler only on TSO). */
	vq_rmb();
	elem = &vq->used->ring[vq->last_used & (vq->size - 1u)];
	id = vq_load32(&elem->id);
	len = vq_load32(&elem->len);
	if (vq_check_used(vq, id, len) != 0) {
		return VQ_EBROKEN;
	}
	*token = vq->state[id].token;
	*written = len;
	vq_free_chain(vq, (uint16_t)id);
	vq->last_used++;
	vq->in_flight--;
	vq->completed++;
	return 1;
}

void *vq_detach_unused(struct virtqueue *vq)
{
	for (uint32_t i = 0; i < vq->size && vq->in_flight > 0; i++) {
		void *token = vq->state[i].token;

		if (token != NULL) {
			vq_free_chain(vq, (uint16_t)i);
			vq->in_flight--;
			return token;
		}
	}
	return NULL;
}

/* ------------------------------------------------------ predicates ---- */

bool vq_is_broken(const struct virtqueue *vq)
{
	return vq->broken;
}

const char *vq_broken_reason(const struct virtqueue *vq)
{
	return vq->reason;
}

unsigned vq_free_count(const struct virtqueue *vq)
{
	return vq->free_count;
}

unsigned vq_in_flight(const struct virtqueue *vq)
{
	return vq->in_flight;
}

uint64_t vq_added_count(const struct virtqueue *vq)
{
	return vq->added;
}

uint64_t vq_completed_count(const struct virtqueue *vq)
{
	return vq->completed;
}
