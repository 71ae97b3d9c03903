/*
 * XXH64, the 64-bit xxHash (implemented from its published specification):
 * the checksum of snapshots and the identity of app binaries. It is fast
 * on 64-bit words, which matters under emulation where a 16 MiB snapshot
 * is hashed on every save and restore, and it is a standard anyone can
 * recompute on the host (`xxhsum -H64`).
 *
 * One-shot (xxh64) or streaming (init, update any number of times with any
 * lengths, digest); both give the same value for the same bytes.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct xxh64_state {
	uint64_t acc[4];
	uint64_t total;	 /* bytes seen */
	uint8_t buf[32]; /* a partial stripe */
	uint32_t buf_len;
	uint64_t seed;
};

uint64_t xxh64(const void *data, size_t len, uint64_t seed);

void xxh64_init(struct xxh64_state *s, uint64_t seed);
void xxh64_update(struct xxh64_state *s, const void *data, size_t len);
uint64_t xxh64_digest(const struct xxh64_state *s);
