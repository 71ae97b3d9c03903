/*
 * apps/console/shell_sys.h — the shell commands that reach into the system
 * through the context's version-2 services: ps, run, kill, mem, uptime.
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
