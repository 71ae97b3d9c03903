/*
 * PCI configuration space access; see pci_config.h. Address layouts are
 * those of the PCI Local Bus specification (mechanism #1, section 3.2.2.3.2)
 * and the PCI Express base specification (ECAM, section 7.2.2).
 *
 * Ordering: ECAM windows are mapped uncached, so the CPU neither merges
 * nor reorders the accesses and each reaches the device in program order;
 * `volatile` keeps the compiler from doing so. Port I/O is serialising.
 */
#include "drivers/pci/pci_config.h"

#include <stddef.h>

#include "arch/x86_64/cpu.h"
#include "drivers/acpi/acpi.h"
#include "kernel/log.h"
#include "mm/vmm.h"

#define PORT_ADDRESS   0xcf8
#define PORT_DATA      0xcfc
#define ADDRESS_ENABLE 0x80000000u
#define PORT_IO_SPACE  0x100u  /* bytes reachable through port I/O */
#define ECAM_SPACE     0x1000u /* bytes per function through ECAM */
#define ECAM_BUS_BYTES (1u << 20)

static enum pci_config_mech mechanism = PCI_CONFIG_PORT_IO;
static uint64_t ecam_base;
static uint8_t ecam_first_bus, ecam_last_bus;
static volatile uint8_t *ecam_bus[256]; /* mapped buses, NULL until used */

/* 16-bit port write: one instruction, missing from arch/x86_64/cpu.h. */
static inline void port_outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static bool access_ok(uint16_t offset, unsigned width, unsigned space)
{
	if (width != 1 && width != 2 && width != 4) {
		return false;
	}
	return offset % width == 0 && offset < space;
}

static uint32_t all_ones(unsigned width)
{
	return width == 4 ? 0xffffffffu : (1u << (8 * width)) - 1;
}

void pci_config_init(bool force_port_io)
{
	const struct acpi_mcfg_entry *e = acpi_mcfg_segment(0);
	if (e == NULL || force_port_io) {
		mechanism = PCI_CONFIG_PORT_IO;
		log_info("pci", "configuration space through port I/O 0xcf8/0xcfc (%s)",
			 e == NULL ? "no MCFG" : "pci=portio");
		return;
	}
	ecam_base = e->base;
	ecam_first_bus = e->start_bus;
	ecam_last_bus = e->end_bus;
	mechanism = PCI_CONFIG_ECAM;
	log_info("pci", "configuration space through ECAM at %#llx, buses %u-%u",
		 (unsigned long long)ecam_base, ecam_first_bus, ecam_last_bus);
}

enum pci_config_mech pci_config_mechanism(void)
{
	return mechanism;
}

const char *pci_config_mechanism_name(void)
{
	return mechanism == PCI_CONFIG_ECAM ? "ecam" : "port-io";
}

uint8_t pci_config_first_bus(void)
{
	return mechanism == PCI_CONFIG_ECAM ? ecam_first_bus : 0;
}

uint8_t pci_config_last_bus(void)
{
	return mechanism == PCI_CONFIG_ECAM ? ecam_last_bus : 255;
}

/* The configuration space of function a through ECAM, or NULL. */
static volatile uint8_t *ecam_function(struct pci_addr a)
{
	if (mechanism != PCI_CONFIG_ECAM || a.bus < ecam_first_bus || a.bus > ecam_last_bus ||
	    a.dev > 31 || a.func > 7) {
		return NULL;
	}
	if (ecam_bus[a.bus] == NULL) {
		/* The MCFG base is the address of bus 0, even when start_bus > 0. */
		uint64_t phys = ecam_base + ((uint64_t)a.bus << 20);
		ecam_bus[a.bus] = vmm_map_mmio(phys, ECAM_BUS_BYTES, VMM_CACHE_UNCACHED);
	}
	return ecam_bus[a.bus] + ((uint32_t)a.dev << 15 | (uint32_t)a.func << 12);
}

uint32_t pci_config_read_ecam(struct pci_addr a, uint16_t offset, unsigned width)
{
	volatile uint8_t *f = ecam_function(a);
	if (f == NULL || !access_ok(offset, width, ECAM_SPACE)) {
		return all_ones(width);
	}
	switch (width) {
	case 1:
		return f[offset];
	case 2:
		return *(volatile uint16_t *)(f + offset);
	default:
		return *(volatile uint32_t *)(f + offset);
	}
}

static void ecam_write(struct pci_addr a, uint16_t offset, unsigned width, uint32_t v)
{
	volatile uint8_t *f = ecam_function(a);
	if (f == NULL || !access_ok(offset, width, ECAM_SPACE)) {
		return;
	}
	switch (width) {
	case 1:
		f[offset] = (uint8_t)v;
		break;
	case 2:
		*(volatile uint16_t *)(f + offset) = (uint16_t)v;
		break;
	default:
		*(volatile uint32_t *)(f + offset) = v;
		break;
	}
}

static uint32_t port_address(struct pci_addr a, uint16_t offset)
{
	return ADDRESS_ENABLE | (uint32_t)a.bus << 16 | (uint32_t)(a.dev & 31) << 11 |
	       (uint32_t)(a.func & 7) << 8 | (offset & 0xfc);
}

uint32_t pci_config_read_port_io(struct pci_addr a, uint16_t offset, unsigned width)
{
	if (!access_ok(offset, width, PORT_IO_SPACE) || a.dev > 31 || a.func > 7) {
		return all_ones(width);
	}
	bool was = irq_save(); /* address and data are one access */
	outl(PORT_ADDRESS, port_address(a, offset));
	uint32_t dword = inl(PORT_DATA);
	irq_restore(was);
	return (dword >> (8 * (offset & 3))) & all_ones(width);
}

/* Sub-dword writes go through the matching data port byte lane. */
static void port_io_write(struct pci_addr a, uint16_t offset, unsigned width, uint32_t v)
{
	if (!access_ok(offset, width, PORT_IO_SPACE) || a.dev > 31 || a.func > 7) {
		return;
	}
	bool was = irq_save();
	outl(PORT_ADDRESS, port_address(a, offset));
	uint16_t port = (uint16_t)(PORT_DATA + (offset & 3));
	if (width == 4) {
		outl(port, v);
	} else if (width == 2) {
		port_outw(port, (uint16_t)v);
	} else {
		outb(port, (uint8_t)v);
	}
	irq_restore(was);
}

uint32_t pci_config_read(struct pci_addr a, uint16_t offset, unsigned width)
{
	if (mechanism == PCI_CONFIG_ECAM) {
		return pci_config_read_ecam(a, offset, width);
	}
	return pci_config_read_port_io(a, offset, width);
}

void pci_config_write(struct pci_addr a, uint16_t offset, unsigned width, uint32_t value)
{
	if (mechanism == PCI_CONFIG_ECAM) {
		ecam_write(a, offset, width, value);
	} else {
		port_io_write(a, offset, width, value);
	}
}
