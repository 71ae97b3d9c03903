/*
 * Enumeration of PCI segment 0; see pci_scan.h. The walk starts at the
 * first bus of the configuration mechanism, probes all 32 slots of each
 * bus (function 0 first; functions 1-7 only when function 0 says the
 * device is multi-function) and descends into the secondary bus of every
 * PCI-to-PCI bridge. Bus numbers are those firmware programmed; a bridge
 * left unconfigured, or pointing at a bus already seen or outside the
 * ECAM range, is logged and not followed, so a bad topology cannot loop.
 *
 * BAR sizing follows the PCI Local Bus specification (6.2.5.1): with the
 * function's I/O and memory decoding turned off, write all ones to the BAR,
 * read back which address bits stick, restore the original value, then
 * restore decoding. The size is the lowest address bit that reads back as
 * one. Decoding is left alone on host bridges (some stop forwarding memory
 * cycles when told to), and interrupts are off meanwhile so no handler
 * touches a device whose BARs hold all ones.
 */
#include "drivers/pci/pci_scan.h"

#include <stdarg.h>

#include "arch/x86_64/cpu.h"
#include "drivers/pci/pci_config.h"
#include "kernel/log.h"
#include "lib/format.h"
#include "mm/heap.h"

#define CFG_ID		    0x00
#define CFG_CLASS	    0x08 /* revision, prog-if, subclass, class */
#define CFG_HEADER_TYPE	    0x0e
#define CFG_BAR0	    0x10
#define CFG_SECONDARY_BUS   0x19
#define CFG_SUBORDINATE_BUS 0x1a
#define CFG_SUBSYSTEM	    0x2c /* subsystem vendor, subsystem id */
#define CFG_INTERRUPT_LINE  0x3c
#define CFG_INTERRUPT_PIN   0x3d
#define HEADER_MULTI	    0x80
#define BAR_IO		    0x1u
#define BAR_MEM_TYPE_64	    0x4u
#define BAR_PREFETCH	    0x8u
#define MAX_BRIDGE_DEPTH    32
#define LINE_BYTES	    200

static void (*found_fn)(struct pci_device *d);
static bool bus_seen[256];

static struct pci_addr addr_of(const struct pci_device *d)
{
	return (struct pci_addr){d->bus, d->dev, d->func};
}

static uint32_t cfg32(struct pci_addr a, uint16_t offset)
{
	return pci_config_read(a, offset, 4);
}

/* Size the BAR at index i; returns how many BAR slots it uses (1 or 2). */
static unsigned size_bar(struct pci_device *d, unsigned i, unsigned nbars)
{
	struct pci_addr a = addr_of(d);
	uint16_t off = (uint16_t)(CFG_BAR0 + 4 * i);
	struct pci_bar *bar = &d->bars[i];
	uint32_t orig = cfg32(a, off);

	pci_config_write(a, off, 4, 0xffffffffu);
	uint32_t ones = cfg32(a, off);
	pci_config_write(a, off, 4, orig);

	uint64_t mask, base;
	unsigned used = 1;
	if (orig & BAR_IO) {
		mask = ones & ~0x3u; /* 16-bit decoders read 0 above bit 15: still fine */
		base = orig & ~0x3u;
		bar->type = PCI_BAR_IO;
	} else if ((orig & 0x6u) == BAR_MEM_TYPE_64 && i + 1 < nbars) {
		uint32_t orig_hi = cfg32(a, off + 4);
		pci_config_write(a, off + 4, 4, 0xffffffffu);
		uint32_t ones_hi = cfg32(a, off + 4);
		pci_config_write(a, off + 4, 4, orig_hi);
		mask = (uint64_t)ones_hi << 32 | (ones & ~0xfu);
		base = (uint64_t)orig_hi << 32 | (orig & ~0xfu);
		bar->type = PCI_BAR_MEM64;
		used = 2;
	} else {
		mask = ones & ~0xfu;
		base = orig & ~0xfu;
		bar->type = PCI_BAR_MEM32;
	}
	bar->prefetchable = bar->type != PCI_BAR_IO && (orig & BAR_PREFETCH);
	bar->size = mask & (~mask + 1); /* the lowest settable address bit */
	bar->base = base;
	if (bar->size == 0) {
		*bar = (struct pci_bar){0};
	}
	return used;
}

