/*
 * runtime/elf.c — decode an app's ELF header and program headers into a plan;
 * lay the image out. Relocations are in elf_dynamic.c.
 *
 * The decode runs in four steps, each refusing with its own reason:
 *   1. the file header: magic, class, byte order, version, machine, type,
 *      and where the program header table is;
 *   2. each program header on its own: a PT_LOAD must be self-consistent
 *      (file range in the file, filesz <= memsz, vaddr congruent to offset,
 *      no address overflow, not both writable and executable); PT_INTERP
 *      and PT_TLS are refused; PT_DYNAMIC is remembered;
 *   3. the PT_LOADs together: sorted by address they must not share a page
 *      (a page has one protection, so W^X holds per page), their span must
 *      stay under ELF_MAX_IMAGE_SIZE, and the entry point must lie in the
 *      file bytes of an executable one;
 *   4. PT_DYNAMIC and the relocations (elf_dynamic.c).
 *
 * Rule of every check: a value read from the file is compared with a bound
 * by subtraction from the bound, so no sum can overflow, and nothing is
 * read from the file before the range it lies in has been checked. A
 * PT_LOAD with memsz 0 occupies nothing and is skipped (clang emits one).
 *
 * Callers: see runtime/elf.h.
 */
#include "runtime/elf.h"

#include <stdarg.h>

#include "lib/format.h"
#include "lib/string.h"
#include "runtime/elf_dynamic.h"

#define EI_CLASS      4
#define EI_DATA	      5
#define EI_VERSION    6
#define ELFCLASS64    2
#define ELFDATA2LSB   1
#define EV_CURRENT    1
#define ET_EXEC	      2
#define ET_DYN	      3
#define EM_X86_64     62
#define PN_XNUM	      0xffffu
#define PT_LOAD	      1
#define PT_DYNAMIC    2
#define PT_INTERP     3
#define PT_TLS	      7
#define PF_X	      1u
#define PF_W	      2u
#define PF_R	      4u
#define ELF_PAGE_MASK ((uint64_t)ELF_PAGE_SIZE - 1)

/* Decode state: the input, what the headers said, and for each segment the
 * link-time address and program header index (for messages). */
struct elf_decode {
	struct elf_input in;
	struct elf64_ehdr eh;
	uint64_t vaddr[ELF_MAX_SEGMENTS];
	unsigned index[ELF_MAX_SEGMENTS];
	bool has_dynamic;
	uint64_t dyn_offset;
	uint64_t dyn_size;
};

int elf_refuse(const struct elf_input *in, int code, const char *fmt, ...)
{
	va_list ap;

	if (in->why != NULL && in->why_len > 0) {
		va_start(ap, fmt);
		fmt_vsnprintf(in->why, in->why_len, fmt, ap);
		va_end(ap);
	}
	return code;
}

static uint64_t elf_page_down(uint64_t v)
{
	return v & ~ELF_PAGE_MASK;
}

/* Callers ensure v <= UINT64_MAX - ELF_PAGE_MASK. */
static uint64_t elf_page_up(uint64_t v)
{
	return (v + ELF_PAGE_MASK) & ~ELF_PAGE_MASK;
}

