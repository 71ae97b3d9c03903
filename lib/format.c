/*
 * lib/format.c — the printf engine behind fmt_vformat and fmt_snprintf.
 *
 * Shape: fmt_vformat copies literal runs to the sink and hands each `%...`
 * to fmt_conversion, which first decodes the whole specification into a
 * struct fmt_spec (flags, width, precision, length, conversion) and only
 * then fetches the argument and emits it. Every integer conversion goes
 * through one routine, fmt_integer, so the C99 rules about signs, prefixes,
 * precision and zero padding live in one place.
 *
 * Invariants: output only ever leaves through fmt_emit, which counts it (the
 * count is the return value, so truncating sinks still report the full
 * length); no static or global mutable state; no floating point.
 *
 * Callers: see lib/format.h.
 */
#include "lib/format.h"

#include <stdbool.h>
#include <stdint.h>

#include "lib/string.h"

enum {
	FMT_LEFT = 1u << 0,  /* '-' */
	FMT_ZERO = 1u << 1,  /* '0' */
	FMT_PLUS = 1u << 2,  /* '+' */
	FMT_SPACE = 1u << 3, /* ' ' */
	FMT_ALT = 1u << 4,   /* '#' */
};

enum fmt_len {
	FMT_LEN_NONE,
	FMT_LEN_HH,
	FMT_LEN_H,
	FMT_LEN_L,
	FMT_LEN_LL,
	FMT_LEN_Z,
	FMT_LEN_T,
	FMT_LEN_J,
};

struct fmt_spec {
	unsigned flags;
	int width; /* >= 0 */
	int prec;  /* < 0: none given */
	enum fmt_len len;
	char conv; /* '\0' if the format ended inside the spec */
};

struct fmt_out {
	fmt_put_fn *put;
	void *arg;
	size_t total;
};

/* <limits.h> is not freestanding-safe with gcc -nostdinc (it include_nexts
 * the libc one), so take the limit from the compiler's predefined macro. */
#define FMT_INT_MAX __INT_MAX__

/* Enough for any uintmax_t (64 bits) in octal: 22 digits. */
#define FMT_DIGITS_MAX 24

/* Padding is emitted in slices of this string rather than char by char. */
#define FMT_PAD_CHUNK 32

_Static_assert(sizeof(uintmax_t) * 8 <= 3 * (FMT_DIGITS_MAX - 1),
	       "digit buffer too small for uintmax_t in octal");

static void fmt_emit(struct fmt_out *o, const char *s, size_t n)
{
	if (n > 0) {
		o->put(o->arg, s, n);
		o->total += n;
	}
}

static void fmt_pad(struct fmt_out *o, char c, size_t n)
{
	static const char spaces[FMT_PAD_CHUNK + 1] = "                                ";
	static const char zeros[FMT_PAD_CHUNK + 1] = "00000000000000000000000000000000";
	const char *src = c == '0' ? zeros : spaces;

	while (n > 0) {
		size_t chunk = n < FMT_PAD_CHUNK ? n : FMT_PAD_CHUNK;

		fmt_emit(o, src, chunk);
		n -= chunk;
	}
}

/* Reads a decimal number, saturating at INT_MAX (the output would be too
 * long to report anyway, and saturation keeps the arithmetic defined). */
static const char *fmt_parse_num(const char *p, int *out)
{
	int v = 0;

	while (*p >= '0' && *p <= '9') {
		int d = *p - '0';

		v = v > (FMT_INT_MAX - d) / 10 ? FMT_INT_MAX : v * 10 + d;
		p++;
	}
	*out = v;
	return p;
}

static const char *fmt_parse_flags(const char *p, unsigned *flags)
{
	for (;; p++) {
		switch (*p) {
		case '-':
			*flags |= FMT_LEFT;
			break;
		case '0':
			*flags |= FMT_ZERO;
			break;
		case '+':
			*flags |= FMT_PLUS;
			break;
		case ' ':
			*flags |= FMT_SPACE;
			break;
		case '#':
			*flags |= FMT_ALT;
			break;
		default:
			return p;
		}
	}
}

static const char *fmt_parse_len(const char *p, enum fmt_len *len)
{
	switch (*p) {
	case 'h':
		if (p[1] == 'h') {
			*len = FMT_LEN_HH;
			return p + 2;
		}
		*len = FMT_LEN_H;
		return p + 1;
	case 'l':
		if (p[1] == 'l') {
			*len = FMT_LEN_LL;
			return p + 2;
		}
		*len = FMT_LEN_L;
		return p + 1;
	case 'z':
		*len = FMT_LEN_Z;
		return p + 1;
	case 't':
		*len = FMT_LEN_T;
		return p + 1;
	case 'j':
		*len = FMT_LEN_J;
		return p + 1;
	default:
		*len = FMT_LEN_NONE;
		return p;
	}
}

