/*
 * The kernel's own symbol table (generated at build time by
 * tools/gen-ksyms.py): turns a code address into "function+0xoffset" for
 * exception reports and backtraces.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The function containing addr and the offset into it; false if none. */
bool ksyms_lookup(uintptr_t addr, const char **name, uintptr_t *offset);

/* Writes "<name+0xoff>" or "<?>" into buf (always NUL-terminated). */
void ksyms_describe(uintptr_t addr, char *buf, size_t size);

/* Whether addr lies in the kernel's code. */
bool ksyms_is_kernel_text(uintptr_t addr);
