/*
 * Self-tests of ACPI, PCI and device interrupts on the real (emulated)
 * machine, q35:
 *   - enumeration found the q35 host bridge and the ICH9 LPC bridge;
 *   - ECAM and port I/O read the same configuration space;
 *   - every BAR size is a power of two and the BAR is aligned to it, and
 *     sizing left the BAR registers as firmware programmed them;
 *   - the capability walk terminates, even on a looping list;
 *   - pci_map_bar() maps the BAR (AHCI's version register reads right) and
 *     returns the same address again;
 *   - the IOAPIC starts masked and programs entries as asked;
 *   - INTx end to end: the ICH9 SMBus controller raises a real level
 *     interrupt that travels pin -> chipset -> IOAPIC -> our shared-line
 *     dispatcher, which also runs the handler of AHCI on the same line;
 *   - MSI-X: the table entry holds the message for our vector, and that
 *     vector reaches the attached handler (sent as a self-IPI: nothing
 *     makes an idle device write its MSI-X message, see docs/pci.md).
 * Tests needing a device the machine lacks log that they skip it.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "drivers/acpi/acpi.h"
#include "drivers/ioapic.h"
#include "drivers/pci/pci.h"
#include "drivers/pci/pci_config.h"
#include "kernel/clock.h"
#include "kernel/log.h"
#include "mm/vmm.h"
#include "tests/kernel/selftest.h"

#define SMBUS_HOSTC	    0x40 /* ICH9 SMBus host configuration register */
#define SMBUS_HOSTC_EN	    0x01
#define SMBUS_HOSTC_I2C	    0x04
#define SMB_STATUS	    0x00 /* I/O registers, from BAR 4 */
#define SMB_CONTROL	    0x02
#define SMB_ADDRESS	    0x04
#define SMB_CTL_INTREN	    0x01
#define SMB_CTL_START	    0x40
#define AHCI_GHC	    0x04 /* AHCI global host control, in BAR 5 */
#define AHCI_GHC_IE	    0x2u
#define MSIX_CONTROL_ENABLE (1u << 15)
#define MSIX_CONTROL_MASK   (1u << 14)

static struct pci_device *q35_host_bridge(void)
{
	return pci_find(0x8086, 0x29c0, NULL);
}

KTEST(pci_finds_q35_bridges)
{
	struct pci_device *host = q35_host_bridge();
	struct pci_device *lpc = pci_find(0x8086, 0x2918, NULL);
	KEXPECT(host != NULL);
	KEXPECT(host->bus == 0 && host->dev == 0 && host->func == 0);
	KEXPECT(host->class_code == 0x06 && host->subclass == 0x00);
	KEXPECT(lpc != NULL);
	KEXPECT(lpc->dev == 31 && lpc->func == 0 && lpc->multifunction);
	KEXPECT(pci_find(0x8086, 0x2918, lpc) == NULL);
	KEXPECT(pci_find_class(0x06, 0x01, NULL) == lpc); /* ISA bridge */
	KEXPECT(pci_get(pci_count()) == NULL);
	return NULL;
}

KTEST(pci_ecam_and_port_io_agree)
{
	if (pci_config_mechanism() != PCI_CONFIG_ECAM) {
		log_info("selftest", "pci_ecam_and_port_io_agree: no ECAM in use, skipped");
		return NULL;
	}
	struct pci_device *host = q35_host_bridge();
	KEXPECT(host != NULL);
	struct pci_addr a = {host->bus, host->dev, host->func};
	for (uint16_t off = 0; off < 0x100; off += 4) {
		KEXPECT(pci_config_read_ecam(a, off, 4) == pci_config_read_port_io(a, off, 4));
	}
	KEXPECT(pci_config_read_ecam(a, 2, 2) == pci_config_read_port_io(a, 2, 2));
	KEXPECT(pci_config_read_ecam(a, 0xb, 1) == pci_config_read_port_io(a, 0xb, 1));
	KEXPECT(pci_config_read_ecam(a, 0, 2) == 0x8086);
	/* Port I/O reaches only 256 bytes; beyond that reads as absent. */
	KEXPECT(pci_config_read_port_io(a, 0x100, 4) == 0xffffffffu);
	KEXPECT(pci_config_read(a, 3, 2) == 0xffff); /* misaligned */
	return NULL;
}

