/*
 * XXH64; see xxhash64.h. Stripes of 32 bytes feed four accumulators; the
 * tail and the length are folded in at the end, then an avalanche.
 */
#include "lib/xxhash64.h"

#include "lib/bytes.h"
#include "lib/string.h"

#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full
#define P3 0x165667B19E3779F9ull
#define P4 0x85EBCA77C2B2AE63ull
#define P5 0x27D4EB2F165667C5ull

static inline uint64_t rotl(uint64_t x, unsigned r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t round64(uint64_t acc, uint64_t lane)
{
	return rotl(acc + lane * P2, 31) * P1;
}

static inline uint64_t merge(uint64_t acc, uint64_t v)
{
	return (acc ^ round64(0, v)) * P1 + P4;
}

static void stripe(uint64_t acc[4], const uint8_t *p)
{
	for (int i = 0; i < 4; i++) {
		acc[i] = round64(acc[i], load_le64(p + 8 * i));
	}
}

void xxh64_init(struct xxh64_state *s, uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	s->seed = seed;
	s->acc[0] = seed + P1 + P2;
	s->acc[1] = seed + P2;
	s->acc[2] = seed;
	s->acc[3] = seed - P1;
}

void xxh64_update(struct xxh64_state *s, const void *data, size_t len)
{
	const uint8_t *p = data;

	s->total += len;
	if (s->buf_len > 0) {
		size_t take = 32 - s->buf_len < len ? 32 - s->buf_len : len;
		memcpy(s->buf + s->buf_len, p, take);
		s->buf_len += (uint32_t)take;
		p += take;
		len -= take;
		if (s->buf_len < 32) {
			return;
		}
		stripe(s->acc, s->buf);
		s->buf_len = 0;
	}
	/* The accumulators in locals: through s they would be stored and
	 * reloaded every lane (s->acc may alias data as far as C knows). */
	uint64_t a0 = s->acc[0], a1 = s->acc[1], a2 = s->acc[2], a3 = s->acc[3];
	for (; len >= 32; p += 32, len -= 32) {
		a0 = round64(a0, load_le64(p));
		a1 = round64(a1, load_le64(p + 8));
		a2 = round64(a2, load_le64(p + 16));
		a3 = round64(a3, load_le64(p + 24));
	}
	s->acc[0] = a0;
	s->acc[1] = a1;
	s->acc[2] = a2;
	s->acc[3] = a3;
	memcpy(s->buf, p, len);
	s->buf_len = (uint32_t)len;
}

uint64_t xxh64_digest(const struct xxh64_state *s)
{
	uint64_t h;
	const uint8_t *p = s->buf;
	size_t left = s->buf_len;

	if (s->total >= 32) {
		h = rotl(s->acc[0], 1) + rotl(s->acc[1], 7) + rotl(s->acc[2], 12) +
		    rotl(s->acc[3], 18);
		for (int i = 0; i < 4; i++) {
			h = merge(h, s->acc[i]);
		}
	} else {
		h = s->seed + P5;
	}
	h += s->total;
	for (; left >= 8; p += 8, left -= 8) {
		h = rotl(h ^ round64(0, load_le64(p)), 27) * P1 + P4;
	}
	if (left >= 4) {
		h = rotl(h ^ (uint64_t)load_le32(p) * P1, 23) * P2 + P3;
		p += 4;
		left -= 4;
	}
	for (; left > 0; p++, left--) {
		h = rotl(h ^ *p * P5, 11) * P1;
	}
	h ^= h >> 33;
	h *= P2;
	h ^= h >> 29;
	h *= P3;
	h ^= h >> 32;
	return h;
}

uint64_t xxh64(const void *data, size_t len, uint64_t seed)
{
	struct xxh64_state s;
	xxh64_init(&s, seed);
	xxh64_update(&s, data, len);
	return xxh64_digest(&s);
}
