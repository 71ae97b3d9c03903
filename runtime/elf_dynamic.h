/*
 * runtime/elf_dynamic.h — what runtime/elf.c and runtime/elf_dynamic.c share; not
 * for any other caller (the loader's API is runtime/elf.h).
 *
 * elf.c decodes the file header and the program headers into a plan;
 * elf_dynamic.c decodes PT_DYNAMIC and the relocation table against that
 * plan and applies the relocations. The on-disk structures are declared
 * here once, with the layouts of the ELF-64 object file format and the
 * x86-64 psABI, and read with memcpy: a file buffer need not be aligned.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/elf.h"

/* Elf64_Ehdr */
struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type;
	uint16_t machine;
	uint32_t version;
	uint64_t entry;
	uint64_t phoff;
	uint64_t shoff;
	uint32_t flags;
	uint16_t ehsize;
	uint16_t phentsize;
	uint16_t phnum;
	uint16_t shentsize;
	uint16_t shnum;
	uint16_t shstrndx;
};

/* Elf64_Phdr */
struct elf64_phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

/* Elf64_Dyn */
struct elf64_dyn {
	int64_t tag;
	uint64_t val;
};

/* Elf64_Rela */
struct elf64_rela {
	uint64_t offset;
	uint64_t info; /* symbol index << 32 | type */
	int64_t addend;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "Elf64_Ehdr is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "Elf64_Phdr is 56 bytes");
_Static_assert(sizeof(struct elf64_dyn) == 16, "Elf64_Dyn is 16 bytes");
_Static_assert(sizeof(struct elf64_rela) == 24, "Elf64_Rela is 24 bytes");

/* The file being decoded and where to put the reason for a refusal. */
struct elf_input {
	const uint8_t *file;
	size_t size;
	char *why;
	size_t why_len;
};

/* Formats the reason into in->why and returns code (negative). */
int elf_refuse(const struct elf_input *in, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Decodes the PT_DYNAMIC at [dyn_offset, + dyn_size) of the file and the
 * relocation table it names, and records that table in plan. Precondition:
 * plan->segments, link_base and image_size are final (offsets relative to
 * link_base). 0 or a negative enum elf_error.
 */
int elf_plan_dynamic(const struct elf_input *in, uint64_t dyn_offset, uint64_t dyn_size,
		     struct elf_plan *plan);
