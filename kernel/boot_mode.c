/*
 * Starting the registered boot modes; see boot_mode.h.
 */
#include "kernel/boot_mode.h"

#include "kernel/cmdline.h"

extern const struct boot_mode __boot_modes_start[], __boot_modes_end[];

void boot_modes_start(const char *cmdline)
{
	for (const struct boot_mode *m = __boot_modes_start; m < __boot_modes_end; m++) {
		const char *value;
		size_t len;
		if (cmdline_find(cmdline, m->word, &value, &len)) {
			m->start(value, len);
		}
	}
}
