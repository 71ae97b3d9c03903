/*
 * The log-linear histogram; see hist.h.
 *
 * Bucket index of a value v >= 2 * SUB: with e = floor(log2 v) and
 * shift = e - SUB_BITS, the top SUB_BITS + 1 bits of v are SUB + s
 * (s < SUB), and the index is (shift + 1) * SUB + s. Values below 2 * SUB
 * are their own index (shift 0 covers [SUB, 2 * SUB) exactly), so the
 * mapping is monotonic and buckets never overlap.
 */
#include "lib/hist.h"

static unsigned bucket_of(uint64_t v)
{
	if (v < 2 * HIST_SUB) {
		return (unsigned)v;
	}
	unsigned shift = 63 - (unsigned)__builtin_clzll(v) - HIST_SUB_BITS;
	return (shift + 1) * HIST_SUB + (unsigned)((v >> shift) & (HIST_SUB - 1));
}

/* The smallest value in bucket i, and the bucket's width. */
static uint64_t bucket_low(unsigned i, uint64_t *width)
{
	if (i < 2 * HIST_SUB) {
		*width = 1;
		return i;
	}
	unsigned shift = i / HIST_SUB - 1;
	*width = (uint64_t)1 << shift;
	return (uint64_t)(HIST_SUB + i % HIST_SUB) << shift;
}

void hist_reset(struct hist *h)
{
	h->count = h->min = h->max = 0;
	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		h->buckets[i] = 0;
	}
}

void hist_add(struct hist *h, uint64_t value)
{
	if (h->count == UINT32_MAX) {
		return; /* no bucket can overflow */
	}
	if (h->count == 0 || value < h->min) {
		h->min = value;
	}
	if (value > h->max) {
		h->max = value;
	}
	h->count++;
	h->buckets[bucket_of(value)]++;
}

uint64_t hist_quantile(const struct hist *h, unsigned per_mille)
{
	if (h->count == 0) {
		return 0;
	}
	per_mille = per_mille == 0 ? 1 : per_mille > 1000 ? 1000 : per_mille;
	uint64_t rank = (h->count * per_mille + 999) / 1000; /* 1-based, >= 1 */
	if (rank == 1 || rank == h->count) {
		return rank == 1 ? h->min : h->max; /* known exactly */
	}
	uint64_t seen = 0;
	unsigned i = 0;

	for (; i < HIST_BUCKETS - 1; i++) {
		seen += h->buckets[i];
		if (seen >= rank) {
			break;
		}
	}
	uint64_t width, low = bucket_low(i, &width);
	uint64_t mid = low + (width - 1) / 2;
	return mid < h->min ? h->min : mid > h->max ? h->max : mid;
}
