/*
 * runtime/elf_dynamic.c — decode PT_DYNAMIC and the relocation table; apply
 * the relocations.
 *
 * A static-pie app has no loader of its own, so the only fix-up its image
 * needs is R_X86_64_RELATIVE: "the load bias plus this addend", one per
 * absolute address in its data. Everything in PT_DYNAMIC that would need
 * more is refused by name: imports (DT_NEEDED), REL tables (no addend),
 * PLT relocations (DT_JMPREL), packed RELR tables, and initializers we
 * would never run. Other tags (hash tables, symbol tables, flags, debug)
 * are read past: a static-pie carries them but needs none.
 *
 * The table (DT_RELA, DT_RELASZ, DT_RELAENT) is found by address, so it
 * must map to file bytes of one PT_LOAD; from then on it is read from the
 * file, never from the image, so nothing the relocations write can change
 * what they are. Every entry is checked in elf_plan_dynamic, which is why
 * elf_relocate cannot fail: it re-reads the checked entries and writes.
 *
 * Callers: runtime/elf.c (elf_plan_dynamic); the API in runtime/elf.h.
 */
#include "runtime/elf_dynamic.h"

#include "lib/string.h"

#define DT_NULL		  0
#define DT_NEEDED	  1
#define DT_PLTRELSZ	  2
#define DT_RELA		  7
#define DT_RELASZ	  8
#define DT_RELAENT	  9
#define DT_INIT		  12
#define DT_REL		  17
#define DT_RELSZ	  18
#define DT_RELENT	  19
#define DT_PLTREL	  20
#define DT_JMPREL	  23
#define DT_INIT_ARRAY	  25
#define DT_PREINIT_ARRAY  32
#define DT_RELRSZ	  35
#define DT_RELR		  36
#define DT_RELRENT	  37
#define R_X86_64_NONE	  0
#define R_X86_64_RELATIVE 8
#define ELF_RELOC_SIZE	  8u /* R_X86_64_RELATIVE writes a 64-bit word */

/* The relocation table as PT_DYNAMIC describes it. */
struct elf_dyn_info {
	bool has_rela, has_relasz, has_relaent;
	uint64_t rela, relasz, relaent;
};

/* A refusal for a tag whose meaning the loader cannot honour, else 0. */
static int elf_refuse_tag(const struct elf_input *in, int64_t tag)
{
	switch (tag) {
	case DT_NEEDED:
		return elf_refuse(in, ELF_E_UNSUPPORTED,
				  "imports a shared library (DT_NEEDED): link with -static-pie");
	case DT_REL:
	case DT_RELSZ:
	case DT_RELENT:
		return elf_refuse(in, ELF_E_UNSUPPORTED,
				  "has REL relocations (DT_REL); only RELA is supported");
	case DT_JMPREL:
	case DT_PLTRELSZ:
	case DT_PLTREL:
		return elf_refuse(in, ELF_E_UNSUPPORTED, "has PLT relocations (DT_JMPREL)");
	case DT_RELR:
	case DT_RELRSZ:
	case DT_RELRENT:
		return elf_refuse(
		    in, ELF_E_UNSUPPORTED,
		    "has packed relocations (DT_RELR): link without -z pack-relative-relocs");
	case DT_INIT:
	case DT_INIT_ARRAY:
	case DT_PREINIT_ARRAY:
		return elf_refuse(in, ELF_E_UNSUPPORTED,
				  "has initializers (DT_INIT/DT_INIT_ARRAY), which the loader does "
				  "not run");
	default:
		return 0;
	}
}

/* Reads the entries of PT_DYNAMIC up to DT_NULL into info. */
static int elf_read_dynamic(const struct elf_input *in, uint64_t off, uint64_t size,
			    struct elf_dyn_info *info)
{
	struct elf64_dyn dyn;

	if (off > in->size || size > in->size - off) {
		return elf_refuse(in, ELF_E_DYNAMIC,
				  "dynamic section ends past the file (0x%lx+0x%lx > 0x%zx)", off,
				  size, in->size);
	}
	if (size % sizeof(dyn) != 0) {
		return elf_refuse(in, ELF_E_DYNAMIC,
				  "dynamic section size 0x%lx is not a multiple of 16", size);
	}
	for (uint64_t at = 0; at < size; at += sizeof(dyn)) {
		int rc;

		memcpy(&dyn, in->file + off + at, sizeof(dyn));
		if (dyn.tag == DT_NULL) {
			return 0;
		}
		rc = elf_refuse_tag(in, dyn.tag);
		if (rc != 0) {
			return rc;
		}
		if (dyn.tag == DT_RELA) {
			info->has_rela = true;
			info->rela = dyn.val;
		} else if (dyn.tag == DT_RELASZ) {
			info->has_relasz = true;
			info->relasz = dyn.val;
		} else if (dyn.tag == DT_RELAENT) {
			info->has_relaent = true;
			info->relaent = dyn.val;
		}
	}
	return elf_refuse(in, ELF_E_DYNAMIC, "dynamic section has no DT_NULL terminator");
}

/* Where [vaddr, + len) lies in the file, if it lies in the file bytes of one
 * segment. */
static bool elf_vaddr_to_file(const struct elf_plan *plan, uint64_t vaddr, uint64_t len,
			      uint64_t *file_offset)
{
	uint64_t off;

	if (vaddr < plan->link_base) {
		return false;
	}
	off = vaddr - plan->link_base;
	for (unsigned i = 0; i < plan->segment_count; i++) {
		const struct elf_segment *seg = &plan->segments[i];
		if (off >= seg->offset && len <= seg->file_size &&
		    off - seg->offset <= seg->file_size - len) {
			*file_offset = seg->file_offset + (off - seg->offset);
			return true;
		}
	}
	return false;
}

