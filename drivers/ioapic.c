/*
 * I/O APIC driver; see ioapic.h. Registers are reached indirectly: the
 * index goes to IOREGSEL (offset 0x00), the value through IOWIN (0x10).
 * Register 0x01 holds the version and the highest redirection entry;
 * entry n is the pair 0x10 + 2n (low half) and 0x11 + 2n (high half).
 *
 * Invariant: an index/data pair is never split by an interrupt handler
 * touching the same IOAPIC, because both accesses happen with interrupts
 * off (single CPU). The register window is mapped uncached, and x86 keeps
 * uncached accesses in program order, so no fence is needed between the
 * index write and the data access; `volatile` keeps the compiler in order.
 */
#include "drivers/ioapic.h"

#include <stddef.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "drivers/acpi/acpi.h"
#include "kernel/log.h"
#include "mm/vmm.h"

#define IOREGSEL	0x00
#define IOWIN		0x10
#define REG_ID		0x00
#define REG_VERSION	0x01
#define REG_REDIRECTION 0x10
#define WINDOW_BYTES	0x20
#define MAX_ENTRIES	120 /* registers 0x10-0xff hold at most 120 entries */

struct ioapic {
	volatile uint32_t *regs;
	uint8_t id;
	uint8_t version;
	uint32_t gsi_base;
	unsigned entries;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned ioapic_total;

static uint32_t ioapic_read(const struct ioapic *io, uint8_t reg)
{
	bool was = irq_save();
	io->regs[IOREGSEL / 4] = reg;
	uint32_t v = io->regs[IOWIN / 4];
	irq_restore(was);
	return v;
}

static void ioapic_write(const struct ioapic *io, uint8_t reg, uint32_t v)
{
	bool was = irq_save();
	io->regs[IOREGSEL / 4] = reg;
	io->regs[IOWIN / 4] = v;
	irq_restore(was);
}

/* The IOAPIC serving gsi and the entry index there, or NULL. */
static const struct ioapic *ioapic_for(uint32_t gsi, unsigned *index)
{
	for (unsigned i = 0; i < ioapic_total; i++) {
		const struct ioapic *io = &ioapics[i];
		if (gsi >= io->gsi_base && gsi - io->gsi_base < io->entries) {
			*index = gsi - io->gsi_base;
			return io;
		}
	}
	return NULL;
}

static void ioapic_add(const struct acpi_ioapic *desc)
{
	struct ioapic *io = &ioapics[ioapic_total];

	io->regs = vmm_map_mmio(desc->address, WINDOW_BYTES, VMM_CACHE_UNCACHED);
	io->gsi_base = desc->gsi_base;
	io->id = (uint8_t)((ioapic_read(io, REG_ID) >> 24) & 0x0f);
	uint32_t version = ioapic_read(io, REG_VERSION);
	io->version = (uint8_t)version;
	io->entries = ((version >> 16) & 0xff) + 1u;
	if (version == 0xffffffffu || io->entries > MAX_ENTRIES) {
		log_warn("ioapic", "IOAPIC %u at %#x does not answer (version %#x); skipped",
			 desc->id, desc->address, version);
		return;
	}
	/* Masked, edge, vector 0: nothing is delivered until routed. */
	for (unsigned n = 0; n < io->entries; n++) {
		ioapic_write(io, (uint8_t)(REG_REDIRECTION + 2 * n), (uint32_t)IOAPIC_RTE_MASKED);
		ioapic_write(io, (uint8_t)(REG_REDIRECTION + 2 * n + 1), 0);
	}
	ioapic_total++;
	log_info("ioapic", "IOAPIC %u at %#x, version %#x, GSIs %u-%u, all masked", io->id,
		 desc->address, io->version, io->gsi_base, io->gsi_base + io->entries - 1);
}

void ioapic_init(void)
{
	const struct acpi_madt *madt = acpi_madt();
	if (madt == NULL || madt->ioapic_count == 0) {
		log_warn("ioapic", "no IOAPIC in the MADT: legacy device interrupts unavailable");
		return;
	}
	for (size_t i = 0; i < madt->ioapic_count && i < ACPI_MAX_IOAPICS; i++) {
		ioapic_add(&madt->ioapics[i]);
	}
}

unsigned ioapic_count(void)
{
	return ioapic_total;
}

bool ioapic_has_gsi(uint32_t gsi)
{
	unsigned index;
	return ioapic_for(gsi, &index) != NULL;
}

int ioapic_route(uint32_t gsi, uint8_t vector, bool level_triggered, bool active_low)
{
	unsigned n;
	const struct ioapic *io = ioapic_for(gsi, &n);
	if (io == NULL) {
		return IOAPIC_E_NO_GSI;
	}
	if (vector < 16) {
		return IOAPIC_E_VECTOR;
	}
	uint32_t low = vector | (level_triggered ? (uint32_t)IOAPIC_RTE_LEVEL : 0) |
		       (active_low ? (uint32_t)IOAPIC_RTE_ACTIVE_LOW : 0);
	/* Destination first, while masked; the low half unmasks last. */
	ioapic_write(io, (uint8_t)(REG_REDIRECTION + 2 * n), (uint32_t)IOAPIC_RTE_MASKED);
	ioapic_write(io, (uint8_t)(REG_REDIRECTION + 2 * n + 1), lapic_id() << 24);
	ioapic_write(io, (uint8_t)(REG_REDIRECTION + 2 * n), low);
	return 0;
}

int ioapic_mask(uint32_t gsi, bool masked)
{
	unsigned n;
	const struct ioapic *io = ioapic_for(gsi, &n);
	if (io == NULL) {
		return IOAPIC_E_NO_GSI;
	}
	bool was = irq_save(); /* read-modify-write of one entry */
	uint32_t low = ioapic_read(io, (uint8_t)(REG_REDIRECTION + 2 * n));
	low = masked ? low | (uint32_t)IOAPIC_RTE_MASKED : low & ~(uint32_t)IOAPIC_RTE_MASKED;
	ioapic_write(io, (uint8_t)(REG_REDIRECTION + 2 * n), low);
	irq_restore(was);
	return 0;
}

int ioapic_entry(uint32_t gsi, uint64_t *entry)
{
	unsigned n;
	const struct ioapic *io = ioapic_for(gsi, &n);
	if (io == NULL) {
		return IOAPIC_E_NO_GSI;
	}
	uint64_t high = ioapic_read(io, (uint8_t)(REG_REDIRECTION + 2 * n + 1));
	*entry = high << 32 | ioapic_read(io, (uint8_t)(REG_REDIRECTION + 2 * n));
	return 0;
}
