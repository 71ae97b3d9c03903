/*
 * What the CMOS real-time clock's registers mean (the MC146818 layout
 * every PC and QEMU's `mc146818rtc` keep): seconds, minutes, hours, day,
 * month, year and century, in BCD or binary and in 12- or 24-hour form as
 * status register B says. The registers come from a device, so every
 * value is checked: a clock that holds no real date gives none. Pure
 * logic, host-tested (tests/unit/test_rtc_decode.c).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lib/civil_time.h"

#define RTC_STATUS_B_BINARY 0x04 /* values in binary, else BCD */
#define RTC_STATUS_B_24H    0x02 /* hours 0..23, else 1..12 with bit 7 for PM */
#define RTC_HOUR_PM	    0x80

struct rtc_registers {
	uint8_t second, minute, hour, day, month, year, century;
	uint8_t status_b;
};

/* The date and time the registers hold; false if they hold none. */
bool rtc_decode(const struct rtc_registers *r, struct civil_time *out);
