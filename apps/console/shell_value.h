/*
 * apps/console/shell_value.h — values in and out of the shell's commands.
 *
 * Several commands take a pid or a size (kill, save, the controls),
 * several print sizes and times (ps, mem), and a policy is printed by ps
 * and read by `policy`, so the parsing, the formatting and the names live
 * here once. Integers only: the app is built freestanding, without
 * floating point, and one decimal is computed by hand.
 *
 * Pure: no allocation, no I/O. Used by shell_ps.c, shell_sys.c and
 * shell_disk.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "include/fomos.h"

/* The name of each enum fomos_policy value. */
#define SHELL_NPOLICIES (FOMOS_POLICY_KEEP + 1)
extern const char *const shell_policy_names[SHELL_NPOLICIES];

/* Room for anything shell_size or shell_duration writes. */
#define SHELL_SIZE_MAX 24

/* A decimal number of 1..20 digits that fits in 64 bits. */
bool shell_parse_u64(const char *s, size_t len, uint64_t *out);

/* A byte count: a decimal number, optionally followed by K, M or G (or
 * k, m, g; powers of 1024), that fits in 64 bits. */
bool shell_parse_size(const char *s, size_t len, uint64_t *out);

/* "512 B", "12.5 KiB", "1.5 MiB", "3.0 GiB" into buf; returns buf. */
const char *shell_size(char *buf, size_t n, uint64_t bytes);

/* "830 ns", "812.3 us", "2.5 ms", "1.2 s" into buf; returns buf. */
const char *shell_duration(char *buf, size_t n, uint64_t ns);
