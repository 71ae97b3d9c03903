/*
 * tests/unit/test_elf_malformed.c — host tests for runtime/elf.c and
 * runtime/elf_dynamic.c on broken and unsupported files.
 *
 * An app file comes from the boot archive or the user, so elf_plan must
 * refuse every file it cannot honour, with the right error code and a
 * reason naming the problem, and never read outside the bytes it was given:
 * - one case per refusal (file header, program headers, PT_LOAD fields,
 *   the PT_LOADs together, PT_DYNAMIC, relocation table, relocation
 *   entries), each made by mutating a real static-pie built by gcc (see
 *   elf_test_util.h) and each its own TAP line;
 * - every truncation of every fixture: refused exactly when it cuts into
 *   bytes the loader needs, accepted with the same plan otherwise.
 * Inputs sit in exact-size heap blocks, so ASan reports any stray read.
 * Run from the repository root.
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

#define PAGE	 4096u
#define DT_NULL	 0
#define DT_DEBUG 21 /* harmless; the mutations turn it into other tags */

/* The gcc static-pie's PT_LOADs, in the order of GNU ld's default layout
 * (test_layout checks it): headers and relocations, code, rodata, data. */
static struct elf64_phdr *hdr(const struct fx *f)
{
	return fx_phdr(f, PT_LOAD, 0);
}

static struct elf64_phdr *rx(const struct fx *f)
{
	return fx_phdr(f, PT_LOAD, 1);
}

static struct elf64_phdr *ro(const struct fx *f)
{
	return fx_phdr(f, PT_LOAD, 2);
}

static struct elf64_phdr *rw(const struct fx *f)
{
	return fx_phdr(f, PT_LOAD, 3);
}

static struct elf64_rela *rela(const struct fx *f, const struct elf_plan *p, unsigned i)
{
	return (struct elf64_rela *)(f->data + p->rela_file_offset + i * sizeof(struct elf64_rela));
}

/* A mutation of the pristine file; p is the pristine file's plan. */
#define MUTATION(name)                                                                             \
	static void name(struct fx *f, __attribute__((unused)) const struct elf_plan *p)

