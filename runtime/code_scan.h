/*
 * The instructions an app's code may not contain, because with them an
 * app could change its own protection-key rights (docs/isolation.md):
 * WRPKRU (0F 01 EF), and XRSTOR (0F AE /5) and XRSTORS (0F C7 /3) with a
 * memory operand, which can load PKRU from a forged XSAVE area. The scan
 * is ERIM's: every byte offset, not just instruction boundaries, since a
 * jump may land in the middle of an instruction.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct code_scan_hit {
	size_t offset;	  /* where the forbidden bytes start */
	const char *name; /* "WRPKRU", "XRSTOR" or "XRSTORS" */
};

/*
 * Scan len executable bytes. Returns 1 with *hit filled at the first
 * forbidden sequence that starts in [0, len), else 0. `after` holds the
 * bytes that follow code[len - 1] in memory when they are executable too
 * (the next executable page), so that a sequence straddling the end is
 * found; after_len may be 0.
 */
int code_scan(const uint8_t *code, size_t len, const uint8_t *after, size_t after_len,
	      struct code_scan_hit *hit);
