/*
 * Device interrupts: MSI-X when the device has it, INTx through the IOAPIC
 * otherwise; see pci.h for the driver's view and docs/pci.md for the why.
 *
 * MSI-X (PCI Local Bus 3.0, section 6.8.2): capability 0x11 names a BAR and
 * offset for the table (16 bytes per entry: message address low/high,
 * message data, vector control). An entry's message is a memory write the
 * device makes to 0xfee00000 | destination APIC id << 12 (physical mode,
 * no redirection) with the vector in the data's low byte (fixed delivery,
 * edge): the local APIC turns it into that vector. Setup enables MSI-X
 * with every entry masked; attaching programs one entry and unmasks it.
 * Each entry has its own vector, so nothing is shared.
 *
 * INTx: the pin is wired, through the chipset, to an interrupt line.
 * Without AML we cannot read the _PRT, so we use the line firmware wrote
 * into the interrupt line register (an ISA IRQ on PCs; on QEMU's q35 the
 * chipset drives that IOAPIC input as well as the APIC-mode one) mapped
 * to a GSI through the MADT's overrides. PCI lines are level-triggered and
 * active-low unless an override says otherwise. Several devices can share
 * a line: one vector per line, whose dispatcher calls every handler on it.
 *
 * Invariant: handler lists change only with interrupts off, so the
 * dispatcher never sees a half-added entry.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "drivers/acpi/acpi.h"
#include "drivers/ioapic.h"
#include "drivers/pci/pci.h"
#include "kernel/log.h"
#include "mm/heap.h"

#define MSIX_CONTROL	      2 /* offsets inside the capability */
#define MSIX_TABLE	      4
#define MSIX_CONTROL_SIZE     0x07ffu
#define MSIX_CONTROL_MASK_ALL (1u << 14)
#define MSIX_CONTROL_ENABLE   (1u << 15)
#define MSIX_BIR_MASK	      0x7u
#define MSIX_ENTRY_WORDS      4 /* address low, address high, data, control */
#define MSIX_VECTOR_MASKED    0x1u
#define MSI_ADDRESS_BASE      0xfee00000u
#define MSI_CONTROL	      2 /* in the MSI capability */
#define MSI_ENABLE	      0x1u
#define MAX_IRQS	      32 /* interrupts per device we keep track of */
#define INTX_MAX_LINES	      16
#define INTX_MAX_SHARED	      8

enum irq_mode { IRQ_MSIX, IRQ_INTX };

struct intx_handler {
	trap_handler_fn fn;
	void *arg;
};

struct intx_line {
	uint32_t gsi;
	int vector;
	bool level, active_low;
	unsigned count;
	struct intx_handler handlers[INTX_MAX_SHARED];
};

struct pci_irq_state {
	enum irq_mode mode;
	unsigned count;
	volatile uint32_t *msix_table; /* MSI-X only */
	uint32_t gsi;		       /* INTx only */
	bool level, active_low;	       /* INTx only */
	trap_handler_fn intx_fn;       /* INTx only: the attached handler */
	void *intx_arg;
	int vectors[MAX_IRQS]; /* 0 until attached */
};

static struct intx_line lines[INTX_MAX_LINES];
static unsigned line_count;

static const char *name_of(const struct pci_device *d)
{
	static char buf[16]; /* for log lines only, used at once */
	return pci_name(d, buf, sizeof(buf));
}

/* ---- MSI-X ---------------------------------------------------------- */

static void msix_entry_write(volatile uint32_t *table, unsigned i, unsigned word, uint32_t v)
{
	table[i * MSIX_ENTRY_WORDS + word] = v;
}

static uint32_t msix_entry_read(volatile uint32_t *table, unsigned i, unsigned word)
{
	return table[i * MSIX_ENTRY_WORDS + word];
}

