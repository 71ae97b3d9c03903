/*
 * apps/console/shell_disk.c — ls, rm, run /PATH, save, load, reboot and
 * shutdown (see shell_disk.h).
 *
 * Decode, then invoke: a command first checks that jobs exist at all
 * (before looking at its arguments, like the controls in shell_sys.c),
 * then that its arguments have the right shape, and only then starts the
 * job, so the system sees only well-formed requests (it still checks the
 * path, the pid and the name itself). Paths are absolute: there is no
 * current directory. A path is the whole rest of the line, blanks inside
 * included, since FAT32 long names may contain them.
 */
#include "apps/console/shell_disk.h"

#include <stdbool.h>
#include <stdint.h>

#include "apps/console/shell_value.h"

bool shell_disk_can(const struct fomos_context *ctx, const struct shell_io *io, const char *name)
{
	if (shell_job_available(ctx)) {
		return true;
	}
	shell_printf(io, SHELL_ERROR, "%s: not available", name);
	return false;
}

bool shell_disk_path(const char *args, size_t len)
{
	return len > 0 && args[0] == '/';
}

void shell_cmd_ls(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		  const char *args, size_t len)
{
	if (!shell_disk_can(ctx, io, "ls")) {
		return;
	}
	if (len == 0) {
		args = "/";
		len = 1;
	}
	if (!shell_disk_path(args, len)) {
		shell_printf(io, SHELL_ERROR, "usage: ls [DIR] (a path from /, default /)");
		return;
	}
	if (shell_job_start(&sh->jobs, ctx, io, FOMOS_JOB_LIST, args, len, 0) == 0) {
		shell_printf(io, SHELL_NOTE, "listing %.*s...", (int)len, args);
	}
}

void shell_cmd_rm(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		  const char *args, size_t len)
{
	if (!shell_disk_can(ctx, io, "rm")) {
		return;
	}
	if (!shell_disk_path(args, len)) {
		shell_printf(io, SHELL_ERROR, "usage: rm PATH (a path from /)");
		return;
	}
	if (shell_job_start(&sh->jobs, ctx, io, FOMOS_JOB_REMOVE, args, len, 0) == 0) {
		shell_printf(io, SHELL_NOTE, "removing %.*s...", (int)len, args);
	}
}

void shell_disk_run(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		    const char *args, size_t len)
{
	if (!shell_disk_can(ctx, io, "run")) {
		return;
	}
	if (shell_job_start(&sh->jobs, ctx, io, FOMOS_JOB_RUN, args, len, 0) == 0) {
		shell_printf(io, SHELL_NOTE, "starting %.*s...", (int)len, args);
	}
}

void shell_cmd_save(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		    const char *args, size_t len)
{
	uint64_t pid;

	if (!shell_disk_can(ctx, io, "save")) {
		return;
	}
	if (!shell_parse_u64(args, len, &pid)) {
		shell_printf(io, SHELL_ERROR, "usage: save PID (a number, see ps)");
		return;
	}
	if (shell_job_start(&sh->jobs, ctx, io, FOMOS_JOB_SAVE, "", 0, pid) == 0) {
		shell_printf(io, SHELL_NOTE, "saving pid %llu...", (unsigned long long)pid);
	}
}

void shell_cmd_load(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		    const char *args, size_t len)
{
	struct fomos_app_info info;

	if (!shell_disk_can(ctx, io, "load")) {
		return;
	}
	if (len == 0 || len >= sizeof(info.name)) {
		shell_printf(io, SHELL_ERROR, "usage: load NAME (an app that was saved)");
		return;
	}
	if (shell_job_start(&sh->jobs, ctx, io, FOMOS_JOB_LOAD, args, len, 0) == 0) {
		shell_printf(io, SHELL_NOTE, "loading %.*s...", (int)len, args);
	}
}

/* reboot and shutdown: every app is saved first, unless "-f" says not to. */
static void shell_disk_power(struct shell *sh, const struct fomos_context *ctx,
			     const struct shell_io *io, const char *args, size_t len, uint32_t op,
			     const char *name, const char *doing)
{
	bool unsaved = len == 2 && args[0] == '-' && args[1] == 'f';

	if (!shell_disk_can(ctx, io, name)) {
		return;
	}
	if (len != 0 && !unsaved) {
		shell_printf(io, SHELL_ERROR, "usage: %s [-f] (-f: without saving anything)", name);
		return;
	}
	if (shell_job_start(&sh->jobs, ctx, io, op, "", 0, unsaved ? FOMOS_JOB_UNSAVED : 0) == 0) {
		shell_printf(io, SHELL_NOTE, "%s: %s", doing,
			     unsaved ? "nothing is saved" : "saving every app first...");
	}
}

void shell_cmd_reboot(struct shell *sh, const struct fomos_context *ctx, const struct shell_io *io,
		      const char *args, size_t len)
{
	shell_disk_power(sh, ctx, io, args, len, FOMOS_JOB_REBOOT, "reboot", "rebooting");
}

void shell_cmd_shutdown(struct shell *sh, const struct fomos_context *ctx,
			const struct shell_io *io, const char *args, size_t len)
{
	shell_disk_power(sh, ctx, io, args, len, FOMOS_JOB_SHUTDOWN, "shutdown", "shutting down");
}
