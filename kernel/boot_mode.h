/*
 * Boot modes: optional ways a boot can run, each started when its word is
 * on the kernel command line (`bench`, or `bench=VALUE`: the mode gets the
 * value, "" for the bare word). A mode registers itself where it is
 * defined, with BOOT_MODE, in a table the linker gathers (.boot_modes), so
 * the boot sequence starts whatever modes exist without naming any: the
 * benchmark is called by nobody.
 */
#pragma once

#include <stddef.h>

struct boot_mode {
	const char *word; /* the command-line word that selects it */
	void (*start)(const char *value, size_t len);
};

/* Register mode `word`: start() runs once the desktop is up. */
#define BOOT_MODE(ident, word_, start_)                                                            \
	__attribute__((used, section(".boot_modes"),                                               \
		       aligned(8))) static const struct boot_mode ident = {.word = (word_),        \
									   .start = (start_)}

/* Start every registered mode whose word is on cmdline, in link order. */
void boot_modes_start(const char *cmdline);
