/*
 * An app's memory: its loaded image and its arena, both in a virtual
 * address range of its own (a slot), so that freeing, accounting and later
 * snapshots are exact: everything the app owns is inside its slot.
 *
 *   slot base                 the image (ELF segments), up to 1 GiB,
 *                             mapped W^X: code read+execute, data
 *                             read+write+no-execute, rodata read-only
 *   slot base + 1 GiB         the arena: pages mapped on demand as the
 *                             app's TLSF heap grows (ctx->calloc)
 *
 * Memory is zeroed when handed out (calloc semantics) and every frame is
 * returned to the pmm when the app goes (app_memory_release).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/tlsf.h"
#include "runtime/elf.h"

#define APP_SLOTS	32
#define APP_SLOT_SIZE	(64ull << 30)
#define APP_REGION_BASE 0xffff900000000000ull
#define APP_IMAGE_MAX	(1ull << 30)
#define APP_ARENA_MAX	(APP_SLOT_SIZE - APP_IMAGE_MAX)

struct app_memory {
	unsigned slot;
	uintptr_t base;	      /* the slot's first address: the image */
	uint64_t image_pages; /* mapped image pages */
	uintptr_t arena_top;  /* first unmapped arena address */
	uint64_t arena_pages; /* mapped arena pages */
	uint64_t live_bytes;  /* usable bytes of the app's live blocks */
	uint64_t live_allocs;
	uint64_t limit;	 /* live_bytes may not grow past it (the quota) */
	bool over_limit; /* the last refusal was logged; quiet until a success */
	struct tlsf heap;
};

/* Claim a free slot; false when all APP_SLOTS are in use. */
bool app_memory_init(struct app_memory *m);

/* Claim slot `slot` (a snapshot's addresses belong to it); false when taken. */
bool app_memory_init_slot(struct app_memory *m, unsigned slot);

/*
 * For a restore: map `bytes` (a multiple of the page size) of fresh arena
 * at the arena's start, as the saved app had it. The caller then fills it
 * and the heap control block. 0, or negative (no memory, or an arena is
 * already mapped).
 */
int app_memory_map_arena(struct app_memory *m, uint64_t bytes);

/*
 * Map and fill the image planned by elf_plan() from file; on success
 * *entry is the entry point's address. 0, or negative (no memory).
 */
int app_memory_load(struct app_memory *m, const void *file, const struct elf_plan *plan,
		    uintptr_t *entry);

/*
 * Zeroed memory from the arena, or NULL (bad alignment, out of memory, or
 * over the app's limit: the first refusal of a run of them is logged).
 */
void *app_memory_alloc(struct app_memory *m, size_t size, size_t align);

/* Return arena memory; false (nothing changed) when p is not a live block. */
bool app_memory_free(struct app_memory *m, void *p);

/* Drop the image (for a restart that keeps the arena); the slot stays. */
void app_memory_unload(struct app_memory *m);

/* The default quota: a quarter of the RAM the kernel manages. */
uint64_t app_memory_default_limit(void);

/* Unmap and free everything, and give the slot back. */
void app_memory_release(struct app_memory *m);

/* Pages (image + arena) all apps hold together. */
uint64_t app_memory_total_pages(void);
