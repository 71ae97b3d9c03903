/*
 * The self-test runner and the deliberate fault; see selftest.h.
 */
#include "tests/kernel/selftest.h"

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/qemu_exit.h"
#include "kernel/log.h"
#include "kernel/panic.h"

extern const struct ktest __ktests_start[], __ktests_end[];

void selftest_run_and_exit(void)
{
	int passed = 0, failed = 0;

	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
		const char *failure = t->run();
		if (failure == NULL) {
			log_info("selftest", "ok   %s", t->name);
			passed++;
		} else {
			log_error("selftest", "FAIL %s: %s", t->name, failure);
			failed++;
		}
	}
	log_info("selftest", "%d passed, %d failed", passed, failed);
	log_info("selftest", "%s", failed == 0 && passed > 0 ? "PASS" : "FAIL");
	qemu_exit(failed == 0 && passed > 0);
}

/*
 * The address comes from a volatile so the compiler cannot see the NULL
 * and turn the write into a trap instruction of its own.
 */
static volatile uintptr_t null_address = 0;

__attribute__((noinline)) static void selftest_write_through(uintptr_t address)
{
	*(volatile int *)address = 0x0bad;
}

void selftest_fault(void)
{
	log_info("selftest", "faulting on purpose: writing through a NULL pointer");
	selftest_write_through(null_address);
	panic("selftest: the NULL write did not fault");
}
