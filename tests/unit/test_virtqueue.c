/*
 * tests/unit/test_virtqueue.c — host tests for the split virtqueue.
 *
 * Links the real drivers/virtio/virtqueue.c and drives it against the
 * simulated device of virtio_sim.h, with host addresses as "physical"
 * addresses. Covered: layout and arguments, round trips of single and
 * chained buffers with their data, completion in any order, 16-bit index
 * wraparound, a full queue, notification suppression, and every kind of
 * device misbehaviour the ring code must catch — each time checking that
 * the queue is broken with the exact reason and that later calls are
 * refused without changing a byte (the ring and the bookkeeping are
 * allocated at their exact sizes, so ASan also sees any stray access).
 * A randomized test (fixed seed) mixes all of it.
 */

#define _POSIX_C_SOURCE 200112L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/virtio/virtqueue.h"
#include "tests/unit/virtio_sim.h"

/* ------------------------------------------------------------- layout ---- */

static void test_ring_layout(void **unused)
{
	(void)unused;
	assert_int_equal(vq_ring_bytes(1), 38);
	assert_int_equal(vq_ring_bytes(256), 6670);
	for (uint32_t size = 1; size <= VQ_MAX_SIZE; size *= 2) {
		struct harness h;
		struct virtqueue *vq = &h.vq;

		harness_open(&h, (uint16_t)size);
		assert_int_equal(vq_desc_phys(vq), (uintptr_t)h.ring);
		assert_int_equal(vq_avail_phys(vq) - vq_desc_phys(vq), 16 * size);
		assert_int_equal(vq_used_phys(vq) % 4, 0);
		assert_true(vq_used_phys(vq) >= vq_avail_phys(vq) + 6 + 2 * size);
		assert_true(vq_used_phys(vq) <= vq_avail_phys(vq) + 6 + 2 * size + 3);
		assert_int_equal(vq_used_phys(vq) + 6 + 8 * size - vq_desc_phys(vq), h.ring_bytes);
		for (size_t i = 0; i < h.ring_bytes; i++) {
			assert_int_equal(((uint8_t *)h.ring)[i], 0);
		}
		assert_int_equal(vq_free_count(vq), size);
		assert_int_equal(vq_in_flight(vq), 0);
		assert_string_equal(vq_broken_reason(vq), "");
		harness_close(&h);
	}
	const uint16_t bad[] = {0, 3, 6, 100, 32767, 40000, 65535};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(vq_ring_bytes(bad[i]), 0);
	}
}

static void test_init_rejects_bad_arguments(void **unused)
{
	struct harness h;
	uint8_t *ring;

	(void)unused;
	harness_open(&h, 8);
	ring = h.ring;
	assert_int_equal(vq_init(&h.vq, 8, NULL, 0, h.state), VQ_EINVAL);
	assert_int_equal(vq_init(&h.vq, 8, ring, (uintptr_t)ring, NULL), VQ_EINVAL);
	assert_int_equal(vq_init(&h.vq, 0, ring, (uintptr_t)ring, h.state), VQ_EINVAL);
	assert_int_equal(vq_init(&h.vq, 6, ring, (uintptr_t)ring, h.state), VQ_EINVAL);
	assert_int_equal(vq_init(&h.vq, 4, ring + 16, (uintptr_t)ring, h.state), VQ_EINVAL);
	assert_int_equal(vq_init(&h.vq, 4, ring, (uintptr_t)ring + 2, h.state), VQ_EINVAL);
	harness_close(&h);
}

/* ---------------------------------------------------------- round trips ---- */

static void test_single_buffer_round_trip(void **unused)
{
	struct harness h;
	struct vsim_chain c;

	(void)unused;
	harness_open(&h, 4);
	expect_none(&h);
	assert_int_equal(add_one(&h, 512, true, 1), 0);
	assert_int_equal(vq_free_count(&h.vq), 3);
	assert_int_equal(vq_in_flight(&h.vq), 1);
	assert_true(vsim_pop(&h.dev, &c));
	assert_int_equal(c.ndesc, 1);
	assert_int_equal(c.writable, 512);
	assert_int_equal(h.dev.desc[c.head].flags, VQ_DESC_F_WRITE);
	expect_none(&h); /* taken by the device, not yet used */
	vsim_push_raw(&h.dev, c.head, 100);
	expect_used(&h, 1, 100);
	expect_none(&h);
	assert_int_equal(vq_free_count(&h.vq), 4);
	assert_int_equal(vq_in_flight(&h.vq), 0);
	assert_int_equal(vq_added_count(&h.vq), 1);
	assert_int_equal(vq_completed_count(&h.vq), 1);
	harness_close(&h);
}

