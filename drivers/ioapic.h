/*
 * The I/O APICs: where device interrupt lines (global system interrupts,
 * GSIs) become CPU vectors. Each IOAPIC serves GSIs gsi_base up to
 * gsi_base + entries - 1, one redirection entry per line.
 *
 * ioapic_init() maps every IOAPIC the MADT lists and masks all their
 * entries, so no line reaches the CPU until a driver routes it with
 * ioapic_route(). All entries target the boot CPU (physical destination
 * lapic_id()), fixed delivery.
 *
 * End of interrupt: for a level-triggered line the IOAPIC keeps the line
 * blocked (Remote IRR) until the local APIC's EOI is broadcast to it,
 * which the local APIC does by default; trap_dispatch() already sends that
 * EOI after the handler. So a handler must quiet its device before it
 * returns, or the line fires again at once.
 *
 * Callers: init/main.c (init, after acpi_init), the PCI interrupt code.
 * Safe with interrupts on: register pairs are accessed with them off.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Map and mask every IOAPIC of the MADT; without a MADT there are none. */
void ioapic_init(void);

/* Number of IOAPICs in use (0: no IOAPIC, legacy interrupts unavailable). */
unsigned ioapic_count(void);

/* True when some IOAPIC serves gsi. */
bool ioapic_has_gsi(uint32_t gsi);

/*
 * Deliver gsi as `vector` to the boot CPU with the given trigger mode and
 * polarity, and unmask it. 0, or IOAPIC_E_NO_GSI / IOAPIC_E_VECTOR.
 */
int ioapic_route(uint32_t gsi, uint8_t vector, bool level_triggered, bool active_low);

/* Mask (true) or unmask (false) gsi; 0 or IOAPIC_E_NO_GSI. */
int ioapic_mask(uint32_t gsi, bool masked);

/* The raw 64-bit redirection entry of gsi (for tests and reports). */
int ioapic_entry(uint32_t gsi, uint64_t *entry);

enum ioapic_error {
	IOAPIC_E_NO_GSI = -1, /* no IOAPIC serves this GSI */
	IOAPIC_E_VECTOR = -2, /* a vector below 16 cannot be delivered */
};

/* Redirection entry bits (82093AA datasheet, section 3.2.4). */
#define IOAPIC_RTE_VECTOR_MASK 0xffull
#define IOAPIC_RTE_ACTIVE_LOW  (1ull << 13)
#define IOAPIC_RTE_REMOTE_IRR  (1ull << 14)
#define IOAPIC_RTE_LEVEL       (1ull << 15)
#define IOAPIC_RTE_MASKED      (1ull << 16)