/* Step 1, the file header. */
static int elf_check_header(struct elf_decode *d)
{
	const struct elf_input *in = &d->in;
	const struct elf64_ehdr *eh = &d->eh;
	static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};
	size_t n = in->size < 4 ? in->size : 4;

	if (n > 0 && memcmp(in->file, magic, n) != 0) {
		return elf_refuse(in, ELF_E_NOT_ELF, "not an ELF file (no \\x7fELF magic)");
	}
	if (in->size < sizeof(*eh)) {
		return elf_refuse(in, ELF_E_NOT_ELF, "truncated ELF header (%zu of 64 bytes)",
				  in->size);
	}
	memcpy(&d->eh, in->file, sizeof(d->eh));
	if (eh->ident[EI_CLASS] != ELFCLASS64) {
		return elf_refuse(in, ELF_E_HEADER, "not a 64-bit ELF file (class %u)",
				  eh->ident[EI_CLASS]);
	}
	if (eh->ident[EI_DATA] != ELFDATA2LSB) {
		return elf_refuse(in, ELF_E_HEADER, "not little-endian (data encoding %u)",
				  eh->ident[EI_DATA]);
	}
	if (eh->ident[EI_VERSION] != EV_CURRENT || eh->version != EV_CURRENT) {
		return elf_refuse(in, ELF_E_HEADER, "unsupported ELF version %u/%u",
				  eh->ident[EI_VERSION], eh->version);
	}
	if (eh->machine != EM_X86_64) {
		return elf_refuse(in, ELF_E_HEADER, "not an x86-64 file (machine %u)", eh->machine);
	}
	if (eh->type != ET_EXEC && eh->type != ET_DYN) {
		return elf_refuse(in, ELF_E_HEADER,
				  "not an executable (type %u; ET_EXEC or ET_DYN expected)",
				  eh->type);
	}
	if (eh->ehsize < sizeof(*eh)) {
		return elf_refuse(in, ELF_E_HEADER, "ELF header size %u, expected 64", eh->ehsize);
	}
	return 0;
}

/* Step 1, continued: the program header table lies in the file. */
static int elf_check_phdr_table(struct elf_decode *d)
{
	const struct elf_input *in = &d->in;
	const struct elf64_ehdr *eh = &d->eh;

	if (eh->phentsize != sizeof(struct elf64_phdr)) {
		return elf_refuse(in, ELF_E_PHDR, "program header entry size %u, expected 56",
				  eh->phentsize);
	}
	if (eh->phnum == 0) {
		return elf_refuse(in, ELF_E_PHDR, "no program headers");
	}
	if (eh->phnum == PN_XNUM) {
		return elf_refuse(in, ELF_E_PHDR, "too many program headers (extended numbering)");
	}
	if (eh->phoff > in->size ||
	    (uint64_t)eh->phnum * sizeof(struct elf64_phdr) > in->size - eh->phoff) {
		return elf_refuse(in, ELF_E_PHDR,
				  "program headers end past the file (0x%lx+%u*56 > 0x%zx)",
				  eh->phoff, eh->phnum, in->size);
	}
	return 0;
}

/* Step 2, one PT_LOAD (program header i) on its own. */
static int elf_check_load(const struct elf_decode *d, unsigned i, const struct elf64_phdr *ph)
{
	const struct elf_input *in = &d->in;
	uint64_t modulus = ph->align > ELF_PAGE_SIZE ? ph->align : ELF_PAGE_SIZE;
	uint64_t limit = UINT64_MAX - ELF_PAGE_MASK;

	if (ph->filesz > ph->memsz) {
		return elf_refuse(in, ELF_E_SEGMENT,
				  "segment %u: file size 0x%lx > memory size 0x%lx", i, ph->filesz,
				  ph->memsz);
	}
	if (ph->offset > in->size || ph->filesz > in->size - ph->offset) {
		return elf_refuse(in, ELF_E_SEGMENT,
				  "segment %u ends past the file (0x%lx+0x%lx > 0x%zx)", i,
				  ph->offset, ph->filesz, in->size);
	}
	if ((ph->align & (ph->align - 1)) != 0) {
		return elf_refuse(in, ELF_E_SEGMENT,
				  "segment %u: alignment 0x%lx is not a power of two", i,
				  ph->align);
	}
	if (ph->vaddr % modulus != ph->offset % modulus) {
		return elf_refuse(
		    in, ELF_E_SEGMENT,
		    "segment %u: vaddr 0x%lx and file offset 0x%lx differ modulo 0x%lx", i,
		    ph->vaddr, ph->offset, modulus);
	}
	if (ph->vaddr > limit || ph->memsz > limit - ph->vaddr) {
		return elf_refuse(in, ELF_E_SEGMENT, "segment %u: address overflow (0x%lx+0x%lx)",
				  i, ph->vaddr, ph->memsz);
	}
	if ((ph->flags & PF_W) && (ph->flags & PF_X)) {
		return elf_refuse(in, ELF_E_SEGMENT,
				  "segment %u is both writable and executable (W^X)", i);
	}
	return 0;
}

