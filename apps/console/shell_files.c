/*
 * apps/console/shell_files.c — cat, cp, mv, mkdir, rmdir, df (see
 * shell_files.h).
 */
#include "apps/console/shell_files.h"

#include <stdbool.h>
#include <stdint.h>

#include "apps/console/shell_disk.h"
#include "lib/string.h"

/* A command that takes one path: check, start, say what it does. */
static void shell_files_one(struct shell *sh, const struct fomos_context *ctx,
			    const struct shell_io *io, const char *args, size_t len, uint32_t op,
			    const char *name, const char *doing)
{
	if (!shell_disk_can(ctx, io, name)) {
		return;
	}
	if (!shell_disk_path(args, len)) {
		shell_printf(io, SHELL_ERROR, "usage: %s PATH (a path from /)", name);
		return;
	}
	if (shell_job_start(&sh->jobs, ctx, io, op, args, len, 0) == 0 && doing != NULL) {
		shell_printf(io, SHELL_NOTE, "%s %.*s...", doing, (int)len, args);
	}
}

void shell_cmd_cat(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		   const char *args, size_t len)
{
	shell_files_one(sh, ctx, io, args, len, FOMOS_JOB_READ, "cat", NULL);
}

void shell_cmd_mkdir(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		     const char *args, size_t len)
{
	shell_files_one(sh, ctx, io, args, len, FOMOS_JOB_MKDIR, "mkdir", "making");
}

void shell_cmd_rmdir(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		     const char *args, size_t len)
{
	shell_files_one(sh, ctx, io, args, len, FOMOS_JOB_RMDIR, "rmdir", "removing");
}

/* cp and mv: "SRC DST" becomes the job's "SRC\nDST". */
static void shell_files_two(struct shell *sh, const struct fomos_context *ctx,
			    const struct shell_io *io, const char *args, size_t len, uint32_t op,
			    const char *name)
{
	char arg[2 * SHELL_LINE_MAX];
	size_t split = 1;

	if (!shell_disk_can(ctx, io, name)) {
		return;
	}
	while (split + 1 < len && !(args[split] == ' ' && args[split + 1] == '/')) {
		split++;
	}
	if (!shell_disk_path(args, len) || split + 1 >= len || len >= sizeof(arg)) {
		shell_printf(io, SHELL_ERROR, "usage: %s SRC DST (paths from /)", name);
		return;
	}
	memcpy(arg, args, len);
	arg[split] = '\n';
	if (shell_job_start(&sh->jobs, ctx, io, op, arg, len, 0) == 0) {
		shell_printf(io, SHELL_NOTE, "%s %.*s to %.*s...",
			     op == FOMOS_JOB_MOVE ? "moving" : "copying", (int)split, args,
			     (int)(len - split - 1), args + split + 1);
	}
}

void shell_cmd_cp(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		  const char *args, size_t len)
{
	shell_files_two(sh, ctx, io, args, len, FOMOS_JOB_COPY, "cp");
}

void shell_cmd_mv(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		  const char *args, size_t len)
{
	shell_files_two(sh, ctx, io, args, len, FOMOS_JOB_MOVE, "mv");
}

void shell_cmd_df(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		  const char *args, size_t len)
{
	(void)args;
	if (!shell_disk_can(ctx, io, "df")) {
		return;
	}
	if (len != 0) {
		shell_printf(io, SHELL_ERROR, "usage: df (the disk's free space)");
		return;
	}
	shell_job_start(&sh->jobs, ctx, io, FOMOS_JOB_SPACE, "", 0, 0);
}
