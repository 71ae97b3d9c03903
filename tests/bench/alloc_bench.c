/*
 * tests/bench/alloc_bench.c — the kernel's allocators against glibc, on the
 * host, on one recorded workload.
 *
 * What: the real mm/tlsf.c (over one 256 MiB mmap'd pool) and glibc
 * malloc/free replay the same fixed-seed trace of 2,000,000 byte-granular
 * operations; the real mm/buddy.c and glibc aligned_alloc(4096, pages * 4096)
 * replay the same page-granular trace.
 *
 * Why: ops/s alone says little on a shared, noisy machine. glibc running the
 * identical trace in the same process, interleaved with our allocator, is a
 * reference that sees the same machine and the same noise, so the ratio of
 * the two (tools/bench.py prints it) is the figure worth reading.
 *
 * How: each trace is recorded once. An operation either allocates into an
 * empty slot or frees a full one, slots chosen at random, so the live set
 * stays near half the slots. Byte sizes: 70% 16..256 B, 25% 256 B..8 KiB,
 * 5% 8..64 KiB (log-uniform above 256); alignment 16, or for 10% a power of
 * two in 32..4096. Pages: 50% 1, 30% 2..4, 15% 5..16, 5% 17..64. Every
 * allocator writes one word into each block it hands out, as a caller would,
 * and starts each replay empty (the leftovers are freed, untimed). One
 * untimed round faults in the memory; then RUNS rounds replay A B C D,
 * A B C D, ... so drift in the machine's load spreads over all four. glibc
 * is told to keep its memory (no trimming, no mmap per block), as our
 * allocators keep their pools: the algorithms are compared, not page faults.
 *
 * Output, one stdout line per replay (human text on stderr):
 *   bench: name=alloc_tlsf ops=2000000 runs=7 median_ops_s=N min_ops_s=N max_ops_s=N
 * and the same for alloc_glibc, alloc_buddy, alloc_glibc_pages. Higher is
 * faster; min_ops_s is the slowest of the runs, the tail. Exit status 1 if
 * any allocator refuses a request (the pools are far larger than the live
 * set, so a refusal is a bug, and its timing would mean nothing).
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "mm/buddy.h"
#include "mm/tlsf.h"
#include "tests/bench/bench.h"

#define OPS	   2000000u
#define RUNS	   7
#define BYTE_SLOTS 32768u /* ~16k live blocks, ~35 MiB */
#define PAGE_SLOTS 4096u  /* ~2k live blocks, ~45 MiB of 2^order blocks */
#define POOL_BYTES ((size_t)256 << 20)

/* One recorded operation: size 0 frees the slot, otherwise allocates into it. */
struct op {
	uint32_t slot;
	uint32_t size;	/* bytes */
	uint16_t align; /* bytes, a power of two */
	uint16_t order; /* page trace: the buddy order holding size */
};

static uint64_t rng_next(uint64_t *s) /* splitmix64 */
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint32_t rng_range(uint64_t *s, uint32_t lo, uint32_t hi) /* [lo, hi] */
{
	return lo + (uint32_t)(rng_next(s) % (hi - lo + 1));
}

/* Log-uniform in [lo, hi), both powers of two: as many per octave. */
static uint32_t rng_log(uint64_t *s, uint32_t lo, uint32_t hi)
{
	unsigned e =
	    (unsigned)rng_range(s, (uint32_t)__builtin_ctz(lo), (uint32_t)__builtin_ctz(hi) - 1);

	return rng_range(s, 1u << e, (2u << e) - 1);
}

static void pick_bytes(uint64_t *s, struct op *o)
{
	uint32_t r = (uint32_t)(rng_next(s) % 100);

	if (r < 70) {
		o->size = rng_range(s, 16, 256);
	} else if (r < 95) {
		o->size = rng_log(s, 256, 8192);
	} else {
		o->size = rng_log(s, 8192, 65536);
	}
	r = (uint32_t)(rng_next(s) % 100);
	o->align = (uint16_t)(r < 90 ? 16 : 32u << (r % 8)); /* 32 .. 4096 */
}

