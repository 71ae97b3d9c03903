/*
 * isa-debug-exit; see qemu_exit.h.
 */
#include "arch/x86_64/qemu_exit.h"

#include "arch/x86_64/cpu.h"

#define DEBUG_EXIT_PORT	   0xf4
#define DEBUG_EXIT_SUCCESS 0x10
#define DEBUG_EXIT_FAILURE 0x11

void qemu_exit(bool success)
{
	outl(DEBUG_EXIT_PORT, success ? DEBUG_EXIT_SUCCESS : DEBUG_EXIT_FAILURE);
	for (;;) {
		__asm__ volatile("cli; hlt");
	}
}
