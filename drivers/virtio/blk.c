/*
 * The virtio-blk driver; see blk.h. Protocol from the virtio 1.x
 * specification, "Block Device": one request queue (queue 0); a request is
 * a chain of a device-readable header {le32 type, le32 reserved, le64
 * sector}, the data (device-readable for a write, device-writable for a
 * read, absent for a flush) and one device-writable status byte.
 *
 * Requests in flight: each issued request owns a slot, a fixed piece of a
 * driver-owned DMA frame holding its header and status byte; the slot is
 * the virtqueue token. Requests that find no free slot or too few free
 * descriptors wait in a FIFO and are issued as completions free room, so
 * blk_submit never fails for lack of space.
 *
 * Trust: the device's configuration is read once and checked (capacity
 * nonzero and below 2^48 sectors, read through the config generation so a
 * change cannot tear it); used lengths are bounded by the virtqueue itself;
 * the status byte is preset to an invalid value and must come back as OK,
 * IOERR or UNSUPP, and an OK read must report the whole buffer written.
 * Anything else fails the device (virtio_fail): waiting requests complete
 * with BLK_EFAILED. Requests already issued to a failed device are never
 * completed, because the device may still write their buffers, so their
 * memory stays the device's until blk_abandon has reset it.
 */
#include "drivers/virtio/blk.h"

#include <stddef.h>

#include "arch/x86_64/cpu.h"
#include "drivers/pci/pci.h"
#include "drivers/virtio/transport.h"
#include "kernel/clock.h"
#include "kernel/log.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

/* Feature bits (virtio 1.x, 5.2.3). */
#define F_SIZE_MAX (1ull << 1)
#define F_SEG_MAX  (1ull << 2)
#define F_RO	   (1ull << 5)
#define F_BLK_SIZE (1ull << 6)
#define F_FLUSH	   (1ull << 9)

/* Configuration layout (5.2.4). */
#define CFG_CAPACITY 0 /* le64 */
#define CFG_SIZE_MAX 8
#define CFG_SEG_MAX  12
#define CFG_BLK_SIZE 20

/* Request types and status values (5.2.6). */
#define T_IN	 0
#define T_OUT	 1
#define T_FLUSH	 4
#define S_OK	 0
#define S_IOERR	 1
#define S_UNSUPP 2
#define S_UNSET	 0xff /* preset: a status the device never sends */

#define QUEUE_MAX	64
#define SLOTS		32
#define SLOT_BYTES	32
#define CAPACITY_LIMIT	(1ull << 48)
#define SYNC_TIMEOUT_NS 5000000000ull
#define SYNC_POLL_NS	1000000ull

struct blk_req_header {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};
_Static_assert(sizeof(struct blk_req_header) == 16, "virtio_blk_req header is 16 bytes");
_Static_assert(SLOTS *SLOT_BYTES <= 4096, "slots fit in one frame");
_Static_assert(sizeof(struct blk_req_header) + 1 <= SLOT_BYTES, "header and status fit a slot");

struct blk_slot {
	struct blk_request *req; /* NULL when free */
	unsigned index;
};

struct blk_device {
	struct virtio_device vd;
	struct virtqueue vq;
	struct task task;
	uint8_t *dma; /* SLOTS * SLOT_BYTES: headers and status bytes */
	uint64_t dma_phys;
	struct blk_slot slots[SLOTS];
	struct blk_request *wait_head, *wait_tail; /* FIFO of requests not yet issued */
	uint64_t capacity;			   /* sectors */
	uint32_t size_max;			   /* bytes per data descriptor; 0 = no limit */
	uint32_t blk_size;
	struct blk_device *next;
};

static struct blk_device *devices;

struct blk_device *blk_first(void)
{
	for (struct blk_device *d = devices; d != NULL; d = d->next) {
		if (!d->vd.failed) {
			return d;
		}
	}
	return NULL;
}

uint64_t blk_capacity(const struct blk_device *d)
{
	return d->capacity;
}

bool blk_read_only(const struct blk_device *d)
{
	return (d->vd.features & F_RO) != 0;
}

