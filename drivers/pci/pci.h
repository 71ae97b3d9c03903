/*
 * PCI for device drivers: the functions found on segment 0, their
 * configuration space, capabilities, memory BARs, and their interrupts.
 *
 * pci_init() enumerates once at boot (after acpi_init() and ioapic_init()):
 * every bus reachable from the first bus through PCI-to-PCI bridges, every
 * slot, every function of multi-function devices. Each function becomes a
 * struct pci_device that lives for the whole run (pointers stay valid), with
 * its identity, class, interrupt pin/line and sized BARs. It logs one line
 * per function. Nothing is enabled or reprogrammed: firmware's BAR
 * assignments and bus numbers are used as they are.
 *
 * A driver then: finds its device (pci_find), maps the BARs it needs
 * (pci_map_bar), turns on memory decoding and bus mastering (pci_enable),
 * and asks for interrupts: pci_irq_setup() picks MSI-X when the device has
 * it and INTx through the IOAPIC otherwise; pci_irq_attach() hooks a handler
 * to one interrupt (an MSI-X table entry, or the shared INTx line).
 *
 * Errors are negative PCI_E_* codes; bad device data is logged, never a
 * panic. Everything here runs in the kernel loop (single CPU); only the
 * config accessors may also be used from interrupt handlers.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/trap.h"
#include "boot/multiboot2.h"

#define PCI_MAX_BARS 6
#define PCI_ANY_ID   0xffffu /* wildcard for pci_find() */

/* Standard configuration header offsets and bits drivers may need. */
#define PCI_COMMAND	       0x04
#define PCI_COMMAND_IO	       (1u << 0)
#define PCI_COMMAND_MEMORY     (1u << 1)
#define PCI_COMMAND_BUS_MASTER (1u << 2)
#define PCI_COMMAND_INTX_OFF   (1u << 10)
#define PCI_STATUS	       0x06
#define PCI_STATUS_INTERRUPT   (1u << 3)
#define PCI_STATUS_CAP_LIST    (1u << 4)

/* Capability IDs (PCI Code and ID Assignment specification). */
#define PCI_CAP_MSI    0x05
#define PCI_CAP_VENDOR 0x09 /* virtio's transport capabilities use this */
#define PCI_CAP_PCIE   0x10
#define PCI_CAP_MSIX   0x11

enum pci_bar_type {
	PCI_BAR_NONE,  /* not implemented, or the upper half of a 64-bit BAR */
	PCI_BAR_MEM32, /* also the legacy "below 1 MiB" kind */
	PCI_BAR_MEM64,
	PCI_BAR_IO,
};

struct pci_bar {
	enum pci_bar_type type;
	bool prefetchable;
	uint64_t base; /* physical address, or I/O port; as firmware assigned */
	uint64_t size; /* bytes, a power of two; 0 when not implemented */
	void *virt;    /* the pci_map_bar() mapping, NULL until then */
};

struct pci_irq_state; /* drivers/pci/pci_irq.c */

struct pci_device {
	uint8_t bus, dev, func; /* device (slot) 0-31, function 0-7; segment 0 only */
	uint16_t vendor_id, device_id;
	uint16_t subsystem_vendor_id, subsystem_id; /* 0 for bridges */
	uint8_t class_code, subclass, prog_if, revision;
	uint8_t header_type; /* 0 device, 1 PCI-to-PCI bridge, 2 CardBus */
	bool multifunction;
	uint8_t irq_pin;  /* 0 none, 1-4 = INTA#-INTD# */
	uint8_t irq_line; /* as firmware set it (an ISA IRQ on PCs); 0xff unknown */
	uint8_t secondary_bus, subordinate_bus; /* bridges only */
	struct pci_bar bars[PCI_MAX_BARS];
	struct pci_irq_state *irq; /* NULL until pci_irq_setup() */
};

enum pci_error {
	PCI_E_INVALID = -1,   /* bad argument: BAR or interrupt index, handler */
	PCI_E_NO_IRQ = -2,    /* the device has no interrupt we can route */
	PCI_E_NO_VECTOR = -3, /* the CPU's vector table is full */
	PCI_E_NO_MEMORY = -4,
	PCI_E_BUSY = -5, /* set up or attached already */
};

