/*
 * apps/console/shell_sys.h — the shell commands that reach into the system
 * through the context's app services: run, kill, mem, uptime (version 2),
 * and trace, untrace, deny, allow, budget, limit, policy (version 3:
 * app_control). ps has its own file (shell_ps.h), and so have the commands
 * that run as jobs (shell_disk.h); `run /PATH` is handed over to the latter.
 *
 * Internal to the shell: shell.c parses a line and calls these with the
 * arguments (the text after the command name, blanks trimmed). Each one
 * checks that the service it needs exists before calling it.
 */
#pragma once

#include "apps/console/shell.h"

shell_cmd_fn shell_cmd_run, shell_cmd_kill, shell_cmd_mem, shell_cmd_uptime, shell_cmd_date;
shell_cmd_fn shell_cmd_trace, shell_cmd_untrace, shell_cmd_deny, shell_cmd_allow, shell_cmd_budget,
    shell_cmd_limit, shell_cmd_policy;
