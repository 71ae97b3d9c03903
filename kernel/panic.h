/*
 * panic(): the kernel found one of its own invariants broken. It logs the
 * reason (to serial and screen), then either exits QEMU with a failure code
 * (self-test mode, so a test run ends at once) or stops the CPU for good.
 * Never for bad input from an app, a file or a device: those get an error.
 */
#pragma once

#include <stdbool.h>

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* In self-test mode a panic ends the run with a failure code. */
void panic_exit_on_panic(bool enable);