/*
 * Enumerate segment 0 (ECAM from the MCFG, else port I/O) and log it. The
 * command line word `pci=portio` forces port I/O even with an MCFG.
 */
void pci_init(const struct boot_info *info);

/* The functions found, in bus/slot/function order. */
size_t pci_count(void);
struct pci_device *pci_get(size_t i);

/* The next function after `after` (NULL: the first) with these ids. */
struct pci_device *pci_find(uint16_t vendor, uint16_t device, struct pci_device *after);
struct pci_device *pci_find_class(uint8_t class_code, uint8_t subclass, struct pci_device *after);

/* "00:02.0" into buf (at least 8 bytes); returns buf. */
char *pci_name(const struct pci_device *d, char *buf, size_t size);

/* Configuration space; offsets naturally aligned (else all ones / no-op). */
uint8_t pci_read8(const struct pci_device *d, uint16_t offset);
uint16_t pci_read16(const struct pci_device *d, uint16_t offset);
uint32_t pci_read32(const struct pci_device *d, uint16_t offset);
void pci_write8(const struct pci_device *d, uint16_t offset, uint8_t v);
void pci_write16(const struct pci_device *d, uint16_t offset, uint16_t v);
void pci_write32(const struct pci_device *d, uint16_t offset, uint32_t v);

/*
 * The offset of the first capability `cap_id` after the one at `after`
 * (0: from the start of the list), or 0 when there is none. Bounded: at
 * most 48 hops, and a pointer below 0x40 ends the walk, so a looping or
 * corrupt list terminates.
 */
uint8_t pci_find_capability(const struct pci_device *d, uint8_t cap_id, uint8_t after);

/* Size in bytes of BAR `bar` (0 when absent, or bar >= PCI_MAX_BARS). */
uint64_t pci_bar_size(const struct pci_device *d, unsigned bar);

/*
 * The memory BAR `bar` mapped uncached (the same address on every call),
 * or NULL (logged) for an I/O BAR, an empty or unassigned one, or a BAR
 * larger than 256 MiB.
 */
void *pci_map_bar(struct pci_device *d, unsigned bar);

/* Turn on memory decoding and bus mastering (and I/O decoding if it has
 * I/O BARs). */
void pci_enable(struct pci_device *d);

/*
 * Choose the device's interrupt mechanism and prepare `count` interrupts:
 * MSI-X when the device has a usable MSI-X table (all entries masked until
 * attached; INTx disabled), else its INTx pin through the IOAPIC (then
 * only one interrupt, index 0, possibly shared with other devices).
 * Returns how many interrupts the driver got (>= 1), or a PCI_E_* code.
 */
int pci_irq_setup(struct pci_device *d, unsigned count);

/*
 * Run fn(frame, arg) on interrupt `index` (< the count pci_irq_setup
 * returned). MSI-X: a vector of its own, programmed into table entry
 * `index`, which is then unmasked. INTx: fn joins the handlers of the
 * device's line; every one of them runs on each interrupt, so fn must
 * check its own device and quiet it before returning (the line is
 * level-triggered). 0 or a PCI_E_* code.
 */
int pci_irq_attach(struct pci_device *d, unsigned index, trap_handler_fn fn, void *arg);

/*
 * Undo pci_irq_setup(): mask and free the device's MSI-X vectors and turn
 * MSI-X off, or take its handler off the INTx line (masking the line when
 * it was the last); INTx is left disabled in the command register. For a
 * driver that gives up on its device, and for the self-tests.
 */
void pci_irq_release(struct pci_device *d);

/* The CPU vector interrupt `index` arrives on, or a PCI_E_* code. */
int pci_irq_vector(const struct pci_device *d, unsigned index);

/* "msi-x", "intx", or "none" before pci_irq_setup(). */
const char *pci_irq_mode(const struct pci_device *d);

/* Whether pci_irq_setup() chose MSI-X (a virtio driver must then tell the
 * device which table entry each queue uses). */
bool pci_irq_is_msix(const struct pci_device *d);
