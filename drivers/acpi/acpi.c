/*
 * ACPI table discovery; see acpi.h. The decoding is in acpi_tables.c and
 * acpi_fadt.c; this file only finds the tables in physical memory, maps
 * them and keeps the results (the FADT's go to drivers/acpi/power.c).
 *
 * Where tables live: firmware puts them in RAM it reports as reserved or
 * "ACPI reclaimable", normally below 4 GiB and inside the direct map. A
 * table beyond the direct map (pmm_ram_end()) is mapped on demand with a
 * write-back mapping of its own (tables are memory, not registers). Every
 * address and length from the firmware is bounded before it is mapped:
 * a table may not claim more than ACPI_MAX_TABLE_LEN bytes nor lie beyond
 * what the CPU can address.
 */
#include "drivers/acpi/acpi.h"

#include <stdbool.h>

#include "arch/x86_64/cpu.h"
#include "drivers/acpi/acpi_fadt.h"
#include "drivers/acpi/power.h"
#include "kernel/log.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define ACPI_MAX_TABLE_LEN (1u << 20) /* far above any MADT or MCFG */
#define ACPI_MAX_TABLES	   64	      /* entries of the root table we look at */

static struct acpi_madt madt;
static bool have_madt;
static struct acpi_mcfg mcfg;
static bool have_mcfg;
static bool have_fadt;

/* Physical address width from CPUID (36 bits, the minimum, if not told). */
static unsigned phys_addr_bits(void)
{
	if (cpuid(0x80000000, 0).eax >= 0x80000008) {
		return cpuid(0x80000008, 0).eax & 0xff;
	}
	return 36;
}

/*
 * A readable view of [phys, phys + len), or NULL when that range cannot be
 * memory: address 0, wrapping around, too long, or past the CPU's reach.
 */
static const uint8_t *acpi_map(uint64_t phys, uint64_t len)
{
	if (phys == 0 || len == 0 || len > ACPI_MAX_TABLE_LEN) {
		return NULL;
	}
	uint64_t limit = 1ull << phys_addr_bits();
	if (phys >= limit || len > limit - phys) {
		return NULL;
	}
	if (phys + len <= pmm_ram_end()) {
		return phys_to_virt(phys);
	}
	return vmm_map_mmio(phys, (size_t)len, VMM_CACHE_WRITE_BACK);
}

/* Map one whole table and check its header; NULL (logged) when bad. */
static const uint8_t *acpi_map_table(uint64_t phys, struct acpi_header_info *h)
{
	const uint8_t *hdr = acpi_map(phys, ACPI_HEADER_LEN);
	if (hdr == NULL) {
		log_warn("acpi", "table at %#llx skipped: address out of range",
			 (unsigned long long)phys);
		return NULL;
	}
	uint32_t length = acpi_table_length(hdr, ACPI_HEADER_LEN);
	const uint8_t *table = length >= ACPI_HEADER_LEN ? acpi_map(phys, length) : NULL;
	int err = table != NULL ? acpi_table_check(table, length, NULL, h) : ACPI_E_LENGTH;
	if (err != ACPI_OK) {
		log_warn("acpi", "table \"%.4s\" at %#llx (%u bytes) skipped: %s",
			 (const char *)hdr, (unsigned long long)phys, length, acpi_error_name(err));
		return NULL;
	}
	return table;
}

static void acpi_use_madt(const uint8_t *table, uint32_t length)
{
	struct acpi_madt m;
	int err = acpi_madt_parse(table, length, &m);
	if (err != ACPI_OK && err != ACPI_E_MALFORMED) {
		log_warn("acpi", "MADT unusable: %s", acpi_error_name(err));
		return;
	}
	if (err == ACPI_E_MALFORMED) {
		log_warn("acpi",
			 "MADT entry list is malformed; using the entries before the fault");
	}
	if (have_madt) {
		return; /* the first valid one wins */
	}
	madt = m;
	have_madt = true;
	log_info("acpi", "MADT: local APIC at %#llx, %zu CPU(s), %zu IOAPIC(s), %zu override(s)%s",
		 (unsigned long long)m.lapic_address, m.cpu_count, m.ioapic_count, m.override_count,
		 m.skipped ? " (some entries skipped)" : "");
	for (size_t i = 0; i < m.override_count; i++) {
		const struct acpi_override *o = &m.overrides[i];
		log_info("acpi", "  override: bus %u irq %u -> gsi %u flags %#x", o->bus, o->source,
			 o->gsi, o->flags);
	}
}

