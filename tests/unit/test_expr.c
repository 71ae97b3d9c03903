/*
 * tests/unit/test_expr.c — host tests for apps/console/expr.c, the shell's
 * integer expression evaluator.
 *
 * Cases are tables of (input, expected value) or (input, expected error,
 * expected column), so a failure names the exact line. Covered: literals
 * (decimal, hex, the int64 limits), precedence and associativity,
 * parentheses, unary signs (including runs of them), every overflow the
 * evaluator must catch (literals, + - *, INT64_MIN / -1, negating
 * INT64_MIN), division and remainder by zero, malformed input, and the
 * nesting bound (at the limit, past it, and a huge input that must not
 * exhaust the stack). Each input is copied into an exact-size heap buffer
 * without a NUL, so ASan catches any read past `len`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "apps/console/expr.h"

struct value_case {
	const char *in;
	int64_t want;
};

struct error_case {
	const char *in;
	int err;
	size_t col;
};

/* Evaluates s from an exact-size, unterminated heap copy. */
static int eval(const char *s, int64_t *out, size_t *col)
{
	size_t len = strlen(s);
	char *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, s, len);
	r = expr_eval(copy, len, out, col);
	free(copy);
	return r;
}

static void check_values(const struct value_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int64_t got = 12345;
		size_t col = 0;
		int r = eval(c[i].in, &got, &col);

		if (r != EXPR_OK || got != c[i].want) {
			print_error("\"%s\": got %d / %lld, want %lld\n", c[i].in, r,
				    (long long)got, (long long)c[i].want);
			fail();
		}
	}
}

static void check_errors(const struct error_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int64_t got = 777;
		size_t col = 999;
		int r = eval(c[i].in, &got, &col);

		if (r != c[i].err || col != c[i].col || got != 777) {
			print_error("\"%s\": got %d at %zu (value %lld), want %d at %zu\n", c[i].in,
				    r, col, (long long)got, c[i].err, c[i].col);
			fail();
		}
	}
}

#define CHECK_VALUES(t) check_values(t, sizeof(t) / sizeof(t[0]))
#define CHECK_ERRORS(t) check_errors(t, sizeof(t) / sizeof(t[0]))

static void test_literals(void **state)
{
	static const struct value_case t[] = {
	    {"0", 0},
	    {"7", 7},
	    {"007", 7},
	    {"  42  ", 42},
	    {"\t1\t", 1},
	    {"0x10", 16},
	    {"0XfF", 255},
	    {"0x0", 0},
	    {"9223372036854775807", INT64_MAX},
	    {"0x7fffffffffffffff", INT64_MAX},
	    {"-9223372036854775808", INT64_MIN},
	    {"-0x8000000000000000", INT64_MIN},
	    {"-9223372036854775807", -INT64_MAX},
	};

	(void)state;
	CHECK_VALUES(t);
}

static void test_precedence(void **state)
{
	static const struct value_case t[] = {
	    {"1+2*3", 7},	  {"2*3+1", 7},	      {"10-4-3", 3},  {"100/10/5", 2},
	    {"2*3%4", 2},	  {"7%4*3", 9},	      {"1+2-3+4", 4}, {"20/3", 6},
	    {"-20/3", -6},	  {"20%3", 2},	      {"-20%3", -2},  {"20%-3", 2},
	    {"1 + 2 * 3 - 4", 3}, {"0x10*0x10", 256}, {"6/4*4", 4},   {"2+3*4*5-6/2", 59},
	};

	(void)state;
	CHECK_VALUES(t);
}

static void test_parentheses(void **state)
{
	static const struct value_case t[] = {
	    {"(1+2)*3", 9},	     {"((7))", 7},	   {"2*(3+4)*5", 70},
	    {"(((1+2)*(3+4)))", 21}, {"( 1 + ( 2 ) )", 3}, {"100/(2*(3+2))", 10},
	    {"(10-4)-(3-1)", 4},
	};

	(void)state;
	CHECK_VALUES(t);
}

