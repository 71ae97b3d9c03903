/*
 * virtio-gpu, 2D: the display backend (drivers/display.h) that the system
 * switches to once the device shows our back buffer. The back buffer itself
 * is the backing of a host resource in R8G8B8A8 (memory order r, g, b, a),
 * so presenting is two commands with no copy on our side: transfer the
 * changed rectangle to the host, then flush it to the scanout. Commands
 * complete asynchronously on the control queue; the driver is a task.
 * The 3D capability sets (virgl) are probed and logged when offered.
 */
#pragma once

struct pci_device;

/* Start driving one virtio-gpu PCI function; 0, or negative (logged). */
int virtio_gpu_probe(struct pci_device *pci);