/* The device's MSI-X table, mapped, with its size; NULL if unusable. */
static volatile uint32_t *msix_table(struct pci_device *d, uint8_t cap, unsigned *size)
{
	uint16_t control = pci_read16(d, cap + MSIX_CONTROL);
	uint32_t where = pci_read32(d, cap + MSIX_TABLE);
	unsigned bir = where & MSIX_BIR_MASK;
	uint64_t offset = where & ~MSIX_BIR_MASK;

	*size = (control & MSIX_CONTROL_SIZE) + 1u;
	if (bir >= PCI_MAX_BARS || d->bars[bir].type == PCI_BAR_IO ||
	    offset + (uint64_t)*size * 16 > d->bars[bir].size) {
		log_warn("pci",
			 "%s: MSI-X table (BAR %u + %#llx, %u entries) is not inside a "
			 "memory BAR",
			 name_of(d), bir, (unsigned long long)offset, *size);
		return NULL;
	}
	uint8_t *bar = pci_map_bar(d, bir);
	return bar != NULL ? (volatile uint32_t *)(bar + offset) : NULL;
}

static int msix_setup(struct pci_device *d, struct pci_irq_state *s, uint8_t cap)
{
	unsigned size;
	volatile uint32_t *table = msix_table(d, cap, &size);
	if (table == NULL) {
		return PCI_E_NO_IRQ;
	}
	uint16_t command = pci_read16(d, PCI_COMMAND);
	pci_write16(d, PCI_COMMAND, command | PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_OFF);
	uint8_t msi = pci_find_capability(d, PCI_CAP_MSI, 0);
	if (msi != 0) { /* MSI and MSI-X must never be enabled together */
		pci_write16(d, msi + MSI_CONTROL, pci_read16(d, msi + MSI_CONTROL) & ~MSI_ENABLE);
	}
	uint16_t control = pci_read16(d, cap + MSIX_CONTROL);
	/* Enabled but function-masked while the entries are put in order. */
	pci_write16(d, cap + MSIX_CONTROL, control | MSIX_CONTROL_ENABLE | MSIX_CONTROL_MASK_ALL);
	for (unsigned i = 0; i < size; i++) {
		uint32_t vc = msix_entry_read(table, i, 3);
		msix_entry_write(table, i, 3, vc | MSIX_VECTOR_MASKED);
	}
	pci_write16(d, cap + MSIX_CONTROL,
		    (control | MSIX_CONTROL_ENABLE) & ~MSIX_CONTROL_MASK_ALL);
	s->mode = IRQ_MSIX;
	s->msix_table = table;
	s->count = size < s->count ? size : s->count;
	log_info("pci", "%s: irq msi-x, %u of %u table entries (BAR %u)", name_of(d), s->count,
		 size, pci_read32(d, cap + MSIX_TABLE) & MSIX_BIR_MASK);
	return 0;
}

/*
 * Program entry `index` with `vector` for this CPU and unmask it. The table
 * is mapped uncached: x86 performs uncached stores in program order, so
 * the entry is complete before the store that unmasks it.
 */
static void msix_program(volatile uint32_t *table, unsigned index, uint8_t vector)
{
	uint32_t vc = msix_entry_read(table, index, 3);
	msix_entry_write(table, index, 3, vc | MSIX_VECTOR_MASKED);
	msix_entry_write(table, index, 0, MSI_ADDRESS_BASE | lapic_id() << 12);
	msix_entry_write(table, index, 1, 0);
	msix_entry_write(table, index, 2, vector); /* fixed delivery, edge */
	msix_entry_write(table, index, 3, vc & ~MSIX_VECTOR_MASKED);
}

/* ---- INTx ----------------------------------------------------------- */

static void intx_dispatch(struct trap_frame *frame, void *arg)
{
	struct intx_line *line = arg;
	for (unsigned i = 0; i < line->count; i++) {
		line->handlers[i].fn(frame, line->handlers[i].arg);
	}
}

