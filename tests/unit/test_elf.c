/*
 * tests/unit/test_elf.c — host tests for runtime/elf.c and runtime/elf_dynamic.c
 * on real apps.
 *
 * The fixtures are built by the real compilers (see elf_test_util.h):
 * static-pie apps with pointer tables in their data (so R_X86_64_RELATIVE
 * relocations exist) from gcc and clang, an app with 1 MiB of BSS, and
 * apps built with the original Fomos line (ET_EXEC at 0x400000). Each is
 * - planned, and the plan compared with the file's own program headers;
 * - filled and relocated into a host buffer for a foreign load address,
 *   and every relocated pointer checked to point into the image;
 * - loaded into mmap'd memory with each segment's protection and *run*:
 *   _start is called twice and must compute the right values, which it
 *   only does if code, data, BSS and relocations are all right.
 * Also: the ET_EXEC limitation (its data keeps link-time addresses), the
 * segment and image-size limits at their boundaries, R_X86_64_NONE, and
 * the reason buffer. Broken files are in test_elf_malformed.c.
 * Run from the repository root.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "tests/unit/elf_test_util.h"

#define PAGE	  4096u
#define FOREIGN	  0x7e5500000000ull /* a load address no fixture is linked at */
#define EXEC_BASE 0x400000u	    /* where the original build line links */

/* --------------------------------------------------------- planning --- */

static void test_plan_static_pie(void **state)
{
	struct fx f = fx_load(*state);
	struct elf_plan plan = fx_plan(&f);
	unsigned r = 0, rx = 0, rw = 0;

	fx_check_plan(&f, &plan);
	assert_true(plan.relocatable);
	assert_int_equal(plan.link_base, 0);
	assert_int_equal(plan.rela_count, 6); /* 4 words + 2 ops */
	for (unsigned s = 0; s < plan.segment_count; s++) {
		uint32_t p = plan.segments[s].prot;
		r += p == ELF_PROT_R;
		rx += p == (ELF_PROT_R | ELF_PROT_X);
		rw += p == (ELF_PROT_R | ELF_PROT_W);
	}
	assert_true(r >= 1);
	assert_int_equal(rx, 1);
	assert_int_equal(rw, 1);
	fx_free(&f);
}

static void test_plan_original_build_line(void **state)
{
	struct fx f = fx_load(*state);
	struct elf_plan plan = fx_plan(&f);

	fx_check_plan(&f, &plan);
	assert_false(plan.relocatable);
	assert_int_equal(plan.link_base, EXEC_BASE);
	assert_int_equal(plan.rela_count, 0);
	assert_int_equal(plan.entry_offset, fx_ehdr(&f)->entry - EXEC_BASE);
	fx_free(&f);
}

/* ----------------------------------------------------- fill, relocate --- */

/* The image as the file's program headers say it must be, before
 * relocation: file bytes at vaddr - link_base, zero everywhere else. */
static uint8_t *expected_image(const struct fx *f, const struct elf_plan *plan)
{
	const struct elf64_ehdr *eh = fx_ehdr(f);
	uint8_t *img = calloc(1, plan->image_size);

	assert_non_null(img);
	for (unsigned i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *ph =
		    (const struct elf64_phdr *)(f->data + eh->phoff + i * sizeof(*ph));
		if (ph->type == PT_LOAD) {
			memcpy(img + (ph->vaddr - plan->link_base), f->data + ph->offset,
			       ph->filesz);
		}
	}
	return img;
}

static bool is_word(const uint8_t *p, size_t room)
{
	static const char *const words[] = {"alpha", "beta", "gamma", "delta"};

	for (size_t i = 0; i < 4; i++) {
		if (strlen(words[i]) + 1 <= room &&
		    memcmp(p, words[i], strlen(words[i]) + 1) == 0) {
			return true;
		}
	}
	return false;
}

static void test_fill_and_relocate(void **state)
{
	struct fx f = fx_load(*state);
	struct elf_plan plan = fx_plan(&f);
	uint8_t *img = malloc(plan.image_size);
	uint8_t *want = expected_image(&f, &plan);
	unsigned words = 0, code = 0;

	memset(img, 0xAA, plan.image_size); /* the loader must zero what it does not copy */
	elf_fill_image(&plan, f.data, img);
	assert_memory_equal(img, want, plan.image_size);
	elf_relocate(&plan, f.data, img, FOREIGN);
	for (uint64_t i = 0; i < plan.rela_count; i++) {
		struct elf64_rela r = fx_rela(&f, &plan, i);
		uint64_t at = r.offset - plan.link_base, value, off;

		memcpy(&value, img + at, 8);
		assert_int_equal(value, FOREIGN - plan.link_base + (uint64_t)r.addend);
		assert_true(value >= FOREIGN && value - FOREIGN < plan.image_size);
		off = value - FOREIGN;
		words += is_word(img + off, plan.image_size - off);
		for (unsigned s = 0; s < plan.segment_count; s++) {
			const struct elf_segment *seg = &plan.segments[s];
			code += (seg->prot & ELF_PROT_X) && off >= seg->offset &&
				off < seg->offset + seg->file_size;
		}
		memcpy(want + at, &value, 8); /* the only bytes allowed to change */
	}
	assert_int_equal(words, 4);
	assert_int_equal(code, 2);
	assert_memory_equal(img, want, plan.image_size);
	free(want);
	free(img);
	fx_free(&f);
}

