/*
 * The virtio modern PCI transport; see transport.h. Structure layouts and
 * status bits are those of the virtio 1.x specification, section 4.1
 * ("Virtio Over PCI Bus"). All registers are little-endian, like x86-64.
 */
#include "drivers/virtio/transport.h"

#include <stddef.h>

#include "drivers/pci/pci.h"
#include "kernel/log.h"
#include "lib/format.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define CAP_VENDOR 0x09
#define CFG_COMMON 1
#define CFG_NOTIFY 2
#define CFG_ISR	   3
#define CFG_DEVICE 4

#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER	   2
#define STATUS_DRIVER_OK   4
#define STATUS_FEATURES_OK 8
#define STATUS_FAILED	   128
#define NO_VECTOR	   0xffff
#define RESET_SPINS	   1000000

struct virtio_pci_common_cfg {
	uint32_t device_feature_select;
	uint32_t device_feature;
	uint32_t driver_feature_select;
	uint32_t driver_feature;
	uint16_t config_msix_vector;
	uint16_t num_queues;
	uint8_t device_status;
	uint8_t config_generation;
	uint16_t queue_select;
	uint16_t queue_size;
	uint16_t queue_msix_vector;
	uint16_t queue_enable;
	uint16_t queue_notify_off;
	uint64_t queue_desc;
	uint64_t queue_driver;
	uint64_t queue_device;
} __attribute__((packed));
_Static_assert(sizeof(struct virtio_pci_common_cfg) == 0x38, "virtio 1.x common config");
_Static_assert(offsetof(struct virtio_pci_common_cfg, queue_desc) == 0x20, "virtio 1.x");

/* One vendor capability, as read from config space. */
struct virtio_cap {
	uint8_t type, bar;
	uint32_t offset, length, multiplier;
};

static struct virtio_cap read_cap(struct pci_device *pci, uint8_t at)
{
	return (struct virtio_cap){
	    .type = pci_read8(pci, at + 3),
	    .bar = pci_read8(pci, at + 4),
	    .offset = pci_read32(pci, at + 8),
	    .length = pci_read32(pci, at + 12),
	    .multiplier = pci_read32(pci, at + 16),
	};
}

/* Map a capability's window, checking it lies inside its BAR. */
static volatile uint8_t *map_cap(struct virtio_device *vd, const struct virtio_cap *c,
				 uint32_t min_length)
{
	uint64_t bar_size = c->bar < 6 ? pci_bar_size(vd->pci, c->bar) : 0;
	uint8_t *base = c->bar < 6 ? pci_map_bar(vd->pci, c->bar) : NULL;

	if (base == NULL || c->length < min_length || (uint64_t)c->offset + c->length > bar_size) {
		log_warn("virtio", "%s: capability type %u (bar %u, %#x+%#x) outside its BAR",
			 vd->name, c->type, c->bar, c->offset, c->length);
		return NULL;
	}
	return base + c->offset;
}

/* The first usable capability of each type (the spec's preference order). */
static int find_structures(struct virtio_device *vd)
{
	for (uint8_t at = pci_find_capability(vd->pci, CAP_VENDOR, 0); at != 0;
	     at = pci_find_capability(vd->pci, CAP_VENDOR, at)) {
		struct virtio_cap c = read_cap(vd->pci, at);
		if (c.type == CFG_COMMON && vd->common == NULL) {
			vd->common = (volatile void *)map_cap(vd, &c, sizeof(*vd->common));
		} else if (c.type == CFG_NOTIFY && vd->notify_base == NULL) {
			vd->notify_base = map_cap(vd, &c, 2);
			vd->notify_len = c.length;
			vd->notify_multiplier = c.multiplier;
		} else if (c.type == CFG_ISR && vd->isr == NULL) {
			vd->isr = map_cap(vd, &c, 1);
		} else if (c.type == CFG_DEVICE && vd->device_cfg == NULL) {
			vd->device_cfg = map_cap(vd, &c, 1);
			vd->device_cfg_len = c.length;
		}
	}
	if (vd->common == NULL || vd->notify_base == NULL || vd->isr == NULL) {
		log_warn("virtio",
			 "%s: missing common, notify or ISR structure: not a modern device",
			 vd->name);
		return -1;
	}
	return 0;
}