/* Work out the GSI and its electrical mode from the interrupt line. */
static int intx_setup(struct pci_device *d, struct pci_irq_state *s)
{
	uint16_t flags = 0;

	if (d->irq_pin == 0 || d->irq_pin > 4 || d->irq_line == 0xff) {
		log_warn("pci", "%s: no INTx pin or line (pin %u, line %u)", name_of(d), d->irq_pin,
			 d->irq_line);
		return PCI_E_NO_IRQ;
	}
	/* Below 16 the line is an ISA IRQ; above, take it as a GSI already. */
	s->gsi = d->irq_line < 16 ? acpi_isa_irq_to_gsi(d->irq_line, &flags) : d->irq_line;
	if (!ioapic_has_gsi(s->gsi)) {
		log_warn("pci", "%s: no IOAPIC serves gsi %u", name_of(d), s->gsi);
		return PCI_E_NO_IRQ;
	}
	s->level = (flags & ACPI_INTI_TRIGGER_MASK) != ACPI_INTI_TRIGGER_EDGE;
	s->active_low = (flags & ACPI_INTI_POLARITY_MASK) != ACPI_INTI_POLARITY_HIGH;
	s->mode = IRQ_INTX;
	s->count = 1;
	uint16_t command = pci_read16(d, PCI_COMMAND);
	pci_write16(d, PCI_COMMAND, command & ~PCI_COMMAND_INTX_OFF);
	log_info("pci", "%s: irq intx, pin %c line %u -> gsi %u (%s, active-%s)", name_of(d),
		 'A' + d->irq_pin - 1, d->irq_line, s->gsi, s->level ? "level" : "edge",
		 s->active_low ? "low" : "high");
	return 0;
}

/* The line for the device's GSI, with a vector; NULL if none is left. */
static struct intx_line *intx_line(const struct pci_irq_state *s)
{
	for (unsigned i = 0; i < line_count; i++) {
		if (lines[i].gsi == s->gsi) {
			return &lines[i];
		}
	}
	if (line_count == INTX_MAX_LINES) {
		return NULL;
	}
	struct intx_line *line = &lines[line_count];
	*line = (struct intx_line){.gsi = s->gsi, .level = s->level, .active_low = s->active_low};
	line->vector = trap_alloc_vector(intx_dispatch, line);
	if (line->vector < 0) {
		return NULL;
	}
	line_count++;
	return line;
}

static int intx_attach(struct pci_device *d, struct pci_irq_state *s, trap_handler_fn fn, void *arg)
{
	bool was = irq_save();
	struct intx_line *line = intx_line(s);
	int err = line == NULL ? PCI_E_NO_VECTOR : line->count == INTX_MAX_SHARED ? PCI_E_BUSY : 0;
	if (err == 0) {
		line->handlers[line->count] = (struct intx_handler){fn, arg};
		line->count++; /* published last: see the invariant above */
		s->vectors[0] = line->vector;
		if (line->count == 1) {
			/* The first handler: route the line (again, after a release). */
			ioapic_route(line->gsi, (uint8_t)line->vector, line->level,
				     line->active_low);
		}
	}
	irq_restore(was);
	if (err == 0) {
		log_info("pci", "%s: intx gsi %u -> vector %d, %u handler(s) on the line",
			 name_of(d), s->gsi, line->vector, line->count);
	}
	return err;
}

/* Take the device's handler off its line; mask the line when it empties. */
static void intx_release(struct pci_irq_state *s)
{
	bool was = irq_save();
	for (unsigned i = 0; i < line_count; i++) {
		struct intx_line *line = &lines[i];
		if (line->gsi != s->gsi) {
			continue;
		}
		for (unsigned h = 0; h < line->count; h++) {
			if (line->handlers[h].fn == s->intx_fn &&
			    line->handlers[h].arg == s->intx_arg) {
				line->handlers[h] = line->handlers[line->count - 1];
				line->count--;
				break;
			}
		}
		if (line->count == 0) {
			ioapic_mask(line->gsi, true); /* the vector stays, for reuse */
		}
	}
	irq_restore(was);
}