KTEST(pci_bar_sizes_are_powers_of_two)
{
	unsigned bars = 0;
	for (size_t i = 0; i < pci_count(); i++) {
		struct pci_device *d = pci_get(i);
		for (unsigned b = 0; b < PCI_MAX_BARS; b++) {
			const struct pci_bar *bar = &d->bars[b];
			if (bar->type == PCI_BAR_NONE) {
				continue;
			}
			bars++;
			KEXPECT(bar->size != 0 && (bar->size & (bar->size - 1)) == 0);
			KEXPECT((bar->base & (bar->size - 1)) == 0);
			/* Sizing restored the register: it still holds the base. */
			uint32_t reg = pci_read32(d, (uint16_t)(0x10 + 4 * b));
			uint32_t low = (uint32_t)bar->base;
			KEXPECT((reg & (bar->type == PCI_BAR_IO ? ~0x3u : ~0xfu)) == low);
		}
	}
	KEXPECT(bars > 0); /* AHCI and SMBus always have some */
	return NULL;
}

/* A fake configuration space for the walk: id at o, next pointer at o + 1. */
static uint8_t fake_read8(const void *ctx, uint16_t offset)
{
	return ((const uint8_t *)ctx)[offset & 0xff];
}

KTEST(pci_capability_walk_terminates)
{
	static uint8_t space[256];
	space[0x40] = 0x09;
	space[0x41] = 0x50;
	space[0x50] = 0x05;
	space[0x51] = 0x63; /* low bits set: masked to 0x60 */
	space[0x60] = 0x10;
	space[0x61] = 0x40; /* back to the start: a loop */
	KEXPECT(pci_capability_walk(fake_read8, space, 0x40, 0x10) == 0x60);
	KEXPECT(pci_capability_walk(fake_read8, space, 0x40, 0x11) == 0); /* loops: ends */
	KEXPECT(pci_capability_walk(fake_read8, space, 0x3c, 0x09) == 0); /* in the header */
	space[0x51] = 0xff; /* 0xfc: a self-loop at the end of the space */
	space[0xfc] = 0x01;
	space[0xfd] = 0xfc;
	KEXPECT(pci_capability_walk(fake_read8, space, 0x40, 0x11) == 0);

	/* Every real list ends within bounds, and `after` continues it. */
	for (size_t i = 0; i < pci_count(); i++) {
		const struct pci_device *d = pci_get(i);
		unsigned found = 0;
		for (uint8_t id = 1; id < 0x16; id++) {
			for (uint8_t at = pci_find_capability(d, id, 0); at != 0;
			     at = pci_find_capability(d, id, at)) {
				KEXPECT(at >= 0x40 && at % 4 == 0 && pci_read8(d, at) == id);
				KEXPECT(++found <= 48);
			}
		}
	}
	return NULL;
}

KTEST(pci_map_bar_maps_once)
{
	struct pci_device *ahci = pci_find(0x8086, 0x2922, NULL);
	if (ahci == NULL) {
		log_info("selftest", "pci_map_bar_maps_once: no ICH9 AHCI, skipped");
		return NULL;
	}
	pci_enable(ahci);
	volatile uint32_t *abar = pci_map_bar(ahci, 5);
	KEXPECT(abar != NULL);
	KEXPECT(pci_map_bar(ahci, 5) == (void *)abar);
	KEXPECT(abar[0x10 / 4] == 0x00010000u); /* AHCI version register: 1.0 */
	KEXPECT(pci_map_bar(ahci, 4) == NULL);	/* an I/O BAR */
	KEXPECT(pci_map_bar(ahci, 0) == NULL);	/* not implemented */
	KEXPECT(pci_map_bar(ahci, 6) == NULL);
	KEXPECT(pci_read16(ahci, PCI_COMMAND) & PCI_COMMAND_BUS_MASTER);
	return NULL;
}

static volatile unsigned test_vector_hits;

static void count_hit(struct trap_frame *frame, void *arg)
{
	(void)frame;
	(void)arg;
	test_vector_hits++;
}