static void set_status(struct virtio_device *vd, uint8_t bits)
{
	vd->common->device_status = (uint8_t)(vd->common->device_status | bits);
}

bool virtio_reset(struct virtio_device *vd)
{
	vd->common->device_status = 0; /* done when it reads back 0 */
	for (int spins = 0; vd->common->device_status != 0; spins++) {
		if (spins == RESET_SPINS) {
			return false;
		}
	}
	return true;
}

int virtio_start(struct virtio_device *vd, struct pci_device *pci, const char *kind)
{
	vd->pci = pci;
	fmt_snprintf(vd->name_buf, sizeof(vd->name_buf), "%s %02x:%02x.%x", kind, pci->bus,
		     pci->dev, pci->func);
	vd->name = vd->name_buf;
	pci_enable(pci);
	if (find_structures(vd) != 0) {
		return -1;
	}
	if (!virtio_reset(vd)) {
		log_warn("virtio", "%s: does not finish its reset", vd->name);
		return -1;
	}
	set_status(vd, STATUS_ACKNOWLEDGE);
	set_status(vd, STATUS_DRIVER);
	return 0;
}

static uint64_t read_features(struct virtio_device *vd)
{
	vd->common->device_feature_select = 0;
	uint64_t low = vd->common->device_feature;
	vd->common->device_feature_select = 1;
	return low | (uint64_t)vd->common->device_feature << 32;
}

int virtio_negotiate(struct virtio_device *vd, uint64_t wanted)
{
	uint64_t offered = read_features(vd);
	if (!(offered & VIRTIO_F_VERSION_1)) {
		virtio_fail(vd, "does not offer VIRTIO_F_VERSION_1 (legacy only)");
		return -1;
	}
	vd->features = offered & (wanted | VIRTIO_F_VERSION_1);
	vd->common->driver_feature_select = 0;
	vd->common->driver_feature = (uint32_t)vd->features;
	vd->common->driver_feature_select = 1;
	vd->common->driver_feature = (uint32_t)(vd->features >> 32);
	set_status(vd, STATUS_FEATURES_OK);
	if (!(vd->common->device_status & STATUS_FEATURES_OK)) {
		virtio_fail(vd, "refused our features");
		return -1;
	}
	return 0;
}

static uint16_t pick_queue_size(uint16_t device_max, uint16_t wanted)
{
	uint16_t size = 1;
	while ((uint32_t)size * 2 <= device_max && (uint32_t)size * 2 <= wanted &&
	       size * 2u <= VQ_MAX_SIZE) {
		size = (uint16_t)(size * 2);
	}
	return size;
}

/* Ring memory: whole frames (page aligned, physically contiguous, zeroed). */
static int allocate_ring(struct virtio_device *vd, struct virtqueue *vq, uint16_t size)
{
	size_t bytes = vq_ring_bytes(size);
	unsigned order = 0;
	while (((size_t)PAGE_SIZE << order) < bytes) {
		order++;
	}
	uint64_t ring = pmm_alloc(order);
	struct vq_desc_state *state = kzalloc(VQ_STATE_BYTES(size));
	if (ring == PMM_NO_MEMORY || state == NULL) {
		log_error("virtio", "%s: no memory for a %u-entry queue", vd->name, size);
		return -1;
	}
	return vq_init(vq, size, phys_to_virt(ring), ring, state);
}

