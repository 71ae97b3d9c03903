/*
 * apps/console/expr.c — recursive-descent evaluator for shell arithmetic.
 *
 * Grammar (one function per rule):
 *   sum     := product (('+' | '-') product)*
 *   product := signed (('*' | '/' | '%') signed)*
 *   signed  := ('+' | '-')* operand
 *   operand := literal | '(' sum ')'
 *
 * Values are computed while parsing; the first error stops everything and
 * is kept in the parser (err, err_col), and every later step returns at
 * once. Arithmetic goes through the overflow-checking builtins, and the
 * two cases C leaves undefined for division (by zero, INT64_MIN / -1) are
 * tested before dividing.
 *
 * A literal is read as an unsigned magnitude so that -9223372036854775808
 * (INT64_MIN) can be written: a minus sign directly before a literal of
 * 2^63 yields INT64_MIN, while 9223372036854775808 alone is an overflow.
 *
 * Only parentheses recurse (sum -> product -> signed -> operand -> sum),
 * and p->depth refuses more than EXPR_MAX_DEPTH of them.
 */
#include "apps/console/expr.h"

#define EXPR_MAG_LIMIT ((uint64_t)1 << 63) /* largest magnitude a literal may have */

struct expr_parser {
	const char *s;
	size_t len;
	size_t pos;
	int depth;
	int err;
	size_t err_col;
};

static bool expr_sum(struct expr_parser *p, int64_t *v);

/* Records the first error (later ones are consequences) and returns false. */
static bool expr_fail(struct expr_parser *p, int err, size_t col)
{
	if (p->err == EXPR_OK) {
		p->err = err;
		p->err_col = col;
	}
	return false;
}

