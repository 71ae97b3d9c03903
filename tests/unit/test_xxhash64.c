/*
 * tests/unit/test_xxhash64.c — host tests for lib/xxhash64.c.
 *
 * The oracle is Debian's libxxhash (the reference implementation): every
 * length from 0 to 300 and some large buffers, with several seeds, must
 * give its value, one-shot and streamed in every split and in random
 * pieces. Plus the specification's value for the empty input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <xxhash.h>

#include "lib/xxhash64.h"

static uint8_t data[1 << 20];

static void fill(void)
{
	uint64_t x = 0x1234567;
	for (size_t i = 0; i < sizeof(data); i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		data[i] = (uint8_t)(x >> 56);
	}
}

static void test_empty_is_the_spec_value(void **state)
{
	(void)state;
	assert_int_equal(xxh64("", 0, 0), 0xEF46DB3751D8E999ull);
}

static void test_every_short_length_matches_libxxhash(void **state)
{
	(void)state;
	static const uint64_t seeds[] = {0, 1, 0x9E3779B185EBCA87ull, UINT64_MAX};
	for (size_t s = 0; s < 4; s++) {
		for (size_t len = 0; len <= 300; len++) {
			assert_int_equal(xxh64(data + 3, len, seeds[s]),
					 XXH64(data + 3, len, seeds[s]));
		}
	}
}

static void test_every_split_matches_one_shot(void **state)
{
	(void)state;
	for (size_t len = 0; len <= 100; len++) {
		for (size_t cut = 0; cut <= len; cut++) {
			struct xxh64_state st;
			xxh64_init(&st, 7);
			xxh64_update(&st, data, cut);
			xxh64_update(&st, data + cut, len - cut);
			assert_int_equal(xxh64_digest(&st), XXH64(data, len, 7));
		}
	}
}

static void test_large_buffer_in_random_pieces(void **state)
{
	(void)state;
	srand(42);
	struct xxh64_state st;
	xxh64_init(&st, 0);
	size_t done = 0;
	while (done < sizeof(data)) {
		size_t piece = (size_t)rand() % 5000;
		piece = piece > sizeof(data) - done ? sizeof(data) - done : piece;
		xxh64_update(&st, data + done, piece);
		done += piece;
	}
	assert_int_equal(xxh64_digest(&st), XXH64(data, sizeof(data), 0));
	assert_int_equal(xxh64(data, sizeof(data), 0), XXH64(data, sizeof(data), 0));
}

int main(void)
{
	fill();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty_is_the_spec_value),
	    cmocka_unit_test(test_every_short_length_matches_libxxhash),
	    cmocka_unit_test(test_every_split_matches_one_shot),
	    cmocka_unit_test(test_large_buffer_in_random_pieces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
