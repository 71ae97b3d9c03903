/*
 * tests/unit/elf_fixtures/bss.c — an app with 1 MiB of BSS, most of its
 * image. Each call adds up one byte per page of `big` and then sets those
 * bytes to 1, so the first call returns 1 exactly when the loader zeroed
 * the BSS (test_elf.c fills the memory with junk first) and the second
 * returns 256 + 2.
 */
#include <stdint.h>

static uint8_t big[1 << 20];
static uint32_t rounds;

int32_t _start(void *ctx)
{
	uint32_t sum = 0;

	(void)ctx;
	for (uint32_t i = 0; i < sizeof(big); i += 4096) {
		sum += big[i];
		big[i] = 1;
	}
	rounds++;
	return (int32_t)(sum + rounds);
}
