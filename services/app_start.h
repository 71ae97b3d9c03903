/*
 * Starting apps with their Context: the runtime loads an app
 * (app_prepare), this layer fills its Context from its rights, then the
 * runtime launches it. Every way an app starts goes through here: the boot
 * manifest, the shell's `run`, a binary from the disk, a snapshot restored.
 */
#pragma once

#include <stdint.h>

struct app;

/*
 * Give prepared app a its Context and launch it; its pid. An app from the
 * boot archive whose manifest line says `top` goes into the top layer.
 */
int64_t app_start_prepared(struct app *a, const char *how);

/*
 * Start NAME.elf from the boot archive with capabilities caps (enum
 * manifest_cap bits); its pid, or after one logged line FOMOS_ENOAPP (no
 * such file in the archive), FOMOS_EBADAPP or FOMOS_ENOMEM (include/fomos.h).
 */
int64_t app_start_archived(const char *name, uint32_t caps);

/*
 * Start the apps the boot manifest names, in its order, with their grants;
 * the shell (runtime/manifest.h) restarts when it crashes or aborts.
 */
void app_start_boot_apps(void);

/*
 * After a saved session resumed: start the manifest's `always` apps that
 * are not running (the session did not bring them back), in its order.
 */
void app_start_always_apps(void);

/* The name of the manifest's shell (its first `shell` line), or NULL when it has none. */
const char *app_shell_name(void);

/*
 * Start another shell, with the shell line's grants and the restart
 * policy; its pid, or a negative error as app_start_archived gives
 * (FOMOS_ENOAPP also when the manifest names no shell).
 */
int64_t app_start_shell(void);