/* File header. */
MUTATION(m_magic)
{
	f->data[1] = 'e';
}
MUTATION(m_class32)
{
	fx_ehdr(f)->ident[4] = 1;
}
MUTATION(m_big_endian)
{
	fx_ehdr(f)->ident[5] = 2;
}
MUTATION(m_ident_version)
{
	fx_ehdr(f)->ident[6] = 0;
}
MUTATION(m_e_version)
{
	fx_ehdr(f)->version = 2;
}
MUTATION(m_i386)
{
	fx_ehdr(f)->machine = 3;
}
MUTATION(m_aarch64)
{
	fx_ehdr(f)->machine = 183;
}
MUTATION(m_type_rel)
{
	fx_ehdr(f)->type = 1;
}
MUTATION(m_type_core)
{
	fx_ehdr(f)->type = 4;
}
MUTATION(m_ehsize)
{
	fx_ehdr(f)->ehsize = 52;
}
/* Program header table. */
MUTATION(m_phentsize)
{
	fx_ehdr(f)->phentsize = 32;
}
MUTATION(m_phnum_zero)
{
	fx_ehdr(f)->phnum = 0;
}
MUTATION(m_phnum_xnum)
{
	fx_ehdr(f)->phnum = 0xffff;
}
MUTATION(m_phnum_big)
{
	fx_ehdr(f)->phnum = 0xfffe;
}
MUTATION(m_phoff_past)
{
	fx_ehdr(f)->phoff = f->size;
}
MUTATION(m_phoff_wraps)
{
	fx_ehdr(f)->phoff = UINT64_MAX - 8;
}
/* One PT_LOAD. */
MUTATION(m_filesz_gt_memsz)
{
	rw(f)->memsz = rw(f)->filesz - 1;
}
MUTATION(m_filesz_past)
{
	rx(f)->filesz = rx(f)->memsz = f->size;
}
MUTATION(m_offset_past)
{
	rx(f)->offset += (f->size + PAGE) & ~(PAGE - 1ull);
}
MUTATION(m_offset_wraps)
{
	rx(f)->offset = UINT64_MAX & ~(PAGE - 1ull);
}
MUTATION(m_vaddr_misaligned)
{
	rx(f)->vaddr += 8;
}
MUTATION(m_align_modulus)
{
	rw(f)->align = 0x10000;
}
MUTATION(m_align_npot)
{
	rx(f)->align = 0x1800;
}
MUTATION(m_code_writable)
{
	rx(f)->flags |= PF_W;
}
MUTATION(m_data_executable)
{
	rw(f)->flags |= PF_X;
}
MUTATION(m_vaddr_overflow)
{
	rw(f)->vaddr = (UINT64_MAX & ~(PAGE - 1ull)) | (rw(f)->vaddr % PAGE);
}
MUTATION(m_memsz_overflow)
{
	rw(f)->memsz = UINT64_MAX - 0x100;
}
/* The PT_LOADs together. */
MUTATION(m_no_load)
{
	for (int i = 3; i >= 0; i--) {
		fx_phdr(f, PT_LOAD, (unsigned)i)->type = PT_NULL;
	}
}
MUTATION(m_all_empty)
{
	for (unsigned i = 0; i < 4; i++) {
		fx_phdr(f, PT_LOAD, i)->filesz = 0;
		fx_phdr(f, PT_LOAD, i)->memsz = 0;
	}
}
MUTATION(m_overlap)
{
	ro(f)->vaddr = rx(f)->vaddr;
}
MUTATION(m_share_page)
{
	ro(f)->vaddr = rx(f)->vaddr + 0x800; /* code ends before 0x800 */
	ro(f)->offset = ro(f)->offset / PAGE * PAGE + 0x800;
}
MUTATION(m_share_page_unsorted)
{
	rw(f)->vaddr %= PAGE; /* into the headers' page */
}
MUTATION(m_span)
{
	rw(f)->memsz = ELF_MAX_IMAGE_SIZE;
}
MUTATION(m_entry_rodata)
{
	fx_ehdr(f)->entry = ro(f)->vaddr;
}
MUTATION(m_entry_past_code)
{
	fx_ehdr(f)->entry = rx(f)->vaddr + rx(f)->filesz;
}
MUTATION(m_entry_bss)
{
	fx_ehdr(f)->entry = rw(f)->vaddr + rw(f)->filesz;
}
MUTATION(m_entry_headers)
{
	fx_ehdr(f)->entry = hdr(f)->vaddr;
}
/* Other program headers. */
MUTATION(m_interp)
{
	fx_phdr(f, PT_NOTE, 0)->type = PT_INTERP;
}
MUTATION(m_tls)
{
	fx_phdr(f, PT_GNU_STACK, 0)->type = PT_TLS;
}
MUTATION(m_two_dynamic)
{
	fx_phdr(f, PT_NOTE, 0)->type = PT_DYNAMIC;
}
/* PT_DYNAMIC. */
MUTATION(m_dyn_past)
{
	fx_phdr(f, PT_DYNAMIC, 0)->offset = f->size - 16;
}
MUTATION(m_dyn_wraps)
{
	fx_phdr(f, PT_DYNAMIC, 0)->filesz = UINT64_MAX - 15;
}
MUTATION(m_dyn_odd)
{
	fx_phdr(f, PT_DYNAMIC, 0)->filesz = 0x108;
}
MUTATION(m_dyn_unterminated)
{
	struct elf64_phdr *dyn = fx_phdr(f, PT_DYNAMIC, 0);
	dyn->filesz = (uint64_t)((uint8_t *)fx_dyn(f, DT_NULL) - (f->data + dyn->offset));
}
MUTATION(m_needed)
{
	fx_dyn(f, DT_DEBUG)->tag = 1;
}
MUTATION(m_rel)
{
	fx_dyn(f, DT_DEBUG)->tag = 17;
}
MUTATION(m_relsz)
{
	fx_dyn(f, DT_DEBUG)->tag = 18;
}
MUTATION(m_jmprel)
{
	fx_dyn(f, DT_DEBUG)->tag = 23;
}
MUTATION(m_pltrelsz)
{
	fx_dyn(f, DT_DEBUG)->tag = 2;
}
MUTATION(m_relr)
{
	fx_dyn(f, DT_DEBUG)->tag = 36;
}
MUTATION(m_init)
{
	fx_dyn(f, DT_DEBUG)->tag = 12;
}
MUTATION(m_init_array)
{
	fx_dyn(f, DT_DEBUG)->tag = 25;
}
/* The relocation table. */
MUTATION(m_no_relasz)
{
	fx_dyn(f, 8)->tag = DT_DEBUG;
}
MUTATION(m_no_rela)
{
	fx_dyn(f, 7)->tag = DT_DEBUG;
}
MUTATION(m_no_relaent)
{
	fx_dyn(f, 9)->tag = DT_DEBUG;
}
MUTATION(m_relaent)
{
	fx_dyn(f, 9)->val = 16;
}
MUTATION(m_relasz_odd)
{
	fx_dyn(f, 8)->val = 25;
}
MUTATION(m_relasz_many)
{
	fx_dyn(f, 8)->val = 24 * (ELF_MAX_RELOCATIONS + 1);
}
MUTATION(m_rela_in_bss)
{
	fx_dyn(f, 7)->val = rw(f)->vaddr + rw(f)->filesz;
}
MUTATION(m_rela_past_segment)
{
	fx_dyn(f, 8)->val = 24 * 200;
}
MUTATION(m_rela_wild)
{
	fx_dyn(f, 7)->val = UINT64_MAX - 7;
}
/* Relocation entries. */
MUTATION(m_r_64)
{
	rela(f, p, 0)->info = 1;
}
MUTATION(m_r_glob_dat)
{
	rela(f, p, 2)->info = 6;
}
MUTATION(m_r_jump_slot)
{
	rela(f, p, 3)->info = 7;
}
MUTATION(m_r_irelative)
{
	rela(f, p, 4)->info = 37;
}
MUTATION(m_r_tpoff)
{
	rela(f, p, 5)->info = 18;
}
MUTATION(m_r_symbol)
{
	rela(f, p, 0)->info = 1ull << 32 | 8;
}
MUTATION(m_r_far)
{
	rela(f, p, 5)->offset = 0x100000;
}
MUTATION(m_r_straddle)
{
	rela(f, p, 5)->offset = rw(f)->vaddr + rw(f)->memsz - 4;
}
MUTATION(m_r_gap)
{
	rela(f, p, 5)->offset = rw(f)->vaddr / PAGE * PAGE;
}
MUTATION(m_r_wraps)
{
	rela(f, p, 5)->offset = UINT64_MAX - 3;
}

