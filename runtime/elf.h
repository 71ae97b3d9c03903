/*
 * runtime/elf.h — the pure part of the app loader: check an ELF file, plan its
 * image, relocate it.
 *
 * An app is an ELF64 x86-64 file (docs/design.md §3, docs/app-binaries.md):
 * ET_DYN from -static-pie with R_X86_64_RELATIVE relocations, or the ET_EXEC
 * that the original Fomos build line produces (PIC code, no relocations).
 * Loading it is split the seL4 way:
 *
 *   decode  elf_plan() reads only the file, checks everything, and fills a
 *           struct elf_plan, or refuses with an error code and a one-line
 *           reason;
 *   invoke  elf_fill_image() and elf_relocate() lay the image out and fix
 *           it up for its load address. They trust the plan and cannot fail.
 *
 * The image is one contiguous span of image_size bytes (a whole number of
 * pages); segment i occupies [segments[i].offset, + mem_size) of it, and no
 * two segments share a page, so every page has exactly one protection.
 * Pages of the span that no segment covers are gaps: the caller may leave
 * them unmapped. Nothing here touches page tables, allocates or logs; the
 * kernel's loader does that around these calls, and host tests and the
 * fuzzer call them on plain buffers.
 *
 * Callers: the kernel's app loader; tests/unit/test_elf.c;
 * tests/fuzz/fuzz_elf.c. No global state: safe from any context.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_PAGE_SIZE	    4096u
#define ELF_MAX_SEGMENTS    16
#define ELF_MAX_IMAGE_SIZE  (256ull << 20)
#define ELF_MAX_RELOCATIONS (1ull << 20)

/* Error codes of elf_plan (always negative); `why` says more. */
enum elf_error {
	ELF_E_NOT_ELF = -1,	/* no ELF magic, or shorter than its header */
	ELF_E_HEADER = -2,	/* class, byte order, version, machine, type */
	ELF_E_PHDR = -3,	/* program header table size or position */
	ELF_E_SEGMENT = -4,	/* one PT_LOAD is inconsistent in itself */
	ELF_E_LAYOUT = -5,	/* segments together: overlap, size, entry */
	ELF_E_UNSUPPORTED = -6, /* well-formed, but needs what Fomos lacks */
	ELF_E_DYNAMIC = -7,	/* PT_DYNAMIC or the relocation table is broken */
	ELF_E_RELOC = -8,	/* one relocation entry cannot be applied */
};

/* Segment protections (bit values chosen like mmap's, not like p_flags). */
enum elf_prot {
	ELF_PROT_R = 1,
	ELF_PROT_W = 2,
	ELF_PROT_X = 4,
};

/*
 * One PT_LOAD: file bytes [file_offset, + file_size) go to the image at
 * `offset` (bytes from the start of the image, i.e. p_vaddr - link_base,
 * not page-rounded), followed by mem_size - file_size zero bytes. The pages
 * it occupies are [round_down(offset), round_up(offset + mem_size)).
 * mem_size > 0; W and X are never both set.
 */
struct elf_segment {
	uint64_t offset;
	uint64_t file_offset;
	uint64_t file_size;
	uint64_t mem_size;
	uint32_t prot; /* enum elf_prot bits */
};

/*
 * What elf_plan found. Invariants after success: every segment lies in
 * [0, image_size) and its file bytes in the file; segments do not share
 * pages and are in ascending order of offset; entry_offset is inside the
 * file bytes of an executable segment; the relocation table
 * [rela_file_offset, + rela_count * 24) lies in the file, and every entry of
 * it is R_X86_64_NONE or an R_X86_64_RELATIVE without symbol whose 8-byte
 * target lies inside one segment.
 */
struct elf_plan {
	uint64_t image_size;   /* page-rounded span of all PT_LOAD, from the lowest page */
	uint64_t link_base;    /* lowest page's vaddr as linked */
	uint64_t entry_offset; /* e_entry - link_base */
	bool relocatable;      /* ET_DYN (static-pie) vs ET_EXEC */
	unsigned segment_count;
	struct elf_segment segments[ELF_MAX_SEGMENTS];
	uint64_t rela_file_offset; /* validated R_X86_64_RELATIVE table in the file */
	uint64_t rela_count;
};

/*
 * Decode: check the `size` bytes at `file` and plan the image. Returns 0, or
 * a negative enum elf_error with a one-line reason in why (NUL-terminated,
 * truncated to why_len; why may be NULL when why_len is 0), for example
 * "segment 2 ends past the file (0x1000+0x5000 > 0x3000)". Never reads
 * outside [file, file + size); `file` needs no particular alignment.
 */
int elf_plan(const void *file, size_t size, struct elf_plan *plan, char *why, size_t why_len);

/*
 * Invoke: the image is laid out at `image` (image_size bytes: segment bytes
 * copied and the rest zeroed, see elf_fill_image) and will run at virtual
 * address load_address (page-aligned). Applies every relocation: the 8 bytes
 * at image + (r_offset - link_base) become load_address - link_base +
 * r_addend. `file` is the same file that was planned. Cannot fail on a plan
 * from elf_plan.
 */
void elf_relocate(const struct elf_plan *plan, const void *file, uint8_t *image,
		  uint64_t load_address);

/* Invoke: copy every segment's file bytes into `image` (image_size bytes) and
 * zero all the rest of it (BSS, gaps, page slack). Relocate afterwards. */
void elf_fill_image(const struct elf_plan *plan, const void *file, uint8_t *image);
