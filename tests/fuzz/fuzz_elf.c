/*
 * tests/fuzz/fuzz_elf.c — libFuzzer target for the ELF loader's pure part
 * (runtime/elf.c, runtime/elf_dynamic.c).
 *
 * Any bytes go to elf_plan. A refusal must be negative and come with a
 * reason. An accepted plan must keep every promise of runtime/elf.h (checked
 * here independently, abort() on a broken one), and then the invoke steps
 * run for real: elf_fill_image and elf_relocate into a heap buffer of
 * exactly image_size bytes (skipped above FUZZ_IMAGE_MAX to keep runs
 * fast), relocated for two load addresses. ASan catches any read outside
 * the input or write outside the image; UBSan any overflow.
 *
 * Built by the Makefile with clang -fsanitize=fuzzer,address,undefined;
 * run by tests/fuzz/run-fuzzers (make unit-tests: 10 s, make fuzz: 5 min)
 * with the test fixtures as seeds.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/elf.h"

#define FUZZ_IMAGE_MAX (4u << 20)
#define PAGE	       ((uint64_t)ELF_PAGE_SIZE)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_elf: broken promise: %s\n", what);
		abort();
	}
}

static void check_segment(const struct elf_plan *plan, unsigned s, size_t size)
{
	const struct elf_segment *seg = &plan->segments[s];
	uint64_t end = (seg->offset + seg->mem_size + PAGE - 1) / PAGE * PAGE;

	require(seg->mem_size > 0 && seg->file_size <= seg->mem_size, "segment sizes");
	require(seg->file_offset <= size && seg->file_size <= size - seg->file_offset,
		"segment file bytes inside the file");
	require(seg->offset < plan->image_size && end <= plan->image_size,
		"segment inside the image");
	require(!((seg->prot & ELF_PROT_W) && (seg->prot & ELF_PROT_X)), "W^X");
	if (s + 1 < plan->segment_count) {
		require(end <= plan->segments[s + 1].offset / PAGE * PAGE,
			"segments own their pages");
	} else {
		require(end == plan->image_size, "the last segment ends the image");
	}
}

static void check_plan(const struct elf_plan *plan, size_t size)
{
	bool entry_ok = false;

	require(plan->segment_count >= 1 && plan->segment_count <= ELF_MAX_SEGMENTS,
		"segment count");
	require(plan->image_size > 0 && plan->image_size % PAGE == 0 &&
		    plan->image_size <= ELF_MAX_IMAGE_SIZE,
		"image size");
	require(plan->link_base % PAGE == 0 && plan->segments[0].offset < PAGE, "link base");
	for (unsigned s = 0; s < plan->segment_count; s++) {
		const struct elf_segment *seg = &plan->segments[s];
		check_segment(plan, s, size);
		entry_ok |= (seg->prot & ELF_PROT_X) && plan->entry_offset >= seg->offset &&
			    plan->entry_offset - seg->offset < seg->file_size;
	}
	require(entry_ok, "entry in the file bytes of an executable segment");
	require(plan->rela_count <= ELF_MAX_RELOCATIONS, "relocation count");
	require(plan->rela_file_offset <= size &&
		    plan->rela_count * 24 <= size - plan->rela_file_offset,
		"relocation table inside the file");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_plan plan;
	char why[160];
	uint8_t *image;
	int rc;

	memset(why, 0x55, sizeof(why));
	rc = elf_plan(data, size, &plan, why, sizeof(why));
	require(memchr(why, 0, sizeof(why)) != NULL, "why is NUL-terminated");
	if (rc != 0) {
		require(rc < 0 && why[0] != '\0', "a refusal is negative and has a reason");
		require(plan.segment_count == 0 && plan.image_size == 0, "a refused plan is zero");
		return 0;
	}
	require(why[0] == '\0', "no reason on success");
	check_plan(&plan, size);
	if (plan.image_size > FUZZ_IMAGE_MAX) {
		return 0;
	}
	image = malloc(plan.image_size);
	require(image != NULL, "malloc");
	elf_fill_image(&plan, data, image);
	elf_relocate(&plan, data, image, 0x7f0000000000ull);
	elf_fill_image(&plan, data, image);
	elf_relocate(&plan, data, image, 0xffff900000000000ull);
	free(image);
	return 0;
}
