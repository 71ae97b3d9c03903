/*
 * Finding the virtio devices on PCI and handing each to its driver.
 */
#pragma once

/* Probe every modern virtio PCI function; logs what it drives and skips. */
void virtio_probe_all(void);
