/*
 * Kernel heap; see heap.h. Growth asks the pmm for the smallest buddy block
 * that holds the request (at least HEAP_GROW_MIN) and adds it as a TLSF
 * pool. Pools are never returned: the kernel's working set is small and
 * stable, and keeping them avoids grow/shrink oscillation.
 */
#include "mm/heap.h"

#include "kernel/log.h"
#include "kernel/panic.h"
#include "lib/string.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define HEAP_GROW_MIN (256u * 1024)
#define POOL_OVERHEAD 128u

static struct tlsf heap;

static unsigned order_for_bytes(size_t bytes)
{
	unsigned order = 0;
	while (((size_t)PAGE_SIZE << order) < bytes) {
		order++;
	}
	return order;
}

static bool heap_grow(size_t size, size_t align)
{
	size_t need = size + align + POOL_OVERHEAD;
	unsigned order = order_for_bytes(need < HEAP_GROW_MIN ? HEAP_GROW_MIN : need);
	if (order > BUDDY_MAX_ORDER) {
		return false;
	}
	/*
	 * Zeroed, though the heap hands out memory uninitialized: frames that
	 * once held code which ran (firmware, GRUB, an app's image) are
	 * write-tracked by an emulator (QEMU TCG) until every translated byte
	 * is overwritten, and each write to them takes a slow path until then.
	 * One memset per pool clears that; without it, code running on a heap
	 * stack was measured 50-100x slower (the first snapshot of a session).
	 */
	uint64_t phys = pmm_alloc(order);
	if (phys == PMM_NO_MEMORY) {
		return false;
	}
	if (tlsf_add_pool(&heap, phys_to_virt(phys), (size_t)PAGE_SIZE << order) != 0) {
		panic("heap: pool at %#llx refused", (unsigned long long)phys);
	}
	return true;
}

void heap_init(void)
{
	tlsf_init(&heap);
	if (!heap_grow(HEAP_GROW_MIN - POOL_OVERHEAD, 16)) {
		panic("heap: no memory for the first pool");
	}
	log_info("heap", "kernel heap ready (TLSF, grows by buddy blocks of >= %u KiB)",
		 HEAP_GROW_MIN / 1024);
}

void *kmalloc_aligned(size_t size, size_t align)
{
	void *p = tlsf_alloc(&heap, size, align);
	if (p == NULL && size <= TLSF_MAX_ALLOC && heap_grow(size, align)) {
		p = tlsf_alloc(&heap, size, align);
	}
	return p;
}

void *kmalloc(size_t size)
{
	return kmalloc_aligned(size, TLSF_MIN_ALIGN);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p != NULL) {
		memset(p, 0, size);
	}
	return p;
}

void kfree(void *p)
{
	int err = tlsf_free(&heap, p);
	if (err != 0) {
		panic("heap: bad kfree(%p): %d", p, err);
	}
}

void heap_stats(struct tlsf_stats *out)
{
	tlsf_get_stats(&heap, out);
}

int heap_check(void)
{
	return tlsf_check(&heap);
}
