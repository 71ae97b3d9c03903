/*
 * tests/unit/elf_fixtures/plain.c — an app like the original Fomos test
 * app: position-independent code, data reached only RIP-relative, no
 * absolute address anywhere. Built with the original build line
 * (gcc -nostdlib -static -fPIE -pie) it is an ET_EXEC without relocations
 * that still runs at any address; test_elf.c checks exactly that.
 *
 * ctx points to a uint32_t n; returns 1 + 2 + ... + n plus 1000 times the
 * number of calls so far (state kept in .data).
 */
#include <stdint.h>

static int32_t calls = 0x100; /* .data, not .bss */

int32_t _start(void *ctx)
{
	uint32_t n = *(const uint32_t *)ctx;
	int32_t squares[8];
	int32_t sum = 0;

	for (uint32_t i = 0; i < 8; i++) {
		squares[i] = (int32_t)(i + 1);
	}
	for (uint32_t i = 0; i < n && i < 8; i++) {
		sum += squares[i];
	}
	calls++;
	return sum + 1000 * (calls - 0x100);
}