KTEST(ioapic_programs_entries)
{
	uint64_t e;
	if (ioapic_count() == 0) {
		return "no IOAPIC (the MADT of q35 lists one)";
	}
	KEXPECT(ioapic_entry(23, &e) == 0);
	KEXPECT(ioapic_entry(4000, &e) == IOAPIC_E_NO_GSI);
	KEXPECT(ioapic_route(4000, 60, true, true) == IOAPIC_E_NO_GSI);
	int vector = trap_alloc_vector(count_hit, NULL);
	KEXPECT(vector > 0);
	/* Edge, active-high: nothing fires without a rising edge on the pin. */
	KEXPECT(ioapic_route(23, (uint8_t)vector, false, false) == 0);
	KEXPECT(ioapic_entry(23, &e) == 0);
	KEXPECT((e & IOAPIC_RTE_VECTOR_MASK) == (uint64_t)vector);
	KEXPECT(!(e & (IOAPIC_RTE_MASKED | IOAPIC_RTE_LEVEL | IOAPIC_RTE_ACTIVE_LOW)));
	KEXPECT(e >> 56 == lapic_id());
	KEXPECT(ioapic_mask(23, true) == 0);
	KEXPECT(ioapic_entry(23, &e) == 0 && (e & IOAPIC_RTE_MASKED));
	trap_set_handler((uint8_t)vector, NULL, NULL);
	return NULL;
}

struct smbus_test {
	uint16_t io;
	volatile unsigned interrupts;
};

/* The SMBus status is write-one-to-clear; clearing it drops the INTx line. */
static void smbus_interrupt(struct trap_frame *frame, void *arg)
{
	struct smbus_test *t = arg;
	(void)frame;
	uint8_t status = inb((uint16_t)(t->io + SMB_STATUS));
	if (status & 0x1e) { /* done, device error, bus error or failed */
		outb((uint16_t)(t->io + SMB_STATUS), status);
		t->interrupts++;
	}
}

static bool wait_for(volatile unsigned *counter, uint64_t ns)
{
	uint64_t end = clock_ns() + ns;
	while (*counter == 0 && clock_ns() < end) {
		cpu_relax();
	}
	return *counter != 0;
}

static volatile unsigned partner_calls;

static void partner_interrupt(struct trap_frame *frame, void *arg)
{
	(void)frame;
	(void)arg;
	partner_calls++;
}

/*
 * A second function on the SMBus's line, to prove the line is shared: the
 * AHCI controller (MSI but no MSI-X, so it falls back to INTx too) when
 * firmware gave it the same line and its interrupts are off (GHC.IE clear),
 * so it cannot assert the line itself while its handler is attached.
 */
static struct pci_device *line_partner(const struct pci_device *smbus)
{
	struct pci_device *ahci = pci_find(0x8086, 0x2922, NULL);
	if (ahci == NULL || ahci->irq != NULL || ahci->irq_line != smbus->irq_line) {
		return NULL;
	}
	volatile uint32_t *abar = pci_map_bar(ahci, 5);
	return abar != NULL && !(abar[AHCI_GHC / 4] & AHCI_GHC_IE) ? ahci : NULL;
}

/* Attach the partner's handler; returns whether it joined the line. */
static bool join_partner(struct pci_device *p, int vector)
{
	partner_calls = 0;
	return p != NULL && pci_irq_setup(p, 1) == 1 &&
	       pci_irq_attach(p, 0, partner_interrupt, NULL) == 0 && pci_irq_vector(p, 0) == vector;
}

/*
 * A quick command to an absent SMBus address with interrupts enabled ends
 * at once with "device error", which raises the function's INTx. With a
 * partner on the line, both handlers must run.
 */
KTEST(pci_intx_interrupt_arrives)
{
	static struct smbus_test t;
	struct pci_device *d = pci_find(0x8086, 0x2930, NULL);
	if (d == NULL || d->bars[4].type != PCI_BAR_IO || d->irq != NULL) {
		log_info("selftest", "pci_intx_interrupt_arrives: no free ICH9 SMBus, skipped");
		return NULL;
	}
	t.io = (uint16_t)d->bars[4].base;
	t.interrupts = 0;
	uint8_t hostc = pci_read8(d, SMBUS_HOSTC);
	pci_write8(d, SMBUS_HOSTC, (hostc | SMBUS_HOSTC_EN) & ~SMBUS_HOSTC_I2C);
	pci_enable(d);
	KEXPECT(pci_irq_setup(d, 1) == 1);
	KEXPECT(pci_irq_attach(d, 0, smbus_interrupt, &t) == 0);
	int vector = pci_irq_vector(d, 0);
	uint64_t before = trap_count((uint8_t)vector);
	struct pci_device *partner = line_partner(d);
	bool shared = join_partner(partner, vector);

	outb((uint16_t)(t.io + SMB_STATUS), 0xff);
	outb((uint16_t)(t.io + SMB_ADDRESS), 0x7f << 1);
	outb((uint16_t)(t.io + SMB_CONTROL), SMB_CTL_INTREN | SMB_CTL_START);
	bool arrived = wait_for(&t.interrupts, 200000000);

	outb((uint16_t)(t.io + SMB_CONTROL), 0);
	const char *mode = pci_irq_mode(d);
	pci_irq_release(d);
	pci_irq_release(partner);
	pci_write8(d, SMBUS_HOSTC, hostc);
	KEXPECT(mode[0] == 'i'); /* "intx": the SMBus function has no MSI-X */
	KEXPECT(arrived);
	KEXPECT(trap_count((uint8_t)vector) > before);
	KEXPECT(partner == NULL || shared);
	KEXPECT(!shared || partner_calls > 0);
	return NULL;
}

