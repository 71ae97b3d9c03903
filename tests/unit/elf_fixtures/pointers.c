/*
 * tests/unit/elf_fixtures/pointers.c — an app whose data holds absolute
 * addresses: a table of strings and a table of functions. Linked as a
 * static-pie each entry needs an R_X86_64_RELATIVE relocation; linked with
 * the original Fomos build line (ET_EXEC) the entries keep their link-time
 * values, the limitation docs/app-binaries.md describes.
 *
 * test_elf.c loads it at a foreign address and calls _start with ctx
 * pointing to a uint32_t n: it returns bias + the sum over i < n of
 * ops[i % 2](length(words[i % 4])) + the number of calls so far.
 * For n = 4: 1000 + (10 + 7 + 10 + 8) + 1 = 1036 at the first call.
 */
#include <stdint.h>

static int32_t twice(int32_t v)
{
	return 2 * v;
}

static int32_t plus_three(int32_t v)
{
	return v + 3;
}

/* Not static, so that no compiler can fold the tables away. */
const char *words[] = {"alpha", "beta", "gamma", "delta"};
int32_t (*ops[])(int32_t) = {twice, plus_three};
int32_t bias = 1000;  /* .data */
static int32_t calls; /* .bss */

static int32_t length(const char *s)
{
	int32_t n = 0;

	while (s[n] != 0) {
		n++;
	}
	return n;
}

int32_t _start(void *ctx)
{
	uint32_t n = *(const uint32_t *)ctx;
	int32_t sum = bias;

	for (uint32_t i = 0; i < n; i++) {
		sum += ops[i % 2](length(words[i % 4]));
	}
	calls++;
	return sum + calls;
}