static void test_chain_round_trip(void **unused)
{
	struct harness h;
	struct vsim_chain c;
	uint8_t hdr[10], body[30], out1[16], out2[64];
	struct vq_buffer bufs[] = {
	    {(uintptr_t)hdr, sizeof(hdr), false},
	    {(uintptr_t)body, sizeof(body), false},
	    {(uintptr_t)out1, sizeof(out1), true},
	    {(uintptr_t)out2, sizeof(out2), true},
	};
	uint8_t expect[40];

	(void)unused;
	for (unsigned i = 0; i < sizeof(expect); i++) {
		expect[i] = (uint8_t)(i * 7 + 1);
		*(i < sizeof(hdr) ? &hdr[i] : &body[i - sizeof(hdr)]) = expect[i];
	}
	memset(out2, 0xee, sizeof(out2));
	harness_open(&h, 8);
	assert_int_equal(vq_add(&h.vq, bufs, 4, tok(5)), 0);
	assert_int_equal(vq_free_count(&h.vq), 4);
	assert_true(vsim_pop(&h.dev, &c));
	assert_int_equal(c.ndesc, 4);
	assert_int_equal(c.readable, 40);
	assert_int_equal(c.writable, 80);
	vsim_complete(&h.dev, &c);
	expect_used(&h, 5, 40);
	assert_memory_equal(out1, expect, 16);
	assert_memory_equal(out2, expect + 16, 24);
	assert_int_equal(out2[24], 0xee);
	assert_int_equal(vq_free_count(&h.vq), 8);
	/* A readable-only chain (a request with no reply) completes with 0. */
	assert_int_equal(vq_add(&h.vq, bufs, 2, tok(6)), 0);
	assert_true(vsim_pop(&h.dev, &c));
	assert_int_equal(c.writable, 0);
	vsim_complete(&h.dev, &c);
	expect_used(&h, 6, 0);
	harness_close(&h);
}

static void test_out_of_order_completion(void **unused)
{
	struct harness h;
	struct vsim_chain c[4];
	const unsigned order[] = {2, 0, 3, 1};

	(void)unused;
	harness_open(&h, 8);
	for (unsigned i = 0; i < 4; i++) {
		struct vq_buffer b[2] = {{0x1000, 8, false}, {0x2000 + i, 32, true}};

		assert_int_equal(vq_add(&h.vq, b, 2, tok(i)), 0);
	}
	assert_int_equal(vq_free_count(&h.vq), 0);
	for (unsigned i = 0; i < 4; i++) {
		assert_true(vsim_pop(&h.dev, &c[i]));
	}
	assert_false(vsim_pop(&h.dev, &c[0]));
	for (unsigned k = 0; k < 4; k++) {
		vsim_push_raw(&h.dev, c[order[k]].head, order[k]);
	}
	for (unsigned k = 0; k < 4; k++) {
		expect_used(&h, order[k], order[k]);
	}
	expect_none(&h);
	assert_int_equal(vq_free_count(&h.vq), 8);
	/* The recycled descriptors chain correctly again. */
	for (unsigned i = 0; i < 4; i++) {
		struct vq_buffer b[2] = {{0x1000, 8, false}, {0x3000, 32, true}};

		assert_int_equal(vq_add(&h.vq, b, 2, tok(10 + i)), 0);
		assert_true(vsim_pop(&h.dev, &c[i]));
		assert_int_equal(c[i].ndesc, 2);
	}
	harness_close(&h);
}

