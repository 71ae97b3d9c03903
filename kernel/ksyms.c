/*
 * Symbol lookup by binary search over the generated, address-sorted table.
 * Pure reads of read-only data: safe from the trap path.
 */
#include "kernel/ksyms.h"

#include "lib/format.h"

extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addr[];
extern const uint32_t ksyms_name_offset[];
extern const char ksyms_names[];
extern const char __text_start[], __text_end[];

bool ksyms_is_kernel_text(uintptr_t addr)
{
	return addr >= (uintptr_t)__text_start && addr < (uintptr_t)__text_end;
}

bool ksyms_lookup(uintptr_t addr, const char **name, uintptr_t *offset)
{
	if (!ksyms_is_kernel_text(addr) || ksyms_count == 0 || addr < ksyms_addr[0]) {
		return false;
	}
	uint64_t lo = 0, hi = ksyms_count; /* invariant: ksyms_addr[lo] <= addr */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (ksyms_addr[mid] <= addr) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	*name = ksyms_names + ksyms_name_offset[lo];
	*offset = addr - ksyms_addr[lo];
	return true;
}

void ksyms_describe(uintptr_t addr, char *buf, size_t size)
{
	const char *name;
	uintptr_t offset;

	if (ksyms_lookup(addr, &name, &offset)) {
		fmt_snprintf(buf, size, "<%s+%#lx>", name, (unsigned long)offset);
	} else {
		fmt_snprintf(buf, size, "<?>");
	}
}