/* An MSI-X device no driver has claimed; else *claimed gets a claimed one. */
static struct pci_device *free_msix_device(struct pci_device **claimed)
{
	*claimed = NULL;
	for (size_t i = 0; i < pci_count(); i++) {
		struct pci_device *d = pci_get(i);
		if (pci_find_capability(d, PCI_CAP_MSIX, 0) == 0) {
			continue;
		}
		if (d->irq == NULL) {
			return d;
		}
		*claimed = d;
	}
	return NULL;
}

/* Read table entry `index` straight from the device, independently. */
static void msix_entry(struct pci_device *d, unsigned index, uint32_t out[4])
{
	uint8_t cap = pci_find_capability(d, PCI_CAP_MSIX, 0);
	uint32_t where = pci_read32(d, cap + 4);
	volatile uint32_t *table =
	    (volatile uint32_t *)((uint8_t *)pci_map_bar(d, where & 7) + (where & ~7u));
	for (unsigned w = 0; w < 4; w++) {
		out[w] = table[index * 4 + w];
	}
}

/* A driver owns the device: check its entries without disturbing it. */
static const char *check_claimed_msix(struct pci_device *d)
{
	uint32_t e[4];
	unsigned checked = 0;
	for (unsigned i = 0; i < 2048; i++) { /* the largest MSI-X table */
		int vector = pci_irq_vector(d, i);
		if (vector <= 0) {
			continue;
		}
		msix_entry(d, i, e);
		KEXPECT(e[2] == (uint32_t)vector && !(e[3] & 1));
		checked++;
	}
	log_info("selftest",
		 "pci_msix_entry_reaches_handler: only MSI-X device is claimed by a "
		 "driver; checked its %u entries, no self-interrupt sent",
		 checked);
	return NULL;
}

KTEST(pci_msix_entry_reaches_handler)
{
	struct pci_device *claimed;
	struct pci_device *d = free_msix_device(&claimed);
	if (d == NULL && claimed != NULL && claimed->irq != NULL &&
	    pci_irq_mode(claimed)[0] == 'm') {
		return check_claimed_msix(claimed);
	}
	if (d == NULL) {
		log_info("selftest", "pci_msix_entry_reaches_handler: no MSI-X device, skipped");
		return NULL;
	}
	pci_enable(d);
	KEXPECT(pci_irq_setup(d, 2) >= 1);
	KEXPECT(pci_irq_attach(d, 0, count_hit, NULL) == 0);
	KEXPECT(pci_irq_attach(d, 0, count_hit, NULL) == PCI_E_BUSY);
	int vector = pci_irq_vector(d, 0);
	uint32_t e[4];
	msix_entry(d, 0, e);
	uint8_t cap = pci_find_capability(d, PCI_CAP_MSIX, 0);
	uint16_t control = pci_read16(d, cap + 2);
	uint16_t command = pci_read16(d, PCI_COMMAND);

	test_vector_hits = 0;
	lapic_send_self_ipi((uint8_t)vector);
	bool arrived = wait_for(&test_vector_hits, 100000000);
	const char *mode = pci_irq_mode(d);
	pci_irq_release(d);

	KEXPECT(mode[0] == 'm'); /* "msi-x" */
	KEXPECT(e[0] == (0xfee00000u | lapic_id() << 12) && e[1] == 0);
	KEXPECT(e[2] == (uint32_t)vector && !(e[3] & 1)); /* our vector, unmasked */
	KEXPECT((control & MSIX_CONTROL_ENABLE) && !(control & MSIX_CONTROL_MASK));
	KEXPECT(command & PCI_COMMAND_INTX_OFF);
	KEXPECT(arrived);
	msix_entry(d, 0, e);
	KEXPECT(e[3] & 1); /* masked again after the release */
	KEXPECT(!(pci_read16(d, cap + 2) & MSIX_CONTROL_ENABLE));
	return NULL;
}