/* Fill the queue, complete everything in reverse, many times over 2^16. */
static void test_wraparound(void **unused)
{
	struct harness h;
	struct vsim_chain c[8];
	uint64_t ops = 0;
	uint8_t in[3] = {1, 2, 3}, out[3];

	(void)unused;
	harness_open(&h, 8);
	for (unsigned round = 0; ops < 3 * 65536 + 1234; round++) {
		unsigned n = 0, len = 1 + round % 2; /* readable only, or read + write */
		struct vq_buffer b[2] = {{(uintptr_t)in, 3, false}, {(uintptr_t)out, 3, true}};

		while (vq_add(&h.vq, b, len, tok(n)) == 0) {
			assert_true(vsim_pop(&h.dev, &c[n]));
			n++;
		}
		assert_int_equal(n * len, 8);
		for (unsigned k = n; k-- > 0;) {
			vsim_complete(&h.dev, &c[k]);
		}
		for (unsigned k = n; k-- > 0;) {
			expect_used(&h, k, len == 2 ? 3 : 0);
		}
		expect_none(&h);
		ops += n;
	}
	assert_int_equal(vq_added_count(&h.vq), ops);
	assert_int_equal(vq_completed_count(&h.vq), ops);
	assert_int_equal(h.dev.avail->idx, (uint16_t)ops);
	assert_int_equal(h.dev.used->idx, (uint16_t)ops);
	assert_int_equal(vq_free_count(&h.vq), 8);
	assert_false(vq_is_broken(&h.vq));
	harness_close(&h);
}

static void test_queue_full(void **unused)
{
	struct harness h;
	struct vsim_chain c;
	struct snapshot s;
	struct vq_buffer two[2] = {{0x1000, 8, false}, {0x2000, 8, true}};

	(void)unused;
	open_with(&h, 8, 8);
	snapshot_take(&s, &h);
	assert_int_equal(add_one(&h, 64, true, 8), VQ_ENOSPC);
	snapshot_check(&s, &h);
	assert_true(vsim_pop(&h.dev, &c));
	vsim_push_raw(&h.dev, c.head, 64);
	expect_used(&h, 0, 64);
	snapshot_take(&s, &h);
	assert_int_equal(vq_add(&h.vq, two, 2, tok(9)), VQ_ENOSPC);
	snapshot_check(&s, &h);
	assert_int_equal(add_one(&h, 64, true, 9), 0);
	assert_false(vq_is_broken(&h.vq));
	harness_close(&h);
}

static void test_add_rejects_bad_buffers(void **unused)
{
	struct harness h;
	struct snapshot s;
	struct vq_buffer wr[2] = {{0x1000, 8, true}, {0x2000, 8, false}};
	struct vq_buffer zero[1] = {{0x1000, 0, true}};
	struct vq_buffer wrap[1] = {{UINT64_MAX - 3, 8, false}};
	struct vq_buffer ok[5] = {{1, 1, false}, {2, 1, false}, {3, 1, true}, {4, 1, true}};

	(void)unused;
	harness_open(&h, 4);
	snapshot_take(&s, &h);
	assert_int_equal(vq_add(&h.vq, wr, 2, tok(0)), VQ_EINVAL); /* readable after writable */
	assert_int_equal(vq_add(&h.vq, ok, 1, NULL), VQ_EINVAL);
	assert_int_equal(vq_add(&h.vq, NULL, 1, tok(0)), VQ_EINVAL);
	assert_int_equal(vq_add(&h.vq, ok, 0, tok(0)), VQ_EINVAL);
	assert_int_equal(vq_add(&h.vq, ok, 5, tok(0)), VQ_EINVAL); /* more than size */
	assert_int_equal(vq_add(&h.vq, zero, 1, tok(0)), VQ_EINVAL);
	assert_int_equal(vq_add(&h.vq, wrap, 1, tok(0)), VQ_EINVAL);
	snapshot_check(&s, &h);
	assert_false(vq_is_broken(&h.vq));
	assert_int_equal(vq_add(&h.vq, ok, 4, tok(0)), 0); /* a chain as long as the queue */
	harness_close(&h);
}

