/*
 * apps/console/shell_disk.h — the shell commands that run as jobs
 * (version 4): ls, rm, save, load, reboot, shutdown, and `run /PATH`
 * (run with a path loads an ELF file from the disk; run with a name stays
 * in shell_sys.c and starts an app of the boot archive).
 *
 * Each one checks that the context offers jobs, decodes its arguments,
 * starts the job (shell_job.h) and prints at once what it is doing
 * ("saving pid 2..."); the outcome is printed later by shell_poll.
 *
 * Internal to the shell: shell.c and shell_sys.c call these.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "apps/console/shell.h"

shell_cmd_fn shell_cmd_ls, shell_cmd_rm, shell_cmd_save, shell_cmd_load, shell_cmd_reboot,
    shell_cmd_shutdown;

/* `run /PATH`: args starts with '/'. */
shell_cmd_fn shell_disk_run;

/* Says "NAME: not available" (false) unless the context offers jobs. */
bool shell_disk_can(const struct fomos_context *ctx, const struct shell_io *io, const char *name);

/* Whether (args, len) is a path from the root. */
bool shell_disk_path(const char *args, size_t len);