static bool expr_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The value of hex digit c, or -1. */
static int expr_hex_value(char c)
{
	if (expr_is_digit(c)) {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

/* The next non-blank character (the parser now points at it), or '\0'. */
static char expr_peek(struct expr_parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t')) {
		p->pos++;
	}
	return p->pos < p->len ? p->s[p->pos] : '\0';
}

/* Appends one digit of value d in base `base` to *mag; fails past 2^63. */
static bool expr_add_digit(struct expr_parser *p, uint64_t *mag, unsigned base, unsigned d,
			   size_t start)
{
	if (*mag > (EXPR_MAG_LIMIT - d) / base) {
		return expr_fail(p, EXPR_EOVERFLOW, start);
	}
	*mag = *mag * base + d;
	return true;
}

/* Reads a decimal or 0x literal at p->pos (a digit) as a magnitude <= 2^63. */
static bool expr_literal(struct expr_parser *p, uint64_t *mag)
{
	size_t start = p->pos;
	unsigned base = 10;
	size_t digits = 0;

	if (p->len - p->pos >= 2 && p->s[p->pos] == '0' &&
	    (p->s[p->pos + 1] == 'x' || p->s[p->pos + 1] == 'X')) {
		base = 16;
		p->pos += 2;
	}
	*mag = 0;
	while (p->pos < p->len) {
		int d = expr_hex_value(p->s[p->pos]);

		if (d < 0 || (unsigned)d >= base) {
			break;
		}
		if (!expr_add_digit(p, mag, base, (unsigned)d, start)) {
			return false;
		}
		p->pos++;
		digits++;
	}
	if (digits == 0) {
		return expr_fail(p, EXPR_ESYNTAX, p->pos);
	}
	return true;
}

/* operand := literal | '(' sum ')'; a literal comes back as a magnitude in
 * *mag with *is_literal set, so the caller can apply a sign to 2^63. */
static bool expr_operand(struct expr_parser *p, int64_t *v, uint64_t *mag, bool *is_literal)
{
	char c = expr_peek(p);
	size_t open = p->pos;

	*is_literal = false;
	if (expr_is_digit(c)) {
		*is_literal = true;
		return expr_literal(p, mag);
	}
	if (c != '(') {
		return expr_fail(p, EXPR_ESYNTAX, p->pos);
	}
	if (++p->depth > EXPR_MAX_DEPTH) {
		return expr_fail(p, EXPR_EDEPTH, open);
	}
	p->pos++;
	if (!expr_sum(p, v)) {
		return false;
	}
	if (expr_peek(p) != ')') {
		return expr_fail(p, EXPR_ESYNTAX, p->pos);
	}
	p->pos++;
	p->depth--;
	return true;
}

/* signed := ('+' | '-')* operand. The signs are counted in a loop (no
 * recursion); the minus nearest the operand is applied first, so that
 * -2^63 is representable, and each further minus negates once more. */
static bool expr_signed(struct expr_parser *p, int64_t *v)
{
	size_t minuses = 0;
	bool last_minus = false;
	size_t start;
	uint64_t mag = 0;
	bool is_literal;
	char c;

	while ((c = expr_peek(p)) == '+' || c == '-') {
		last_minus = c == '-';
		minuses += last_minus;
		p->pos++;
	}
	start = p->pos;
	if (!expr_operand(p, v, &mag, &is_literal)) {
		return false;
	}
	if (is_literal) {
		if (last_minus) {
			*v = mag == EXPR_MAG_LIMIT ? INT64_MIN : -(int64_t)mag;
			minuses--;
		} else if (mag == EXPR_MAG_LIMIT) {
			return expr_fail(p, EXPR_EOVERFLOW, start);
		} else {
			*v = (int64_t)mag;
		}
	}
	if (minuses > 0 && *v == INT64_MIN) {
		return expr_fail(p, EXPR_EOVERFLOW, start);
	}
	if (minuses % 2 == 1) {
		*v = -*v;
	}
	return true;
}

/* a op b for op in * / %, checked; col is the operator's offset. */
static bool expr_multiply(struct expr_parser *p, char op, int64_t a, int64_t b, int64_t *v,
			  size_t col)
{
	if (op == '*') {
		if (__builtin_mul_overflow(a, b, v)) {
			return expr_fail(p, EXPR_EOVERFLOW, col);
		}
		return true;
	}
	if (b == 0) {
		return expr_fail(p, EXPR_EDIVZERO, col);
	}
	if (a == INT64_MIN && b == -1) {
		/* The quotient 2^63 does not fit; the remainder 0 does. */
		if (op == '/') {
			return expr_fail(p, EXPR_EOVERFLOW, col);
		}
		*v = 0;
		return true;
	}
	*v = op == '/' ? a / b : a % b;
	return true;
}

/* product := signed (('*' | '/' | '%') signed)* */
static bool expr_product(struct expr_parser *p, int64_t *v)
{
	char op;

	if (!expr_signed(p, v)) {
		return false;
	}
	while ((op = expr_peek(p)) == '*' || op == '/' || op == '%') {
		size_t col = p->pos;
		int64_t rhs;

		p->pos++;
		if (!expr_signed(p, &rhs) || !expr_multiply(p, op, *v, rhs, v, col)) {
			return false;
		}
	}
	return true;
}

/* sum := product (('+' | '-') product)* */
static bool expr_sum(struct expr_parser *p, int64_t *v)
{
	char op;

	if (!expr_product(p, v)) {
		return false;
	}
	while ((op = expr_peek(p)) == '+' || op == '-') {
		size_t col = p->pos;
		int64_t rhs;
		bool overflow;

		p->pos++;
		if (!expr_product(p, &rhs)) {
			return false;
		}
		overflow = op == '+' ? __builtin_add_overflow(*v, rhs, v)
				     : __builtin_sub_overflow(*v, rhs, v);
		if (overflow) {
			return expr_fail(p, EXPR_EOVERFLOW, col);
		}
	}
	return true;
}

int expr_eval(const char *s, size_t len, int64_t *out, size_t *err_col)
{
	struct expr_parser p = {.s = s, .len = len, .err = EXPR_OK};
	int64_t v = 0;

	if (s == NULL) {
		p.len = 0;
	}
	if (expr_sum(&p, &v)) {
		expr_peek(&p);
		if (p.pos < p.len) {
			/* Something follows a complete expression: "1 2", "3)". */
			expr_fail(&p, EXPR_ESYNTAX, p.pos);
		}
	}
	if (p.err != EXPR_OK) {
		if (err_col != NULL) {
			*err_col = p.err_col;
		}
		return p.err;
	}
	*out = v;
	return EXPR_OK;
}

const char *expr_strerror(int err)
{
	switch (err) {
	case EXPR_OK:
		return "no error";
	case EXPR_ESYNTAX:
		return "syntax error";
	case EXPR_EDIVZERO:
		return "division by zero";
	case EXPR_EOVERFLOW:
		return "overflow";
	case EXPR_EDEPTH:
		return "too deeply nested";
	default:
		return "unknown error";
	}
}

bool expr_looks_like(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t')) {
		i++;
	}
	return i < len && (expr_is_digit(s[i]) || s[i] == '(' || s[i] == '+' || s[i] == '-');
}
