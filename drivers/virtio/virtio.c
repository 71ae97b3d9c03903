/*
 * virtio device discovery; see virtio.h. Modern (virtio 1.x) PCI functions
 * have vendor 0x1af4 and device 0x1040 + the virtio device type; transitional
 * ones (0x1000-0x103f) are not driven: we speak only the 1.x interface.
 */
#include "drivers/virtio/virtio.h"

#include <stddef.h>

#include "drivers/pci/pci.h"
#include "drivers/virtio/blk.h"
#include "drivers/virtio/gpu.h"
#include "drivers/virtio/input.h"
#include "drivers/virtio/transport.h"
#include "kernel/log.h"

#define TYPE_BLK   2
#define TYPE_GPU   16
#define TYPE_INPUT 18

void virtio_probe_all(void)
{
	for (size_t i = 0; i < pci_count(); i++) {
		struct pci_device *d = pci_get(i);
		if (d->vendor_id != VIRTIO_PCI_VENDOR) {
			continue;
		}
		if (d->device_id < VIRTIO_PCI_MODERN_BASE) {
			log_warn("virtio", "%02x:%02x.%x: transitional device %#x not driven",
				 d->bus, d->dev, d->func, d->device_id);
			continue;
		}
		switch (d->device_id - VIRTIO_PCI_MODERN_BASE) {
		case TYPE_BLK:
			virtio_blk_probe(d);
			break;
		case TYPE_GPU:
			virtio_gpu_probe(d);
			break;
		case TYPE_INPUT:
			virtio_input_probe(d);
			break;
		default:
			log_info("virtio", "%02x:%02x.%x: virtio device type %u has no driver yet",
				 d->bus, d->dev, d->func, d->device_id - VIRTIO_PCI_MODERN_BASE);
			break;
		}
	}
}
