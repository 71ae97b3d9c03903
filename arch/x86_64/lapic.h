/*
 * The local APIC: end-of-interrupt, and its timer, which the kernel runs in
 * one-shot mode armed for the next deadline only (no periodic tick, so an
 * idle system really sleeps). Also masks the legacy 8259 PICs for good.
 */
#pragma once

#include <stdint.h>

/* The physical address of this CPU's APIC registers (one 4 KiB page). */
uint64_t lapic_phys_base(void);

/*
 * Mask the legacy PICs and enable the APIC whose registers the caller
 * mapped uncached at mapped_regs (the arch layer maps nothing itself).
 */
void lapic_init(volatile void *mapped_regs);
void lapic_eoi(void);
uint32_t lapic_id(void);

/* Raise interrupt `vector` on this CPU (a self-IPI), as a device would. */
void lapic_send_self_ipi(uint8_t vector);

/* Timer ticks counted by the APIC timer (after its divider) per second. */
void lapic_timer_set_frequency(uint64_t hz);
uint64_t lapic_timer_frequency(void);

/* Raw access used by calibration: start free-running, read what is left. */
void lapic_timer_start_raw(uint32_t count);
uint32_t lapic_timer_remaining(void);

/* Fire the timer vector once, `ticks` APIC-timer ticks from now (0 stops). */
void lapic_timer_oneshot(uint32_t ticks, uint8_t vector);
