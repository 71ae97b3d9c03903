/*
 * Frame-pointer backtrace; see backtrace.h. Each frame is [rbp] = the
 * caller's rbp, [rbp + 8] = the return address. The walk stops at a zero
 * rbp (boot.S clears it before kmain), at an unmapped or misaligned one, at
 * a return address outside kernel text, or after BACKTRACE_MAX_DEPTH.
 */
#include "kernel/backtrace.h"

#include <stdbool.h>

#include "arch/x86_64/paging.h"
#include "kernel/ksyms.h"
#include "kernel/log.h"

static void backtrace_line(int depth, uint64_t addr, bool certain)
{
	char where[96];

	ksyms_describe(addr, where, sizeof(where));
	log_fatal("trap", "  #%d %016llx %s%s", depth, (unsigned long long)addr,
		  certain ? "" : "? ", where);
}

/* A return address: inside kernel text, right after a 5-byte near call. */
static bool looks_like_return(uint64_t addr)
{
	return ksyms_is_kernel_text(addr) && ksyms_is_kernel_text(addr - 5) &&
	       *(const uint8_t *)(addr - 5) == 0xe8;
}

static bool frame_readable(uint64_t rbp)
{
	return rbp != 0 && (rbp & 7) == 0 && paging_is_mapped(rbp) && paging_is_mapped(rbp + 8);
}

void backtrace_log(uint64_t rip, uint64_t rbp, uint64_t rsp)
{
	int depth = 1;

	log_fatal("trap", "Backtrace:");
	backtrace_line(0, rip, true);
	if (frame_readable(rsp)) {
		uint64_t top = *(const uint64_t *)rsp;
		bool chained = frame_readable(rbp) && ((const uint64_t *)rbp)[1] == top;
		if (!chained && looks_like_return(top)) {
			backtrace_line(depth++, top - 1, false);
		}
	}
	for (; depth < BACKTRACE_MAX_DEPTH && frame_readable(rbp); depth++) {
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t ret = frame[1];
		if (!ksyms_is_kernel_text(ret)) {
			break;
		}
		/* ret points after the call; ret - 1 names the calling function. */
		backtrace_line(depth, ret - 1, true);
		if (frame[0] <= rbp) {
			break; /* stacks grow down: the caller's frame is higher */
		}
		rbp = frame[0];
	}
}