struct refusal {
	const char *name;
	void (*mutate)(struct fx *f, const struct elf_plan *p);
	size_t cut; /* if not 0: keep only this many bytes */
	int want;
	const char *reason; /* a substring of why */
};

static const struct refusal refusals[] = {
    {"not ELF", m_magic, 0, ELF_E_NOT_ELF, "not an ELF file"},
    {"truncated header", NULL, 63, ELF_E_NOT_ELF, "truncated ELF header (63 of 64 bytes)"},
    {"32-bit class", m_class32, 0, ELF_E_HEADER, "not a 64-bit ELF file (class 1)"},
    {"big-endian", m_big_endian, 0, ELF_E_HEADER, "not little-endian"},
    {"ident version 0", m_ident_version, 0, ELF_E_HEADER, "unsupported ELF version 0/1"},
    {"e_version 2", m_e_version, 0, ELF_E_HEADER, "unsupported ELF version 1/2"},
    {"machine i386", m_i386, 0, ELF_E_HEADER, "not an x86-64 file (machine 3)"},
    {"machine aarch64", m_aarch64, 0, ELF_E_HEADER, "(machine 183)"},
    {"type ET_REL", m_type_rel, 0, ELF_E_HEADER, "not an executable (type 1;"},
    {"type ET_CORE", m_type_core, 0, ELF_E_HEADER, "not an executable (type 4;"},
    {"e_ehsize 52", m_ehsize, 0, ELF_E_HEADER, "ELF header size 52"},
    {"e_phentsize 32", m_phentsize, 0, ELF_E_PHDR, "program header entry size 32"},
    {"e_phnum 0", m_phnum_zero, 0, ELF_E_PHDR, "no program headers"},
    {"e_phnum PN_XNUM", m_phnum_xnum, 0, ELF_E_PHDR, "extended numbering"},
    {"e_phnum past the file", m_phnum_big, 0, ELF_E_PHDR, "program headers end past the file"},
    {"e_phoff past the file", m_phoff_past, 0, ELF_E_PHDR, "program headers end past the file"},
    {"e_phoff wraps", m_phoff_wraps, 0, ELF_E_PHDR, "program headers end past the file"},
    {"filesz > memsz", m_filesz_gt_memsz, 0, ELF_E_SEGMENT, "segment 3: file size 0x"},
    {"filesz past the file", m_filesz_past, 0, ELF_E_SEGMENT,
     "segment 1 ends past the file (0x1000+"},
    {"offset past the file", m_offset_past, 0, ELF_E_SEGMENT, "segment 1 ends past the file"},
    {"offset wraps", m_offset_wraps, 0, ELF_E_SEGMENT, "segment 1 ends past the file"},
    {"vaddr != offset mod page", m_vaddr_misaligned, 0, ELF_E_SEGMENT,
     "segment 1: vaddr 0x1008 and file offset 0x1000 differ modulo 0x1000"},
    {"vaddr != offset mod align", m_align_modulus, 0, ELF_E_SEGMENT, "differ modulo 0x10000"},
    {"align not a power of two", m_align_npot, 0, ELF_E_SEGMENT,
     "segment 1: alignment 0x1800 is not a power of two"},
    {"code writable", m_code_writable, 0, ELF_E_SEGMENT,
     "segment 1 is both writable and executable"},
    {"data executable", m_data_executable, 0, ELF_E_SEGMENT,
     "segment 3 is both writable and executable"},
    {"vaddr overflows", m_vaddr_overflow, 0, ELF_E_SEGMENT, "segment 3: address overflow"},
    {"memsz overflows", m_memsz_overflow, 0, ELF_E_SEGMENT, "segment 3: address overflow"},
    {"no PT_LOAD", m_no_load, 0, ELF_E_LAYOUT, "no loadable segment"},
    {"only empty PT_LOADs", m_all_empty, 0, ELF_E_LAYOUT, "no loadable segment"},
    {"segments overlap", m_overlap, 0, ELF_E_LAYOUT, "segments 1 and 2 overlap or share a page"},
    {"segments share a page", m_share_page, 0, ELF_E_LAYOUT,
     "segments 1 and 2 overlap or share a page"},
    {"unsorted segments share a page", m_share_page_unsorted, 0, ELF_E_LAYOUT,
     "segments 0 and 3 overlap or share a page"},
    {"image over 256 MiB", m_span, 0, ELF_E_LAYOUT, "more than 256 MiB"},
    {"entry in rodata", m_entry_rodata, 0, ELF_E_LAYOUT, "entry point 0x2000 is not in"},
    {"entry past the code", m_entry_past_code, 0, ELF_E_LAYOUT,
     "is not in the file bytes of an executable segment"},
    {"entry in BSS", m_entry_bss, 0, ELF_E_LAYOUT, "executable segment"},
    {"entry in the headers", m_entry_headers, 0, ELF_E_LAYOUT, "entry point 0x0 is not in"},
    {"PT_INTERP", m_interp, 0, ELF_E_UNSUPPORTED, "needs a dynamic linker (PT_INTERP)"},
    {"PT_TLS", m_tls, 0, ELF_E_UNSUPPORTED, "thread-local storage (PT_TLS)"},
    {"two PT_DYNAMIC", m_two_dynamic, 0, ELF_E_DYNAMIC, "more than one PT_DYNAMIC"},
    {"PT_DYNAMIC past the file", m_dyn_past, 0, ELF_E_DYNAMIC,
     "dynamic section ends past the file"},
    {"PT_DYNAMIC size wraps", m_dyn_wraps, 0, ELF_E_DYNAMIC, "dynamic section ends past the file"},
    {"PT_DYNAMIC size odd", m_dyn_odd, 0, ELF_E_DYNAMIC, "0x108 is not a multiple of 16"},
    {"PT_DYNAMIC unterminated", m_dyn_unterminated, 0, ELF_E_DYNAMIC, "no DT_NULL terminator"},
    {"DT_NEEDED", m_needed, 0, ELF_E_UNSUPPORTED, "imports a shared library (DT_NEEDED)"},
    {"DT_REL", m_rel, 0, ELF_E_UNSUPPORTED, "REL relocations (DT_REL)"},
    {"DT_RELSZ", m_relsz, 0, ELF_E_UNSUPPORTED, "REL relocations (DT_REL)"},
    {"DT_JMPREL", m_jmprel, 0, ELF_E_UNSUPPORTED, "PLT relocations (DT_JMPREL)"},
    {"DT_PLTRELSZ", m_pltrelsz, 0, ELF_E_UNSUPPORTED, "PLT relocations (DT_JMPREL)"},
    {"DT_RELR", m_relr, 0, ELF_E_UNSUPPORTED, "packed relocations (DT_RELR)"},
    {"DT_INIT", m_init, 0, ELF_E_UNSUPPORTED, "initializers"},
    {"DT_INIT_ARRAY", m_init_array, 0, ELF_E_UNSUPPORTED, "initializers"},
    {"DT_RELA without DT_RELASZ", m_no_relasz, 0, ELF_E_DYNAMIC, "DT_RELA without DT_RELASZ"},
    {"DT_RELASZ without DT_RELA", m_no_rela, 0, ELF_E_DYNAMIC, "DT_RELASZ without DT_RELA"},
    {"no DT_RELAENT", m_no_relaent, 0, ELF_E_DYNAMIC, "entry size 0, expected 24 (DT_RELAENT)"},
    {"DT_RELAENT 16", m_relaent, 0, ELF_E_DYNAMIC, "entry size 16, expected 24"},
    {"DT_RELASZ not a multiple", m_relasz_odd, 0, ELF_E_DYNAMIC, "0x19 is not a multiple of 24"},
    {"too many relocations", m_relasz_many, 0, ELF_E_DYNAMIC,
     "too many relocations (1048577, at most 1048576)"},
    {"DT_RELA in BSS", m_rela_in_bss, 0, ELF_E_DYNAMIC, "not in the file bytes of a segment"},
    {"DT_RELA past its segment", m_rela_past_segment, 0, ELF_E_DYNAMIC,
     "not in the file bytes of a segment"},
    {"DT_RELA wild", m_rela_wild, 0, ELF_E_DYNAMIC, "not in the file bytes of a segment"},
    {"R_X86_64_64", m_r_64, 0, ELF_E_RELOC, "relocation 0 has unsupported type 1 (R_X86_64_64)"},
    {"R_X86_64_GLOB_DAT", m_r_glob_dat, 0, ELF_E_RELOC, "relocation 2 has unsupported type 6"},
    {"R_X86_64_JUMP_SLOT", m_r_jump_slot, 0, ELF_E_RELOC, "(R_X86_64_JUMP_SLOT)"},
    {"R_X86_64_IRELATIVE", m_r_irelative, 0, ELF_E_RELOC, "(R_X86_64_IRELATIVE)"},
    {"R_X86_64_TPOFF64", m_r_tpoff, 0, ELF_E_RELOC, "type 18 (a TLS relocation)"},
    {"relocation with symbol", m_r_symbol, 0, ELF_E_RELOC, "relocation 0 refers to symbol 1"},
    {"relocation far away", m_r_far, 0, ELF_E_RELOC,
     "relocation 5 writes outside the segments (0x100000)"},
    {"relocation straddles the end", m_r_straddle, 0, ELF_E_RELOC, "writes outside the segments"},
    {"relocation in a gap", m_r_gap, 0, ELF_E_RELOC, "writes outside the segments (0x3000)"},
    {"relocation address wraps", m_r_wraps, 0, ELF_E_RELOC, "writes outside the segments"},
};

