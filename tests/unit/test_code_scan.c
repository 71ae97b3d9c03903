/*
 * Host tests for runtime/code_scan.c: each forbidden encoding is found at
 * any offset (also inside another instruction's bytes, and straddling the
 * end of a page into the next executable one); the harmless neighbours of
 * the same opcodes (LFENCE is 0F AE /5 with a register operand, XSAVE is
 * 0F AE /4, CMPXCHG16B is 0F C7 /1) are not refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/code_scan.h"

static int scan(const uint8_t *code, size_t len, struct code_scan_hit *hit)
{
	return code_scan(code, len, NULL, 0, hit);
}

static void finds_wrpkru_at_any_offset(void **state)
{
	(void)state;
	for (size_t at = 0; at < 13; at++) {
		uint8_t code[16];
		struct code_scan_hit hit = {0};
		memset(code, 0x90, sizeof(code));
		memcpy(code + at, "\x0f\x01\xef", 3);
		assert_int_equal(scan(code, sizeof(code), &hit), 1);
		assert_int_equal(hit.offset, at);
		assert_string_equal(hit.name, "WRPKRU");
	}
}

static void finds_it_inside_an_immediate(void **state)
{
	(void)state;
	/* mov $0x00ef010f, %eax: the bytes run if a jump lands on the second one */
	const uint8_t code[] = {0xb8, 0x0f, 0x01, 0xef, 0x00, 0xc3};
	struct code_scan_hit hit;
	assert_int_equal(scan(code, sizeof(code), &hit), 1);
	assert_int_equal(hit.offset, 1);
}

static void finds_xrstor_forms(void **state)
{
	(void)state;
	const uint8_t xrstor[] = {0x0f, 0xae, 0x2f};		   /* xrstor (%rdi) */
	const uint8_t xrstor64[] = {0x48, 0x0f, 0xae, 0x6f, 0x08}; /* xrstor64 8(%rdi) */
	const uint8_t xrstors[] = {0x0f, 0xc7, 0x1f};		   /* xrstors (%rdi) */
	struct code_scan_hit hit;
	assert_int_equal(scan(xrstor, sizeof(xrstor), &hit), 1);
	assert_string_equal(hit.name, "XRSTOR");
	assert_int_equal(scan(xrstor64, sizeof(xrstor64), &hit), 1);
	assert_int_equal(hit.offset, 1);
	assert_string_equal(hit.name, "XRSTOR");
	assert_int_equal(scan(xrstors, sizeof(xrstors), &hit), 1);
	assert_string_equal(hit.name, "XRSTORS");
}

static void leaves_the_neighbours_alone(void **state)
{
	(void)state;
	const uint8_t ok[] = {
	    0x0f, 0xae, 0xe8, /* lfence */
	    0x0f, 0xae, 0x27, /* xsave (%rdi) */
	    0x0f, 0xae, 0xf0, /* mfence */
	    0x0f, 0xc7, 0x0f, /* cmpxchg8b (%rdi) */
	    0x0f, 0xc7, 0xf0, /* rdrand %eax */
	    0x0f, 0x01, 0xee, /* rdpkru: reading is harmless */
	    0x0f, 0x01,	      /* cut off at the end, nothing after it */
	};
	struct code_scan_hit hit;
	assert_int_equal(scan(ok, sizeof(ok), &hit), 0);
}

static void finds_a_sequence_across_the_page_end(void **state)
{
	(void)state;
	const uint8_t page[] = {0x90, 0x90, 0x0f, 0x01};
	const uint8_t next[] = {0xef, 0xc3};
	struct code_scan_hit hit;
	assert_int_equal(code_scan(page, sizeof(page), next, sizeof(next), &hit), 1);
	assert_int_equal(hit.offset, 2);
	/* a sequence that starts in the next page is that page's to report */
	const uint8_t end[] = {0x90, 0x90};
	const uint8_t starts_after[] = {0x0f, 0x01, 0xef};
	assert_int_equal(code_scan(end, sizeof(end), starts_after, sizeof(starts_after), &hit), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(finds_wrpkru_at_any_offset),
	    cmocka_unit_test(finds_it_inside_an_immediate),
	    cmocka_unit_test(finds_xrstor_forms),
	    cmocka_unit_test(leaves_the_neighbours_alone),
	    cmocka_unit_test(finds_a_sequence_across_the_page_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