static void test_unary(void **state)
{
	static const struct value_case t[] = {
	    {"-5", -5},		{"+5", 5},
	    {"--5", 5},		{"---5", -5},
	    {"- 5", -5},	{"-+-5", 5},
	    {"+-+5", -5},	{"-(2+3)", -5},
	    {"2*-3", -6},	{"2--3", 5},
	    {"2- -3", 5},	{"-2*-3", 6},
	    {"-(-(-(4)))", -4}, {"1-(-1)", 2},
	    {"-0", 0},		{"--9223372036854775807", INT64_MAX},
	    {"-0x10", -16},	{"-(1)*0x7fffffffffffffff-1", INT64_MIN},
	};

	(void)state;
	CHECK_VALUES(t);
}

static void test_int64_edges(void **state)
{
	static const struct value_case t[] = {
	    {"9223372036854775807+0", INT64_MAX},
	    {"-9223372036854775807-1", INT64_MIN},
	    {"-9223372036854775808%-1", 0},
	    {"-9223372036854775808/1", INT64_MIN},
	    {"-9223372036854775808+9223372036854775807", -1},
	    {"3037000499*3037000499", 9223372030926249001LL},
	    {"-9223372036854775808*1", INT64_MIN},
	};

	(void)state;
	CHECK_VALUES(t);
}

static void test_division_by_zero(void **state)
{
	static const struct error_case t[] = {
	    {"1/0", EXPR_EDIVZERO, 1},	       {"1%0", EXPR_EDIVZERO, 1},
	    {"5 / (3-3)", EXPR_EDIVZERO, 2},   {"0/0", EXPR_EDIVZERO, 1},
	    {"1+2/(1-1)*3", EXPR_EDIVZERO, 3},
	};

	(void)state;
	CHECK_ERRORS(t);
}

static void test_overflow(void **state)
{
	static const struct error_case t[] = {
	    {"9223372036854775808", EXPR_EOVERFLOW, 0},
	    {"0x8000000000000000", EXPR_EOVERFLOW, 0},
	    {"99999999999999999999", EXPR_EOVERFLOW, 0},
	    {"-99999999999999999999", EXPR_EOVERFLOW, 1},
	    {"0x10000000000000000", EXPR_EOVERFLOW, 0},
	    {"9223372036854775807+1", EXPR_EOVERFLOW, 19},
	    {"-9223372036854775808-1", EXPR_EOVERFLOW, 20},
	    {"4611686018427387904*2", EXPR_EOVERFLOW, 19},
	    {"-9223372036854775808/-1", EXPR_EOVERFLOW, 20},
	    {"-9223372036854775808*-1", EXPR_EOVERFLOW, 20},
	    {"--9223372036854775808", EXPR_EOVERFLOW, 2},
	    {"-(-9223372036854775807-1)", EXPR_EOVERFLOW, 1},
	    {"1+9223372036854775808", EXPR_EOVERFLOW, 2},
	};

	(void)state;
	CHECK_ERRORS(t);
}

static void test_malformed(void **state)
{
	static const struct error_case t[] = {
	    {"", EXPR_ESYNTAX, 0},	{"   ", EXPR_ESYNTAX, 3},    {"1+", EXPR_ESYNTAX, 2},
	    {"*1", EXPR_ESYNTAX, 0},	{"1 2", EXPR_ESYNTAX, 2},    {"(1", EXPR_ESYNTAX, 2},
	    {"1)", EXPR_ESYNTAX, 1},	{"()", EXPR_ESYNTAX, 1},     {"0x", EXPR_ESYNTAX, 2},
	    {"0xg", EXPR_ESYNTAX, 2},	{"12abc", EXPR_ESYNTAX, 2},  {"abc", EXPR_ESYNTAX, 0},
	    {"1**2", EXPR_ESYNTAX, 2},	{"1 +* 2", EXPR_ESYNTAX, 3}, {"-", EXPR_ESYNTAX, 1},
	    {"1.5", EXPR_ESYNTAX, 1},	{"((1)", EXPR_ESYNTAX, 4},   {"1 / ", EXPR_ESYNTAX, 4},
	    {"2 ^ 3", EXPR_ESYNTAX, 2},
	};

	(void)state;
	CHECK_ERRORS(t);
}