/* The limitation of ET_EXEC: with no relocations, absolute addresses in its
 * data keep their link-time values wherever the image is loaded. */
static void test_exec_data_keeps_link_addresses(void **state)
{
	struct fx f = fx_load("pointers_exec.elf");
	struct elf_plan plan = fx_plan(&f);
	uint8_t *img = malloc(plan.image_size);
	unsigned stale = 0;

	(void)state;
	elf_fill_image(&plan, f.data, img);
	elf_relocate(&plan, f.data, img, FOREIGN);
	for (unsigned s = 0; s < plan.segment_count; s++) {
		const struct elf_segment *seg = &plan.segments[s];
		for (uint64_t at = 0; (seg->prot & ELF_PROT_W) && at + 8 <= seg->file_size;
		     at += 8) {
			uint64_t v;
			memcpy(&v, img + seg->offset + at, 8);
			stale += v >= plan.link_base && v - plan.link_base < plan.image_size;
		}
	}
	assert_int_equal(stale, 6); /* words[4] and ops[2], all unrelocated */
	free(img);
	fx_free(&f);
}

static void test_relocation_none_is_skipped(void **state)
{
	struct fx f = fx_load("pointers_gcc.elf");
	struct elf_plan plan = fx_plan(&f);
	struct elf64_rela *r0 = (struct elf64_rela *)(f.data + plan.rela_file_offset);
	uint64_t at = r0->offset - plan.link_base, before, after;
	uint8_t *img;

	(void)state;
	r0->info = 0; /* R_X86_64_NONE */
	plan = fx_plan(&f);
	assert_int_equal(plan.rela_count, 6);
	img = malloc(plan.image_size);
	elf_fill_image(&plan, f.data, img);
	memcpy(&before, img + at, 8);
	elf_relocate(&plan, f.data, img, FOREIGN);
	memcpy(&after, img + at, 8);
	assert_int_equal(before, after);
	free(img);
	fx_free(&f);
}

/* -------------------------------------------------------------- running --- */

struct run_case {
	const char *fixture;
	int32_t first, second; /* what _start returns at its first two calls */
};

typedef int32_t app_entry(void *ctx);

static int mmap_prot(uint32_t prot)
{
	return ((prot & ELF_PROT_R) ? PROT_READ : 0) | ((prot & ELF_PROT_W) ? PROT_WRITE : 0) |
	       ((prot & ELF_PROT_X) ? PROT_EXEC : 0);
}

/* Loads the app as the kernel does (fill, relocate for where it really is,
 * then per-segment protections with gaps inaccessible) and calls it. */
