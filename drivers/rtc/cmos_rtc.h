/*
 * The PC's CMOS real-time clock, read once at boot: its date and time
 * (taken as UTC, QEMU's default `-rtc base=utc`) become the kernel's wall
 * clock (kernel/clock.h, clock_set_wall), which the TSC keeps from then
 * on. The clock is never written.
 */
#pragma once

/* Read the clock and set the wall clock; logs what it found, or why not. */
void cmos_rtc_init(void);
