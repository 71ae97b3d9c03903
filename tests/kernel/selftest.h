/*
 * In-kernel self-tests, run when the kernel command line says `selftest`.
 * They test what only the real machine can: the page tables the CPU walks,
 * the frame allocator over the real memory map, the heap growing from it,
 * the calibrated clock against real timer interrupts.
 *
 * A test is a function returning NULL on success or a message saying what
 * failed; KTEST() registers it in the .ktests section, so adding a test is
 * adding a function. Results go to the log as
 *     selftest: ok   NAME
 *     selftest: FAIL NAME: reason
 * then `selftest: N passed, N failed` and `selftest: PASS` or `FAIL`, and
 * QEMU exits with the matching status (arch/x86_64/qemu_exit.h).
 */
#pragma once

#include <stddef.h>

struct ktest {
	const char *name;
	const char *(*run)(void);
};

#define KTEST_STR2(x) #x
#define KTEST_STR(x)  KTEST_STR2(x)

#define KTEST(fn)                                                                                  \
	static const char *fn(void);                                                               \
	static const struct ktest ktest_##fn                                                       \
	    __attribute__((used, section(".ktests"), aligned(8))) = {#fn, fn};                     \
	static const char *fn(void)

/* Fail the current test with file:line and the condition's text. */
#define KEXPECT(cond)                                                                              \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			return __FILE__ ":" KTEST_STR(__LINE__) ": " #cond;                        \
		}                                                                                  \
	} while (0)

__attribute__((noreturn)) void selftest_run_and_exit(void);

/* Dereference NULL in kernel code: the exception report must follow. */
__attribute__((noreturn)) void selftest_fault(void);
