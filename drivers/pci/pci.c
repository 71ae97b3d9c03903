/*
 * The PCI device list and what drivers do with a device: configuration
 * access, the capability walk, BAR mapping and enabling; see pci.h.
 * Enumeration is in pci_scan.c, configuration mechanisms in pci_config.c,
 * interrupts in pci_irq.c.
 *
 * The list is an array of pointers grown by doubling; the devices
 * themselves never move, so drivers may keep their pointers.
 */
#include "drivers/pci/pci.h"

#include "drivers/pci/pci_config.h"
#include "drivers/pci/pci_scan.h"
#include "kernel/cmdline.h"
#include "kernel/log.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/vmm.h"

#define CFG_CAP_POINTER		0x34
#define CFG_CARDBUS_CAP_POINTER 0x14
#define CAP_MIN_OFFSET		0x40 /* capabilities live after the header */
#define CAP_MAX_HOPS		48   /* (256 - 64) / 4 distinct positions */
#define MAP_BAR_MAX		(256ull << 20)

static struct pci_device **devices;
static size_t device_count, device_capacity;

static void device_add(struct pci_device *d)
{
	if (device_count == device_capacity) {
		size_t capacity = device_capacity ? 2 * device_capacity : 32;
		struct pci_device **grown = kmalloc(capacity * sizeof(*grown));
		if (grown == NULL) {
			log_warn("pci", "out of memory: device list stays at %zu", device_count);
			return;
		}
		if (devices != NULL) {
			memcpy(grown, devices, device_count * sizeof(*grown));
			kfree(devices);
		}
		devices = grown;
		device_capacity = capacity;
	}
	devices[device_count++] = d;
}

void pci_init(const struct boot_info *info)
{
	pci_config_init(cmdline_is(info->cmdline, "pci", "portio"));
	pci_scan(device_add);
	log_info("pci", "%zu functions on segment 0 (config through %s)", device_count,
		 pci_config_mechanism_name());
}

size_t pci_count(void)
{
	return device_count;
}

struct pci_device *pci_get(size_t i)
{
	return i < device_count ? devices[i] : NULL;
}

/* Index of the device after `after` in the list (0 for NULL). */
static size_t index_after(const struct pci_device *after)
{
	if (after == NULL) {
		return 0;
	}
	for (size_t i = 0; i < device_count; i++) {
		if (devices[i] == after) {
			return i + 1;
		}
	}
	return device_count; /* not ours: nothing comes after it */
}

struct pci_device *pci_find(uint16_t vendor, uint16_t device, struct pci_device *after)
{
	for (size_t i = index_after(after); i < device_count; i++) {
		struct pci_device *d = devices[i];
		if ((vendor == PCI_ANY_ID || d->vendor_id == vendor) &&
		    (device == PCI_ANY_ID || d->device_id == device)) {
			return d;
		}
	}
	return NULL;
}

struct pci_device *pci_find_class(uint8_t class_code, uint8_t subclass, struct pci_device *after)
{
	for (size_t i = index_after(after); i < device_count; i++) {
		if (devices[i]->class_code == class_code && devices[i]->subclass == subclass) {
			return devices[i];
		}
	}
	return NULL;
}

char *pci_name(const struct pci_device *d, char *buf, size_t size)
{
	fmt_snprintf(buf, size, "%02x:%02x.%u", d->bus, d->dev, d->func);
	return buf;
}

static struct pci_addr addr_of(const struct pci_device *d)
{
	return (struct pci_addr){d->bus, d->dev, d->func};
}

uint8_t pci_read8(const struct pci_device *d, uint16_t offset)
{
	return (uint8_t)pci_config_read(addr_of(d), offset, 1);
}

uint16_t pci_read16(const struct pci_device *d, uint16_t offset)
{
	return (uint16_t)pci_config_read(addr_of(d), offset, 2);
}

uint32_t pci_read32(const struct pci_device *d, uint16_t offset)
{
	return pci_config_read(addr_of(d), offset, 4);
}

void pci_write8(const struct pci_device *d, uint16_t offset, uint8_t v)
{
	pci_config_write(addr_of(d), offset, 1, v);
}

void pci_write16(const struct pci_device *d, uint16_t offset, uint16_t v)
{
	pci_config_write(addr_of(d), offset, 2, v);
}

void pci_write32(const struct pci_device *d, uint16_t offset, uint32_t v)
{
	pci_config_write(addr_of(d), offset, 4, v);
}

uint8_t pci_capability_walk(uint8_t (*read8)(const void *ctx, uint16_t offset), const void *ctx,
			    uint8_t ptr, uint8_t cap_id)
{
	for (unsigned hop = 0; hop < CAP_MAX_HOPS; hop++) {
		ptr &= 0xfc; /* the low two bits are reserved */
		if (ptr < CAP_MIN_OFFSET) {
			return 0;
		}
		if (read8(ctx, ptr) == cap_id) {
			return ptr;
		}
		ptr = read8(ctx, ptr + 1);
	}
	return 0;
}

static uint8_t device_read8(const void *ctx, uint16_t offset)
{
	return pci_read8(ctx, offset);
}

uint8_t pci_find_capability(const struct pci_device *d, uint8_t cap_id, uint8_t after)
{
	uint8_t ptr;

	if (!(pci_read16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST)) {
		return 0;
	}
	if (after != 0) {
		if (after < CAP_MIN_OFFSET || after % 4 != 0) {
			return 0;
		}
		ptr = pci_read8(d, after + 1);
	} else {
		uint16_t head = d->header_type == 2 ? CFG_CARDBUS_CAP_POINTER : CFG_CAP_POINTER;
		ptr = pci_read8(d, head);
	}
	return pci_capability_walk(device_read8, d, ptr, cap_id);
}

uint64_t pci_bar_size(const struct pci_device *d, unsigned bar)
{
	return bar < PCI_MAX_BARS ? d->bars[bar].size : 0;
}

void *pci_map_bar(struct pci_device *d, unsigned bar)
{
	char name[16];
	if (bar >= PCI_MAX_BARS) {
		log_warn("pci", "%s: no BAR %u", pci_name(d, name, sizeof(name)), bar);
		return NULL;
	}
	struct pci_bar *b = &d->bars[bar];
	if (b->virt != NULL) {
		return b->virt;
	}
	if (b->type != PCI_BAR_MEM32 && b->type != PCI_BAR_MEM64) {
		log_warn("pci", "%s: BAR %u is %s, not memory", pci_name(d, name, sizeof(name)),
			 bar, b->type == PCI_BAR_IO ? "I/O" : "empty");
		return NULL;
	}
	if (b->base == 0 || b->size > MAP_BAR_MAX || b->base + b->size < b->base) {
		log_warn("pci", "%s: BAR %u (%#llx, %llu bytes) is unassigned or too large to map",
			 pci_name(d, name, sizeof(name)), bar, (unsigned long long)b->base,
			 (unsigned long long)b->size);
		return NULL;
	}
	b->virt = vmm_map_mmio(b->base, (size_t)b->size, VMM_CACHE_UNCACHED);
	return b->virt;
}

void pci_enable(struct pci_device *d)
{
	uint16_t command = pci_read16(d, PCI_COMMAND);
	uint16_t want = command | PCI_COMMAND_MEMORY | PCI_COMMAND_BUS_MASTER;
	for (unsigned i = 0; i < PCI_MAX_BARS; i++) {
		if (d->bars[i].type == PCI_BAR_IO) {
			want |= PCI_COMMAND_IO;
		}
	}
	if (want != command) {
		pci_write16(d, PCI_COMMAND, want);
	}
}
