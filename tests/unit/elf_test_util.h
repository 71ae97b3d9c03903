/*
 * tests/unit/elf_test_util.h — what test_elf.c and test_elf_malformed.c
 * share: the fixture files and an independent reading of their headers.
 *
 * The fixtures are real apps built by the Makefile from
 * the sources in tests/unit/elf_fixtures/ with gcc and clang (static-pie, and the
 * original Fomos build line); they live in ELF_FIXTURE_DIR. Each is loaded
 * into a heap block of exactly its size, so ASan reports any read past it.
 * The header accessors return pointers into that block (ELF structures are
 * 8-byte aligned in the file, and malloc aligns the block), so a test
 * mutates a field with a plain assignment.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "runtime/elf.h"
#include "runtime/elf_dynamic.h"

#ifndef ELF_FIXTURE_DIR
#define ELF_FIXTURE_DIR "build/host/elf_fixtures"
#endif

#define PT_NULL	     0
#define PT_LOAD	     1
#define PT_DYNAMIC   2
#define PT_INTERP    3
#define PT_NOTE	     4
#define PT_TLS	     7
#define PT_GNU_STACK 0x6474e551u
#define PF_X	     1u
#define PF_W	     2u
#define PF_R	     4u
#define ET_EXEC	     2
#define ET_DYN	     3

struct fx {
	uint8_t *data;
	size_t size;
	const char *name;
};

/* Loads ELF_FIXTURE_DIR/name; fails the test when it is missing. */
struct fx fx_load(const char *name);
/* A copy of f, or of its first `size` bytes, in a block of exactly that size. */
struct fx fx_copy(const struct fx *f, size_t size);
void fx_free(struct fx *f);

struct elf64_ehdr *fx_ehdr(const struct fx *f);
/* The nth (from 0) program header of this type; fails the test if none. */
struct elf64_phdr *fx_phdr(const struct fx *f, uint32_t type, unsigned nth);
/* The first PT_DYNAMIC entry with this tag; fails the test if none. */
struct elf64_dyn *fx_dyn(const struct fx *f, int64_t tag);
/* The smallest prefix of the file elf_plan must accept (the header, the
 * program header table, every PT_LOAD's and PT_DYNAMIC's file bytes). */
size_t fx_needed_size(const struct fx *f);

/* elf_plan that must succeed (prints the reason if not). */
struct elf_plan fx_plan(const struct fx *f);
/* Checks the plan against the file's own program headers and against
 * every invariant runtime/elf.h promises. */
void fx_check_plan(const struct fx *f, const struct elf_plan *plan);
/* Relocation i of the planned table, read from the file. */
struct elf64_rela fx_rela(const struct fx *f, const struct elf_plan *plan, uint64_t i);