static void acpi_use_mcfg(const uint8_t *table, uint32_t length)
{
	struct acpi_mcfg m;
	int err = acpi_mcfg_parse(table, length, &m);
	if (err != ACPI_OK) {
		log_warn("acpi", "MCFG unusable: %s", acpi_error_name(err));
		return;
	}
	if (have_mcfg) {
		return;
	}
	mcfg = m;
	have_mcfg = true;
	for (size_t i = 0; i < m.count; i++) {
		const struct acpi_mcfg_entry *e = &m.entries[i];
		log_info("acpi", "MCFG: segment %u buses %u-%u, ECAM at %#llx", e->segment,
			 e->start_bus, e->end_bus, (unsigned long long)e->base);
	}
}

/* \_S5 from the DSDT at phys; ACPI_OK, or an error that was logged. */
static int acpi_read_s5(uint64_t phys, struct acpi_sleep_type *s5)
{
	struct acpi_header_info h;
	const uint8_t *dsdt = acpi_map_table(phys, &h);

	if (dsdt == NULL) {
		return ACPI_E_TRUNCATED;
	}
	if (memcmp(h.signature, "DSDT", 4) != 0) {
		log_warn("acpi", "the FADT's DSDT at %#llx is \"%s\": no power-off",
			 (unsigned long long)phys, h.signature);
		return ACPI_E_SIGNATURE;
	}
	int err = acpi_s5_parse(dsdt + ACPI_HEADER_LEN, h.length - ACPI_HEADER_LEN, s5);
	if (err != ACPI_OK) {
		log_warn("acpi", "DSDT at %#llx, %u bytes: \\_S5 %s: no power-off",
			 (unsigned long long)phys, h.length, acpi_error_name(err));
	}
	return err;
}

/* "I/O 0xcf9", "memory 0xfed00000" or "none", into buf. */
static const char *gas_text(const struct acpi_gas *g, char *buf, size_t size)
{
	if (g->address == 0) {
		return "none";
	}
	fmt_snprintf(buf, size, "%s %#llx", acpi_gas_space_name(g->space),
		     (unsigned long long)g->address);
	return buf;
}

static void acpi_log_fadt(const struct acpi_fadt *f, const struct acpi_sleep_type *s5)
{
	char reset[40], value[16] = "", pm1a[40], pm1b[40], sleep[40] = "unknown";

	if (f->reset_reg.address != 0) {
		fmt_snprintf(value, sizeof(value), " <- %#x", f->reset_value);
	}
	if (s5 != NULL) {
		fmt_snprintf(sleep, sizeof(sleep), "SLP_TYPa %u SLP_TYPb %u", s5->a, s5->b);
	}
	log_info("acpi", "FADT: reset register %s%s, PM1a_CNT %s, PM1b_CNT %s, \\_S5 %s",
		 gas_text(&f->reset_reg, reset, sizeof(reset)), value,
		 gas_text(&f->pm1a_cnt, pm1a, sizeof(pm1a)),
		 gas_text(&f->pm1b_cnt, pm1b, sizeof(pm1b)), sleep);
}

static void acpi_use_fadt(const uint8_t *table, uint32_t length)
{
	struct acpi_fadt f;
	struct acpi_sleep_type s5;

	int err = acpi_fadt_parse(table, length, &f);
	if (err != ACPI_OK) {
		log_warn("acpi", "FADT unusable: %s", acpi_error_name(err));
		return;
	}
	if (have_fadt) {
		return; /* the first valid one wins */
	}
	have_fadt = true;
	bool s5_ok = acpi_read_s5(f.dsdt, &s5) == ACPI_OK;
	acpi_log_fadt(&f, s5_ok ? &s5 : NULL);
	power_init(&f, s5_ok ? &s5 : NULL);
}