static void pick_pages(uint64_t *s, struct op *o)
{
	uint32_t r = (uint32_t)(rng_next(s) % 100);
	uint32_t pages = 1;

	if (r >= 95) {
		pages = rng_range(s, 17, 64);
	} else if (r >= 80) {
		pages = rng_range(s, 5, 16);
	} else if (r >= 50) {
		pages = rng_range(s, 2, 4);
	}
	o->size = pages * (uint32_t)BUDDY_PAGE_SIZE;
	o->align = (uint16_t)BUDDY_PAGE_SIZE;
	o->order = (uint16_t)buddy_order_for_pages(pages);
}

static struct op *record(uint64_t seed, uint32_t nslots, void (*pick)(uint64_t *, struct op *))
{
	struct op *ops = malloc(OPS * sizeof(*ops));
	bool *full = calloc(nslots, sizeof(*full));

	if (ops == NULL || full == NULL) {
		perror("alloc_bench: trace");
		exit(1);
	}
	for (uint32_t i = 0; i < OPS; i++) {
		struct op *o = &ops[i];

		*o = (struct op){.slot = (uint32_t)(rng_next(&seed) % nslots)};
		if (!full[o->slot]) {
			pick(&seed, o);
		}
		full[o->slot] = !full[o->slot];
	}
	free(full);
	return ops;
}

static unsigned failures; /* frees refused; checked after the runs */

static _Noreturn void refused(uint32_t op)
{
	fprintf(stderr, "alloc_bench: allocation refused at op %u\n", op);
	exit(1);
}

/* The live blocks by slot: the caller's own bookkeeping, reused by every replay. */
static void *slot_ptr[BYTE_SLOTS];
static uint64_t slot_phys[PAGE_SLOTS];
static unsigned slot_order[PAGE_SLOTS];

/* Each replay returns its timed nanoseconds; the drain after it is untimed. */
static uint64_t replay_tlsf(const struct op *ops, struct tlsf *t)
{
	uint64_t t0 = bench_now_ns();

	for (uint32_t i = 0; i < OPS; i++) {
		const struct op *o = &ops[i];

		if (o->size == 0) {
			failures += tlsf_free(t, slot_ptr[o->slot]) != 0;
			slot_ptr[o->slot] = NULL;
			continue;
		}
		uint64_t *p = tlsf_alloc(t, o->size, o->align);

		if (p == NULL) {
			refused(i);
		}
		*p = i;
		slot_ptr[o->slot] = p;
	}
	uint64_t dt = bench_now_ns() - t0;

	for (uint32_t s = 0; s < BYTE_SLOTS; s++) {
		failures += tlsf_free(t, slot_ptr[s]) != 0;
		slot_ptr[s] = NULL;
	}
	return dt;
}

/* Either trace: nslots is the trace's slot count. */
static uint64_t replay_glibc(const struct op *ops, uint32_t nslots)
{
	uint64_t t0 = bench_now_ns();

	for (uint32_t i = 0; i < OPS; i++) {
		const struct op *o = &ops[i];

		if (o->size == 0) {
			free(slot_ptr[o->slot]);
			slot_ptr[o->slot] = NULL;
			continue;
		}
		uint64_t *p = o->align <= 16 ? malloc(o->size) : aligned_alloc(o->align, o->size);

		if (p == NULL) {
			refused(i);
		}
		*p = i;
		slot_ptr[o->slot] = p;
	}
	uint64_t dt = bench_now_ns() - t0;

	for (uint32_t s = 0; s < nslots; s++) {
		free(slot_ptr[s]);
		slot_ptr[s] = NULL;
	}
	return dt;
}