int virtio_queue_setup(struct virtio_device *vd, uint16_t index, struct virtqueue *vq,
		       uint16_t max_size)
{
	volatile struct virtio_pci_common_cfg *c = vd->common;
	if (index >= c->num_queues) {
		log_warn("virtio", "%s: has %u queues, queue %u missing", vd->name, c->num_queues,
			 index);
		return -1;
	}
	c->queue_select = index;
	uint16_t device_max = c->queue_size;
	if (device_max == 0 || c->queue_enable != 0) {
		log_warn("virtio", "%s: queue %u unavailable (size %u)", vd->name, index,
			 device_max);
		return -1;
	}
	uint16_t size = pick_queue_size(device_max, max_size);
	if (allocate_ring(vd, vq, size) != 0) {
		return -1;
	}
	c->queue_size = size;
	c->queue_desc = vq_desc_phys(vq);
	c->queue_driver = vq_avail_phys(vq);
	c->queue_device = vq_used_phys(vq);
	if ((uint32_t)c->queue_notify_off * vd->notify_multiplier + 2 > vd->notify_len) {
		virtio_fail(vd, "queue notify offset outside the notify structure");
		return -1;
	}
	return 0;
}

static void irq_handler(struct trap_frame *frame, void *arg)
{
	struct virtio_device *vd = arg;
	(void)frame;
	/* INTx may be shared: the ISR register says (and clears) whether it was us. */
	if (!vd->msix && (*vd->isr & 3) == 0) {
		return;
	}
	task_wake(vd->task);
}

/* Point the config change and every enabled queue at MSI-X entry 0. */
static int route_queues_to_entry0(struct virtio_device *vd)
{
	volatile struct virtio_pci_common_cfg *c = vd->common;
	c->config_msix_vector = 0;
	for (uint16_t q = 0; q < c->num_queues; q++) {
		c->queue_select = q;
		if (c->queue_desc == 0) {
			continue; /* not set up by the driver */
		}
		c->queue_msix_vector = 0;
		if (c->queue_msix_vector == NO_VECTOR) {
			virtio_fail(vd, "no MSI-X vector for a queue");
			return -1;
		}
	}
	return 0;
}

int virtio_finish(struct virtio_device *vd, struct task *task)
{
	vd->task = task;
	if (pci_irq_setup(vd->pci, 1) < 0 || pci_irq_attach(vd->pci, 0, irq_handler, vd) < 0) {
		virtio_fail(vd, "no interrupt");
		return -1;
	}
	vd->msix = pci_irq_is_msix(vd->pci);
	if (vd->msix && route_queues_to_entry0(vd) != 0) {
		return -1;
	}
	/* Enable the queues last: their registers are final now. */
	for (uint16_t q = 0; q < vd->common->num_queues; q++) {
		vd->common->queue_select = q;
		if (vd->common->queue_desc != 0) {
			vd->common->queue_enable = 1;
		}
	}
	set_status(vd, STATUS_DRIVER_OK);
	log_info("virtio", "%s: ready, features %#llx, %s interrupts", vd->name,
		 (unsigned long long)vd->features, vd->msix ? "MSI-X" : "INTx");
	return 0;
}

void virtio_notify(struct virtio_device *vd, uint16_t index, const struct virtqueue *vq)
{
	if (vd->failed || !vq_kick_needed(vq)) {
		return;
	}
	vd->common->queue_select = index;
	uint32_t offset = (uint32_t)vd->common->queue_notify_off * vd->notify_multiplier;
	*(volatile uint16_t *)(vd->notify_base + offset) = index;
}

void virtio_fail(struct virtio_device *vd, const char *why)
{
	if (!vd->failed) {
		log_error("virtio", "%s: %s; device set FAILED", vd->name, why);
	}
	vd->failed = true;
	if (vd->common != NULL) {
		set_status(vd, STATUS_FAILED);
	}
}

uint8_t virtio_config_read8(const struct virtio_device *vd, uint32_t offset)
{
	return offset < vd->device_cfg_len ? vd->device_cfg[offset] : 0;
}

uint32_t virtio_config_read32(const struct virtio_device *vd, uint32_t offset)
{
	if (offset % 4 != 0 || offset + 4 > vd->device_cfg_len) {
		return 0;
	}
	return *(volatile const uint32_t *)(vd->device_cfg + offset);
}

void virtio_config_write8(struct virtio_device *vd, uint32_t offset, uint8_t value)
{
	if (offset < vd->device_cfg_len) {
		vd->device_cfg[offset] = value;
	}
}

uint8_t virtio_config_generation(const struct virtio_device *vd)
{
	return vd->common->config_generation;
}
