/*
 * An app's memory: everything it may touch of its own lies in a virtual
 * address range of its own (a slot), so that freeing, accounting, checking
 * a pointer it passes and snapshots are exact. All of it is user memory
 * (the app runs in ring 3), no page writable and executable at once:
 *
 *   slot base                 the image (ELF segments), up to 1 GiB,
 *                             mapped W^X: code read+execute, data
 *                             read+write+no-execute, rodata read-only
 *   slot base + 1 GiB         the arena: pages mapped on demand as the
 *                             app's heap grows (ctx->calloc); the
 *                             heap's bookkeeping is kernel memory
 *                             (mm/arena_heap.h), none of it here
 *   ...                       unmapped: at least 1 MiB below the stack, so
 *                             a runaway recursion faults
 *   stack top - 1 MiB         the app's own stack, mapped page by page as
 *                             it grows (app_memory_grow_stack)
 *   stack top = slot end - 4K the call page: the Context the app's call
 *                             gets and the store cell ctx->store points to
 *
 * Memory is zeroed when handed out (calloc semantics) and every frame is
 * returned to the pmm when the app goes (app_memory_release). The kernel
 * reaches the arena only inside user_access_begin/end
 * (arch/x86_64/user_access.h), the call page through its direct-map alias.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/pmm.h"
#include "mm/arena_heap.h"
#include "runtime/elf.h"

/*
 * Slots. The first APP_LARGE_SLOTS are 64 GiB each in the kernel's half,
 * at the addresses every earlier Fomos gave its apps (their snapshots
 * restore in place); the rest are 4 GiB each in the lower half, 32512 of
 * them. A minimal app costs ~44 KiB of frames and page tables, so memory
 * runs out long before the slots do (at 512 MiB, after ~10000 apps):
 * the number of apps is bounded by RAM, not by a table.
 */
#define APP_LARGE_SLOTS	    256u
#define APP_LARGE_SLOT_SIZE (64ull << 30)
#define APP_REGION_BASE	    0xffff900000000000ull
#define APP_SMALL_SLOT_SIZE (4ull << 30)
#define APP_SMALL_BASE	    (1ull << 40) /* the low terabyte stays unmapped (NULL and near it) */
#define APP_SMALL_SLOTS	    ((0x0000800000000000ull - APP_SMALL_BASE) / APP_SMALL_SLOT_SIZE)
#define APP_SLOTS	    (APP_LARGE_SLOTS + APP_SMALL_SLOTS)
#define APP_IMAGE_MAX	    (1ull << 30)
#define APP_STACK_MAX	    (1ull << 20)
#define APP_STACK_GAP	    (1ull << 20) /* unmapped, below the stack */

struct app_memory {
	unsigned slot;
	uintptr_t base;	      /* the slot's first address: the image */
	uint64_t size;	      /* the slot's bytes: its last page is the call page */
	uint64_t image_pages; /* mapped image pages */
	uintptr_t arena_top;  /* first unmapped arena address */
	uint64_t arena_pages; /* mapped arena pages */
	uint64_t stack_pages; /* mapped stack pages, at the top of the stack range */
	uint64_t call_page;   /* physical frame of the call page, 0 until loaded */
	unsigned pkey;	      /* the protection key its pages carry (APP_KEY_PARKED: none) */
	uint64_t live_bytes;  /* usable bytes of the app's live blocks */
	uint64_t live_allocs;
	uint64_t limit;	 /* live_bytes may not grow past it (the quota) */
	bool over_limit; /* the last refusal was logged; quiet until a success */
	struct arena_heap heap;
};

/*
 * Protection keys (arch/x86_64/pkeys.h, docs/isolation.md): key 0 tags
 * what all apps share (runtime/app_shared.h); keys 1..14 go to apps as
 * they run, and when a 15th app needs one, the app that ran least
 * recently loses its key: its pages are re-tagged APP_KEY_PARKED, a key
 * no app's PKRU opens. Getting or losing a key re-tags every mapped page
 * of the slot; an app with a key is run at the cost of one PKRU write.
 */
#define APP_KEY_SHARED 0
#define APP_KEY_FIRST  1
#define APP_KEY_PARKED 15

/*
 * m is about to run: give it a key if it has none. Returns the PKRU that
 * opens its key and the shared one, and nothing else (0 without PKU).
 */
uint32_t app_memory_enter(struct app_memory *m);

struct app_key_stats {
	uint64_t handed;	 /* keys given to apps that had none */
	uint64_t evictions;	 /* of those, keys taken from another app for it */
	uint64_t pages_retagged; /* pages re-tagged, both ways */
	uint64_t retag_ns;	 /* time spent re-tagging, in all */
};

