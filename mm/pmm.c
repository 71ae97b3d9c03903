/*
 * Physical memory manager; see pmm.h.
 *
 * Boot sequence: find the RAM end, carve the buddy metadata (one byte per
 * frame) out of the first large-enough free range below 4 GiB, then give
 * every available range to the buddy allocator after cutting out what is
 * in use. Ranges above 4 GiB wait for pmm_add_high_memory().
 */
#include "mm/pmm.h"

#include <stdbool.h>

#include "arch/x86_64/boot_layout.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "lib/string.h"
#include "mm/vmm.h"

#define LOW_LIMIT    (4ull << 30)
#define MAX_RESERVED (MB2_MAX_MODULES + 4)

struct range {
	uint64_t start, end;
};

static struct buddy buddy;
static const struct boot_info *boot;
static struct range reserved[MAX_RESERVED];
static int reserved_count;
static uint64_t ram_end;

extern char __kernel_end[];

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static void reserve(uint64_t start, uint64_t end)
{
	if (reserved_count == MAX_RESERVED) {
		panic("pmm: too many reserved ranges");
	}
	reserved[reserved_count++] =
	    (struct range){start & ~(uint64_t)(PAGE_SIZE - 1), align_up(end, PAGE_SIZE)};
}

static bool is_ram(uint32_t type)
{
	return type == MB2_MEMORY_AVAILABLE || type == MB2_MEMORY_ACPI_RECLAIMABLE ||
	       type == MB2_MEMORY_NVS;
}

/* Add [start, end) minus the reserved ranges, clipped to [lo, hi). */
static void add_free(uint64_t start, uint64_t end, uint64_t lo, uint64_t hi)
{
	start = align_up(start < lo ? lo : start, PAGE_SIZE);
	end = (end > hi ? hi : end) & ~(uint64_t)(PAGE_SIZE - 1);
	for (int i = 0; i < reserved_count && start < end; i++) {
		struct range r = reserved[i];
		if (r.end <= start || r.start >= end) {
			continue;
		}
		if (r.start > start) {
			add_free(start, r.start, lo, hi);
		}
		start = r.end;
	}
	if (start < end && buddy_add_range(&buddy, start, end) != 0) {
		panic("pmm: memory map range %#llx-%#llx overlaps another",
		      (unsigned long long)start, (unsigned long long)end);
	}
}

static void add_available(uint64_t lo, uint64_t hi)
{
	for (size_t i = 0; i < boot->mmap_count; i++) {
		const struct boot_mmap_entry *e = &boot->mmap[i];
		if (e->type == MB2_MEMORY_AVAILABLE) {
			add_free(e->base, e->base + e->length, lo, hi);
		}
	}
}

/* The buddy metadata goes into the first free range below 4 GiB that fits. */
static uint64_t place_metadata(uint64_t bytes)
{
	for (size_t i = 0; i < boot->mmap_count; i++) {
		const struct boot_mmap_entry *e = &boot->mmap[i];
		uint64_t start = align_up(e->base, PAGE_SIZE), end = e->base + e->length;
		if (e->type != MB2_MEMORY_AVAILABLE) {
			continue;
		}
		for (int r = 0; r < reserved_count; r++) {
			if (reserved[r].start < start + bytes && reserved[r].end > start) {
				start = reserved[r].end; /* retry right after it */
				r = -1;
			}
		}
		if (start + bytes <= end && start + bytes <= LOW_LIMIT) {
			return start;
		}
	}
	panic("pmm: no room for %llu bytes of frame metadata", (unsigned long long)bytes);
}

void pmm_init(const struct boot_info *info, uint64_t mbi_phys)
{
	boot = info;
	for (size_t i = 0; i < info->mmap_count; i++) {
		const struct boot_mmap_entry *e = &info->mmap[i];
		if (is_ram(e->type) && e->base + e->length > ram_end) {
			ram_end = e->base + e->length;
		}
	}
	ram_end = align_up(ram_end, 2u << 20);

	reserve(0, 1u << 20); /* firmware data, and room for later AP trampolines */
	reserve(KERNEL_PHYS_BASE, (uint64_t)__kernel_end - KERNEL_VMA);
	reserve(mbi_phys, mbi_phys + info->total_size); /* its strings stay in use */
	for (size_t i = 0; i < info->module_count; i++) {
		reserve(info->modules[i].start, info->modules[i].end);
	}
	uint64_t meta_bytes = align_up(buddy_meta_bytes(ram_end), PAGE_SIZE);
	uint64_t meta = place_metadata(meta_bytes);
	reserve(meta, meta + meta_bytes);

	buddy_init(&buddy, ram_end, phys_to_virt(meta));
	add_available(0, LOW_LIMIT);
	log_info("pmm", "%llu MiB free of %llu MiB RAM below 4 GiB, frame metadata %llu KiB",
		 (unsigned long long)(pmm_free_bytes() >> 20), (unsigned long long)(ram_end >> 20),
		 (unsigned long long)(meta_bytes >> 10));
}

void pmm_add_high_memory(void)
{
	if (ram_end > LOW_LIMIT) {
		add_available(LOW_LIMIT, ram_end);
		log_info("pmm", "%llu MiB free in total",
			 (unsigned long long)(pmm_free_bytes() >> 20));
	}
}

uint64_t pmm_alloc_raw(unsigned order)
{
	return buddy_alloc(&buddy, order);
}

uint64_t pmm_alloc(unsigned order)
{
	uint64_t phys = pmm_alloc_raw(order);
	if (phys != BUDDY_NO_MEMORY) {
		memset(phys_to_virt(phys), 0, (size_t)PAGE_SIZE << order);
	}
	return phys;
}

void pmm_free(uint64_t phys, unsigned order)
{
	int err = buddy_free(&buddy, phys, order);
	if (err != 0) {
		panic("pmm: bad free of %#llx order %u (%d)", (unsigned long long)phys, order, err);
	}
}

uint64_t pmm_free_bytes(void)
{
	return buddy_free_pages(&buddy) * PAGE_SIZE;
}

uint64_t pmm_total_bytes(void)
{
	return buddy_total_pages(&buddy) * PAGE_SIZE;
}

uint64_t pmm_ram_end(void)
{
	return ram_end;
}

const struct buddy *pmm_buddy(void)
{
	return &buddy;
}