static void size_bars(struct pci_device *d)
{
	unsigned nbars = d->header_type == 0 ? 6 : d->header_type == 1 ? 2 : 0;
	bool host_bridge = d->class_code == 0x06 && d->subclass == 0x00;
	struct pci_addr a = addr_of(d);

	if (nbars == 0) {
		return;
	}
	bool was = irq_enabled();
	irq_disable();
	uint32_t command = pci_config_read(a, PCI_COMMAND, 2);
	if (!host_bridge) {
		uint32_t off = command & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
		pci_config_write(a, PCI_COMMAND, 2, off);
	}
	for (unsigned i = 0; i < nbars;) {
		i += size_bar(d, i, nbars);
	}
	if (!host_bridge) {
		pci_config_write(a, PCI_COMMAND, 2, command);
	}
	if (was) {
		irq_enable();
	}
}

static struct pci_device *read_function(struct pci_addr a)
{
	struct pci_device *d = kzalloc(sizeof(*d));
	if (d == NULL) {
		return NULL;
	}
	d->bus = a.bus;
	d->dev = a.dev;
	d->func = a.func;
	uint32_t id = cfg32(a, CFG_ID), cls = cfg32(a, CFG_CLASS);
	d->vendor_id = (uint16_t)id;
	d->device_id = (uint16_t)(id >> 16);
	d->revision = (uint8_t)cls;
	d->prog_if = (uint8_t)(cls >> 8);
	d->subclass = (uint8_t)(cls >> 16);
	d->class_code = (uint8_t)(cls >> 24);
	uint8_t header = (uint8_t)pci_config_read(a, CFG_HEADER_TYPE, 1);
	d->header_type = header & 0x7f;
	d->multifunction = (header & HEADER_MULTI) != 0;
	d->irq_line = (uint8_t)pci_config_read(a, CFG_INTERRUPT_LINE, 1);
	d->irq_pin = (uint8_t)pci_config_read(a, CFG_INTERRUPT_PIN, 1);
	if (d->header_type == 0) {
		uint32_t sub = cfg32(a, CFG_SUBSYSTEM);
		d->subsystem_vendor_id = (uint16_t)sub;
		d->subsystem_id = (uint16_t)(sub >> 16);
	} else if (d->header_type == 1) {
		d->secondary_bus = (uint8_t)pci_config_read(a, CFG_SECONDARY_BUS, 1);
		d->subordinate_bus = (uint8_t)pci_config_read(a, CFG_SUBORDINATE_BUS, 1);
	}
	size_bars(d);
	return d;
}

static void append(char *buf, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf + *pos, LINE_BYTES - *pos, fmt, ap);
	va_end(ap);
	if (n > 0) {
		*pos += (size_t)n < LINE_BYTES - *pos ? (size_t)n : LINE_BYTES - 1 - *pos;
	}
}

/* "16K", "256M", "32": the largest unit that divides the size exactly. */
static void append_size(char *buf, size_t *pos, uint64_t size)
{
	static const char units[] = " KMGT";
	unsigned u = 0;
	while (u + 1 < sizeof(units) - 1 && size >= 1024 && size % 1024 == 0) {
		size /= 1024;
		u++;
	}
	if (u == 0) {
		append(buf, pos, "%llu", (unsigned long long)size);
	} else {
		append(buf, pos, "%llu%c", (unsigned long long)size, units[u]);
	}
}

static void log_function(const struct pci_device *d)
{
	static const char *const kinds[] = {"none", "mem", "mem64", "io"};
	char line[LINE_BYTES];
	size_t pos = 0;
	const char *name = pci_device_name(d->vendor_id, d->device_id);

	append(line, &pos, "%02x:%02x.%u %04x:%04x %s", d->bus, d->dev, d->func, d->vendor_id,
	       d->device_id, pci_class_name(d->class_code));
	if (name != NULL) {
		append(line, &pos, " (%s)", name);
	}
	if (d->header_type == 1) {
		append(line, &pos, " buses %u-%u", d->secondary_bus, d->subordinate_bus);
	}
	append(line, &pos, " bars:");
	unsigned shown = 0;
	for (unsigned i = 0; i < PCI_MAX_BARS; i++) {
		const struct pci_bar *b = &d->bars[i];
		if (b->type == PCI_BAR_NONE) {
			continue;
		}
		append(line, &pos, " %u:%s %#llx ", i, kinds[b->type], (unsigned long long)b->base);
		append_size(line, &pos, b->size);
		if (b->prefetchable) {
			append(line, &pos, " pf");
		}
		shown++;
	}
	if (shown == 0) {
		append(line, &pos, " none");
	}
	log_info("pci", "%s", line);
	log_debug("pci", "  class %02x.%02x.%02x rev %u subsystem %04x:%04x pin %u line %u",
		  d->class_code, d->subclass, d->prog_if, d->revision, d->subsystem_vendor_id,
		  d->subsystem_id, d->irq_pin, d->irq_line);
}