#define REFUSALS (sizeof(refusals) / sizeof(refusals[0]))

static void test_refusal(void **state)
{
	const struct refusal *c = *state;
	struct fx pristine = fx_load("pointers_gcc.elf");
	struct elf_plan plan = fx_plan(&pristine), zero;
	struct fx f = fx_copy(&pristine, c->cut ? c->cut : pristine.size);
	char why[200] = "";
	int rc;

	if (c->mutate != NULL) {
		c->mutate(&f, &plan);
	}
	memset(&plan, 0x5a, sizeof(plan));
	memset(&zero, 0, sizeof(zero));
	rc = elf_plan(f.data, f.size, &plan, why, sizeof(why));
	if (rc != c->want || strstr(why, c->reason) == NULL) {
		fail_msg("%s: got %d \"%s\", want %d \"...%s...\"", c->name, rc, why, c->want,
			 c->reason);
	}
	assert_memory_equal(&plan, &zero, sizeof(plan));
	fx_free(&f);
	fx_free(&pristine);
}

/* The mutations above assume GNU ld's layout; say so clearly if it moves. */
static void test_layout(void **state)
{
	struct fx f = fx_load("pointers_gcc.elf");
	struct elf_plan plan = fx_plan(&f);

	(void)state;
	assert_int_equal(hdr(&f)->flags, PF_R);
	assert_int_equal(rx(&f)->flags, PF_R | PF_X);
	assert_int_equal(ro(&f)->flags, PF_R);
	assert_int_equal(rw(&f)->flags, PF_R | PF_W);
	assert_int_equal(rx(&f)->vaddr, 0x1000);
	assert_true(rx(&f)->filesz < 0x800);
	assert_int_equal(ro(&f)->vaddr, 0x2000);
	assert_true(rw(&f)->vaddr > 0x3000 && rw(&f)->vaddr < 0x4000);
	assert_int_equal(plan.rela_count, 6);
	fx_free(&f);
}

