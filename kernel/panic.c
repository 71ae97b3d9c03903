/*
 * panic() implementation; see panic.h. Interrupts stay off from the first
 * line on: nothing may run after the kernel declared itself broken.
 */
#include "kernel/panic.h"

#include <stdarg.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/qemu_exit.h"
#include "kernel/log.h"

static bool exit_on_panic;
static bool panicking;

void panic_exit_on_panic(bool enable)
{
	exit_on_panic = enable;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	irq_disable();
	if (!panicking) {
		panicking = true;
		va_start(ap, fmt);
		log_vprintf(LOG_FATAL, "panic", fmt, ap);
		va_end(ap);
		log_fatal("panic", "system halted");
	}
	if (exit_on_panic) {
		qemu_exit(false);
	}
	for (;;) {
		__asm__ volatile("cli; hlt");
	}
}
