/*
 * tests/unit/test_civil_time.c — host tests for lib/civil_time.c.
 *
 * The oracle is the host C library's gmtime_r and timegm: every day from
 * 1970 to 2400 at a time of day that moves, and a million random seconds
 * up to the end of 9999, must convert both ways as glibc converts them.
 * Plus the validity rules (month lengths, leap years) and the format.
 */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "lib/civil_time.h"

#define LAST_SECOND 253402300799ull /* 9999-12-31 23:59:59 */

static void expect_like_glibc(uint64_t seconds)
{
	time_t t = (time_t)seconds;
	struct tm tm;
	struct civil_time c;
	assert_non_null(gmtime_r(&t, &tm));
	civil_from_unix(seconds, &c);
	assert_int_equal(c.year, tm.tm_year + 1900);
	assert_int_equal(c.month, tm.tm_mon + 1);
	assert_int_equal(c.day, tm.tm_mday);
	assert_int_equal(c.hour, tm.tm_hour);
	assert_int_equal(c.minute, tm.tm_min);
	assert_int_equal(c.second, tm.tm_sec);
	assert_true(civil_valid(&c));
	assert_int_equal(civil_to_unix(&c), (uint64_t)timegm(&tm));
	assert_int_equal(civil_to_unix(&c), seconds);
}

static void test_every_day_to_2400(void **state)
{
	(void)state;
	for (uint64_t day = 0; day < 157800; day++) { /* 1970 .. 2402 */
		expect_like_glibc(day * 86400 + (day * 7919) % 86400);
	}
}

static void test_random_seconds_to_9999(void **state)
{
	(void)state;
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < 1000000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		expect_like_glibc(x % (LAST_SECOND + 1));
	}
	expect_like_glibc(0);
	expect_like_glibc(LAST_SECOND);
}

static void test_validity(void **state)
{
	(void)state;
	struct civil_time ok = {2024, 2, 29, 23, 59, 59};
	assert_true(civil_valid(&ok));
	struct civil_time bad[] = {
	    {2023, 2, 29, 0, 0, 0},  {2100, 2, 29, 0, 0, 0}, {2024, 4, 31, 0, 0, 0},
	    {2024, 13, 1, 0, 0, 0},  {2024, 0, 1, 0, 0, 0},  {2024, 1, 0, 0, 0, 0},
	    {2024, 1, 1, 24, 0, 0},  {2024, 1, 1, 0, 60, 0}, {2024, 1, 1, 0, 0, 60},
	    {1969, 12, 31, 0, 0, 0}, {10000, 1, 1, 0, 0, 0},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(civil_valid(&bad[i]));
	}
	struct civil_time y2000 = {2000, 2, 29, 0, 0, 0};
	assert_true(civil_valid(&y2000));
}

static void test_format(void **state)
{
	(void)state;
	char text[20];
	struct civil_time t;
	civil_from_unix(1796301005, &t);
	civil_format(&t, text);
	assert_string_equal(text, "2026-12-03 12:30:05");
	civil_from_unix(0, &t);
	civil_format(&t, text);
	assert_string_equal(text, "1970-01-01 00:00:00");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_day_to_2400),
	    cmocka_unit_test(test_random_seconds_to_9999),
	    cmocka_unit_test(test_validity),
	    cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