static void scan_bus(uint8_t bus, unsigned depth);

static void follow_bridge(const struct pci_device *d, unsigned depth)
{
	uint8_t next = d->secondary_bus;
	if (next == 0 || next <= d->bus || bus_seen[next] || next > pci_config_last_bus() ||
	    depth >= MAX_BRIDGE_DEPTH) {
		log_warn("pci",
			 "%02x:%02x.%u: bridge to bus %u not followed (unconfigured, "
			 "out of range or seen)",
			 d->bus, d->dev, d->func, next);
		return;
	}
	scan_bus(next, depth + 1);
}

/* Record one function; returns it (NULL when absent or out of memory). */
static struct pci_device *scan_function(struct pci_addr a, unsigned depth)
{
	uint16_t vendor = (uint16_t)pci_config_read(a, CFG_ID, 2);
	if (vendor == 0xffff || vendor == 0x0000) { /* absent (0: broken bridges) */
		return NULL;
	}
	struct pci_device *d = read_function(a);
	if (d == NULL) {
		log_warn("pci", "out of memory: %02x:%02x.%u not recorded", a.bus, a.dev, a.func);
		return NULL;
	}
	log_function(d);
	found_fn(d);
	if (d->header_type == 1) {
		follow_bridge(d, depth);
	}
	return d;
}

static void scan_bus(uint8_t bus, unsigned depth)
{
	bus_seen[bus] = true;
	for (uint8_t dev = 0; dev < 32; dev++) {
		struct pci_device *f0 = scan_function((struct pci_addr){bus, dev, 0}, depth);
		if (f0 == NULL || !f0->multifunction) {
			continue;
		}
		for (uint8_t fn = 1; fn < 8; fn++) {
			scan_function((struct pci_addr){bus, dev, fn}, depth);
		}
	}
}

void pci_scan(void (*found)(struct pci_device *d))
{
	found_fn = found;
	scan_bus(pci_config_first_bus(), 0);
}

const char *pci_class_name(uint8_t class_code)
{
	static const char *const names[] = {
	    "unclassified",   "storage",
	    "network",	      "display",
	    "multimedia",     "memory",
	    "bridge",	      "comm",
	    "system",	      "input",
	    "docking",	      "processor",
	    "serial-bus",     "wireless",
	    "intelligent-io", "satellite",
	    "crypto",	      "signal-processing",
	    "accelerator",    "instrumentation",
	};
	if (class_code < sizeof(names) / sizeof(names[0])) {
		return names[class_code];
	}
	return "other";
}

const char *pci_device_name(uint16_t vendor, uint16_t device)
{
	static const struct {
		uint16_t vendor, device;
		const char *name;
	} known[] = {
	    {0x8086, 0x29c0, "q35-host"},	{0x8086, 0x2918, "ich9-lpc"},
	    {0x8086, 0x2922, "ich9-ahci"},	{0x8086, 0x2930, "ich9-smbus"},
	    {0x1234, 0x1111, "std-vga"},	{0x1b36, 0x000d, "qemu-xhci"},
	    {0x1b36, 0x000c, "pcie-root-port"}, {0x1b36, 0x000e, "pcie-pci-bridge"},
	    {0x1af4, 0x1000, "virtio-net"},	{0x1af4, 0x1001, "virtio-blk"},
	    {0x1af4, 0x1005, "virtio-rng"},	{0x1af4, 0x1041, "virtio-net"},
	    {0x1af4, 0x1042, "virtio-blk"},	{0x1af4, 0x1043, "virtio-console"},
	    {0x1af4, 0x1044, "virtio-rng"},	{0x1af4, 0x1050, "virtio-gpu"},
	    {0x1af4, 0x1052, "virtio-input"},
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (known[i].vendor == vendor && known[i].device == device) {
			return known[i].name;
		}
	}
	return NULL;
}
