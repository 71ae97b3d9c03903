/*
 * apps/console/shell_sys.h — the shell commands that reach into the system
 * through the context's services: ps, run, kill, mem, uptime (version 2;
 * ps shows more with version 3), and trace, untrace, deny, allow, budget,
 * limit, policy (version 3: app_control).
 *
 * Internal to the shell: shell.c parses a line and calls these with the
 * arguments (the text after the command name, blanks trimmed). Each one
 * checks that the service it needs exists before calling it.
 */
#pragma once

#include <stddef.h>

#include "apps/console/shell.h"
#include "include/fomos.h"

void shell_cmd_ps(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		  size_t len);
void shell_cmd_run(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		   size_t len);
void shell_cmd_kill(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		    size_t len);
void shell_cmd_mem(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		   size_t len);
void shell_cmd_uptime(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		      size_t len);
void shell_cmd_trace(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		     size_t len);
void shell_cmd_untrace(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		       size_t len);
void shell_cmd_deny(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		    size_t len);
void shell_cmd_allow(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		     size_t len);
void shell_cmd_budget(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		      size_t len);
void shell_cmd_limit(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		     size_t len);
void shell_cmd_policy(const struct fomos_context *ctx, const struct shell_io *io, const char *args,
		      size_t len);
