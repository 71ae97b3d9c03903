/*
 * apps/background/pixel.h — the few pixel operations shared by the
 * background's files: an exact c*a/255 (compositing) and light added to a
 * pixel with per-byte saturation (the animation), on whole 32-bit pixels.
 *
 * No division and no floating point: these run per pixel, and under QEMU
 * TCG a division or a float is a helper call.
 */
#pragma once

#include <stdint.h>

#include "fomos.h"

/* (c * a + 127) / 255, exact for 8-bit c and a. */
static inline uint8_t bg_mul255(uint32_t c, uint32_t a)
{
	uint32_t t = c * a + 128;

	return (uint8_t)((t + (t >> 8)) >> 8);
}

/*
 * A pixel as one 32-bit word (bytes r, g, b, a in memory, little-endian),
 * so a blend is one load and one store instead of three of each: under
 * TCG every memory access walks the soft TLB, so that is most of the cost.
 * may_alias: it reads and writes struct fomos_rgba memory.
 */
typedef uint32_t __attribute__((may_alias)) bg_px32;

#define BG_PX32(r, g, b, a)                                                                        \
	((uint32_t)(r) | (uint32_t)(g) << 8 | (uint32_t)(b) << 16 | (uint32_t)(a) << 24)

/* Colour (r, g, b) scaled by alpha/256, packed, alpha byte 0: light to add. */
static inline uint32_t bg_light(uint32_t r, uint32_t g, uint32_t b, uint32_t alpha)
{
	return BG_PX32((r * alpha) >> 8, (g * alpha) >> 8, (b * alpha) >> 8, 0);
}

/* Adds `light` to the four bytes of *d, each saturating at 255 (SWAR:
 * add the low 7 bits of every byte, then put back each top bit and turn
 * every byte that carried out into 0xff). */
static inline void bg_add_light(bg_px32 *d, uint32_t light)
{
	const uint32_t top = 0x80808080u;
	uint32_t x = *d;
	uint32_t low = (x & ~top) + (light & ~top);
	uint32_t sum = low ^ ((x ^ light) & top);
	uint32_t carry = ((x & light) | ((x | light) & ~sum)) & top;

	*d = sum | ((carry >> 7) * 0xffu);
}
