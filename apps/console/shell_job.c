/*
 * apps/console/shell_job.c — starting jobs, polling them, printing their
 * outcomes (see shell_job.h).
 *
 * Messages are prefixed with the command that started the job ("save:",
 * "rm:"), taken from shell_job_names by the job's operation: with several
 * jobs running, an outcome may arrive after other output. The system's
 * text is printed as it comes, one line per '\n'; only a listing is
 * printed bare, as the lines of `ls`.
 *
 * The outcome buffer is on the stack: it is needed only while one job's
 * outcome is printed, and the app stack is far larger than SHELL_JOB_OUT.
 */
#include "apps/console/shell_job.h"

#include "apps/console/shell.h"
#include "lib/format.h"
#include "lib/string.h"

/* The command that starts each operation, which prefixes its messages. */
static const char *const shell_job_names[] = {
    [FOMOS_JOB_LIST] = "ls",	       [FOMOS_JOB_REMOVE] = "rm",   [FOMOS_JOB_RUN] = "run",
    [FOMOS_JOB_SAVE] = "save",	       [FOMOS_JOB_LOAD] = "load",   [FOMOS_JOB_REBOOT] = "reboot",
    [FOMOS_JOB_SHUTDOWN] = "shutdown", [FOMOS_JOB_READ] = "cat",    [FOMOS_JOB_COPY] = "cp",
    [FOMOS_JOB_MOVE] = "mv",	       [FOMOS_JOB_MKDIR] = "mkdir", [FOMOS_JOB_RMDIR] = "rmdir",
    [FOMOS_JOB_SPACE] = "df",
};

#define SHELL_JOB_NAMES (sizeof(shell_job_names) / sizeof(shell_job_names[0]))

static const char *shell_job_name(uint32_t op)
{
	return op < SHELL_JOB_NAMES && shell_job_names[op] != NULL ? shell_job_names[op] : "job";
}

bool shell_job_available(const struct fomos_context *ctx)
{
	return ctx->version >= 4 && ctx->job_start != NULL && ctx->job_poll != NULL;
}

static struct shell_job *shell_job_free_slot(struct shell_jobs *j)
{
	for (size_t i = 0; i < SHELL_JOBS; i++) {
		if (j->slot[i].op == 0) {
			return &j->slot[i];
		}
	}
	return NULL;
}

int shell_job_start(struct shell_jobs *j, const struct fomos_context *ctx,
		    const struct shell_io *io, uint32_t op, const char *arg, size_t len,
		    uint64_t num)
{
	struct shell_job *slot = shell_job_free_slot(j);
	const char *name = shell_job_name(op);
	int32_t id;

	if (slot == NULL) {
		shell_printf(io, SHELL_ERROR, "%s: busy, %d jobs unfinished (try again later)",
			     name, SHELL_JOBS);
		return -1;
	}
	id = ctx->job_start(op, arg, (uint32_t)len, num);
	if (id == FOMOS_JOB_EBUSY) {
		shell_printf(io, SHELL_ERROR, "%s: busy, the system has too many jobs", name);
		return -1;
	}
	if (id == FOMOS_JOB_EINVAL) {
		shell_printf(io, SHELL_ERROR, "%s: refused (bad argument)", name);
		return -1;
	}
	if (id < 0) {
		shell_printf(io, SHELL_ERROR, "%s: error %d", name, (int)id);
		return -1;
	}
	*slot = (struct shell_job){.id = id, .op = op, .num = num};
	return 0;
}

/*
 * Prints each line of text as "PREFIXline" and returns how many. A text
 * that filled the buffer was cut: its last line (no '\n' after it) is
 * incomplete and left out. Empty lines at the end are not printed.
 */
static uint64_t shell_job_lines(const struct shell_io *io, enum shell_kind kind, const char *prefix,
				const char *text, bool cut)
{
	uint64_t n = 0;

	while (*text != '\0') {
		const char *nl = strchr(text, '\n');
		size_t len = nl != NULL ? (size_t)(nl - text) : strlen(text);

		if (nl == NULL && cut) {
			break;
		}
		shell_printf(io, kind, "%s%.*s", prefix, (int)len, text);
		n++;
		text += len + (nl != NULL ? 1 : 0);
	}
	return n;
}

