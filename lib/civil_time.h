/*
 * Calendar arithmetic for wall-clock time in UTC: a date and time of the
 * proleptic Gregorian calendar to seconds since 1970-01-01 00:00 and back,
 * for the real-time clock (drivers/rtc), the shell's `date` and the FAT
 * directory stamps. Pure logic, host-tested (tests/unit/test_civil_time.c).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct civil_time {
	uint16_t year;	/* 1970 .. 9999 */
	uint8_t month;	/* 1 .. 12 */
	uint8_t day;	/* 1 .. days in that month */
	uint8_t hour;	/* 0 .. 23 */
	uint8_t minute; /* 0 .. 59 */
	uint8_t second; /* 0 .. 59 (no leap seconds) */
};

/* Whether t is a real date and time within the range above. */
bool civil_valid(const struct civil_time *t);

/* Seconds since 1970-01-01 00:00 UTC of a valid t. */
uint64_t civil_to_unix(const struct civil_time *t);

/* The date and time `seconds` after 1970-01-01 00:00 UTC (up to year 9999). */
void civil_from_unix(uint64_t seconds, struct civil_time *out);

/* "YYYY-MM-DD HH:MM:SS" (19 characters and a NUL) into out[20]. */
void civil_format(const struct civil_time *t, char out[20]);
