/*
 * Time: a monotonic clock in nanoseconds and milliseconds since boot, read
 * from the TSC, and one hardware alarm (the local APIC timer in one-shot
 * mode) that wakes the CPU at the next deadline.
 *
 * clock_init() calibrates both the TSC and the APIC timer against the PIT.
 * Before that, clock_ns() returns 0 (log lines of early boot show 0.000000).
 */
#pragma once

#include <stdint.h>

/*
 * Start the calibration's span (interrupts off until clock_init), so the
 * boot can do work that needs neither the clock nor interrupts during its
 * first part: ~12 ms of ACPI and PCI scanning instead of a busy wait.
 * Optional. Until clock_init, clock_ns() is 0 (log lines show 0.000000).
 */
void clock_calibration_begin(void);

/* Calibrate; times count from entry_tsc, the TSC read at kernel entry. */
void clock_init(uint64_t entry_tsc);

uint64_t clock_ns(void);
uint64_t clock_ms(void);
uint64_t clock_tsc_hz(void);

/*
 * Wall-clock time in UTC, nanoseconds since 1970-01-01 00:00: what a
 * real-time clock said (clock_set_wall: drivers/rtc at boot), kept with
 * the TSC from then on. 0 while no clock has said anything.
 */
void clock_set_wall(uint64_t unix_ns);
uint64_t clock_wall_ns(void);

/*
 * Arm the alarm for `deadline_ns` (clock_ns() time); an earlier alarm
 * replaces a later one only if the caller asks for it: this just sets it.
 * When it fires, the CPU leaves `hlt` and clock_alarm_count() grows.
 */
void clock_set_alarm(uint64_t deadline_ns);
uint64_t clock_alarm_count(void);

/* When the armed alarm fires; UINT64_MAX when none is armed or it is far off. */
extern volatile uint64_t clock_alarm_due;

/*
 * Make sure the alarm fires no later than deadline_ns: arm it only when
 * none is armed or the armed one is due later. Cheap when an earlier alarm
 * is pending (no device access), so a caller with many short deadlines
 * (a time budget per app call) arms the hardware rarely; whoever the
 * early alarm wakes re-arms for what it still needs. Inline: it runs on
 * every app call.
 */
static inline void clock_alarm_by(uint64_t deadline_ns)
{
	if (clock_alarm_due > deadline_ns) {
		clock_set_alarm(deadline_ns);
	}
}

/*
 * Called from the alarm interrupt with the interrupted frame, after the
 * count grows (the app runtime checks app time budgets there).
 */
struct trap_frame;
void clock_set_alarm_hook(void (*hook)(struct trap_frame *frame));

/* Halt (interrupts on) until clock_ns() >= deadline_ns. */
void clock_sleep_until(uint64_t deadline_ns);
