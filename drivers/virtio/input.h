/*
 * virtio-input devices (keyboard, relative mouse, absolute tablet; any
 * number at once), each driven by a task of its own. Events go into the
 * system's input state (drivers/input/input.h, owned by the frame loop); every key
 * and button press and release is also logged, in arrival order.
 */
#pragma once

struct pci_device;

/* Set up one virtio-input PCI function; 0, or negative (logged) when unusable. */
int virtio_input_probe(struct pci_device *pci);
