/*
 * Encoding and checking snapshot headers; see snapshot_format.h. Fields
 * are little-endian at fixed offsets so a snapshot outlives changes to the
 * C struct, and every decoded value is checked before anyone relies on it.
 */
#include "persist/snapshot_format.h"

#include "lib/bytes.h"
#include "lib/string.h"
#include "lib/xxhash64.h"

static const char MAGIC[8] = {'F', 'O', 'M', 'O', 'S', 'N', 'A', 'P'};

enum offsets {
	O_MAGIC = 0,
	O_FORMAT = 8,
	O_ABI = 12,
	O_SEQ = 16,
	O_SLOT = 24,
	O_POLICY = 28,
	O_BUDGET = 32,
	O_CAPS = 36, /* format 2 on */
	O_NAME = 40,
	O_SOURCE = O_NAME + SNAPSHOT_NAME_MAX,	/* 72 */
	O_U64 = O_SOURCE + SNAPSHOT_SOURCE_MAX, /* 200: the 64-bit fields, in order */
	O_HASH = SNAPSHOT_HEADER_BYTES - 8,	/* 504 */
};

static void store_le32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void store_le64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* The 64-bit fields after the strings, in their on-disk order. */
/* clang-format off */
#define U64_FIELDS(X) \
	X(binary_size) \
	X(binary_hash) \
	X(store) \
	X(heap_bytes) \
	X(data_bytes) \
	X(arena_bytes) \
	X(live_bytes) \
	X(live_allocs) \
	X(limit) \
	X(acct.calls) \
	X(acct.total_ns) \
	X(acct.max_ns) \
	X(uptime_ms) \
	X(payload_bytes) \
	X(payload_hash) \
	X(window_pixels) \
	X(window_size)
/* clang-format on */

void snapshot_header_encode(const struct snapshot_header *h, uint8_t out[SNAPSHOT_HEADER_BYTES])
{
	uint8_t *p = out + O_U64;

	memset(out, 0, SNAPSHOT_HEADER_BYTES);
	memcpy(out + O_MAGIC, MAGIC, sizeof(MAGIC));
	store_le32(out + O_FORMAT, SNAPSHOT_FORMAT);
	store_le32(out + O_ABI, h->abi_version);
	store_le64(out + O_SEQ, h->seq);
	store_le32(out + O_SLOT, h->slot);
	store_le32(out + O_POLICY, h->policy);
	store_le32(out + O_BUDGET, h->budget_ms);
	store_le32(out + O_CAPS, h->caps);
	memcpy(out + O_NAME, h->name, strnlen(h->name, SNAPSHOT_NAME_MAX - 1));
	memcpy(out + O_SOURCE, h->source, strnlen(h->source, SNAPSHOT_SOURCE_MAX - 1));
#define PUT(f)                                                                                     \
	store_le64(p, h->f);                                                                       \
	p += 8;
	U64_FIELDS(PUT)
#undef PUT
	store_le64(out + O_HASH, xxh64(out, O_HASH, 0));
}

static bool text_ok(const uint8_t *p, size_t max)
{
	size_t n = strnlen((const char *)p, max);
	if (n == 0 || n == max) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] > 0x7e) {
			return false;
		}
	}
	return true;
}

int snapshot_header_decode(const uint8_t in[SNAPSHOT_HEADER_BYTES], struct snapshot_header *h)
{
	const uint8_t *p = in + O_U64;

	if (memcmp(in + O_MAGIC, MAGIC, sizeof(MAGIC)) != 0) {
		for (unsigned i = 0; i < SNAPSHOT_HEADER_BYTES; i++) {
			if (in[i] != 0) {
				return SNAPSHOT_ECORRUPT;
			}
		}
		return SNAPSHOT_EMPTY;
	}
	if (load_le64(in + O_HASH) != xxh64(in, O_HASH, 0)) {
		return SNAPSHOT_ECORRUPT;
	}
	uint32_t format = load_le32(in + O_FORMAT);
	if (format < 1 || format > SNAPSHOT_FORMAT) {
		return format > SNAPSHOT_FORMAT ? SNAPSHOT_EVERSION : SNAPSHOT_ECORRUPT;
	}
	memset(h, 0, sizeof(*h));
	h->format = format;
	h->abi_version = load_le32(in + O_ABI);
	h->seq = load_le64(in + O_SEQ);
	h->slot = load_le32(in + O_SLOT);
	h->policy = load_le32(in + O_POLICY);
	h->budget_ms = load_le32(in + O_BUDGET);
	h->caps_known = format >= 2;
	h->caps = h->caps_known ? load_le32(in + O_CAPS) : 0;
	if (!text_ok(in + O_NAME, SNAPSHOT_NAME_MAX) ||
	    !text_ok(in + O_SOURCE, SNAPSHOT_SOURCE_MAX)) {
		return SNAPSHOT_ECORRUPT;
	}
	memcpy(h->name, in + O_NAME, SNAPSHOT_NAME_MAX);
	memcpy(h->source, in + O_SOURCE, SNAPSHOT_SOURCE_MAX);
#define GET(f)                                                                                     \
	h->f = load_le64(p);                                                                       \
	p += 8;
	U64_FIELDS(GET)
#undef GET
	uint64_t expected =
	    snapshot_padded(h->heap_bytes) + snapshot_padded(h->data_bytes) + h->arena_bytes;
	if (h->arena_bytes % 4096 != 0 || h->payload_bytes != expected ||
	    h->heap_bytes > (1u << 20) || h->data_bytes > (1ull << 30) ||
	    h->arena_bytes > (1ull << 40) || h->live_bytes > h->arena_bytes) {
		return SNAPSHOT_ECORRUPT;
	}
	return SNAPSHOT_OK;
}

bool snapshot_pick(const int status[2], const struct snapshot_header h[2], unsigned *newest,
		   unsigned *target)
{
	bool ok0 = status[0] == SNAPSHOT_OK, ok1 = status[1] == SNAPSHOT_OK;

	if (ok0 && ok1) {
		*newest = h[1].seq > h[0].seq ? 1 : 0;
	} else {
		*newest = ok1 ? 1 : 0;
	}
	*target = (ok0 || ok1) ? 1 - *newest : 0;
	return ok0 || ok1;
}

const char *snapshot_strstatus(int status)
{
	switch (status) {
	case SNAPSHOT_OK:
		return "ok";
	case SNAPSHOT_EMPTY:
		return "no snapshot";
	case SNAPSHOT_ECORRUPT:
		return "corrupt header";
	case SNAPSHOT_EVERSION:
		return "written by a newer Fomos";
	default:
		return "unknown status";
	}
}
