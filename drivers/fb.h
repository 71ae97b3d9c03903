/*
 * The boot framebuffer (VBE under BIOS, GOP under UEFI, as GRUB set it up)
 * behind a back buffer in the system's pixel format: 32-bit pixels whose
 * bytes are r, g, b, a in memory (the app ABI's format). Everything draws
 * into the back buffer's canvas; fb_present() copies what changed to the
 * screen, converting to the device's channel layout on the way.
 */
#pragma once

#include <stdbool.h>

#include "boot/multiboot2.h"
#include "lib/canvas.h"

/* False (and a log line) when there is no usable framebuffer. */
bool fb_init(const struct boot_info *info);

/* The back buffer, or NULL without a framebuffer. */
struct canvas *fb_canvas(void);

/* Copy the back buffer's dirty rectangle to the screen. */
void fb_present(void);