static void test_kick_needed(void **unused)
{
	struct harness h;

	(void)unused;
	harness_open(&h, 4);
	assert_int_equal(add_one(&h, 8, false, 0), 0);
	assert_true(vq_kick_needed(&h.vq));
	vsim_set_no_notify(&h.dev, true);
	assert_int_equal(add_one(&h, 8, false, 1), 0);
	assert_false(vq_kick_needed(&h.vq));
	vsim_set_no_notify(&h.dev, false);
	assert_true(vq_kick_needed(&h.vq));
	assert_int_equal(h.dev.avail->flags, 0); /* we want used-buffer interrupts */
	harness_close(&h);
}

static void test_detach_unused(void **unused)
{
	struct harness h;
	unsigned seen = 0;
	void *t;

	(void)unused;
	harness_open(&h, 8);
	for (unsigned i = 0; i < 3; i++) {
		struct vq_buffer b[2] = {{0x1000, 8, false}, {0x2000, 8, true}};

		assert_int_equal(vq_add(&h.vq, b, 2, tok(i)), 0);
	}
	while ((t = vq_detach_unused(&h.vq)) != NULL) {
		uintptr_t n = (uintptr_t)t - 1;

		assert_true(n < 3 && !(seen & (1u << n)));
		seen |= 1u << n;
	}
	assert_int_equal(seen, 7);
	assert_int_equal(vq_free_count(&h.vq), 8);
	assert_int_equal(vq_in_flight(&h.vq), 0);
	harness_close(&h);
}

/* ------------------------------------------------------ hostile device ---- */

static void test_used_id_out_of_range(void **unused)
{
	struct harness h;

	(void)unused;
	open_with(&h, 256, 1);
	vsim_push_raw(&h.dev, 300, 0);
	expect_broken(&h, "used id 300 out of range (size 256)");
	harness_close(&h);
	open_with(&h, 4, 1); /* just past the end */
	vsim_push_raw(&h.dev, 4, 0);
	expect_broken(&h, "used id 4 out of range (size 4)");
	harness_close(&h);
	open_with(&h, 4, 1);
	vsim_push_raw(&h.dev, UINT32_MAX, 0);
	expect_broken(&h, "used id 4294967295 out of range (size 4)");
	harness_close(&h);
}

/* Never added, inside a chain but not its head, and completed twice. */
static void test_used_id_not_in_flight(void **unused)
{
	struct harness h;
	struct vq_buffer b[3] = {{0x1000, 8, false}, {0x2000, 8, true}, {0x3000, 8, true}};

	(void)unused;
	open_with(&h, 8, 1);
	vsim_push_raw(&h.dev, 5, 0);
	expect_broken(&h, "used id 5 is not in flight");
	harness_close(&h);
	harness_open(&h, 8);
	assert_int_equal(vq_add(&h.vq, b, 3, tok(0)), 0); /* descriptors 0, 1, 2 */
	vsim_push_raw(&h.dev, 1, 0);
	expect_broken(&h, "used id 1 is not in flight");
	harness_close(&h);
	open_with(&h, 8, 2);
	vsim_push_raw(&h.dev, 0, 10);
	vsim_push_raw(&h.dev, 0, 10);
	expect_used(&h, 0, 10);
	expect_broken(&h, "used id 0 is not in flight");
	assert_int_equal(vq_in_flight(&h.vq), 1); /* head 1 is still out there */
	harness_close(&h);
}

static void test_used_len_too_large(void **unused)
{
	struct harness h;
	struct vq_buffer b[2] = {{0x1000, 100, false}, {0x2000, 4096, true}};

	(void)unused;
	harness_open(&h, 8);
	assert_int_equal(vq_add(&h.vq, b, 2, tok(0)), 0);
	vsim_push_raw(&h.dev, 0, 9000);
	expect_broken(&h, "used len 9000 > writable 4096");
	harness_close(&h);
	harness_open(&h, 8); /* writing 1 byte into a readable-only chain */
	assert_int_equal(vq_add(&h.vq, b, 1, tok(0)), 0);
	vsim_push_raw(&h.dev, 0, 1);
	expect_broken(&h, "used len 1 > writable 0");
	harness_close(&h);
}

static void test_used_idx_ahead(void **unused)
{
	struct harness h;

	(void)unused;
	open_with(&h, 16, 8);
	vsim_set_used_idx(&h.dev, 40);
	expect_broken(&h, "used idx ran 40 ahead of 8 in flight");
	harness_close(&h);
	open_with(&h, 16, 0); /* garbage while nothing is in flight */
	vsim_set_used_idx(&h.dev, 0x1234);
	expect_broken(&h, "used idx ran 4660 ahead of 0 in flight");
	harness_close(&h);
}

