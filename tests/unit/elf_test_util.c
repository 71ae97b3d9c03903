/*
 * tests/unit/elf_test_util.c — fixtures and an independent oracle for the
 * ELF loader tests; see elf_test_util.h.
 *
 * fx_check_plan re-derives what the plan must say from the file's program
 * headers with the simplest code possible (no sorting tricks, no shared
 * helpers with runtime/elf.c), so the two implementations check each other.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/elf_test_util.h"

#define PAGE 4096u

struct fx fx_load(const char *name)
{
	char path[512];
	struct fx f = {.name = name};
	FILE *fp;
	long len;

	snprintf(path, sizeof(path), "%s/%s", ELF_FIXTURE_DIR, name);
	fp = fopen(path, "rb");
	if (fp == NULL) {
		fail_msg("fixture %s is missing (build it with make %s)", path, path);
	}
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	len = ftell(fp);
	assert_true(len > 0);
	rewind(fp);
	f.size = (size_t)len;
	f.data = malloc(f.size);
	assert_non_null(f.data);
	assert_int_equal(fread(f.data, 1, f.size, fp), f.size);
	fclose(fp);
	return f;
}

struct fx fx_copy(const struct fx *f, size_t size)
{
	struct fx c = {.size = size, .name = f->name};

	assert_true(size <= f->size);
	c.data = malloc(size > 0 ? size : 1);
	assert_non_null(c.data);
	memcpy(c.data, f->data, size);
	return c;
}

void fx_free(struct fx *f)
{
	free(f->data);
	f->data = NULL;
}

struct elf64_ehdr *fx_ehdr(const struct fx *f)
{
	assert_true(f->size >= sizeof(struct elf64_ehdr));
	return (struct elf64_ehdr *)f->data;
}

struct elf64_phdr *fx_phdr(const struct fx *f, uint32_t type, unsigned nth)
{
	const struct elf64_ehdr *eh = fx_ehdr(f);
	unsigned seen = 0;

	for (unsigned i = 0; i < eh->phnum; i++) {
		struct elf64_phdr *ph =
		    (struct elf64_phdr *)(f->data + eh->phoff + i * sizeof(struct elf64_phdr));
		if (ph->type == type && seen++ == nth) {
			return ph;
		}
	}
	fail_msg("%s: no program header of type %u number %u", f->name, type, nth);
	return NULL;
}

struct elf64_dyn *fx_dyn(const struct fx *f, int64_t tag)
{
	const struct elf64_phdr *dyn = fx_phdr(f, PT_DYNAMIC, 0);

	for (uint64_t at = 0; at + sizeof(struct elf64_dyn) <= dyn->filesz; at += 16) {
		struct elf64_dyn *d = (struct elf64_dyn *)(f->data + dyn->offset + at);
		if (d->tag == tag) {
			return d;
		}
	}
	fail_msg("%s: no dynamic entry with tag %ld", f->name, (long)tag);
	return NULL;
}

size_t fx_needed_size(const struct fx *f)
{
	const struct elf64_ehdr *eh = fx_ehdr(f);
	size_t need = eh->phoff + eh->phnum * sizeof(struct elf64_phdr);

	for (unsigned i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *ph =
		    (const struct elf64_phdr *)(f->data + eh->phoff +
						i * sizeof(struct elf64_phdr));
		if ((ph->type == PT_LOAD || ph->type == PT_DYNAMIC) &&
		    ph->offset + ph->filesz > need) {
			need = ph->offset + ph->filesz;
		}
	}
	return need > sizeof(*eh) ? need : sizeof(*eh);
}

struct elf_plan fx_plan(const struct fx *f)
{
	struct elf_plan plan;
	char why[200];
	int rc = elf_plan(f->data, f->size, &plan, why, sizeof(why));

	if (rc != 0) {
		fail_msg("%s: elf_plan refused it (%d): %s", f->name, rc, why);
	}
	assert_string_equal(why, "");
	return plan;
}

struct elf64_rela fx_rela(const struct fx *f, const struct elf_plan *plan, uint64_t i)
{
	struct elf64_rela r;

	assert_true(i < plan->rela_count);
	memcpy(&r, f->data + plan->rela_file_offset + i * sizeof(r), sizeof(r));
	return r;
}

static uint32_t prot_of(uint32_t p_flags)
{
	return ((p_flags & PF_R) ? ELF_PROT_R : 0) | ((p_flags & PF_W) ? ELF_PROT_W : 0) |
	       ((p_flags & PF_X) ? ELF_PROT_X : 0);
}

/* The plan holds exactly the non-empty PT_LOADs of the file. */
static void check_segments_match_file(const struct fx *f, const struct elf_plan *plan)
{
	const struct elf64_ehdr *eh = fx_ehdr(f);
	unsigned found = 0;

	for (unsigned i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *ph =
		    (const struct elf64_phdr *)(f->data + eh->phoff +
						i * sizeof(struct elf64_phdr));
		if (ph->type != PT_LOAD || ph->memsz == 0) {
			continue;
		}
		found++;
		unsigned s = 0;
		while (s < plan->segment_count &&
		       plan->segments[s].offset != ph->vaddr - plan->link_base) {
			s++;
		}
		assert_true(s < plan->segment_count);
		assert_int_equal(plan->segments[s].file_offset, ph->offset);
		assert_int_equal(plan->segments[s].file_size, ph->filesz);
		assert_int_equal(plan->segments[s].mem_size, ph->memsz);
		assert_int_equal(plan->segments[s].prot, prot_of(ph->flags));
	}
	assert_int_equal(found, plan->segment_count);
	assert_int_equal(plan->relocatable, eh->type == ET_DYN);
	assert_int_equal(plan->entry_offset, eh->entry - plan->link_base);
}

void fx_check_plan(const struct fx *f, const struct elf_plan *plan)
{
	bool entry_ok = false;

	check_segments_match_file(f, plan);
	assert_true(plan->segment_count >= 1 && plan->segment_count <= ELF_MAX_SEGMENTS);
	assert_int_equal(plan->link_base % PAGE, 0);
	assert_int_equal(plan->image_size % PAGE, 0);
	assert_true(plan->image_size > 0 && plan->image_size <= ELF_MAX_IMAGE_SIZE);
	assert_true(plan->segments[0].offset < PAGE); /* the lowest page is the first */
	for (unsigned s = 0; s < plan->segment_count; s++) {
		const struct elf_segment *seg = &plan->segments[s];
		uint64_t first = seg->offset / PAGE;
		uint64_t end = (seg->offset + seg->mem_size + PAGE - 1) / PAGE;

		assert_true(seg->mem_size > 0 && seg->file_size <= seg->mem_size);
		assert_true(seg->file_offset + seg->file_size <= f->size);
		assert_true(end * PAGE <= plan->image_size);
		assert_false((seg->prot & ELF_PROT_W) && (seg->prot & ELF_PROT_X));
		if (s + 1 < plan->segment_count) {
			assert_true(end <= plan->segments[s + 1].offset / PAGE); /* own pages */
		} else {
			assert_int_equal(end * PAGE, plan->image_size); /* span ends here */
		}
		assert_true(first * PAGE <= seg->offset);
		if ((seg->prot & ELF_PROT_X) && plan->entry_offset >= seg->offset &&
		    plan->entry_offset < seg->offset + seg->file_size) {
			entry_ok = true;
		}
	}
	assert_true(entry_ok);
	assert_true(plan->rela_count <= ELF_MAX_RELOCATIONS);
	assert_true(plan->rela_file_offset + plan->rela_count * 24 <= f->size);
}