/* Frames are at virtual address phys + base, base the start of the mapping. */
static uint64_t replay_buddy(const struct op *ops, struct buddy *b, uint8_t *base)
{
	uint64_t t0 = bench_now_ns();

	for (uint32_t i = 0; i < OPS; i++) {
		const struct op *o = &ops[i];

		if (o->size == 0) {
			failures += buddy_free(b, slot_phys[o->slot], slot_order[o->slot]) != 0;
			slot_phys[o->slot] = BUDDY_NO_MEMORY;
			continue;
		}
		uint64_t phys = buddy_alloc(b, o->order);

		if (phys == BUDDY_NO_MEMORY) {
			refused(i);
		}
		*(uint64_t *)(base + phys) = i;
		slot_phys[o->slot] = phys;
		slot_order[o->slot] = o->order;
	}
	uint64_t dt = bench_now_ns() - t0;

	for (uint32_t s = 0; s < PAGE_SLOTS; s++) {
		if (slot_phys[s] != BUDDY_NO_MEMORY) {
			failures += buddy_free(b, slot_phys[s], slot_order[s]) != 0;
			slot_phys[s] = BUDDY_NO_MEMORY;
		}
	}
	return dt;
}

static void *map_pool(void)
{
	void *p =
	    mmap(NULL, POOL_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("alloc_bench: mmap");
		exit(1);
	}
	return p;
}

static void report(const char *name, uint64_t ns[RUNS])
{
	uint64_t ops_s[RUNS];

	for (int r = 0; r < RUNS; r++) {
		ops_s[r] = (uint64_t)((double)OPS * 1e9 / (double)ns[r]);
	}
	bench_sort_u64(ops_s, RUNS);
	printf("bench: name=%s ops=%u runs=%d median_ops_s=%llu min_ops_s=%llu max_ops_s=%llu\n",
	       name, OPS, RUNS, (unsigned long long)bench_pct_u64(ops_s, RUNS, 50),
	       (unsigned long long)ops_s[0], (unsigned long long)ops_s[RUNS - 1]);
	fprintf(stderr, "%-18s median %6.1f ns/op (%llu ops/s)\n", name,
		1e9 / (double)bench_pct_u64(ops_s, RUNS, 50),
		(unsigned long long)bench_pct_u64(ops_s, RUNS, 50));
}

int main(void)
{
	static struct tlsf t;
	static struct buddy b;
	static uint8_t meta[POOL_BYTES / BUDDY_PAGE_SIZE * 9 + 8] __attribute__((aligned(8)));
	uint64_t ns[4][RUNS];
	struct op *bytes = record(0xa110c, BYTE_SLOTS, pick_bytes);
	struct op *pages = record(0x9a6e5, PAGE_SLOTS, pick_pages);
	uint8_t *frames = map_pool();

	mallopt(M_TRIM_THRESHOLD, 1 << 30);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	tlsf_init(&t);
	if (sizeof(meta) < buddy_meta_bytes(POOL_BYTES) ||
	    tlsf_add_pool(&t, map_pool(), POOL_BYTES) != 0 ||
	    buddy_init(&b, POOL_BYTES, meta) != 0 || buddy_add_range(&b, 0, POOL_BYTES) != 0) {
		fprintf(stderr, "alloc_bench: pool setup failed\n");
		return 1;
	}
	for (uint32_t s = 0; s < PAGE_SLOTS; s++) {
		slot_phys[s] = BUDDY_NO_MEMORY;
	}
	for (int r = -1; r < RUNS; r++) { /* round -1: warm-up, not kept */
		uint64_t d[4];

		d[0] = replay_tlsf(bytes, &t);
		d[1] = replay_glibc(bytes, BYTE_SLOTS);
		d[2] = replay_buddy(pages, &b, frames);
		d[3] = replay_glibc(pages, PAGE_SLOTS);

		for (int k = 0; r >= 0 && k < 4; k++) {
			ns[k][r] = d[k];
		}
	}
	if (failures != 0 || tlsf_check(&t) != 0 || buddy_check(&b) != 0) {
		fprintf(stderr, "alloc_bench: %u frees refused, or a check failed\n", failures);
		return 1;
	}
	report("alloc_tlsf", ns[0]);
	report("alloc_glibc", ns[1]);
	report("alloc_buddy", ns[2]);
	report("alloc_glibc_pages", ns[3]);
	return 0;
}