static struct blk_req_header *slot_header(struct blk_device *d, const struct blk_slot *s)
{
	return (struct blk_req_header *)(d->dma + s->index * SLOT_BYTES);
}

static volatile uint8_t *slot_status(struct blk_device *d, const struct blk_slot *s)
{
	return d->dma + s->index * SLOT_BYTES + sizeof(struct blk_req_header);
}

/* --------------------------------------------------------- decode ---- */

bool blk_buffer_ok(const void *buf, uint64_t bytes)
{
	uintptr_t v = (uintptr_t)buf;
	if (buf == NULL || v < DIRECT_MAP_BASE) {
		return false;
	}
	uint64_t phys = virt_to_phys_direct(buf);
	return phys + bytes >= phys && phys + bytes <= pmm_ram_end();
}

static int check_request(const struct blk_device *d, const struct blk_request *r)
{
	if (r == NULL || r->done == NULL) {
		return BLK_EINVAL;
	}
	if (d == NULL || d->vd.failed) {
		return BLK_EFAILED;
	}
	if (r->op == BLK_FLUSH) {
		return BLK_OK;
	}
	if (r->op != BLK_READ && r->op != BLK_WRITE) {
		return BLK_EINVAL;
	}
	uint64_t bytes = (uint64_t)r->count * BLK_SECTOR_SIZE;
	if (r->count == 0 || r->count > BLK_MAX_SECTORS || r->sector >= d->capacity ||
	    r->count > d->capacity - r->sector || !blk_buffer_ok(r->buf, bytes) ||
	    (d->size_max != 0 && bytes > d->size_max)) {
		return BLK_EINVAL;
	}
	if (r->op == BLK_WRITE && blk_read_only(d)) {
		return BLK_EROFS;
	}
	return BLK_OK;
}

/* --------------------------------------------------------- invoke ---- */

static struct blk_slot *slot_alloc(struct blk_device *d)
{
	for (unsigned i = 0; i < SLOTS; i++) {
		if (d->slots[i].req == NULL) {
			return &d->slots[i];
		}
	}
	return NULL;
}

/* Put the request on the ring. 0, VQ_ENOSPC (try later) or VQ_EBROKEN/EINVAL. */
static int issue(struct blk_device *d, struct blk_slot *s, struct blk_request *r)
{
	static const uint32_t types[] = {
	    [BLK_READ] = T_IN, [BLK_WRITE] = T_OUT, [BLK_FLUSH] = T_FLUSH};
	uint64_t base = d->dma_phys + s->index * SLOT_BYTES;
	struct blk_req_header *h = slot_header(d, s);
	struct vq_buffer bufs[3];
	unsigned n = 0;

	*h = (struct blk_req_header){.type = types[r->op], .sector = r->sector};
	*slot_status(d, s) = S_UNSET;
	bufs[n++] = (struct vq_buffer){base, sizeof(*h), false};
	if (r->op != BLK_FLUSH) {
		bufs[n++] = (struct vq_buffer){virt_to_phys_direct(r->buf),
					       r->count * BLK_SECTOR_SIZE, r->op == BLK_READ};
	}
	bufs[n++] = (struct vq_buffer){base + sizeof(*h), 1, true};
	int err = vq_add(&d->vq, bufs, n, s);
	if (err == 0) {
		s->req = r;
	}
	return err;
}

static struct blk_request *wait_pop(struct blk_device *d)
{
	struct blk_request *r = d->wait_head;
	d->wait_head = r->next;
	if (d->wait_head == NULL) {
		d->wait_tail = NULL;
	}
	return r;
}

static void fail_device(struct blk_device *d, const char *why)
{
	virtio_fail(&d->vd, why);
	while (d->wait_head != NULL) {
		struct blk_request *r = wait_pop(d);
		r->done(r->arg, BLK_EFAILED);
	}
}

