/*
 * tests/unit/test_format.c — host tests for lib/format.c.
 *
 * The host C library's snprintf is the oracle: every case formats the same
 * arguments with both and requires identical text and return value. Cases:
 * hand-picked edge cases, the full cross product of flags x width x
 * precision x length x conversion over boundary values, and randomized
 * specifications (fixed seed, so a failure reproduces). Truncation is
 * checked at every buffer size with exact-size heap buffers, so ASan flags
 * any write past the end. The few places where we differ from glibc on
 * purpose (%p of NULL, unknown conversions) are checked against literals.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/format.h"

#define CMP_BUF 512

static unsigned long test_cases;

/* Formats with libc and with fmt_vsnprintf; both must agree exactly. Not
 * declared as printf-like on purpose: the cases include flag combinations
 * the compiler warns about ("'0' flag ignored with '-'") whose meaning C99
 * nevertheless defines, and they must be tested. */
static void compare(const char *fmt, ...)
{
	char want[CMP_BUF];
	char got[CMP_BUF];
	va_list a;
	va_list b;

	va_start(a, fmt);
	va_copy(b, a);
	int wr = vsnprintf(want, sizeof(want), fmt, a);
	int gr = fmt_vsnprintf(got, sizeof(got), fmt, b);
	va_end(b);
	va_end(a);
	test_cases++;
	/* memcmp, not strcmp: %c may legitimately produce a NUL. */
	size_t kept = wr >= 0 && wr < CMP_BUF ? (size_t)wr : CMP_BUF - 1;

	if (wr != gr || wr < 0 || memcmp(want, got, kept + 1) != 0) {
		print_error("format \"%s\": libc [%s] (%d), fmt [%s] (%d)\n", fmt, want, wr, got,
			    gr);
		fail();
	}
}

/* Formats with fmt_snprintf only and checks against a literal. */
static void expect(const char *want, const char *fmt, ...)
{
	char got[CMP_BUF];
	va_list ap;

	va_start(ap, fmt);
	int r = fmt_vsnprintf(got, sizeof(got), fmt, ap);
	va_end(ap);
	assert_string_equal(got, want);
	assert_int_equal(r, (int)strlen(want));
}

static void test_edge_cases(void **state)
{
	(void)state;
	compare("plain text, no conversions");
	compare("%d %i %d %d", 0, 42, -42, INT_MIN);
	compare("%d|%u|%x|%X|%o", INT_MAX, UINT_MAX, UINT_MAX, 0xabcdefu, 8u);
	compare("%lld %llu %llx", LLONG_MIN, ULLONG_MAX, ULLONG_MAX);
	compare("%jd %ju %zd %zu %td %tu", INTMAX_MIN, UINTMAX_MAX, (ptrdiff_t)-5, SIZE_MAX,
		PTRDIFF_MIN, (size_t)PTRDIFF_MAX);
	compare("%hhd %hhu %hd %hu", 255, -1, 70000, -1);
	compare("%+d %+d % d % d %+ d", 0, -3, 0, 5, 7);
	compare("%#o %#o %#.0o %#x %#X %#x", 0u, 8u, 0u, 0u, 255u, 1u);
	compare("[%.0d] [%5.0d] [%.0u] [%.0x] [%-3.0o]", 0, 0, 0u, 0u, 0u);
	compare("[%05d] [%-05d] [%05.3d] [%+05d] [% 05d]", -42, -42, -42, 42, 42);
	compare("[%08.3x] [%#08x] [%#-8x] [%#8.5o]", 0xabu, 0xabu, 0xabu, 9u);
	compare("[%s] [%10s] [%-10s] [%.2s] [%10.2s] [%.0s]", "hello", "hello", "hello", "hello",
		"hello", "hello");
	compare("[%c] [%5c] [%-5c] [%c]", 'a', 'b', 'c', 0);
	compare("[%*d] [%-*d] [%*d] [%.*d] [%.*d]", 6, 1, 6, 2, -6, 3, 4, 5, -1, 6);
	compare("[%*.*s] [%.*s]", 8, 2, "abcdef", -3, "xyz");
	compare("%% [%5d%%] %%%d", 1, 2);
	compare("a%db%sc%xd%ce%uf", 1, "two", 3u, '4', 5u);
	compare("[%300d] [%-300.290x]", 1, 2u);
}

