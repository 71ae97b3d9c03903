/*
 * tests/unit/test_snapshot_format.c — host tests for persist/snapshot_format.c:
 * headers round-trip; every single-bit flip and every torn prefix of a
 * header is caught; an all-zero (cleared) header reads as "no snapshot";
 * inconsistent sizes are refused; and the choice between an app's two
 * files in every combination of their states.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/xxhash64.h"
#include "persist/snapshot_format.h"

static struct snapshot_header sample(uint64_t seq)
{
	struct snapshot_header h = {
	    .seq = seq,
	    .format = SNAPSHOT_FORMAT,
	    .abi_version = 4,
	    .slot = 2,
	    .name = "console",
	    .source = "archive",
	    .binary_size = 123456,
	    .binary_hash = 0x1122334455667788ull,
	    .store = 0xffff900080000010ull,
	    .heap_bytes = 4000,
	    .data_bytes = 100,
	    .arena_bytes = 1 << 20,
	    .live_bytes = 5000,
	    .live_allocs = 3,
	    .limit = 1 << 28,
	    .policy = 1,
	    .budget_ms = 100,
	    .caps = 3,
	    .caps_known = true,
	    .acct = {.calls = 999, .total_ns = 12345678, .max_ns = 54321},
	    .uptime_ms = 4242,
	};
	h.payload_bytes =
	    snapshot_padded(h.heap_bytes) + snapshot_padded(h.data_bytes) + h.arena_bytes;
	h.payload_hash = 0xabcdef;
	h.window_pixels = 0xffff900010000040ull;
	h.window_size = (uint64_t)800 << 32 | 480;
	return h;
}

static void test_round_trip(void **state)
{
	(void)state;
	uint8_t buf[SNAPSHOT_HEADER_BYTES];
	struct snapshot_header in = sample(7), out;
	snapshot_header_encode(&in, buf);
	assert_int_equal(snapshot_header_decode(buf, &out), SNAPSHOT_OK);
	assert_memory_equal(&in, &out, sizeof(in));
}

/* A format 3 file (before windows were recorded) reads as having none. */
static void test_format_3_reads_without_a_window(void **state)
{
	(void)state;
	uint8_t buf[SNAPSHOT_HEADER_BYTES];
	struct snapshot_header in = sample(7), out;
	in.window_pixels = in.window_size = 0; /* what a format 3 encoder left: zeros */
	snapshot_header_encode(&in, buf);
	buf[8] = 3; /* format */
	uint64_t hash = xxh64(buf, SNAPSHOT_HEADER_BYTES - 8, 0);
	memcpy(buf + SNAPSHOT_HEADER_BYTES - 8, &hash, 8);
	assert_int_equal(snapshot_header_decode(buf, &out), SNAPSHOT_OK);
	assert_int_equal(out.format, 3);
	assert_int_equal(out.window_pixels, 0);
	assert_int_equal(out.window_size, 0);
}

/* A format 1 file (before capabilities were recorded) still reads. */
static void test_format_1_reads_without_caps(void **state)
{
	(void)state;
	uint8_t buf[SNAPSHOT_HEADER_BYTES];
	struct snapshot_header in = sample(7), out;
	snapshot_header_encode(&in, buf);
	buf[8] = 1;		/* format */
	memset(buf + 36, 0, 4); /* no caps field then */
	uint64_t hash = xxh64(buf, SNAPSHOT_HEADER_BYTES - 8, 0);
	memcpy(buf + SNAPSHOT_HEADER_BYTES - 8, &hash, 8);
	assert_int_equal(snapshot_header_decode(buf, &out), SNAPSHOT_OK);
	assert_false(out.caps_known);
	assert_int_equal(out.format, 1); /* its heap cannot be restored: persist/snapshot.c */
	assert_int_equal(out.caps, 0);
	assert_int_equal(out.acct.calls, 999);
	assert_string_equal(out.name, "console");
}

