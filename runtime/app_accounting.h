/*
 * What an app's calls have cost: one struct, so that whoever keeps or
 * shows it (the app table, snapshots, the shell's ps) copies it whole.
 */
#pragma once

#include <stdint.h>

struct app_accounting {
	uint64_t calls, total_ns, max_ns;
	uint32_t faults, aborts, restarts;
};
