/*
 * The boot archive: apps travel as ELF files in a ustar archive that GRUB
 * loads as the multiboot2 module `apps.tar` (./fomos builds it), with a
 * `boot.manifest` inside naming the apps started at boot, in order. Apps
 * not in the manifest can be started by name later (the shell's `run`).
 */
#pragma once

#include <stdint.h>

#include "boot/multiboot2.h"

/* Find apps.tar among the boot modules (logs what it holds, or its absence). */
void app_archive_init(const struct boot_info *info);

/* Start the apps the manifest names, in its order. */
void app_archive_start_boot_apps(void);

/* NAME.elf in the archive: 0 and its bytes, or negative when absent. */
int app_archive_find(const char *name, const void **data, size_t *size);

/* Start NAME (NAME.elf in the archive); its pid, or negative (logged). */
int64_t app_archive_start(const char *name, uint32_t name_len);
