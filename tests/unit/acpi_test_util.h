/*
 * tests/unit/acpi_test_util.h — what the ACPI host tests share: a buffer
 * to lay out a system description table the way firmware does (header,
 * fields, length and checksum), and heap copies of exactly the bytes a
 * decoder may read, so that ASan reports any read past them.
 *
 * test_acpi.c (RSDP, root tables, MADT, MCFG) and test_acpi_fadt.c (FADT,
 * \_S5) are two binaries over the drivers/acpi decoders. Header-only and
 * `static inline`, so an unused helper costs no warning. Needs cmocka
 * included first (exact() asserts).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/acpi/acpi_tables.h"

struct table {
	uint8_t buf[1024];
	uint32_t len;
};

static inline void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static inline void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static inline void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* Make bytes [0, n) sum to zero by adjusting the byte at `at`. */
static inline void fix_checksum(uint8_t *p, size_t n, size_t at)
{
	p[at] = 0;
	p[at] = (uint8_t)(0x100 - acpi_checksum(p, n));
}

static inline void begin_table(struct table *t, const char *sig)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->buf, sig, 4);
	t->buf[8] = 1; /* revision */
	memcpy(t->buf + 10, "FOMOS ", 6);
	memcpy(t->buf + 16, "TESTTBL ", 8);
	t->len = ACPI_HEADER_LEN;
}

static inline void add(struct table *t, const void *bytes, uint32_t n)
{
	memcpy(t->buf + t->len, bytes, n);
	t->len += n;
}

/* Write the length field and the checksum. */
static inline void end_table(struct table *t)
{
	put32(t->buf + 4, t->len);
	fix_checksum(t->buf, t->len, 9);
}

/* A heap copy of exactly n bytes, so ASan sees reads beyond n. */
static inline uint8_t *exact(const void *p, size_t n)
{
	uint8_t *copy = malloc(n ? n : 1);
	assert_non_null(copy);
	memcpy(copy, p, n);
	return copy;
}
