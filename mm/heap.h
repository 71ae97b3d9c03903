/*
 * The kernel heap: kmalloc/kfree over a TLSF allocator (mm/tlsf.c) that
 * grows by whole buddy blocks from the pmm, reached through the direct map.
 * O(1) per call except when it grows. For the kernel's own objects only:
 * apps allocate from their own arenas.
 */
#pragma once

#include <stddef.h>

#include "mm/tlsf.h"

void heap_init(void);

/* 16-byte aligned memory, or NULL when RAM is exhausted. */
void *kmalloc(size_t size);
void *kmalloc_aligned(size_t size, size_t align);
void *kzalloc(size_t size);
void kfree(void *p);

void heap_stats(struct tlsf_stats *out);
int heap_check(void);
