/*
 * apps/witness — an app that notices if anyone else touches its memory,
 * for the isolation test (tests/e2e/test_isolation.py).
 *
 * Its first call fills a 64 KiB store (the first block of its arena) and
 * a 4 KiB array in its own .data with a pattern made from its pid, and
 * logs where they are:
 *     witness: store 0x... data 0x... stack 0x...
 * Every call after that checks both against the pattern and touches its
 * stack; every WITNESS_EVERY calls it logs
 *     witness: intact after N calls
 * and if a byte ever differs, once:
 *     witness: CORRUPTED at call N (store|data byte K)
 * It never returns anything but FOMOS_CONTINUE.
 */
#include "include/fomos.h"

#define STORE_BYTES   (64u * 1024)
#define DATA_BYTES    4096u
#define WITNESS_EVERY 100u

struct store {
	uint64_t calls;
	bool corrupted;
	uint8_t pattern[STORE_BYTES - 16];
};

static uint8_t data[DATA_BYTES] = {1}; /* in .data, not .bss: its own writable page */

static uint8_t expected(uint64_t pid, uint64_t i)
{
	return (uint8_t)((i * 131u + pid * 7u) ^ (i >> 8));
}

static uint32_t put_text(char *out, uint32_t n, const char *s)
{
	while (*s != '\0') {
		out[n++] = *s++;
	}
	return n;
}

static uint32_t put_number(char *out, uint32_t n, uint64_t v, unsigned base)
{
	char digits[20];
	unsigned k = 0;
	do {
		digits[k++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	if (base == 16) {
		n = put_text(out, n, "0x");
	}
	while (k > 0) {
		out[n++] = digits[--k];
	}
	return n;
}

static void say_where(struct fomos_context *ctx, const struct store *s)
{
	char line[128];
	uint8_t on_stack = 0;
	uint32_t n = put_text(line, 0, "witness: store ");
	n = put_number(line, n, (uint64_t)(uintptr_t)s, 16);
	n = put_text(line, n, " data ");
	n = put_number(line, n, (uint64_t)(uintptr_t)data, 16);
	n = put_text(line, n, " stack ");
	n = put_number(line, n, (uint64_t)(uintptr_t)&on_stack, 16);
	ctx->log(line, n);
}

/* The first byte that differs from the pattern, or -1. */
static int64_t first_difference(const uint8_t *p, uint64_t len, uint64_t pid)
{
	for (uint64_t i = 0; i < len; i++) {
		if (p[i] != expected(pid, i)) {
			return (int64_t)i;
		}
	}
	return -1;
}

static void report(struct fomos_context *ctx, struct store *s, const char *what, int64_t at)
{
	char line[96];
	uint32_t n;
	if (at >= 0 && !s->corrupted) {
		s->corrupted = true;
		n = put_text(line, 0, "witness: CORRUPTED at call ");
		n = put_number(line, n, s->calls, 10);
		n = put_text(line, n, what);
		n = put_number(line, n, (uint64_t)at, 10);
		n = put_text(line, n, ")");
		ctx->log(line, n);
	} else if (!s->corrupted && s->calls % WITNESS_EVERY == 0) {
		n = put_text(line, 0, "witness: intact after ");
		n = put_number(line, n, s->calls, 10);
		n = put_text(line, n, " calls");
		ctx->log(line, n);
	}
}

int32_t _start(struct fomos_context *ctx)
{
	struct store *s = *ctx->store;
	if (s == NULL) {
		s = ctx->calloc(sizeof(*s), 16);
		if (s == NULL) {
			return FOMOS_CONTINUE; /* try again next frame */
		}
		for (uint64_t i = 0; i < sizeof(s->pattern); i++) {
			s->pattern[i] = expected(ctx->pid, i);
		}
		for (uint64_t i = 0; i < DATA_BYTES; i++) {
			data[i] = expected(ctx->pid, i);
		}
		*ctx->store = s;
		say_where(ctx, s);
		return FOMOS_CONTINUE;
	}
	s->calls++;
	int64_t at = first_difference(s->pattern, sizeof(s->pattern), ctx->pid);
	if (at >= 0) {
		report(ctx, s, " (store byte ", at);
	} else {
		at = first_difference(data, DATA_BYTES, ctx->pid);
		report(ctx, s, " (data byte ", at);
	}
	return FOMOS_CONTINUE;
}