static uint32_t elf_prot(uint32_t p_flags)
{
	return ((p_flags & PF_R) ? ELF_PROT_R : 0u) | ((p_flags & PF_W) ? ELF_PROT_W : 0u) |
	       ((p_flags & PF_X) ? ELF_PROT_X : 0u);
}

/* Step 2, one PT_LOAD: check it and add it to the plan (offset = vaddr for
 * now; step 3 makes it relative to link_base). */
static int elf_add_load(struct elf_decode *d, struct elf_plan *plan, unsigned i,
			const struct elf64_phdr *ph)
{
	int rc = elf_check_load(d, i, ph);
	struct elf_segment *seg;

	if (rc != 0 || ph->memsz == 0) {
		return rc;
	}
	if (plan->segment_count == ELF_MAX_SEGMENTS) {
		return elf_refuse(&d->in, ELF_E_LAYOUT, "more than %d loadable segments",
				  ELF_MAX_SEGMENTS);
	}
	d->vaddr[plan->segment_count] = ph->vaddr;
	d->index[plan->segment_count] = i;
	seg = &plan->segments[plan->segment_count++];
	seg->offset = ph->vaddr;
	seg->file_offset = ph->offset;
	seg->file_size = ph->filesz;
	seg->mem_size = ph->memsz;
	seg->prot = elf_prot(ph->flags);
	return 0;
}

