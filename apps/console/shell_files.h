/*
 * apps/console/shell_files.h — the shell's file commands (version 5 jobs):
 * cat, cp, mv, mkdir, rmdir and df. Like the other disk commands
 * (shell_disk.h) each checks that jobs exist, decodes its arguments,
 * starts the job and says what it is doing; the outcome comes later.
 *
 * Paths are absolute and may hold blanks, so cp and mv take the rest of
 * the line as "SRC DST" split before the first " /" (a name ending in a
 * blank cannot be the source; FAT32 drops such blanks anyway).
 *
 * Internal to the shell: shell.c calls these.
 */
#pragma once

#include "apps/console/shell.h"

shell_cmd_fn shell_cmd_cat, shell_cmd_cp, shell_cmd_mv, shell_cmd_mkdir, shell_cmd_rmdir,
    shell_cmd_df;
