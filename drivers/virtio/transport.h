/*
 * virtio 1.x over modern PCI: finding the device's configuration structures
 * through its vendor capabilities, the status handshake, feature
 * negotiation, queue setup, notifications and interrupts. Device drivers
 * (input.c, gpu.c) build on this and never touch PCI themselves.
 *
 * Trust: everything the device reports is checked before use — capability
 * offsets and lengths against the BAR, queue sizes, notify offsets — and a
 * device that breaks the protocol is set FAILED with one log line naming
 * the device and the reason (virtio_fail), after which the driver stops.
 *
 * Interrupts: one vector per device (MSI-X entry 0 for every queue, or the
 * shared INTx line, acknowledged through the ISR register). The handler
 * only wakes the device's task; the task does the work in the loop.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "drivers/virtio/virtqueue.h"
#include "kernel/executor.h"

#define VIRTIO_PCI_VENDOR      0x1af4
#define VIRTIO_PCI_MODERN_BASE 0x1040 /* + virtio device type */

#define VIRTIO_F_VERSION_1 (1ull << 32)

struct pci_device;
struct virtio_pci_common_cfg;

struct virtio_device {
	const char *name; /* for log lines: "virtio-input 00:03.0" */
	char name_buf[32];
	struct pci_device *pci;
	volatile struct virtio_pci_common_cfg *common;
	volatile uint8_t *isr;
	volatile uint8_t *device_cfg;
	uint32_t device_cfg_len;
	volatile uint8_t *notify_base;
	uint32_t notify_len;
	uint32_t notify_multiplier;
	uint64_t features; /* negotiated */
	bool msix;
	bool failed;
	struct task *task; /* woken by the device's interrupt */
};

/*
 * Reset the device (virtio 1.x, 2.1.1): write 0 to device_status and wait,
 * bounded, until it reads back 0. Once it has, the device uses no buffer
 * it was given before. False when it never reads back 0.
 */
bool virtio_reset(struct virtio_device *vd);

/*
 * Find the configuration structures, reset the device and announce a
 * driver (ACKNOWLEDGE | DRIVER). 0, or negative (logged) when the device
 * is not a usable modern virtio device.
 */
int virtio_start(struct virtio_device *vd, struct pci_device *pci, const char *kind);

/*
 * Accept the device's features that are also in `wanted` (VERSION_1 is
 * always required) and confirm with FEATURES_OK. 0 or negative (logged).
 */
int virtio_negotiate(struct virtio_device *vd, uint64_t wanted);

/*
 * Give queue `index` memory for up to max_size entries (the device's own
 * maximum may be smaller) and enable it. 0 or negative (logged).
 */
int virtio_queue_setup(struct virtio_device *vd, uint16_t index, struct virtqueue *vq,
		       uint16_t max_size);

/* Route the device's interrupt to task and finish: DRIVER_OK. 0 or negative. */
int virtio_finish(struct virtio_device *vd, struct task *task);

/* Tell the device queue `index` has new buffers, if it wants to know. */
void virtio_notify(struct virtio_device *vd, uint16_t index, const struct virtqueue *vq);

/* The device broke the protocol: log why, set FAILED, stop using it. */
void virtio_fail(struct virtio_device *vd, const char *why);

/* Device-specific configuration space, bounds-checked (0 beyond its end). */
uint8_t virtio_config_read8(const struct virtio_device *vd, uint32_t offset);
uint32_t virtio_config_read32(const struct virtio_device *vd, uint32_t offset);
void virtio_config_write8(struct virtio_device *vd, uint32_t offset, uint8_t value);
/* The configuration generation, to detect a config read torn by a change. */
uint8_t virtio_config_generation(const struct virtio_device *vd);