static void test_run_loaded(void **state)
{
	const struct run_case *c = *state;
	struct fx f = fx_load(c->fixture);
	struct elf_plan plan = fx_plan(&f);
	uint8_t *mem =
	    mmap(NULL, plan.image_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t n = 4;
	app_entry *entry;

	assert_true(mem != MAP_FAILED);
	memset(mem, 0xAA, plan.image_size);
	elf_fill_image(&plan, f.data, mem);
	elf_relocate(&plan, f.data, mem, (uint64_t)(uintptr_t)mem);
	assert_int_equal(mprotect(mem, plan.image_size, PROT_NONE), 0);
	for (unsigned s = 0; s < plan.segment_count; s++) {
		const struct elf_segment *seg = &plan.segments[s];
		uint64_t first = seg->offset / PAGE * PAGE;
		uint64_t end = (seg->offset + seg->mem_size + PAGE - 1) / PAGE * PAGE;
		assert_int_equal(mprotect(mem + first, end - first, mmap_prot(seg->prot)), 0);
	}
	entry = (app_entry *)((uintptr_t)mem + plan.entry_offset);
	assert_int_equal(entry(&n), c->first);
	assert_int_equal(entry(&n), c->second);
	assert_int_equal(munmap(mem, plan.image_size), 0);
	fx_free(&f);
}

static const struct run_case run_pointers_gcc = {"pointers_gcc.elf", 1036, 1037};
static const struct run_case run_pointers_clang = {"pointers_clang.elf", 1036, 1037};
static const struct run_case run_bss = {"bss_gcc.elf", 1, 258};
static const struct run_case run_plain_exec = {"plain_exec.elf", 1010, 2010};

/* --------------------------------------------------------------- limits --- */

/* A minimal static-pie by hand: `loads` one-page PT_LOADs at pages
 * 0..loads-1, page 1 executable and holding the entry point. */
static struct fx synthetic(unsigned loads)
{
	struct fx f = {.size = (size_t)loads * PAGE, .name = "synthetic"};
	struct elf64_ehdr *eh;

	f.data = calloc(1, f.size);
	assert_non_null(f.data);
	eh = (struct elf64_ehdr *)f.data;
	memcpy(eh->ident, "\177ELF\2\1\1", 7);
	eh->type = ET_DYN;
	eh->machine = 62;
	eh->version = 1;
	eh->entry = PAGE;
	eh->phoff = sizeof(*eh);
	eh->ehsize = sizeof(*eh);
	eh->phentsize = sizeof(struct elf64_phdr);
	eh->phnum = (uint16_t)loads;
	for (unsigned i = 0; i < loads; i++) {
		struct elf64_phdr *ph = (struct elf64_phdr *)(f.data + eh->phoff + i * sizeof(*ph));
		*ph = (struct elf64_phdr){.type = PT_LOAD,
					  .flags = i == 1 ? PF_R | PF_X : PF_R,
					  .offset = i * PAGE,
					  .vaddr = i * PAGE,
					  .filesz = PAGE,
					  .memsz = PAGE,
					  .align = PAGE};
	}
	return f;
}

static void test_segment_limit(void **state)
{
	struct fx ok = synthetic(ELF_MAX_SEGMENTS);
	struct fx over = synthetic(ELF_MAX_SEGMENTS + 1);
	struct elf_plan plan = fx_plan(&ok);
	char why[120];

	(void)state;
	fx_check_plan(&ok, &plan);
	assert_int_equal(plan.segment_count, ELF_MAX_SEGMENTS);
	assert_int_equal(plan.image_size, ELF_MAX_SEGMENTS * PAGE);
	assert_int_equal(elf_plan(over.data, over.size, &plan, why, sizeof(why)), ELF_E_LAYOUT);
	assert_non_null(strstr(why, "more than 16 loadable segments"));
	fx_free(&ok);
	fx_free(&over);
}

static void test_image_size_limit(void **state)
{
	struct fx f = fx_load("pointers_gcc.elf");
	struct elf64_phdr *rw = fx_phdr(&f, PT_LOAD, 3);
	struct elf_plan plan;
	char why[120];

	(void)state;
	rw->memsz = ELF_MAX_IMAGE_SIZE - rw->vaddr; /* ends exactly at 256 MiB */
	plan = fx_plan(&f);
	assert_int_equal(plan.image_size, ELF_MAX_IMAGE_SIZE);
	rw->memsz++;
	assert_int_equal(elf_plan(f.data, f.size, &plan, why, sizeof(why)), ELF_E_LAYOUT);
	assert_non_null(strstr(why, "more than 256 MiB"));
	fx_free(&f);
}

/* The reason is optional, truncated to its buffer, and a refused plan is
 * zeroed so that no caller can use half of one. */
static void test_reason_buffer(void **state)
{
	struct fx f = fx_load("pointers_gcc.elf");
	struct elf_plan plan;
	char why[6];

	(void)state;
	f.data[0] = 0;
	memset(&plan, 0x5a, sizeof(plan));
	assert_int_equal(elf_plan(f.data, f.size, &plan, NULL, 0), ELF_E_NOT_ELF);
	assert_int_equal(plan.image_size, 0);
	assert_int_equal(plan.segment_count, 0);
	memset(why, 'x', sizeof(why));
	assert_int_equal(elf_plan(f.data, f.size, &plan, why, sizeof(why)), ELF_E_NOT_ELF);
	assert_string_equal(why, "not a");
	assert_int_equal(elf_plan(NULL, 0, &plan, why, 1), ELF_E_NOT_ELF);
	assert_string_equal(why, "");
	fx_free(&f);
}

/* A test run with a fixture (or case) as its state, under its own name. */
#define WITH(title, f, st)                                                                         \
	{                                                                                          \
		.name = (title), .test_func = (f), .initial_state = (void *)(st)                   \
	}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    WITH("plan gcc static-pie", test_plan_static_pie, "pointers_gcc.elf"),
	    WITH("plan clang static-pie", test_plan_static_pie, "pointers_clang.elf"),
	    WITH("plan original build line (pointers)", test_plan_original_build_line,
		 "pointers_exec.elf"),
	    WITH("plan original build line (plain)", test_plan_original_build_line,
		 "plain_exec.elf"),
	    WITH("fill and relocate gcc static-pie", test_fill_and_relocate, "pointers_gcc.elf"),
	    WITH("fill and relocate clang static-pie", test_fill_and_relocate,
		 "pointers_clang.elf"),
	    cmocka_unit_test(test_exec_data_keeps_link_addresses),
	    cmocka_unit_test(test_relocation_none_is_skipped),
	    WITH("run gcc static-pie", test_run_loaded, &run_pointers_gcc),
	    WITH("run clang static-pie", test_run_loaded, &run_pointers_clang),
	    WITH("run 1 MiB BSS", test_run_loaded, &run_bss),
	    WITH("run original build line at a foreign address", test_run_loaded, &run_plain_exec),
	    cmocka_unit_test(test_segment_limit),
	    cmocka_unit_test(test_image_size_limit),
	    cmocka_unit_test(test_reason_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