/* Decodes the specification after a '%' (p points just past it); consumes
 * the `*` arguments. Returns the position after the conversion character. */
static const char *fmt_parse_spec(const char *p, struct fmt_spec *sp, va_list *ap)
{
	sp->flags = 0;
	sp->width = 0;
	sp->prec = -1;
	p = fmt_parse_flags(p, &sp->flags);
	if (*p == '*') {
		int w = va_arg(*ap, int);

		if (w < 0) {
			sp->flags |= FMT_LEFT;
			w = w < -FMT_INT_MAX ? FMT_INT_MAX : -w;
		}
		sp->width = w;
		p++;
	} else {
		p = fmt_parse_num(p, &sp->width);
	}
	if (*p == '.') {
		p++;
		if (*p == '*') {
			sp->prec = va_arg(*ap, int); /* negative: as if omitted */
			p++;
		} else {
			p = fmt_parse_num(p, &sp->prec);
		}
	}
	p = fmt_parse_len(p, &sp->len);
	sp->conv = *p;
	return *p != '\0' ? p + 1 : p;
}

/* Fetches an argument of a signed conversion, converted as C99 says (hh and
 * h values are first narrowed to signed char / short). */
static intmax_t fmt_arg_signed(enum fmt_len len, va_list *ap)
{
	switch (len) {
	case FMT_LEN_HH:
		return (signed char)va_arg(*ap, int);
	case FMT_LEN_H:
		return (short)va_arg(*ap, int);
	case FMT_LEN_L:
		return va_arg(*ap, long);
	case FMT_LEN_LL:
		return va_arg(*ap, long long);
	/* The signed type matching size_t; same size on every target we have. */
	case FMT_LEN_Z:
		return (intmax_t)(ptrdiff_t)va_arg(*ap, size_t);
	case FMT_LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case FMT_LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static uintmax_t fmt_arg_unsigned(enum fmt_len len, va_list *ap)
{
	switch (len) {
	case FMT_LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case FMT_LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case FMT_LEN_L:
		return va_arg(*ap, unsigned long);
	case FMT_LEN_LL:
		return va_arg(*ap, unsigned long long);
	case FMT_LEN_Z:
		return va_arg(*ap, size_t);
	/* The unsigned type matching ptrdiff_t. */
	case FMT_LEN_T:
		return (size_t)va_arg(*ap, ptrdiff_t);
	case FMT_LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* Writes v's digits at the end of buf[FMT_DIGITS_MAX]; returns the count
 * (at least 1: zero is "0"). */
static size_t fmt_digits(char *buf, uintmax_t v, unsigned base, bool upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t n = 0;

	do {
		buf[FMT_DIGITS_MAX - 1 - n] = set[v % base];
		v /= base;
		n++;
	} while (v != 0);
	return n;
}

/* Emits [left pad][sign or 0x][zeros][digits][right pad] per C99. */
static void fmt_integer(struct fmt_out *o, const struct fmt_spec *sp, uintmax_t v, char sign)
{
	char digits[FMT_DIGITS_MAX];
	char prefix[2];
	size_t plen = 0;
	unsigned base = sp->conv == 'o'						  ? 8
			: (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p') ? 16
										  : 10;
	size_t nd = fmt_digits(digits, v, base, sp->conv == 'X');
	size_t zeros = 0;

	if (sp->prec == 0 && v == 0) {
		nd = 0; /* "%.0d" of 0 prints no digits at all */
	}
	if (sp->prec > 0 && (size_t)sp->prec > nd) {
		zeros = (size_t)sp->prec - nd;
	}
	/* '#' with %o: raise the precision just enough for a leading 0. */
	if (sp->conv == 'o' && (sp->flags & FMT_ALT) && zeros == 0 && (v != 0 || nd == 0)) {
		zeros = 1;
	}
	if (sign != '\0') {
		prefix[plen++] = sign;
	}
	if (sp->conv == 'p' ||
	    ((sp->flags & FMT_ALT) && v != 0 && (sp->conv == 'x' || sp->conv == 'X'))) {
		prefix[plen++] = '0';
		prefix[plen++] = sp->conv == 'X' ? 'X' : 'x';
	}
	size_t body = plen + zeros + nd;
	size_t width = (size_t)sp->width;

	/* '0' pads with zeros after the sign, unless '-' or a precision. */
	if ((sp->flags & (FMT_ZERO | FMT_LEFT)) == FMT_ZERO && sp->prec < 0 && width > body) {
		zeros += width - body;
		body = width;
	}
	size_t pad = width > body ? width - body : 0;

	if (!(sp->flags & FMT_LEFT)) {
		fmt_pad(o, ' ', pad);
	}
	fmt_emit(o, prefix, plen);
	fmt_pad(o, '0', zeros);
	fmt_emit(o, digits + FMT_DIGITS_MAX - nd, nd);
	if (sp->flags & FMT_LEFT) {
		fmt_pad(o, ' ', pad);
	}
}

/* Emits n characters of s padded to the field width (%s and %c). */
static void fmt_text(struct fmt_out *o, const struct fmt_spec *sp, const char *s, size_t n)
{
	size_t pad = (size_t)sp->width > n ? (size_t)sp->width - n : 0;

	if (!(sp->flags & FMT_LEFT)) {
		fmt_pad(o, ' ', pad);
	}
	fmt_emit(o, s, n);
	if (sp->flags & FMT_LEFT) {
		fmt_pad(o, ' ', pad);
	}
}

static void fmt_signed(struct fmt_out *o, const struct fmt_spec *sp, va_list *ap)
{
	intmax_t v = fmt_arg_signed(sp->len, ap);
	/* Negate in unsigned arithmetic: -INTMAX_MIN would overflow. */
	uintmax_t mag = v < 0 ? -(uintmax_t)v : (uintmax_t)v;
	char sign = v < 0		      ? '-'
		    : (sp->flags & FMT_PLUS)  ? '+'
		    : (sp->flags & FMT_SPACE) ? ' '
					      : '\0';

	fmt_integer(o, sp, mag, sign);
}

static void fmt_string(struct fmt_out *o, const struct fmt_spec *sp, va_list *ap)
{
	const char *s = va_arg(*ap, const char *);

	if (s == NULL) {
		s = "(null)";
	}
	/* With a precision the string need not be terminated: never read past
	 * prec bytes. */
	size_t n = sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s);

	fmt_text(o, sp, s, n);
}

/* Handles one "%..." at p; returns the position after it. */
static const char *fmt_conversion(struct fmt_out *o, const char *p, va_list *ap)
{
	struct fmt_spec sp;
	const char *end = fmt_parse_spec(p + 1, &sp, ap);
	char c;

	switch (sp.conv) {
	case 'd':
	case 'i':
		fmt_signed(o, &sp, ap);
		break;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		fmt_integer(o, &sp, fmt_arg_unsigned(sp.len, ap), '\0');
		break;
	case 'p':
		fmt_integer(o, &sp, (uintptr_t)va_arg(*ap, void *), '\0');
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		fmt_text(o, &sp, &c, 1);
		break;
	case 's':
		fmt_string(o, &sp, ap);
		break;
	case '%':
		fmt_emit(o, "%", 1);
		break;
	default:
		/* Unknown or missing conversion: show it rather than guess. */
		fmt_emit(o, p, (size_t)(end - p));
		break;
	}
	return end;
}

int fmt_vformat(fmt_put_fn *put, void *arg, const char *fmt, va_list ap)
{
	struct fmt_out o = {.put = put, .arg = arg, .total = 0};
	const char *p = fmt;
	va_list args;

	/* A va_list parameter cannot portably be passed on by address; a copy
	 * can. */
	va_copy(args, ap);
	while (*p != '\0') {
		const char *run = p;

		while (*p != '\0' && *p != '%') {
			p++;
		}
		fmt_emit(&o, run, (size_t)(p - run));
		if (*p == '%') {
			p = fmt_conversion(&o, p, &args);
		}
	}
	va_end(args);
	return o.total > FMT_INT_MAX ? -1 : (int)o.total;
}

/* The snprintf sink: keeps what fits in size - 1 bytes, drops the rest. */
struct fmt_buf {
	char *buf;
	size_t size;
	size_t len;
};

static void fmt_buf_put(void *arg, const char *s, size_t n)
{
	struct fmt_buf *b = arg;
	size_t room = b->size > 0 ? b->size - 1 - b->len : 0;

	if (n > room) {
		n = room;
	}
	if (n > 0) {
		memcpy(b->buf + b->len, s, n);
		b->len += n;
	}
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_buf b = {.buf = buf, .size = size, .len = 0};
	int ret = fmt_vformat(fmt_buf_put, &b, fmt, ap);

	if (size > 0) {
		buf[b.len] = '\0';
	}
	return ret;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}