/* Embedded NUL bytes are ordinary (invalid) characters, not terminators,
 * and nothing past len is looked at. */
static void test_length_is_respected(void **state)
{
	int64_t v = 0;
	size_t col = 0;

	(void)state;
	assert_int_equal(expr_eval("1+2\0+3", 6, &v, &col), EXPR_ESYNTAX);
	assert_int_equal(col, 3);
	assert_int_equal(expr_eval("1+2*3", 3, &v, &col), EXPR_OK);
	assert_int_equal(v, 3);
	assert_int_equal(expr_eval(NULL, 0, &v, NULL), EXPR_ESYNTAX);
	assert_int_equal(expr_eval("9/0", 3, &v, NULL), EXPR_EDIVZERO);
}

/* Builds "((...(1)...))" with n pairs into a heap buffer of exact size. */
static int eval_nested(size_t n, int64_t *v, size_t *col)
{
	size_t len = 2 * n + 1;
	char *s = malloc(len);
	int r;

	assert_non_null(s);
	memset(s, '(', n);
	s[n] = '1';
	memset(s + n + 1, ')', n);
	r = expr_eval(s, len, v, col);
	free(s);
	return r;
}

static void test_nesting_bound(void **state)
{
	int64_t v = 0;
	size_t col = 0;

	(void)state;
	assert_int_equal(eval_nested(EXPR_MAX_DEPTH, &v, &col), EXPR_OK);
	assert_int_equal(v, 1);
	assert_int_equal(eval_nested(EXPR_MAX_DEPTH + 1, &v, &col), EXPR_EDEPTH);
	assert_int_equal(col, EXPR_MAX_DEPTH);
	/* A million parentheses: refused at the bound, long before the stack. */
	assert_int_equal(eval_nested(1000000, &v, &col), EXPR_EDEPTH);
	assert_int_equal(col, EXPR_MAX_DEPTH);
}

/* Sign runs are a loop, not recursion: a million of them is fine. */
static void test_long_sign_run(void **state)
{
	size_t n = 1000000;
	char *s = malloc(n + 1);
	int64_t v = 0;

	(void)state;
	assert_non_null(s);
	memset(s, '-', n);
	s[n] = '3';
	assert_int_equal(expr_eval(s, n + 1, &v, NULL), EXPR_OK);
	assert_int_equal(v, 3);
	s[0] = '+';
	assert_int_equal(expr_eval(s, n + 1, &v, NULL), EXPR_OK);
	assert_int_equal(v, -3);
	free(s);
}

static void test_strerror_and_looks_like(void **state)
{
	(void)state;
	assert_string_equal(expr_strerror(EXPR_EDIVZERO), "division by zero");
	assert_string_equal(expr_strerror(EXPR_EOVERFLOW), "overflow");
	assert_string_equal(expr_strerror(EXPR_ESYNTAX), "syntax error");
	assert_string_equal(expr_strerror(EXPR_EDEPTH), "too deeply nested");
	assert_string_equal(expr_strerror(-99), "unknown error");
	assert_true(expr_looks_like("1+2", 3));
	assert_true(expr_looks_like("  (3)", 5));
	assert_true(expr_looks_like("-1", 2));
	assert_true(expr_looks_like("+1", 2));
	assert_false(expr_looks_like("echo 1", 6));
	assert_false(expr_looks_like("   ", 3));
	assert_false(expr_looks_like("", 0));
	assert_false(expr_looks_like("1", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_literals),
	    cmocka_unit_test(test_precedence),
	    cmocka_unit_test(test_parentheses),
	    cmocka_unit_test(test_unary),
	    cmocka_unit_test(test_int64_edges),
	    cmocka_unit_test(test_division_by_zero),
	    cmocka_unit_test(test_overflow),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_length_is_respected),
	    cmocka_unit_test(test_nesting_bound),
	    cmocka_unit_test(test_long_sign_run),
	    cmocka_unit_test(test_strerror_and_looks_like),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