/* Step 2, every program header. */
static int elf_scan_phdrs(struct elf_decode *d, struct elf_plan *plan)
{
	const struct elf_input *in = &d->in;
	struct elf64_phdr ph;
	int rc = 0;

	for (unsigned i = 0; i < d->eh.phnum && rc == 0; i++) {
		memcpy(&ph, in->file + d->eh.phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		switch (ph.type) {
		case PT_LOAD:
			rc = elf_add_load(d, plan, i, &ph);
			break;
		case PT_INTERP:
			rc =
			    elf_refuse(in, ELF_E_UNSUPPORTED,
				       "needs a dynamic linker (PT_INTERP): link with -static-pie");
			break;
		case PT_TLS:
			rc = elf_refuse(
			    in, ELF_E_UNSUPPORTED,
			    "uses thread-local storage (PT_TLS), which apps do not have");
			break;
		case PT_DYNAMIC:
			if (d->has_dynamic) {
				rc = elf_refuse(in, ELF_E_DYNAMIC, "more than one PT_DYNAMIC");
			}
			d->has_dynamic = true;
			d->dyn_offset = ph.offset;
			d->dyn_size = ph.filesz;
			break;
		default:
			break; /* notes, GNU_STACK, GNU_RELRO, ...: nothing to load */
		}
	}
	return rc;
}

/* Sorts the segments by address (insertion sort: at most 16, usually 4). */
static void elf_sort_segments(struct elf_decode *d, struct elf_plan *plan)
{
	for (unsigned i = 1; i < plan->segment_count; i++) {
		for (unsigned j = i; j > 0 && d->vaddr[j - 1] > d->vaddr[j]; j--) {
			struct elf_segment seg = plan->segments[j];
			uint64_t vaddr = d->vaddr[j];
			unsigned index = d->index[j];

			plan->segments[j] = plan->segments[j - 1];
			d->vaddr[j] = d->vaddr[j - 1];
			d->index[j] = d->index[j - 1];
			plan->segments[j - 1] = seg;
			d->vaddr[j - 1] = vaddr;
			d->index[j - 1] = index;
		}
	}
}

/* True when the entry point is in the file bytes of an executable segment. */
static bool elf_entry_ok(const struct elf_decode *d, const struct elf_plan *plan)
{
	uint64_t entry = d->eh.entry;

	for (unsigned i = 0; i < plan->segment_count; i++) {
		const struct elf_segment *seg = &plan->segments[i];
		if ((seg->prot & ELF_PROT_X) && entry >= d->vaddr[i] &&
		    entry - d->vaddr[i] < seg->file_size) {
			return true;
		}
	}
	return false;
}

/* Step 3, the PT_LOADs together. */
static int elf_check_layout(struct elf_decode *d, struct elf_plan *plan)
{
	const struct elf_input *in = &d->in;
	unsigned n = plan->segment_count;
	uint64_t end;

	if (n == 0) {
		return elf_refuse(in, ELF_E_LAYOUT, "no loadable segment (PT_LOAD)");
	}
	elf_sort_segments(d, plan);
	for (unsigned i = 1; i < n; i++) {
		uint64_t prev_size = plan->segments[i - 1].mem_size;
		if (elf_page_up(d->vaddr[i - 1] + prev_size) > elf_page_down(d->vaddr[i])) {
			return elf_refuse(in, ELF_E_LAYOUT,
					  "segments %u and %u overlap or share a page (0x%lx+0x%lx "
					  "and 0x%lx+0x%lx)",
					  d->index[i - 1], d->index[i], d->vaddr[i - 1], prev_size,
					  d->vaddr[i], plan->segments[i].mem_size);
		}
	}
	/* Sorted and disjoint: the last segment ends last. */
	plan->link_base = elf_page_down(d->vaddr[0]);
	end = elf_page_up(d->vaddr[n - 1] + plan->segments[n - 1].mem_size);
	if (end - plan->link_base > ELF_MAX_IMAGE_SIZE) {
		return elf_refuse(in, ELF_E_LAYOUT, "image spans 0x%lx bytes, more than %llu MiB",
				  end - plan->link_base, ELF_MAX_IMAGE_SIZE >> 20);
	}
	if (!elf_entry_ok(d, plan)) {
		return elf_refuse(
		    in, ELF_E_LAYOUT,
		    "entry point 0x%lx is not in the file bytes of an executable segment",
		    d->eh.entry);
	}
	plan->image_size = end - plan->link_base;
	plan->entry_offset = d->eh.entry - plan->link_base;
	plan->relocatable = d->eh.type == ET_DYN;
	for (unsigned i = 0; i < n; i++) {
		plan->segments[i].offset = d->vaddr[i] - plan->link_base;
	}
	return 0;
}

int elf_plan(const void *file, size_t size, struct elf_plan *plan, char *why, size_t why_len)
{
	struct elf_decode d;
	int rc;

	memset(&d, 0, sizeof(d));
	memset(plan, 0, sizeof(*plan));
	d.in = (struct elf_input){.file = file, .size = size, .why = why, .why_len = why_len};
	if (why != NULL && why_len > 0) {
		why[0] = '\0';
	}
	rc = elf_check_header(&d);
	if (rc == 0) {
		rc = elf_check_phdr_table(&d);
	}
	if (rc == 0) {
		rc = elf_scan_phdrs(&d, plan);
	}
	if (rc == 0) {
		rc = elf_check_layout(&d, plan);
	}
	if (rc == 0 && d.has_dynamic) {
		rc = elf_plan_dynamic(&d.in, d.dyn_offset, d.dyn_size, plan);
	}
	if (rc != 0) {
		memset(plan, 0, sizeof(*plan)); /* a refused plan is never half-used */
	}
	return rc;
}

void elf_fill_image(const struct elf_plan *plan, const void *file, uint8_t *image)
{
	const uint8_t *bytes = file;

	memset(image, 0, plan->image_size);
	for (unsigned i = 0; i < plan->segment_count; i++) {
		const struct elf_segment *seg = &plan->segments[i];
		memcpy(image + seg->offset, bytes + seg->file_offset, seg->file_size);
	}
}
