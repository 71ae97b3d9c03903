/*
 * Reading little-endian integers from byte buffers at any alignment: the
 * decoders of firmware and boot-loader data (multiboot2, ACPI) work on
 * untrusted bytes whose fields need not be aligned. memcpy compiles to a
 * plain load on x86-64, which is little-endian itself.
 */
#pragma once

#include <stdint.h>

#include "lib/string.h"

static inline uint16_t load_le16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t load_le32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t load_le64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}
