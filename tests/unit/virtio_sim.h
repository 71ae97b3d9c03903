#pragma once
/*
 * tests/unit/virtio_sim.h — a simulated virtio device for host tests.
 *
 * The device side of a split virtqueue, written from the spec like a real
 * device would be: it finds the ring through the three device addresses the
 * driver would program into the transport (physical == host address here,
 * an identity mapping), takes heads from the avail ring, walks their chains
 * in the descriptor table, and returns them through the used ring in any
 * order the test chooses. Its "function" is an echo: it copies the chain's
 * readable bytes into its writable bytes and reports how many it wrote.
 *
 * It also checks what the driver wrote (chain shape, flags, indices), so the
 * ring code is tested from both sides. The raw helpers (vsim_push_raw,
 * vsim_set_used_idx) let a test misbehave on purpose.
 *
 * The second half wires a real struct virtqueue (ring and bookkeeping
 * allocated at their exact sizes, so ASan sees any stray access) to a device
 * and gives the checks the tests share: snapshots for "this call changed
 * nothing", and expect_broken for "broken, with this reason, for good".
 *
 * Header-only (static inline) because each host test links only the kernel
 * sources its Makefile line names. Include after <cmocka.h>, with
 * _POSIX_C_SOURCE >= 200112L defined (posix_memalign).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/virtio/virtqueue.h"

struct vsim {
	struct vq_desc *desc;
	struct vq_avail *avail;
	struct vq_used *used;
	uint16_t size;
	uint16_t last_avail; /* next avail entry the device takes */
	uint16_t used_idx;   /* the device's own count of used entries */
};

/* A chain the device has taken from the avail ring. */
struct vsim_chain {
	uint16_t head;
	unsigned ndesc;
	uint32_t readable; /* total bytes of the device-readable part */
	uint32_t writable; /* total bytes of the device-writable part */
};

static inline void *vsim_ptr(uint64_t phys)
{
	return (void *)(uintptr_t)phys;
}

static inline void vsim_init(struct vsim *s, const struct virtqueue *vq)
{
	*s = (struct vsim){
	    .desc = vsim_ptr(vq_desc_phys(vq)),
	    .avail = vsim_ptr(vq_avail_phys(vq)),
	    .used = vsim_ptr(vq_used_phys(vq)),
	    .size = vq_size(vq),
	};
	assert_int_equal((uintptr_t)s->desc % 16, 0);
	assert_int_equal((uintptr_t)s->avail % 2, 0);
	assert_int_equal((uintptr_t)s->used % 4, 0);
}

/* Walk a chain as a device must: bounded, readable part before writable. */
static inline void vsim_walk(const struct vsim *s, struct vsim_chain *c)
{
	uint16_t d = c->head;
	bool seen_writable = false;

	assert_true(d < s->size);
	for (c->ndesc = 1;; c->ndesc++) {
		const struct vq_desc *desc = &s->desc[d];

		assert_true(c->ndesc <= s->size);
		assert_int_equal(desc->flags & ~(VQ_DESC_F_NEXT | VQ_DESC_F_WRITE), 0);
		assert_true(desc->len > 0);
		if (desc->flags & VQ_DESC_F_WRITE) {
			seen_writable = true;
			c->writable += desc->len;
		} else {
			assert_false(seen_writable);
			c->readable += desc->len;
		}
		if (!(desc->flags & VQ_DESC_F_NEXT)) {
			return;
		}
		assert_true(desc->next < s->size);
		d = desc->next;
	}
}

/* Take the next available chain; false when the driver published none. */
static inline bool vsim_pop(struct vsim *s, struct vsim_chain *c)
{
	uint16_t idx = *(volatile uint16_t *)&s->avail->idx;

	if (idx == s->last_avail) {
		return false;
	}
	assert_true((uint16_t)(idx - s->last_avail) <= s->size);
	vq_rmb(); /* avail->idx before the ring entry and descriptors it covers */
	*c = (struct vsim_chain){.head = s->avail->ring[s->last_avail & (s->size - 1u)]};
	s->last_avail++;
	vsim_walk(s, c);
	return true;
}