static void msix_release(struct pci_device *d, struct pci_irq_state *s)
{
	uint8_t cap = pci_find_capability(d, PCI_CAP_MSIX, 0);
	for (unsigned i = 0; i < s->count; i++) {
		if (s->vectors[i] != 0) {
			uint32_t vc = msix_entry_read(s->msix_table, i, 3);
			msix_entry_write(s->msix_table, i, 3, vc | MSIX_VECTOR_MASKED);
			trap_set_handler((uint8_t)s->vectors[i], NULL, NULL); /* frees it */
		}
	}
	if (cap != 0) {
		uint16_t control = pci_read16(d, cap + MSIX_CONTROL);
		pci_write16(d, cap + MSIX_CONTROL, control & ~MSIX_CONTROL_ENABLE);
	}
}

/* ---- the API -------------------------------------------------------- */

int pci_irq_setup(struct pci_device *d, unsigned count)
{
	if (d == NULL || count == 0) {
		return PCI_E_INVALID;
	}
	if (d->irq != NULL) {
		return PCI_E_BUSY;
	}
	struct pci_irq_state *s = kzalloc(sizeof(*s));
	if (s == NULL) {
		return PCI_E_NO_MEMORY;
	}
	s->count = count < MAX_IRQS ? count : MAX_IRQS;
	uint8_t cap = pci_find_capability(d, PCI_CAP_MSIX, 0);
	int err = cap != 0 ? msix_setup(d, s, cap) : PCI_E_NO_IRQ;
	if (err != 0) {
		err = intx_setup(d, s); /* no MSI-X, or an unusable table */
	}
	if (err != 0) {
		kfree(s);
		return err;
	}
	d->irq = s;
	return (int)s->count;
}

int pci_irq_attach(struct pci_device *d, unsigned index, trap_handler_fn fn, void *arg)
{
	struct pci_irq_state *s = d != NULL ? d->irq : NULL;
	if (s == NULL || fn == NULL || index >= s->count) {
		return PCI_E_INVALID;
	}
	if (s->vectors[index] != 0) {
		return PCI_E_BUSY;
	}
	if (s->mode == IRQ_INTX) {
		s->intx_fn = fn;
		s->intx_arg = arg;
		return intx_attach(d, s, fn, arg);
	}
	int vector = trap_alloc_vector(fn, arg);
	if (vector < 0) {
		return PCI_E_NO_VECTOR;
	}
	s->vectors[index] = vector;
	msix_program(s->msix_table, index, (uint8_t)vector);
	log_info("pci", "%s: msi-x entry %u -> vector %d", name_of(d), index, vector);
	return 0;
}

void pci_irq_release(struct pci_device *d)
{
	struct pci_irq_state *s = d != NULL ? d->irq : NULL;
	if (s == NULL) {
		return;
	}
	if (s->mode == IRQ_MSIX) {
		msix_release(d, s);
	} else if (s->vectors[0] != 0) {
		intx_release(s);
	}
	/* Quiet from now on: no INTx into a line others may share. */
	pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) | PCI_COMMAND_INTX_OFF);
	d->irq = NULL;
	kfree(s);
	log_info("pci", "%s: interrupts released", name_of(d));
}

int pci_irq_vector(const struct pci_device *d, unsigned index)
{
	const struct pci_irq_state *s = d != NULL ? d->irq : NULL;
	if (s == NULL || index >= s->count || s->vectors[index] == 0) {
		return PCI_E_INVALID;
	}
	return s->vectors[index];
}

const char *pci_irq_mode(const struct pci_device *d)
{
	if (d == NULL || d->irq == NULL) {
		return "none";
	}
	return d->irq->mode == IRQ_MSIX ? "msi-x" : "intx";
}

bool pci_irq_is_msix(const struct pci_device *d)
{
	return d != NULL && d->irq != NULL && d->irq->mode == IRQ_MSIX;
}