/* True when the 8 bytes at link-time address vaddr lie inside one segment. */
static bool elf_target_ok(const struct elf_plan *plan, uint64_t vaddr)
{
	uint64_t off;

	if (vaddr < plan->link_base) {
		return false;
	}
	off = vaddr - plan->link_base;
	for (unsigned i = 0; i < plan->segment_count; i++) {
		const struct elf_segment *seg = &plan->segments[i];
		if (off >= seg->offset && seg->mem_size >= ELF_RELOC_SIZE &&
		    off - seg->offset <= seg->mem_size - ELF_RELOC_SIZE) {
			return true;
		}
	}
	return false;
}

/* DT_RELA, DT_RELASZ and DT_RELAENT agree and name file bytes: record them. */
static int elf_check_rela_table(const struct elf_input *in, const struct elf_dyn_info *info,
				struct elf_plan *plan)
{
	uint64_t count;

	if (!info->has_rela && !info->has_relasz) {
		return 0;
	}
	if (!info->has_rela || !info->has_relasz) {
		return elf_refuse(in, ELF_E_DYNAMIC, "%s without %s",
				  info->has_rela ? "DT_RELA" : "DT_RELASZ",
				  info->has_rela ? "DT_RELASZ" : "DT_RELA");
	}
	if (!info->has_relaent || info->relaent != sizeof(struct elf64_rela)) {
		return elf_refuse(in, ELF_E_DYNAMIC,
				  "relocation entry size %lu, expected 24 (DT_RELAENT)",
				  info->has_relaent ? info->relaent : 0);
	}
	if (info->relasz % sizeof(struct elf64_rela) != 0) {
		return elf_refuse(in, ELF_E_DYNAMIC,
				  "relocation table size 0x%lx is not a multiple of 24",
				  info->relasz);
	}
	count = info->relasz / sizeof(struct elf64_rela);
	if (count > ELF_MAX_RELOCATIONS) {
		return elf_refuse(in, ELF_E_DYNAMIC, "too many relocations (%lu, at most %llu)",
				  count, ELF_MAX_RELOCATIONS);
	}
	if (count > 0 &&
	    !elf_vaddr_to_file(plan, info->rela, info->relasz, &plan->rela_file_offset)) {
		return elf_refuse(
		    in, ELF_E_DYNAMIC,
		    "relocation table 0x%lx+0x%lx is not in the file bytes of a segment",
		    info->rela, info->relasz);
	}
	plan->rela_count = count;
	return 0;
}

static const char *elf_reloc_name(uint32_t type)
{
	switch (type) {
	case 1:
		return "R_X86_64_64";
	case 5:
		return "R_X86_64_COPY";
	case 6:
		return "R_X86_64_GLOB_DAT";
	case 7:
		return "R_X86_64_JUMP_SLOT";
	case 16:
	case 17:
	case 18:
		return "a TLS relocation";
	case 37:
		return "R_X86_64_IRELATIVE";
	default:
		return "unknown";
	}
}

/* Every entry is NONE, or RELATIVE without symbol with its target inside
 * one segment. */
static int elf_check_relas(const struct elf_input *in, const struct elf_plan *plan)
{
	struct elf64_rela r;

	for (uint64_t i = 0; i < plan->rela_count; i++) {
		uint32_t type, sym;

		memcpy(&r, in->file + plan->rela_file_offset + i * sizeof(r), sizeof(r));
		type = (uint32_t)r.info;
		sym = (uint32_t)(r.info >> 32);
		if (type == R_X86_64_NONE) {
			continue;
		}
		if (type != R_X86_64_RELATIVE) {
			return elf_refuse(in, ELF_E_RELOC,
					  "relocation %lu has unsupported type %u (%s); only "
					  "R_X86_64_RELATIVE is supported",
					  i, type, elf_reloc_name(type));
		}
		if (sym != 0) {
			return elf_refuse(in, ELF_E_RELOC, "relocation %lu refers to symbol %u", i,
					  sym);
		}
		if (!elf_target_ok(plan, r.offset)) {
			return elf_refuse(in, ELF_E_RELOC,
					  "relocation %lu writes outside the segments (0x%lx)", i,
					  r.offset);
		}
	}
	return 0;
}

int elf_plan_dynamic(const struct elf_input *in, uint64_t dyn_offset, uint64_t dyn_size,
		     struct elf_plan *plan)
{
	struct elf_dyn_info info;
	int rc;

	memset(&info, 0, sizeof(info));
	rc = elf_read_dynamic(in, dyn_offset, dyn_size, &info);
	if (rc == 0) {
		rc = elf_check_rela_table(in, &info, plan);
	}
	if (rc == 0) {
		rc = elf_check_relas(in, plan);
	}
	return rc;
}

void elf_relocate(const struct elf_plan *plan, const void *file, uint8_t *image,
		  uint64_t load_address)
{
	const uint8_t *table = (const uint8_t *)file + plan->rela_file_offset;
	uint64_t bias = load_address - plan->link_base; /* modulo 2^64, on purpose */
	struct elf64_rela r;

	for (uint64_t i = 0; i < plan->rela_count; i++) {
		memcpy(&r, table + i * sizeof(r), sizeof(r));
		if ((uint32_t)r.info == R_X86_64_RELATIVE) {
			uint64_t value = bias + (uint64_t)r.addend;
			memcpy(image + (r.offset - plan->link_base), &value, sizeof(value));
		}
	}
}