/* A finished listing: its lines, then a note if some are missing. */
static void shell_job_listing(const struct shell_io *io, const char *text, bool cut,
			      int64_t entries)
{
	uint64_t shown = shell_job_lines(io, SHELL_OUTPUT, "", text, cut);

	if (shown == 0 && entries == 0) {
		shell_printf(io, SHELL_NOTE, "(empty)");
	} else if ((uint64_t)entries > shown) {
		shell_printf(io, SHELL_NOTE, "(%llu more not shown)",
			     (unsigned long long)((uint64_t)entries - shown));
	}
}

/* A finished cat: the file's lines bare, then a note on what was left out. */
static void shell_job_file(const struct shell_io *io, const char *text, int64_t size)
{
	uint64_t shown = strlen(text);

	shell_job_lines(io, SHELL_OUTPUT, "", text, false);
	if (size == 0) {
		shell_printf(io, SHELL_NOTE, "(empty)");
	} else if ((uint64_t)size > shown) {
		shell_printf(io, SHELL_NOTE, "(%llu more bytes not shown)",
			     (unsigned long long)((uint64_t)size - shown));
	}
}

static bool shell_job_is_power(uint32_t op)
{
	return op == FOMOS_JOB_REBOOT || op == FOMOS_JOB_SHUTDOWN;
}

/* The job is gone without an outcome: the note shell_job.h describes. */
static void shell_job_lost(const struct shell_io *io, const struct shell_job *job)
{
	const char *name = shell_job_name(job->op);

	if (shell_job_is_power(job->op)) {
		shell_printf(io, SHELL_NOTE, "(resumed after %s)", name);
	} else {
		shell_printf(io, SHELL_NOTE, "(%s: gone without an outcome)", name);
	}
}

/* Prints what job `job` ended with: value from job_poll, text in out. */
static void shell_job_outcome(const struct shell_io *io, const struct shell_job *job, int64_t value,
			      const char *out, bool cut)
{
	const char *name = shell_job_name(job->op);
	char prefix[16];

	fmt_snprintf(prefix, sizeof(prefix), "%s: ", name);
	if (value == FOMOS_JOB_EINVAL) {
		shell_job_lost(io, job);
	} else if (value == FOMOS_JOB_EFAILED) {
		if (shell_job_lines(io, SHELL_ERROR, prefix, out, cut) == 0) {
			shell_printf(io, SHELL_ERROR, "%s: failed", name);
		}
		if (shell_job_is_power(job->op) && job->num != FOMOS_JOB_UNSAVED) {
			shell_printf(io, SHELL_NOTE, "(`%s -f` does it without saving anything)",
				     name);
		}
	} else if (value < 0) {
		shell_printf(io, SHELL_ERROR, "%s: error %lld", name, (long long)value);
	} else if (job->op == FOMOS_JOB_LIST) {
		shell_job_listing(io, out, cut, value);
	} else if (job->op == FOMOS_JOB_READ) {
		shell_job_file(io, out, value);
	} else if (shell_job_lines(io, SHELL_OUTPUT, prefix, out, cut) == 0) {
		shell_printf(io, SHELL_OUTPUT, "%s: done (%lld)", name, (long long)value);
	}
}

void shell_job_poll(struct shell_jobs *j, const struct fomos_context *ctx,
		    const struct shell_io *io)
{
	char out[SHELL_JOB_OUT];
	int64_t value;

	if (!shell_job_available(ctx)) {
		return; /* they stay until the service is back */
	}
	for (size_t i = 0; i < SHELL_JOBS; i++) {
		struct shell_job *job = &j->slot[i];

		if (job->op == 0) {
			continue;
		}
		out[0] = '\0';
		value = ctx->job_poll(job->id, out, sizeof(out));
		if (value == FOMOS_JOB_PENDING) {
			continue;
		}
		out[sizeof(out) - 1] = '\0'; /* whatever the system wrote */
		shell_job_outcome(io, job, value, out, strlen(out) == sizeof(out) - 1);
		*job = (struct shell_job){0};
	}
}

void shell_job_forget(struct shell_jobs *j, const struct shell_io *io)
{
	for (size_t i = 0; i < SHELL_JOBS; i++) {
		if (j->slot[i].op != 0) {
			shell_job_lost(io, &j->slot[i]);
			j->slot[i] = (struct shell_job){0};
		}
	}
}
