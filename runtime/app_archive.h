/*
 * The boot archive: apps travel as ELF files in a ustar archive that GRUB
 * loads as the multiboot2 module `apps.tar` (./fomos builds it), with a
 * `boot.manifest` inside naming the apps started at boot, in order, and
 * the capabilities each is granted. Apps not in the manifest can be
 * started by name later (the shell's `run`). Starting an app needs its
 * Context, so it happens a layer up: services/app_start.h.
 */
#pragma once

#include <stdint.h>

#include "boot/multiboot2.h"
#include "runtime/manifest.h"

/* Find apps.tar among the boot modules (logs what it holds, or its absence). */
void app_archive_init(const struct boot_info *info);

/* NAME.elf in the archive: 0 and its bytes, or negative when absent. */
int app_archive_find(const char *name, const void **data, size_t *size);

/*
 * The archive's boot manifest, parsed once (runtime/manifest.h): the apps
 * that start at boot and the capabilities each is granted. NULL, after one
 * logged line, when there is none or it is refused.
 */
const struct manifest *app_archive_manifest(void);

/*
 * What the boot manifest grants the archive app `name` on its first line
 * naming it (0 when none). For an archive app that starts again in place of
 * a boot app: a session app whose snapshot is unusable, or one saved by a
 * format that did not record capabilities (persist/).
 */
uint32_t app_archive_granted_caps(const char *name);

/* True when the manifest puts NAME in the top layer (`top`, runtime/manifest.h). */
bool app_archive_on_top(const char *name);
