/*
 * tests/unit/test_rtc_decode.c — host tests for drivers/rtc/rtc_decode.c:
 * BCD and binary, 24- and 12-hour (12 AM is midnight, 12 PM noon), the
 * century register trusted only when it is sane, and registers that hold
 * no date (non-BCD digits, month 13, 31 April, 30 February) refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "drivers/rtc/rtc_decode.h"

#define BCD_24H RTC_STATUS_B_24H
#define BIN_24H (RTC_STATUS_B_24H | RTC_STATUS_B_BINARY)

static void expect(struct rtc_registers r, const char *text)
{
	struct civil_time t;
	char got[20];
	assert_true(rtc_decode(&r, &t));
	civil_format(&t, got);
	assert_string_equal(got, text);
}

static void refused(struct rtc_registers r)
{
	struct civil_time t = {0};
	assert_false(rtc_decode(&r, &t));
	assert_int_equal(t.year, 0); /* untouched */
}

static void test_bcd_and_binary(void **state)
{
	(void)state;
	expect((struct rtc_registers){0x05, 0x30, 0x12, 0x03, 0x12, 0x26, 0x20, BCD_24H},
	       "2026-12-03 12:30:05");
	expect((struct rtc_registers){5, 30, 12, 3, 12, 26, 20, BIN_24H}, "2026-12-03 12:30:05");
	expect((struct rtc_registers){0x59, 0x59, 0x23, 0x31, 0x12, 0x99, 0x19, BCD_24H},
	       "1999-12-31 23:59:59");
}

static void test_twelve_hours(void **state)
{
	(void)state;
	expect((struct rtc_registers){0, 0, 0x12, 1, 1, 0x24, 0x20, 0}, "2024-01-01 00:00:00");
	expect((struct rtc_registers){0, 0, 0x92, 1, 1, 0x24, 0x20, 0}, "2024-01-01 12:00:00");
	expect((struct rtc_registers){0, 0, 0x81, 1, 1, 0x24, 0x20, 0}, "2024-01-01 13:00:00");
	expect((struct rtc_registers){0, 0, 11, 1, 1, 24, 20, RTC_STATUS_B_BINARY},
	       "2024-01-01 11:00:00");
	refused((struct rtc_registers){0, 0, 0x00, 1, 1, 0x24, 0x20, 0}); /* no hour 0 in 12 h */
	refused((struct rtc_registers){0, 0, 0x13, 1, 1, 0x24, 0x20, 0});
}

static void test_century(void **state)
{
	(void)state;
	/* A century register that makes no sense: the 21st century. */
	expect((struct rtc_registers){0, 0, 0, 1, 1, 0x30, 0x00, BCD_24H}, "2030-01-01 00:00:00");
	expect((struct rtc_registers){0, 0, 0, 1, 1, 0x30, 0xff, BCD_24H}, "2030-01-01 00:00:00");
	expect((struct rtc_registers){0, 0, 0, 1, 1, 0x30, 0x21, BCD_24H}, "2130-01-01 00:00:00");
}

static void test_no_date(void **state)
{
	(void)state;
	refused((struct rtc_registers){0x5a, 0, 0, 1, 1, 0x24, 0x20, BCD_24H}); /* not BCD */
	refused((struct rtc_registers){0, 0, 0, 1, 0x13, 0x24, 0x20, BCD_24H}); /* month 13 */
	refused((struct rtc_registers){0, 0, 0, 0x31, 0x04, 0x24, 0x20, BCD_24H});
	refused((struct rtc_registers){0, 0, 0, 0x30, 0x02, 0x24, 0x20, BCD_24H});
	refused((struct rtc_registers){0, 0, 0, 0, 1, 0x24, 0x20, BCD_24H}); /* day 0 */
	refused((struct rtc_registers){0, 0, 0x24, 1, 1, 0x24, 0x20, BCD_24H});
	refused((struct rtc_registers){0, 0, 0, 1, 1, 100, 20, BIN_24H}); /* year 100 */
	refused((struct rtc_registers){0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bcd_and_binary),
	    cmocka_unit_test(test_twelve_hours),
	    cmocka_unit_test(test_century),
	    cmocka_unit_test(test_no_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
