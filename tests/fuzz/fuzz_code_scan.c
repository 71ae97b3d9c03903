/*
 * tests/fuzz/fuzz_code_scan.c — libFuzzer target for the forbidden
 * instruction scan (runtime/code_scan.c), which reads every app's code.
 *
 * The input is split into code and the bytes after it; the scan's answer
 * is compared with a plain re-statement of the rule at every offset
 * (abort() on a difference), and ASan catches any read outside the two.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/code_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool forbidden_at(const uint8_t *b, size_t n, size_t i)
{
	if (i + 1 >= n || b[i] != 0x0f) {
		return false;
	}
	uint8_t op = b[i + 1], m = i + 2 < n ? b[i + 2] : 0;
	bool mem = (m >> 6) != 3;
	return (op == 0x01 && m == 0xef) || (op == 0xae && mem && ((m >> 3) & 7) == 5) ||
	       (op == 0xc7 && mem && ((m >> 3) & 7) == 3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0) {
		return 0;
	}
	size_t len = data[0] % (size);
	size_t after_len = size - 1 - len < 2 ? size - 1 - len : 2;
	uint8_t *code = malloc(len ? len : 1), *after = malloc(after_len ? after_len : 1);
	memcpy(code, data + 1, len);
	memcpy(after, data + 1 + len, after_len);

	struct code_scan_hit hit;
	int found = code_scan(code, len, after_len ? after : NULL, after_len, &hit);
	size_t expect = SIZE_MAX;
	for (size_t i = 0; i < len && expect == SIZE_MAX; i++) {
		if (forbidden_at(data + 1, len + after_len, i)) {
			expect = i;
		}
	}
	if (found != (expect != SIZE_MAX) || (found && hit.offset != expect)) {
		abort();
	}
	free(code);
	free(after);
	return 0;
}