static void test_every_bit_flip_is_caught(void **state)
{
	(void)state;
	uint8_t buf[SNAPSHOT_HEADER_BYTES];
	struct snapshot_header in = sample(7), out;
	snapshot_header_encode(&in, buf);
	for (unsigned bit = 0; bit < SNAPSHOT_HEADER_BYTES * 8; bit++) {
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_int_not_equal(snapshot_header_decode(buf, &out), SNAPSHOT_OK);
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
}

static void test_torn_header_is_caught(void **state)
{
	(void)state;
	uint8_t old_buf[SNAPSHOT_HEADER_BYTES], new_buf[SNAPSHOT_HEADER_BYTES],
	    mix[SNAPSHOT_HEADER_BYTES];
	struct snapshot_header a = sample(7), b = sample(8), out;
	b.payload_hash = 0x999;
	snapshot_header_encode(&a, old_buf);
	snapshot_header_encode(&b, new_buf);
	for (unsigned cut = 1; cut < SNAPSHOT_HEADER_BYTES; cut++) {
		memcpy(mix, new_buf, cut);
		memcpy(mix + cut, old_buf + cut, SNAPSHOT_HEADER_BYTES - cut);
		if (memcmp(mix, new_buf, sizeof(mix)) != 0 &&
		    memcmp(mix, old_buf, sizeof(mix)) != 0) {
			assert_int_equal(snapshot_header_decode(mix, &out), SNAPSHOT_ECORRUPT);
		}
	}
}

static void test_cleared_header_is_empty(void **state)
{
	(void)state;
	uint8_t buf[SNAPSHOT_HEADER_BYTES] = {0};
	struct snapshot_header out;
	assert_int_equal(snapshot_header_decode(buf, &out), SNAPSHOT_EMPTY);
	buf[300] = 1; /* not ours, not cleared: someone else's bytes */
	assert_int_equal(snapshot_header_decode(buf, &out), SNAPSHOT_ECORRUPT);
}

/* Re-encode with a bad field: the checksum is right, the checks must still refuse. */
static void assert_refused(struct snapshot_header h)
{
	uint8_t buf[SNAPSHOT_HEADER_BYTES];
	struct snapshot_header out;
	snapshot_header_encode(&h, buf);
	assert_int_equal(snapshot_header_decode(buf, &out), SNAPSHOT_ECORRUPT);
}

static void test_inconsistent_fields_are_refused(void **state)
{
	(void)state;
	struct snapshot_header h = sample(1);
	h.payload_bytes += 512;
	assert_refused(h);
	h = sample(1);
	h.arena_bytes += 1;
	h.payload_bytes += 1;
	assert_refused(h);
	h = sample(1);
	h.live_bytes = h.arena_bytes + 1;
	assert_refused(h);
	h = sample(1);
	h.name[0] = '\0';
	assert_refused(h);
	h = sample(1);
	h.source[0] = '\x01';
	assert_refused(h);
}

static void test_newer_format_is_reported(void **state)
{
	(void)state;
	uint8_t buf[SNAPSHOT_HEADER_BYTES];
	struct snapshot_header h = sample(1), out;
	snapshot_header_encode(&h, buf);
	buf[8] = SNAPSHOT_FORMAT + 1;
	uint64_t hash = xxh64(buf, SNAPSHOT_HEADER_BYTES - 8, 0);
	memcpy(buf + SNAPSHOT_HEADER_BYTES - 8, &hash, 8);
	assert_int_equal(snapshot_header_decode(buf, &out), SNAPSHOT_EVERSION);
}

static void test_pick(void **state)
{
	(void)state;
	struct snapshot_header h[2] = {sample(5), sample(6)};
	unsigned newest, target;
	int both[2] = {SNAPSHOT_OK, SNAPSHOT_OK};
	assert_true(snapshot_pick(both, h, &newest, &target));
	assert_int_equal(newest, 1);
	assert_int_equal(target, 0);
	h[0].seq = 9;
	assert_true(snapshot_pick(both, h, &newest, &target));
	assert_int_equal(newest, 0);
	assert_int_equal(target, 1);

	int only1[2] = {SNAPSHOT_ECORRUPT, SNAPSHOT_OK};
	assert_true(snapshot_pick(only1, h, &newest, &target));
	assert_int_equal(newest, 1);
	assert_int_equal(target, 0);
	int only0[2] = {SNAPSHOT_OK, SNAPSHOT_EMPTY};
	assert_true(snapshot_pick(only0, h, &newest, &target));
	assert_int_equal(newest, 0);
	assert_int_equal(target, 1);
	int none[2] = {SNAPSHOT_EMPTY, SNAPSHOT_ECORRUPT};
	assert_false(snapshot_pick(none, h, &newest, &target));
	assert_int_equal(target, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_format_3_reads_without_a_window),
	    cmocka_unit_test(test_every_bit_flip_is_caught),
	    cmocka_unit_test(test_torn_header_is_caught),
	    cmocka_unit_test(test_cleared_header_is_empty),
	    cmocka_unit_test(test_inconsistent_fields_are_refused),
	    cmocka_unit_test(test_newer_format_is_reported),
	    cmocka_unit_test(test_format_1_reads_without_caps),
	    cmocka_unit_test(test_pick),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
