/*
 * apps/console/expr.h — integer arithmetic expressions for the shell.
 *
 * Any shell line that is not a command but looks like arithmetic
 * (`1+2*3`, `-(0x10 % 7)`) is evaluated here. The evaluator is pure: no
 * allocation, no global state, no I/O, so the host unit test
 * (tests/unit/test_expr.c) links this file alone.
 *
 * Language: signed 64-bit integers; decimal or 0x hexadecimal literals;
 * binary + - * / % with the usual precedence (* / % bind tighter, all
 * left-associative); unary + and -; parentheses; blanks anywhere between
 * tokens. / and % truncate toward zero as in C.
 *
 * Every failure is an error code, never undefined behaviour: division or
 * remainder by zero, any result or literal outside int64 (including
 * INT64_MIN / -1), malformed input, and parentheses nested deeper than
 * EXPR_MAX_DEPTH. The parser recurses only into parentheses (runs of unary
 * signs are a loop), so that bound also bounds its stack use.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How deeply parentheses may nest. */
#define EXPR_MAX_DEPTH 64

enum expr_error {
	EXPR_OK = 0,
	EXPR_ESYNTAX = -1,   /* malformed: unexpected character or end */
	EXPR_EDIVZERO = -2,  /* x / 0 or x % 0 */
	EXPR_EOVERFLOW = -3, /* a literal or a result does not fit int64 */
	EXPR_EDEPTH = -4,    /* nested deeper than EXPR_MAX_DEPTH */
};

/*
 * Evaluates the len bytes at s (no NUL needed). Returns EXPR_OK and sets
 * *out, or a negative enum expr_error; then *err_col (if not NULL) is the
 * 0-based byte offset where the problem was found, and *out is unchanged.
 */
int expr_eval(const char *s, size_t len, int64_t *out, size_t *err_col);

/* A short English message for an expr_eval result ("division by zero"). */
const char *expr_strerror(int err);

/* True when the line starts (after blanks) like an expression would: a
 * digit, '(', '+' or '-'. The shell uses it to tell arithmetic from an
 * unknown command. */
bool expr_looks_like(const char *s, size_t len);