/* Issue waiting requests while there is room; then notify once. */
static void issue_waiting(struct blk_device *d)
{
	bool added = false;
	while (!d->vd.failed && d->wait_head != NULL) {
		struct blk_request *r = d->wait_head;
		if (r->op == BLK_FLUSH && !(d->vd.features & F_FLUSH)) {
			wait_pop(d)->done(r->arg, BLK_OK); /* no write cache to flush */
			continue;
		}
		struct blk_slot *s = slot_alloc(d);
		int err = s == NULL ? VQ_ENOSPC : issue(d, s, r);
		if (err == VQ_ENOSPC) {
			break;
		}
		if (err != 0) {
			fail_device(d, err == VQ_EBROKEN ? vq_broken_reason(&d->vq)
							 : "cannot queue a request");
			return;
		}
		wait_pop(d);
		added = true;
	}
	if (added) {
		virtio_notify(&d->vd, 0, &d->vq);
	}
}

int blk_submit(struct blk_device *d, struct blk_request *r)
{
	int err = check_request(d, r);
	if (err != 0) {
		return err;
	}
	r->next = NULL;
	if (d->wait_tail != NULL) {
		d->wait_tail->next = r;
	} else {
		d->wait_head = r;
	}
	d->wait_tail = r;
	issue_waiting(d);
	return BLK_OK;
}

/* The result of one finished request, judged from what the device wrote. */
static int finish_status(struct blk_device *d, struct blk_slot *s, uint32_t written)
{
	uint8_t status = *slot_status(d, s);
	const struct blk_request *r = s->req;
	if (written == 0 || (status != S_OK && status != S_IOERR && status != S_UNSUPP)) {
		fail_device(d, "bad status byte in a completed request");
		return BLK_EFAILED;
	}
	if (status == S_OK && r->op == BLK_READ && written != r->count * BLK_SECTOR_SIZE + 1) {
		log_warn("blk", "%s: read of %u sectors answered with %u bytes", d->vd.name,
			 r->count, written);
		return BLK_EIO;
	}
	return status == S_OK ? BLK_OK : status == S_IOERR ? BLK_EIO : BLK_EUNSUPP;
}

bool blk_abandon(struct blk_device *d, const char *why)
{
	fail_device(d, why);
	return d->vd.common != NULL && virtio_reset(&d->vd);
}

/* Complete every finished request, then issue what waits. */
static void collect(struct blk_device *d)
{
	void *token;
	uint32_t written;
	int got;

	while (!d->vd.failed && (got = vq_get_used(&d->vq, &token, &written)) == 1) {
		struct blk_slot *s = token;
		int status = finish_status(d, s, written);
		struct blk_request *r = s->req;
		if (d->vd.failed) {
			return; /* this request's memory may still be in use; see top */
		}
		s->req = NULL;
		r->done(r->arg, status);
	}
	if (!d->vd.failed && got < 0) {
		fail_device(d, vq_broken_reason(&d->vq));
		return;
	}
	issue_waiting(d);
}

static void blk_poll(struct task *task)
{
	collect(task->data);
}

/* ---------------------------------------------------- synchronous ---- */

struct sync_wait {
	volatile bool done;
	int status;
};

static void sync_done(void *arg, int status)
{
	struct sync_wait *w = arg;
	w->status = status;
	w->done = true;
}

int blk_sync(struct blk_device *d, enum blk_op op, uint64_t sector, uint32_t count, void *buf)
{
	struct sync_wait w = {false, 0};
	struct blk_request r = {
	    .op = op, .sector = sector, .count = count, .buf = buf, .done = sync_done, .arg = &w};
	int err = blk_submit(d, &r);
	if (err != 0) {
		return err;
	}
	uint64_t deadline = clock_ns() + SYNC_TIMEOUT_NS;
	for (;;) {
		collect(d);
		if (w.done) {
			return w.status;
		}
		uint64_t now = clock_ns();
		if (now >= deadline) {
			break;
		}
		/* The interrupt ends the halt early; the alarm bounds it when an
		 * interrupt came between collect() and here. */
		irq_disable();
		clock_set_alarm(now + SYNC_POLL_NS < deadline ? now + SYNC_POLL_NS : deadline);
		irq_enable_and_halt();
	}
	fail_device(d, "request timed out"); /* completes r if it still waited */
	return BLK_ETIMEDOUT;
}