static void test_used_idx_backwards(void **unused)
{
	struct harness h;

	(void)unused;
	open_with(&h, 8, 5);
	for (unsigned i = 0; i < 4; i++) {
		vsim_push_raw(&h.dev, i, 1);
		expect_used(&h, i, 1);
	}
	vsim_set_used_idx(&h.dev, 2);
	expect_broken(&h, "used idx went back from 4 to 2");
	harness_close(&h);
	open_with(&h, 8, 1);
	vsim_set_used_idx(&h.dev, 0x9abc);
	expect_broken(&h, "used idx went back from 0 to 39612");
	harness_close(&h);
}

/* ------------------------------------------------------------- random ---- */

static uint64_t rng_state;

static uint32_t rng_below(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 32) % n;
}

/* Offer a random request (now and then a malformed one); NULL if refused. */
static struct echo_req *req_add(struct harness *h)
{
	struct echo_req *r = calloc(1, sizeof(*r));
	struct vq_buffer b[4];
	bool bad;
	int expect;

	assert_non_null(r);
	r->n = 1 + rng_below(4);
	r->readable = rng_below(r->n + 1);
	for (unsigned i = 0; i < r->n; i++) {
		r->len[i] = (uint8_t)(1 + rng_below(32));
		for (unsigned k = 0; k < 32; k++) {
			r->data[i][k] = (uint8_t)rng_below(256);
		}
		b[i] = (struct vq_buffer){(uintptr_t)r->data[i], r->len[i], i >= r->readable};
	}
	bad = r->n >= 2 && rng_below(50) == 0; /* readable after writable */
	if (bad) {
		b[0].device_writable = true;
		b[r->n - 1].device_writable = false;
	}
	expect = bad || r->n > h->size ? VQ_EINVAL : r->n > vq_free_count(&h->vq) ? VQ_ENOSPC : 0;
	assert_int_equal(vq_add(&h->vq, b, r->n, r), expect);
	if (expect != 0) {
		free(r);
		return NULL;
	}
	return r;
}

struct model {
	struct vsim_chain *taken; /* popped by the device, not yet returned */
	unsigned ntaken, outstanding, descs;
	unsigned returned; /* used entries the driver has not consumed yet */
};

static void model_drain(struct harness *h, struct model *m)
{
	void *t;
	uint32_t w;

	while (vq_get_used(&h->vq, &t, &w) == 1) {
		m->descs -= echo_req_finish(t, w, true);
		m->outstanding--;
		m->returned--;
	}
}

static void model_step(struct harness *h, struct model *m)
{
	uint32_t op = rng_below(10);

	if (op < 4) {
		struct echo_req *r = req_add(h);

		if (r != NULL) {
			m->outstanding++;
			m->descs += r->n;
		}
	} else if (op < 6) {
		while (vsim_pop(&h->dev, &m->taken[m->ntaken])) {
			m->ntaken++;
		}
	} else if (op < 8 && m->ntaken > 0) {
		unsigned k = rng_below(m->ntaken);

		vsim_complete(&h->dev, &m->taken[k]);
		m->taken[k] = m->taken[--m->ntaken];
		m->returned++;
	} else {
		model_drain(h, m);
		assert_int_equal(m->returned, 0);
	}
	assert_int_equal(vq_free_count(&h->vq), h->size - m->descs);
	assert_int_equal(vq_in_flight(&h->vq), m->outstanding);
}

/* An id not among the heads the device holds (kind 1 of model_fault). */
static uint32_t model_unheld_id(const struct harness *h, const struct model *m)
{
	for (uint32_t id = rng_below(h->size);; id = (id + 1) % h->size) {
		unsigned k = 0;

		while (k < m->ntaken && m->taken[k].head != id) {
			k++;
		}
		if (k == m->ntaken) {
			return id;
		}
	}
}

