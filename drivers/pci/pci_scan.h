/*
 * Enumeration of PCI segment 0: which functions exist, what they are, and
 * how large their BARs are. Internal to drivers/pci/ (pci.c calls it once
 * from pci_init()); drivers see the result through pci.h.
 */
#pragma once

#include "drivers/pci/pci.h"

/*
 * Walk every bus reachable from the first one through bridges and call
 * found() with each function, newly allocated, its BARs sized. Logs one
 * line per function. Call once, after pci_config_init().
 */
void pci_scan(void (*found)(struct pci_device *d));

/* Short names for the log: "display", "virtio-gpu" (NULL if unknown). */
const char *pci_class_name(uint8_t class_code);
const char *pci_device_name(uint16_t vendor, uint16_t device);