/* ---------------------------------------------------------- setup ---- */

/* Capacity, read twice around the config generation so it cannot tear. */
static uint64_t read_capacity(struct blk_device *d)
{
	for (int tries = 0; tries < 8; tries++) {
		uint8_t gen = virtio_config_generation(&d->vd);
		uint64_t low = virtio_config_read32(&d->vd, CFG_CAPACITY);
		uint64_t high = virtio_config_read32(&d->vd, CFG_CAPACITY + 4);
		if (gen == virtio_config_generation(&d->vd)) {
			return low | high << 32;
		}
	}
	return 0;
}

static int read_config(struct blk_device *d)
{
	d->capacity = read_capacity(d);
	if (d->capacity == 0 || d->capacity >= CAPACITY_LIMIT) {
		log_warn("blk", "%s: implausible capacity %llu sectors", d->vd.name,
			 (unsigned long long)d->capacity);
		return -1;
	}
	if (d->vd.features & F_SIZE_MAX) {
		d->size_max = virtio_config_read32(&d->vd, CFG_SIZE_MAX);
		if (d->size_max < BLK_SECTOR_SIZE) {
			d->size_max = BLK_SECTOR_SIZE; /* nonsense: be as careful as possible */
		}
	}
	d->blk_size = BLK_SECTOR_SIZE;
	if (d->vd.features & F_BLK_SIZE) {
		uint32_t b = virtio_config_read32(&d->vd, CFG_BLK_SIZE);
		if (b >= BLK_SECTOR_SIZE && b <= 65536 && (b & (b - 1)) == 0) {
			d->blk_size = b; /* advisory only: our unit stays 512 */
		}
	}
	return 0;
}

static int setup_queue(struct blk_device *d)
{
	uint64_t frame = pmm_alloc_frame();
	if (frame == PMM_NO_MEMORY) {
		return -1;
	}
	d->dma = phys_to_virt(frame);
	d->dma_phys = frame;
	for (unsigned i = 0; i < SLOTS; i++) {
		d->slots[i].index = i;
	}
	return virtio_queue_setup(&d->vd, 0, &d->vq, QUEUE_MAX);
}

static bool already_driven(const struct pci_device *pci)
{
	for (struct blk_device *d = devices; d != NULL; d = d->next) {
		if (d->vd.pci == pci) {
			return true;
		}
	}
	return false;
}

int virtio_blk_probe(struct pci_device *pci)
{
	if (already_driven(pci)) {
		return 0;
	}
	struct blk_device *d = kzalloc(sizeof(*d));
	if (d == NULL || virtio_start(&d->vd, pci, "virtio-blk") != 0 ||
	    virtio_negotiate(&d->vd, F_SIZE_MAX | F_SEG_MAX | F_RO | F_BLK_SIZE | F_FLUSH) != 0) {
		return -1; /* the device stays allocated: it is not ours to reuse */
	}
	d->task.name = "virtio-blk";
	d->task.poll = blk_poll;
	d->task.data = d;
	if (read_config(d) != 0 || setup_queue(d) != 0 || virtio_finish(&d->vd, &d->task) != 0) {
		virtio_fail(&d->vd, "setup failed");
		return -1;
	}
	task_add(&d->task);
	struct blk_device **tail = &devices;
	while (*tail != NULL) {
		tail = &(*tail)->next;
	}
	*tail = d; /* in probe order: blk_first() is the first disk found */
	log_info("blk", "%s: %llu sectors (%llu MiB), block size %u, seg_max %u%s%s", d->vd.name,
		 (unsigned long long)d->capacity, (unsigned long long)(d->capacity >> 11),
		 d->blk_size,
		 (d->vd.features & F_SEG_MAX) ? virtio_config_read32(&d->vd, CFG_SEG_MAX) : 0,
		 (d->vd.features & F_FLUSH) ? ", flush" : ", no flush",
		 blk_read_only(d) ? ", read-only" : "");
	return 0;
}