/* The device's work: copy readable bytes into writable ones; bytes written. */
static inline uint32_t vsim_echo(const struct vsim *s, const struct vsim_chain *c)
{
	uint8_t *tmp = malloc(c->readable + 1u);
	uint32_t got = 0, put = 0, n = c->readable < c->writable ? c->readable : c->writable;
	uint16_t d = c->head;

	assert_non_null(tmp);
	for (unsigned i = 0; i < c->ndesc; i++, d = s->desc[d].next) {
		const struct vq_desc *desc = &s->desc[d];
		uint8_t *buf = vsim_ptr(desc->addr);

		if (!(desc->flags & VQ_DESC_F_WRITE)) {
			memcpy(tmp + got, buf, desc->len);
			got += desc->len;
		} else if (put < n) {
			uint32_t k = n - put < desc->len ? n - put : desc->len;

			memcpy(buf, tmp + put, k);
			put += k;
		}
	}
	free(tmp);
	return n;
}

/* Write one used entry, exactly as given (which may be a lie). */
static inline void vsim_push_raw(struct vsim *s, uint32_t id, uint32_t len)
{
	struct vq_used_elem *e = &s->used->ring[s->used_idx & (s->size - 1u)];

	e->id = id;
	e->len = len;
	vq_wmb(); /* the entry before the used->idx store that publishes it */
	s->used_idx++;
	*(volatile uint16_t *)&s->used->idx = s->used_idx;
}

/* Do the chain's work and return it. */
static inline void vsim_complete(struct vsim *s, const struct vsim_chain *c)
{
	vsim_push_raw(s, c->head, vsim_echo(s, c));
}

/* Overwrite used->idx with anything (the device's count follows it). */
static inline void vsim_set_used_idx(struct vsim *s, uint16_t idx)
{
	s->used_idx = idx;
	*(volatile uint16_t *)&s->used->idx = idx;
}

static inline void vsim_set_no_notify(struct vsim *s, bool no_notify)
{
	*(volatile uint16_t *)&s->used->flags = no_notify ? VQ_USED_F_NO_NOTIFY : 0;
}

/* ------------------------------------------------------ echo requests ---- */

/* A buffer for the echo device: up to four pieces of up to 32 bytes, the
 * first `readable` device-readable. Its address serves as the token. */
struct echo_req {
	unsigned n, readable; /* pieces, of which the first `readable` are readable */
	uint8_t len[4];
	uint8_t data[4][32];
};

/* Free a request; if the device completed it, its writable pieces must hold
 * the first `written` bytes of its readable ones, `written` being the smaller
 * of the two sizes (what vsim_echo does). Returns its descriptor count. */
static inline unsigned echo_req_finish(void *token, uint32_t written, bool completed)
{
	struct echo_req *r = token;
	uint8_t in[128], out[128];
	unsigned nin = 0, nout = 0, n = r->n;

	for (unsigned i = 0; i < r->n; i++) {
		uint8_t *dst = i < r->readable ? in + nin : out + nout;

		memcpy(dst, r->data[i], r->len[i]);
		*(i < r->readable ? &nin : &nout) += r->len[i];
	}
	if (completed) {
		assert_int_equal(written, nin < nout ? nin : nout);
		assert_memory_equal(in, out, written);
	}
	free(r);
	return n;
}

/* ------------------------------------------- a queue wired to a device ---- */

struct harness {
	struct virtqueue vq;
	struct vsim dev;
	uint16_t size;
	size_t ring_bytes;
	void *ring;
	struct vq_desc_state *state;
};

static inline void harness_open(struct harness *h, uint16_t size)
{
	memset(h, 0, sizeof(*h));
	h->size = size;
	h->ring_bytes = vq_ring_bytes(size);
	assert_true(h->ring_bytes > 0);
	assert_int_equal(posix_memalign(&h->ring, VQ_RING_ALIGN, h->ring_bytes), 0);
	memset(h->ring, 0xa5, h->ring_bytes); /* vq_init must clear it */
	h->state = malloc(VQ_STATE_BYTES(size));
	assert_non_null(h->state);
	assert_int_equal(vq_init(&h->vq, size, h->ring, (uintptr_t)h->ring, h->state), 0);
	vsim_init(&h->dev, &h->vq);
}

