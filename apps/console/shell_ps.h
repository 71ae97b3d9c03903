/*
 * apps/console/shell_ps.h — the `ps` command: the apps and what they cost.
 *
 * With version 3 (app_stats) ps prints two lines per app, with faults,
 * limits and flags; with version 4 it also asks app_list for each app's
 * flags, to mark the apps resumed from a snapshot. Without app_stats it
 * prints the one-line version-2 table from app_list.
 *
 * Internal to the shell: shell.c calls it.
 */
#pragma once

#include "apps/console/shell.h"

shell_cmd_fn shell_cmd_ps;