void app_memory_key_stats(struct app_key_stats *out);

/* The most the arena may grow to in m's slot. */
static inline uint64_t app_memory_arena_max(const struct app_memory *m)
{
	return m->size - PAGE_SIZE - APP_STACK_MAX - APP_STACK_GAP - APP_IMAGE_MAX;
}

/* Claim a free slot, the lowest; false when all APP_SLOTS are in use. */
bool app_memory_init(struct app_memory *m);

/* Claim slot `slot` (a snapshot's addresses belong to it); false when taken. */
bool app_memory_init_slot(struct app_memory *m, unsigned slot);

/*
 * For a restore: map `bytes` (a multiple of the page size) of fresh arena
 * at the arena's start, as the saved app had it, all of it free. Its
 * frames are not zeroed (16 MiB cost 6 ms under TCG): the caller
 * overwrites every byte of it before the app runs, or discards the app.
 * It then claims the live blocks. 0, or negative (no memory, or an arena
 * is already mapped).
 */
int app_memory_map_arena(struct app_memory *m, uint64_t bytes);

/* For a restore: [p, p + size) was a live block; 0, or -1 (it cannot have been). */
int app_memory_claim(struct app_memory *m, uintptr_t p, uint64_t size);

/*
 * Map and fill the image planned by elf_plan() from file, and the call
 * page if there is none yet; on success *entry is the entry point's
 * address. The code, once relocated, must hold none of the instructions
 * of runtime/code_scan.h. 0; APP_MEMORY_ENOMEM; or APP_MEMORY_EFORBIDDEN
 * with the reason in why (nothing stays mapped of the image).
 */
#define APP_MEMORY_ENOMEM     (-1)
#define APP_MEMORY_EFORBIDDEN (-2)
int app_memory_load(struct app_memory *m, const void *file, const struct elf_plan *plan,
		    uintptr_t *entry, char *why, size_t why_len);

/*
 * Zeroed memory from the arena, or NULL (bad alignment, out of memory, or
 * over the app's limit, which counts each block's bookkeeping too: the
 * first refusal of a run of them is logged).
 */
void *app_memory_alloc(struct app_memory *m, size_t size, size_t align);

/* Return arena memory; false (nothing changed) when p is not a live block. */
bool app_memory_free(struct app_memory *m, void *p);

/* The call page: the kernel's alias of it, and the address the app sees. */
void *app_memory_call_page(const struct app_memory *m);
uintptr_t app_memory_call_page_user(const struct app_memory *m);

/* The app's stack pointer at the start of a call (16-byte aligned). */
uintptr_t app_memory_stack_top(const struct app_memory *m);

/*
 * The app touched address `va` in its stack range below what is mapped:
 * map it (and everything between), zeroed. False when va is not in the
 * stack range or memory ran out: the app's fault stands.
 */
bool app_memory_grow_stack(struct app_memory *m, uintptr_t va);

/* [p, p + len) lies inside m's slot (not necessarily mapped). */
bool app_memory_owns_range(const struct app_memory *m, uintptr_t p, size_t len);

/* va is in the gap below the stack: what a stack overflow touches. */
bool app_memory_in_stack_gap(const struct app_memory *m, uintptr_t va);

/*
 * For a device moving app memory itself (a snapshot streams the arena to
 * and from the disk): the kernel's direct-map address of va, and in
 * *bytes how much from va on (at most len) lies in physically
 * consecutive frames. [va, va + len) must be mapped memory of m's slot,
 * as for app_memory_read.
 */
void *app_memory_direct(const struct app_memory *m, uintptr_t va, size_t len, size_t *bytes);

/*
 * The kernel's own access to an app's mapped memory (snapshots, the
 * benchmark), for code that must not hold user access across a pause:
 * copy len bytes at app address va out to dst, or in from src.
 */
void app_memory_read(const struct app_memory *m, uintptr_t va, void *dst, size_t len);
void app_memory_write(struct app_memory *m, uintptr_t va, const void *src, size_t len);

/* The heap's bookkeeping is consistent (a restore's last check). */
bool app_memory_heap_sane(const struct app_memory *m);

/* Drop the image (for a restart that keeps the arena); the slot stays. */
void app_memory_unload(struct app_memory *m);

/* The default quota: a quarter of the RAM the kernel manages. */
uint64_t app_memory_default_limit(void);

/* Unmap and free everything, and give the slot and its key back. */
void app_memory_release(struct app_memory *m);

/* Pages (image, arena, stack, call page) all apps hold together. */
uint64_t app_memory_total_pages(void);
