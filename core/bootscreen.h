/*
 * The boot screen: the system's name, what it found (CPU, memory, display,
 * firmware) with a clock that ticks, and below it the kernel log as it is
 * written — so what the serial console says is also what a person sees,
 * including an exception report.
 */
#pragma once

#include "boot/multiboot2.h"

/* Draw the screen and start mirroring the log onto it; needs fb_init(). */
void bootscreen_init(const struct boot_info *info);

/* Redraw what changes over time (uptime, memory); call about once a second. */
void bootscreen_tick(void);