/*
 * Misbehave in one of five ways; `why` gets the reason the queue must give.
 * A bad entry is consumed after the good ones before it, so it is judged
 * against what is in flight then; but if nothing would be in flight then,
 * the extra entry makes used->idx run ahead of everything in flight, which
 * is caught at once, before the good entries.
 */
static void model_fault(struct harness *h, struct model *m, char *why, size_t n)
{
	uint32_t kind = rng_below(5), L = h->dev.used_idx, F = m->outstanding - m->returned;
	uint32_t r = rng_below(0x7fff), id = h->size;

	while (vsim_pop(&h->dev, &m->taken[m->ntaken])) {
		m->ntaken++;
	}
	if (kind == 0 && m->ntaken > 0) {
		struct vsim_chain *c = &m->taken[rng_below(m->ntaken)];

		vsim_push_raw(&h->dev, c->head, c->writable + 1 + r);
		snprintf(why, n, "used len %u > writable %u", c->writable + 1 + r, c->writable);
	} else if (kind == 1 && h->size > m->ntaken) {
		id = model_unheld_id(h, m);
		vsim_push_raw(&h->dev, id, 0);
		snprintf(why, n, "used id %u is not in flight", id);
	} else if (kind == 2) {
		model_drain(h, m);
		vsim_set_used_idx(&h->dev, (uint16_t)(L - 1 - r));
		snprintf(why, n, "used idx went back from %u to %u", L, (uint16_t)(L - 1 - r));
		return;
	} else if (kind == 3) {
		uint32_t ahead;

		model_drain(h, m);
		ahead = m->outstanding + 1 + r % 100;
		vsim_set_used_idx(&h->dev, (uint16_t)(L + ahead));
		snprintf(why, n, "used idx ran %u ahead of %u in flight", ahead, m->outstanding);
		return;
	} else {
		id += kind == 4 ? r : UINT32_MAX - id;
		vsim_push_raw(&h->dev, id, 0);
		snprintf(why, n, "used id %u out of range (size %u)", id, h->size);
	}
	if (F == 0) {
		snprintf(why, n, "used idx ran %u ahead of %u in flight", m->returned + 1,
			 m->outstanding);
	}
}

/* Episodes over random queue sizes; most end in a device fault. */
static void test_randomized(void **unused)
{
	(void)unused;
	rng_state = 0x9e3779b97f4a7c15u;
	for (unsigned episode = 0; episode < 300; episode++) {
		struct harness h;
		struct model m = {0};
		uint32_t steps = rng_below(3000);
		bool fault = rng_below(4) != 0;
		char why[VQ_REASON_LEN];
		void *t;

		harness_open(&h, (uint16_t)(1u << rng_below(9)));
		m.taken = calloc(h.size, sizeof(*m.taken));
		assert_non_null(m.taken);
		for (uint32_t i = 0; i < steps; i++) {
			model_step(&h, &m);
		}
		if (fault) {
			model_fault(&h, &m, why, sizeof(why));
			model_drain(&h, &m);
			expect_broken(&h, why);
		}
		while ((t = vq_detach_unused(&h.vq)) != NULL) {
			m.descs -= echo_req_finish(t, 0, false);
			m.outstanding--;
		}
		assert_int_equal(m.outstanding, 0);
		assert_int_equal(vq_free_count(&h.vq), h.size);
		free(m.taken);
		harness_close(&h);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ring_layout),
	    cmocka_unit_test(test_init_rejects_bad_arguments),
	    cmocka_unit_test(test_single_buffer_round_trip),
	    cmocka_unit_test(test_chain_round_trip),
	    cmocka_unit_test(test_out_of_order_completion),
	    cmocka_unit_test(test_wraparound),
	    cmocka_unit_test(test_queue_full),
	    cmocka_unit_test(test_add_rejects_bad_buffers),
	    cmocka_unit_test(test_kick_needed),
	    cmocka_unit_test(test_detach_unused),
	    cmocka_unit_test(test_used_id_out_of_range),
	    cmocka_unit_test(test_used_id_not_in_flight),
	    cmocka_unit_test(test_used_len_too_large),
	    cmocka_unit_test(test_used_idx_ahead),
	    cmocka_unit_test(test_used_idx_backwards),
	    cmocka_unit_test(test_randomized),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