/* Every prefix of the file: refused (with a reason) exactly when it cuts
 * into bytes the loader needs; otherwise the plan is the full file's. */
static void test_truncation(void **state)
{
	struct fx f = fx_load(*state);
	struct elf_plan full = fx_plan(&f), plan;
	size_t need = fx_needed_size(&f);
	char why[200];

	assert_true(need <= f.size);
	for (size_t len = 0; len <= f.size; len++) {
		struct fx cut = fx_copy(&f, len);
		int rc;

		why[0] = 'x';
		rc = elf_plan(cut.data, cut.size, &plan, why, sizeof(why));
		if (len < need) {
			assert_true(rc < 0);
			assert_true(why[0] != '\0');
		} else if (rc != 0) {
			fail_msg("%s cut to %zu bytes: %s", f.name, len, why);
		} else {
			assert_memory_equal(&plan, &full, sizeof(plan));
		}
		fx_free(&cut);
	}
	fx_free(&f);
}

int main(void)
{
	static const char *const fixtures[] = {"pointers_gcc.elf", "pointers_clang.elf",
					       "pointers_exec.elf", "bss_gcc.elf",
					       "plain_exec.elf"};
	static char names[5][64];
	struct CMUnitTest tests[1 + REFUSALS + 5];
	size_t n = 0;

	tests[n++] = (struct CMUnitTest){.name = "gcc static-pie layout", .test_func = test_layout};
	for (size_t i = 0; i < REFUSALS; i++) {
		tests[n++] = (struct CMUnitTest){.name = refusals[i].name,
						 .test_func = test_refusal,
						 .initial_state = (void *)&refusals[i]};
	}
	for (size_t i = 0; i < 5; i++) {
		snprintf(names[i], sizeof(names[i]), "every truncation of %s", fixtures[i]);
		tests[n++] = (struct CMUnitTest){.name = names[i],
						 .test_func = test_truncation,
						 .initial_state = (void *)fixtures[i]};
	}
	return _cmocka_run_group_tests("test_elf_malformed", tests, n, NULL, NULL);
}
