/*
 * The legacy 8254 PIT, used only as a known-frequency reference while the
 * TSC and the local APIC timer are calibrated at boot.
 */
#pragma once

#include <stdint.h>

#define PIT_HZ 1193182u

/*
 * Start a one-shot countdown of `ms` milliseconds (at most 54) on channel 2;
 * pit_elapsed() turns true when it has run out.
 */
void pit_start_countdown(uint32_t ms);
int pit_elapsed(void);

/* The countdown's current count, latched so both bytes belong together. */
uint16_t pit_count(void);