static inline void harness_close(struct harness *h)
{
	free(h->ring);
	free(h->state);
}

/* Everything a refused call must leave as it was. */
struct snapshot {
	struct virtqueue vq;
	uint8_t *ring;
	struct vq_desc_state *state;
};

static inline void snapshot_take(struct snapshot *s, const struct harness *h)
{
	memcpy(&s->vq, &h->vq, sizeof(s->vq)); /* padding too: compared bytewise */
	s->ring = malloc(h->ring_bytes);
	s->state = malloc(VQ_STATE_BYTES(h->size));
	assert_non_null(s->ring);
	assert_non_null(s->state);
	memcpy(s->ring, h->ring, h->ring_bytes);
	memcpy(s->state, h->state, VQ_STATE_BYTES(h->size));
}

static inline void snapshot_check(struct snapshot *s, const struct harness *h)
{
	assert_memory_equal(&s->vq, &h->vq, sizeof(s->vq));
	assert_memory_equal(s->ring, h->ring, h->ring_bytes);
	assert_memory_equal(s->state, h->state, VQ_STATE_BYTES(h->size));
	free(s->ring);
	free(s->state);
}

static inline void *tok(uintptr_t n)
{
	return (void *)(n + 1);
}

static inline int add_one(struct harness *h, uint32_t len, bool writable, uintptr_t token)
{
	static uint8_t sink[8192];
	struct vq_buffer b = {(uintptr_t)sink, len, writable};

	return vq_add(&h->vq, &b, 1, tok(token));
}

/* A queue of `size` with `n` single 64-byte writable buffers in flight
 * (tokens 0..n-1, heads 0..n-1), not yet taken by the device. */
static inline void open_with(struct harness *h, uint16_t size, unsigned n)
{
	harness_open(h, size);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(add_one(h, 64, true, i), 0);
	}
}

static inline void expect_used(struct harness *h, uintptr_t token, uint32_t written)
{
	void *t = NULL;
	uint32_t w = 0xdead;

	assert_int_equal(vq_get_used(&h->vq, &t, &w), 1);
	assert_ptr_equal(t, tok(token));
	assert_int_equal(w, written);
}

static inline void expect_none(struct harness *h)
{
	void *t = NULL;
	uint32_t w = 0;

	assert_int_equal(vq_get_used(&h->vq, &t, &w), 0);
	assert_null(t);
}

/*
 * The next vq_get_used finds (or has found) the device's fault: it fails
 * without writing *token or *written and sets only the broken flag and the
 * reason. Then the device makes the ring look healthy again (nothing
 * pending): every call must still be refused, without changing a byte.
 */
static inline void expect_broken(struct harness *h, const char *reason)
{
	struct snapshot s;
	void *t = &s;
	uint32_t w = 77;

	snapshot_take(&s, h);
	assert_int_equal(vq_get_used(&h->vq, &t, &w), VQ_EBROKEN);
	assert_true(vq_is_broken(&h->vq));
	assert_string_equal(vq_broken_reason(&h->vq), reason);
	s.vq.broken = true;
	memcpy(s.vq.reason, h->vq.reason, sizeof(s.vq.reason));
	snapshot_check(&s, h);
	vsim_set_used_idx(&h->dev, (uint16_t)vq_completed_count(&h->vq));
	snapshot_take(&s, h);
	assert_int_equal(add_one(h, 16, true, 99), VQ_EBROKEN);
	assert_int_equal(vq_get_used(&h->vq, &t, &w), VQ_EBROKEN);
	assert_ptr_equal(t, &s);
	assert_int_equal(w, 77);
	snapshot_check(&s, h);
	assert_string_equal(vq_broken_reason(&h->vq), reason);
}