static void test_deliberate_differences(void **state)
{
	char nonterminated[3] = {'a', 'b', 'c'};

	(void)state;
	expect("(null)", "%s", (char *)NULL);
	expect("  (nu", "%5.3s", (char *)NULL);
	expect("0x0", "%p", (void *)0);
	expect("0x1234abcd", "%p", (void *)0x1234abcd);
	expect("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
	/* A precision bounds the read: ASan would flag a byte past the array. */
	expect("abc", "%.3s", nonterminated);
	expect("%y %", "%y %");
	expect("abc%", "abc%");
}

/* %p agrees with libc's "%#lx" for non-NULL pointers, with width and '-'. */
static void test_pointer(void **state)
{
	static int object;
	void *ptrs[] = {&object, (void *)1, (void *)0xdeadbeefUL, (void *)UINTPTR_MAX};
	char want[64];
	char got[64];

	(void)state;
	for (size_t i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++) {
		unsigned long u = (unsigned long)(uintptr_t)ptrs[i];

		fmt_snprintf(got, sizeof(got), "[%p][%24p][%-24p]", ptrs[i], ptrs[i], ptrs[i]);
		snprintf(want, sizeof(want), "[%#lx][%#24lx][%#-24lx]", u, u, u);
		assert_string_equal(got, want);
	}
}

/* Passes v as the type the length modifier asks for. */
static void compare_int(const char *fmt, const char *len, char conv, uint64_t v)
{
	int is_signed = conv == 'd' || conv == 'i';

	if (strcmp(len, "l") == 0) {
		is_signed ? compare(fmt, (long)v) : compare(fmt, (unsigned long)v);
	} else if (strcmp(len, "ll") == 0) {
		is_signed ? compare(fmt, (long long)v) : compare(fmt, (unsigned long long)v);
	} else if (strcmp(len, "z") == 0) {
		is_signed ? compare(fmt, (ptrdiff_t)v) : compare(fmt, (size_t)v);
	} else if (strcmp(len, "t") == 0) {
		is_signed ? compare(fmt, (ptrdiff_t)v) : compare(fmt, (size_t)v);
	} else if (strcmp(len, "j") == 0) {
		is_signed ? compare(fmt, (intmax_t)v) : compare(fmt, (uintmax_t)v);
	} else {
		/* none, h, hh: the argument is an int either way (promotion). */
		is_signed ? compare(fmt, (int)v) : compare(fmt, (unsigned)v);
	}
}

static const uint64_t boundary_values[] = {
    0,
    1,
    7,
    8,
    9,
    10,
    15,
    16,
    42,
    99,
    100,
    127,
    128,
    255,
    256,
    32767,
    32768,
    65535,
    65536,
    999999999,
    2147483647,
    2147483648u,
    4294967295u,
    4294967296u,
    0x123456789abcdefu,
    9223372036854775807u,
    9223372036854775808u,
    (uint64_t)-1,
    (uint64_t)-42,
    (uint64_t)-128,
    (uint64_t)-129,
    (uint64_t)-32768,
    (uint64_t)INT_MIN,
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Every combination of flags, width, precision, length and conversion. */
static void test_cross_product(void **state)
{
	static const char *const flags[] = {"",	  "-",	"0",  "+",  " ",  "#",	 "-0",	"+ ",
					    "-+", "0+", "0 ", "#0", "-#", "+#0", "- 0#"};
	static const char *const widths[] = {"", "1", "2", "7", "25"};
	static const char *const precs[] = {"", ".", ".0", ".1", ".2", ".5", ".30"};
	static const char *const lens[] = {"hh", "h", "", "l", "ll", "z", "t", "j"};
	static const char convs[] = "diuxXo";
	char fmt[64];

	(void)state;
	for (size_t f = 0; f < COUNT(flags); f++) {
		for (size_t w = 0; w < COUNT(widths); w++) {
			for (size_t p = 0; p < COUNT(precs); p++) {
				for (size_t l = 0; l < COUNT(lens); l++) {
					for (size_t c = 0; convs[c] != '\0'; c++) {
						/* '#' with d, i, u is undefined behaviour. */
						if (strchr(flags[f], '#') &&
						    strchr("diu", convs[c])) {
							continue;
						}
						snprintf(fmt, sizeof(fmt), "<%%%s%s%s%s%c>",
							 flags[f], widths[w], precs[p], lens[l],
							 convs[c]);
						for (size_t v = 0; v < COUNT(boundary_values);
						     v++) {
							compare_int(fmt, lens[l], convs[c],
								    boundary_values[v]);
						}
					}
				}
			}
		}
	}
}

/* xorshift64: a fixed, portable sequence. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int rng_range(int lo, int hi)
{
	return lo + (int)(rng() % (uint64_t)(hi - lo + 1));
}

/* Random value with a random magnitude, so small numbers are common too. */
static uint64_t rng_value(void)
{
	uint64_t v = rng();

	/* Separate statements: two rng() calls in one expression would be
	 * evaluated in an unspecified order. */
	v >>= rng() % 64;

	return (rng() & 1) ? v : (uint64_t)0 - v;
}

/* One random spec; stars: bit 0 = `*` width, bit 1 = `*` precision. */
struct random_spec {
	char fmt[64];
	char len[3];
	char conv;
	int stars;
	int width;
	int prec;
};

static void random_spec(struct random_spec *rs)
{
	static const char *const lens[] = {"hh", "h", "", "l", "ll", "z", "t", "j"};
	static const char convs[] = "diuxXocs";
	char flags[8] = "";
	char width[16] = "";
	char prec[16] = "";
	size_t nf = 0;

	rs->conv = convs[rng() % (sizeof(convs) - 1)];
	bool text = rs->conv == 'c' || rs->conv == 's';
	const char *allowed = text ? "-" : (strchr("diu", rs->conv) ? "-0+ " : "-0+ #");
	for (int i = rng_range(0, 4); i > 0; i--) {
		flags[nf++] = allowed[rng() % strlen(allowed)];
	}
	flags[nf] = '\0';
	rs->stars = 0;
	rs->width = rng_range(-30, 30);
	rs->prec = rng_range(-5, 30);
	switch (rng() % 3) {
	case 0:
		break;
	case 1:
		snprintf(width, sizeof(width), "%d", rng_range(0, 40));
		break;
	default:
		strcpy(width, "*");
		rs->stars |= 1;
		break;
	}
	switch (text && rs->conv == 'c' ? 0 : rng() % 4) {
	case 0:
		break;
	case 1:
		strcpy(prec, ".");
		break;
	case 2:
		snprintf(prec, sizeof(prec), ".%d", rng_range(0, 30));
		break;
	default:
		strcpy(prec, ".*");
		rs->stars |= 2;
		break;
	}
	strcpy(rs->len, text ? "" : lens[rng() % COUNT(lens)]);
	snprintf(rs->fmt, sizeof(rs->fmt), "x%%%s%s%s%s%cy", flags, width, prec, rs->len, rs->conv);
}

/* Calls compare with the star arguments the spec needs, then the value. */
#define COMPARE_STARS(rs, val)                                                                     \
	do {                                                                                       \
		switch ((rs)->stars) {                                                             \
		case 0:                                                                            \
			compare((rs)->fmt, val);                                                   \
			break;                                                                     \
		case 1:                                                                            \
			compare((rs)->fmt, (rs)->width, val);                                      \
			break;                                                                     \
		case 2:                                                                            \
			compare((rs)->fmt, (rs)->prec, val);                                       \
			break;                                                                     \
		default:                                                                           \
			compare((rs)->fmt, (rs)->width, (rs)->prec, val);                          \
			break;                                                                     \
		}                                                                                  \
	} while (0)

static void compare_random(const struct random_spec *rs, uint64_t v)
{
	static const char *const strings[] = {"", "a", "hello", "Fomos in C",
					      "0123456789abcdefghijklmnop"};
	int is_signed = rs->conv == 'd' || rs->conv == 'i';

	if (rs->conv == 's') {
		COMPARE_STARS(rs, strings[v % COUNT(strings)]);
	} else if (rs->conv == 'c') {
		COMPARE_STARS(rs, (int)(v % 95) + 32);
	} else if (strcmp(rs->len, "l") == 0 || strcmp(rs->len, "ll") == 0 ||
		   strcmp(rs->len, "j") == 0) {
		/* long, long long and intmax_t are all 64-bit here. */
		if (is_signed) {
			COMPARE_STARS(rs, (long long)v);
		} else {
			COMPARE_STARS(rs, (unsigned long long)v);
		}
	} else if (strcmp(rs->len, "z") == 0 || strcmp(rs->len, "t") == 0) {
		if (is_signed) {
			COMPARE_STARS(rs, (ptrdiff_t)v);
		} else {
			COMPARE_STARS(rs, (size_t)v);
		}
	} else if (is_signed) {
		COMPARE_STARS(rs, (int)v);
	} else {
		COMPARE_STARS(rs, (unsigned)v);
	}
}

static void test_randomized(void **state)
{
	struct random_spec rs;

	(void)state;
	for (int i = 0; i < 200000; i++) {
		random_spec(&rs);
		compare_random(&rs, rng_value());
	}
}

/* Every buffer size from 0 to past the full length, exact-size buffers. */
static void check_truncation(const char *fmt, ...)
{
	char full[CMP_BUF];
	va_list ap;

	va_start(ap, fmt);
	int n = fmt_vsnprintf(full, sizeof(full), fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && n < CMP_BUF);
	va_start(ap, fmt);
	assert_int_equal(fmt_vsnprintf(NULL, 0, fmt, ap), n);
	va_end(ap);
	for (size_t size = 1; size <= (size_t)n + 3; size++) {
		char *buf = malloc(size);
		size_t kept = size - 1 < (size_t)n ? size - 1 : (size_t)n;

		assert_non_null(buf);
		memset(buf, 0x5a, size);
		va_start(ap, fmt);
		assert_int_equal(fmt_vsnprintf(buf, size, fmt, ap), n);
		va_end(ap);
		assert_memory_equal(buf, full, kept);
		assert_int_equal(buf[kept], '\0');
		free(buf);
	}
}

static void test_truncation(void **state)
{
	(void)state;
	check_truncation("%s", "");
	check_truncation("hello, world");
	check_truncation("[%-12s|%08.3x|%+lld]", "truncate me", 0xbeefu, LLONG_MIN);
	check_truncation("%*d%%%c%p", 40, -1, 'z', (void *)0xffff);
}

/* Only measures; not printf-like, so the compiler lets the huge cases
 * below through. */
static int measure(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int r = fmt_vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	return r;
}

/* The result must fit an int; C99 says a negative value otherwise. */
static void test_overflow(void **state)
{
	(void)state;
	assert_int_equal(measure("%*d", INT_MAX, 1), INT_MAX);
	assert_int_equal(measure("x%*d", INT_MAX, 1), -1);
	assert_int_equal(measure("%*d", INT_MIN, 1), INT_MAX);
	/* Widths beyond INT_MAX saturate rather than wrap around. */
	assert_int_equal(measure("%2147483647d", 1), INT_MAX);
	assert_int_equal(measure("%99999999999d", 1), INT_MAX);
}

struct collect {
	char buf[CMP_BUF];
	size_t len;
	int calls;
};

static void collect_put(void *arg, const char *s, size_t n)
{
	struct collect *c = arg;

	assert_true(n > 0);
	assert_true(c->len + n < sizeof(c->buf));
	memcpy(c->buf + c->len, s, n);
	c->len += n;
	c->calls++;
}

static int __attribute__((format(printf, 2, 3))) stream(struct collect *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int r = fmt_vformat(collect_put, c, fmt, ap);
	va_end(ap);
	return r;
}

/* The streaming entry point sees exactly the text snprintf would produce. */
static void test_stream(void **state)
{
	struct collect c = {.len = 0, .calls = 0};
	char want[CMP_BUF];

	(void)state;
	int r = stream(&c, "[pid %llu %s] %-6s|%05x|%c%%", 7ull, "shell", "ok", 0x2au, '!');
	snprintf(want, sizeof(want), "[pid %llu %s] %-6s|%05x|%c%%", 7ull, "shell", "ok", 0x2au,
		 '!');
	assert_int_equal(r, (int)strlen(want));
	assert_int_equal(c.len, strlen(want));
	assert_memory_equal(c.buf, want, c.len);
	c.len = 0;
	assert_int_equal(stream(&c, "%s", ""), 0);
	assert_int_equal(c.len, 0);
}

static int report_count(void **state)
{
	(void)state;
	print_message("compared %lu cases against libc\n", test_cases);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_edge_cases), cmocka_unit_test(test_deliberate_differences),
	    cmocka_unit_test(test_pointer),    cmocka_unit_test(test_cross_product),
	    cmocka_unit_test(test_randomized), cmocka_unit_test(test_truncation),
	    cmocka_unit_test(test_overflow),   cmocka_unit_test(test_stream),
	};

	return cmocka_run_group_tests(tests, NULL, report_count);
}
