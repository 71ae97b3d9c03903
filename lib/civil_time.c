/*
 * Calendar arithmetic; see civil_time.h. Days are counted in 400-year eras
 * of 146097 days, with the year taken to start on 1 March so that the
 * leap day falls at its end (the algorithm H. Hinnant describes in
 * "chrono-Compatible Low-Level Date Algorithms").
 */
#include "lib/civil_time.h"

#define DAY_SECONDS 86400u
#define ERA_DAYS    146097u
#define EPOCH_SHIFT 719468u /* days from 0000-03-01 to 1970-01-01 */

static bool leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(unsigned y, unsigned m)
{
	static const uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : days[m - 1];
}

bool civil_valid(const struct civil_time *t)
{
	return t->year >= 1970 && t->year <= 9999 && t->month >= 1 && t->month <= 12 &&
	       t->day >= 1 && t->day <= month_days(t->year, t->month) && t->hour < 24 &&
	       t->minute < 60 && t->second < 60;
}

uint64_t civil_to_unix(const struct civil_time *t)
{
	unsigned y = t->year - (t->month <= 2);
	unsigned era = y / 400, year_of_era = y % 400;
	unsigned month_from_march = (t->month + 9) % 12;
	unsigned day_of_year = (153 * month_from_march + 2) / 5 + t->day - 1;
	unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
	uint64_t days = (uint64_t)era * ERA_DAYS + day_of_era - EPOCH_SHIFT;
	return days * DAY_SECONDS + t->hour * 3600u + t->minute * 60u + t->second;
}

void civil_from_unix(uint64_t seconds, struct civil_time *out)
{
	uint64_t days = seconds / DAY_SECONDS + EPOCH_SHIFT;
	unsigned in_day = (unsigned)(seconds % DAY_SECONDS);
	unsigned era = (unsigned)(days / ERA_DAYS), day_of_era = (unsigned)(days % ERA_DAYS);
	unsigned year_of_era =
	    (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
	unsigned day_of_year =
	    day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	unsigned month_from_march = (5 * day_of_year + 2) / 153;
	unsigned month = month_from_march < 10 ? month_from_march + 3 : month_from_march - 9;

	out->year = (uint16_t)(era * 400 + year_of_era + (month <= 2));
	out->month = (uint8_t)month;
	out->day = (uint8_t)(day_of_year - (153 * month_from_march + 2) / 5 + 1);
	out->hour = (uint8_t)(in_day / 3600);
	out->minute = (uint8_t)(in_day / 60 % 60);
	out->second = (uint8_t)(in_day % 60);
}

static char *digits(char *at, unsigned v, unsigned n)
{
	for (unsigned i = n; i > 0; i--) {
		at[i - 1] = (char)('0' + v % 10);
		v /= 10;
	}
	return at + n;
}

void civil_format(const struct civil_time *t, char out[20])
{
	char *p = digits(out, t->year, 4);
	*p++ = '-';
	p = digits(p, t->month, 2);
	*p++ = '-';
	p = digits(p, t->day, 2);
	*p++ = ' ';
	p = digits(p, t->hour, 2);
	*p++ = ':';
	p = digits(p, t->minute, 2);
	*p++ = ':';
	p = digits(p, t->second, 2);
	*p = '\0';
}
