/*
 * The boot framebuffer (VBE under BIOS, GOP under UEFI, as GRUB set it up)
 * as a display backend (drivers/display.h): presenting copies a rectangle
 * of the back buffer to the screen, converting the r,g,b,a pixels to the
 * device's channel layout on the way.
 */
#pragma once

#include "boot/multiboot2.h"
#include "drivers/display.h"

/* The backend, or NULL (and a log line) when there is no usable framebuffer. */
struct display_backend *fb_init(const struct boot_info *info);