static void acpi_visit(uint64_t phys)
{
	struct acpi_header_info h;
	const uint8_t *table = acpi_map_table(phys, &h);
	if (table == NULL) {
		return;
	}
	log_info("acpi", "%s at %#llx, %u bytes, rev %u, %s %s", h.signature,
		 (unsigned long long)phys, h.length, h.revision, h.oem_id, h.oem_table_id);
	if (memcmp(h.signature, "APIC", 4) == 0) {
		acpi_use_madt(table, h.length);
	} else if (memcmp(h.signature, "MCFG", 4) == 0) {
		acpi_use_mcfg(table, h.length);
	} else if (memcmp(h.signature, "FACP", 4) == 0) {
		acpi_use_fadt(table, h.length);
	}
}

/* Map and check the RSDT or XSDT the RSDP points to, then visit each entry. */
static int acpi_walk_root(const struct acpi_rsdp_info *rsdp)
{
	struct acpi_header_info h;
	uint64_t phys = rsdp->use_xsdt ? rsdp->xsdt : rsdp->rsdt;
	const char *name = rsdp->use_xsdt ? "XSDT" : "RSDT";
	const uint8_t *root = acpi_map_table(phys, &h);

	if (root == NULL) {
		return ACPI_E_TRUNCATED;
	}
	if (memcmp(h.signature, name, 4) != 0) {
		log_warn("acpi", "root table at %#llx is \"%s\", not %s", (unsigned long long)phys,
			 h.signature, name);
		return ACPI_E_SIGNATURE;
	}
	size_t count = acpi_sdt_count(root, h.length, rsdp->use_xsdt);
	log_info("acpi", "%s at %#llx: %zu tables", name, (unsigned long long)phys, count);
	if (count > ACPI_MAX_TABLES) {
		log_warn("acpi", "only the first %u tables are read", ACPI_MAX_TABLES);
		count = ACPI_MAX_TABLES;
	}
	for (size_t i = 0; i < count; i++) {
		acpi_visit(acpi_sdt_entry(root, h.length, rsdp->use_xsdt, i));
	}
	return ACPI_OK;
}

int acpi_init(const struct boot_info *info)
{
	struct acpi_rsdp_info rsdp;

	if (info->acpi_rsdp == NULL) {
		log_warn("acpi", "no RSDP from the boot loader: no ACPI tables");
		return ACPI_E_TRUNCATED;
	}
	int err = acpi_rsdp_parse(info->acpi_rsdp, info->acpi_rsdp_len, &rsdp);
	if (err != ACPI_OK) {
		log_warn("acpi", "RSDP unusable: %s", acpi_error_name(err));
		return err;
	}
	log_info("acpi", "RSDP revision %u, OEM \"%s\", using the %s", rsdp.revision, rsdp.oem_id,
		 rsdp.use_xsdt ? "XSDT" : "RSDT");
	err = acpi_walk_root(&rsdp);
	if (!have_madt) {
		log_warn("acpi", "no valid MADT: no IOAPIC, devices get no legacy interrupts");
	}
	if (!have_mcfg) {
		log_info("acpi", "no MCFG: PCI configuration through port I/O only");
	}
	if (!have_fadt) {
		log_warn("acpi", "no valid FADT: no ACPI reset or power-off");
	}
	return err;
}

const struct acpi_madt *acpi_madt(void)
{
	return have_madt ? &madt : NULL;
}

const struct acpi_mcfg_entry *acpi_mcfg_segment(uint16_t segment)
{
	for (size_t i = 0; have_mcfg && i < mcfg.count; i++) {
		if (mcfg.entries[i].segment == segment) {
			return &mcfg.entries[i];
		}
	}
	return NULL;
}

uint32_t acpi_isa_irq_to_gsi(uint8_t irq, uint16_t *flags)
{
	return acpi_madt_isa_gsi(acpi_madt(), irq, flags);
}
