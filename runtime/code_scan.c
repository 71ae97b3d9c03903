/*
 * The forbidden-instruction scan; see code_scan.h. Every encoding starts
 * with 0F: prefixes (REX.W for the 64-bit forms, operand size, segment
 * overrides) come before it and do not matter.
 */
#include "runtime/code_scan.h"

#include <stdbool.h>

/* Byte i of code followed by after; 0 past the end of both. */
static uint8_t byte_at(const uint8_t *code, size_t len, const uint8_t *after, size_t after_len,
		       size_t i)
{
	if (i < len) {
		return code[i];
	}
	return i - len < after_len ? after[i - len] : 0;
}

static bool memory_operand_with_reg(uint8_t modrm, unsigned reg)
{
	return (modrm >> 6) != 3 && ((modrm >> 3) & 7) == reg;
}

int code_scan(const uint8_t *code, size_t len, const uint8_t *after, size_t after_len,
	      struct code_scan_hit *hit)
{
	for (size_t i = 0; i < len; i++) {
		if (code[i] != 0x0f) {
			continue;
		}
		uint8_t op = byte_at(code, len, after, after_len, i + 1);
		uint8_t modrm = byte_at(code, len, after, after_len, i + 2);
		const char *name = NULL;
		if (op == 0x01 && modrm == 0xef) {
			name = "WRPKRU";
		} else if (op == 0xae && memory_operand_with_reg(modrm, 5)) {
			name = "XRSTOR";
		} else if (op == 0xc7 && memory_operand_with_reg(modrm, 3)) {
			name = "XRSTORS";
		}
		if (name != NULL) {
			*hit = (struct code_scan_hit){.offset = i, .name = name};
			return 1;
		}
	}
	return 0;
}
