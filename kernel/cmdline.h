/*
 * The kernel command line (from GRUB's multiboot2 line): space-separated
 * words, each `key` or `key=value`. Recognised keys:
 *   selftest          run the in-kernel tests, then exit QEMU pass/fail
 *   selftest=fault    fault on purpose in kernel code (tests the report)
 *   panic=halt        in test mode, stay on the panic screen instead of
 *                     exiting QEMU (to look at or screenshot the report)
 *   apps=none         start no app at boot (the boot screen and the
 *                     pointer test pattern stay; the shell's apps remain
 *                     startable)
 *   loglevel=LEVEL    debug, info (default), warn, error
 *   bench             boot the desktop, run the benchmark (bench/bench.c),
 *                     print `bench:` lines, then exit QEMU with success
 *   bench=ladder      only the dispatch ladder and the Context calls (the
 *                     instruction-count boot: under QEMU's -icount the
 *                     guest's TSC counts instructions)
 *   pci=portio        reach PCI configuration space through ports 0xcf8/0xcfc
 *                     even when ACPI offers ECAM (to test the fallback)
 * Unknown words are logged and ignored. Pure logic, host-testable.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Find `key` in cmdline; on success *value points at its value (may be
 * empty) and *len is its length. */
bool cmdline_find(const char *cmdline, const char *key, const char **value, size_t *len);

/* Whether `key` is present with exactly `value` ("" for a bare key). */
bool cmdline_is(const char *cmdline, const char *key, const char *value);
