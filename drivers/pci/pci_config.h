/*
 * PCI configuration space access for segment 0, by one of two mechanisms:
 *
 *   ECAM (PCI Express enhanced configuration access): 4 KiB of memory per
 *     function at base + (bus << 20 | dev << 15 | func << 12), where
 *     the MCFG says; reaches all 4096 bytes. Mapped uncached, one bus
 *     (1 MiB) at a time, when a bus is first touched.
 *   Port I/O (configuration mechanism #1): the address goes to 0xcf8, the
 *     data comes through 0xcfc-0xcff; only the first 256 bytes.
 *
 * pci_config_init() picks ECAM when the MCFG describes segment 0, else
 * port I/O (also when asked to, for tests and for debugging firmware). Accesses must be naturally
 * aligned; a read that cannot be done (misaligned, beyond the space, bus outside the ECAM range)
 * returns all ones, as a read of an absent function would, and such a write is dropped.
 *
 * Internal to drivers/pci/ (and its self-tests): drivers use pci.h.
 * Callable with interrupts on: the two-step port I/O access runs with them
 * off. The first access to a bus maps it, so only call from interrupt
 * context for buses pci_init() has already scanned.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct pci_addr {
	uint8_t bus, dev, func;
};

enum pci_config_mech {
	PCI_CONFIG_PORT_IO,
	PCI_CONFIG_ECAM,
};

/* Choose the mechanism: ECAM if the MCFG has segment 0 and not force_port_io. */
void pci_config_init(bool force_port_io);
enum pci_config_mech pci_config_mechanism(void);
const char *pci_config_mechanism_name(void);

/* Highest bus the configuration mechanism reaches (ECAM: the MCFG's end). */
uint8_t pci_config_first_bus(void);
uint8_t pci_config_last_bus(void);

/* width is 1, 2 or 4 bytes. */
uint32_t pci_config_read(struct pci_addr a, uint16_t offset, unsigned width);
void pci_config_write(struct pci_addr a, uint16_t offset, unsigned width, uint32_t value);

/* One mechanism explicitly, for the self-test that compares them. */
uint32_t pci_config_read_port_io(struct pci_addr a, uint16_t offset, unsigned width);
uint32_t pci_config_read_ecam(struct pci_addr a, uint16_t offset, unsigned width);

/*
 * The capability walk itself, over any configuration space: read8(ctx, o)
 * returns byte o. Starting from the list head pointer `ptr`, returns the
 * offset of the first capability `cap_id`, or 0. At most 48 hops; a
 * pointer below 0x40 ends the list; the low two bits are masked off (they
 * are reserved). The self-tests run it over a deliberately looping list.
 */
uint8_t pci_capability_walk(uint8_t (*read8)(const void *ctx, uint16_t offset), const void *ctx,
			    uint8_t ptr, uint8_t cap_id);
