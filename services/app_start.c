/*
 * Starting apps with their Context; see app_start.h.
 */
#include "services/app_start.h"

#include "kernel/log.h"
#include "lib/string.h"
#include "runtime/app.h"
#include "runtime/app_archive.h"
#include "services/app_services.h"

int64_t app_start_prepared(struct app *a, const char *how)
{
	struct fomos_context ctx;

	app_services_context(a, &ctx);
	a->rights.top =
	    strcmp(a->id.source, APP_SOURCE_ARCHIVE) == 0 && app_archive_on_top(a->id.name);
	app_launch(a, &ctx, how);
	return (int64_t)a->id.pid;
}

int64_t app_start_archived(const char *name, uint32_t caps)
{
	const void *data;
	size_t size;
	char why[160];

	int error;

	if (app_archive_find(name, &data, &size) != 0) {
		log_warn("app", "no app called %s in the boot archive", name);
		return FOMOS_ENOAPP;
	}
	struct app *a =
	    app_prepare(name, data, size, APP_SOURCE_ARCHIVE, false, -1, why, sizeof(why), &error);
	if (a == NULL) {
		log_error("app", "%s: %s", name, why);
		return error;
	}
	a->rights.caps = caps;
	return app_start_prepared(a, "started");
}

/* Start manifest line i with its grants; the shell gets the restart policy. */
static int64_t start_line(const struct manifest *m, size_t i)
{
	int64_t pid = app_start_archived(m->names[i], m->caps[i]);
	struct app *a = pid > 0 && m->shell[i] ? app_find((uint64_t)pid) : NULL;
	if (a != NULL) {
		a->rights.policy = FOMOS_POLICY_RESTART;
	}
	return pid;
}

void app_start_boot_apps(void)
{
	const struct manifest *m = app_archive_manifest();

	for (size_t i = 0; m != NULL && i < m->count; i++) {
		start_line(m, i);
	}
}

void app_start_always_apps(void)
{
	const struct manifest *m = app_archive_manifest();

	for (size_t i = 0; m != NULL && i < m->count; i++) {
		if (m->always[i] && app_find_name(m->names[i]) == NULL) {
			start_line(m, i);
		}
	}
}

/* The manifest's first `shell` line, or -1. */
static long shell_line(const struct manifest *m)
{
	for (size_t i = 0; m != NULL && i < m->count; i++) {
		if (m->shell[i]) {
			return (long)i;
		}
	}
	return -1;
}

const char *app_shell_name(void)
{
	const struct manifest *m = app_archive_manifest();
	long i = shell_line(m);
	return i >= 0 ? m->names[i] : NULL;
}

int64_t app_start_shell(void)
{
	const struct manifest *m = app_archive_manifest();
	long i = shell_line(m);
	return i >= 0 ? start_line(m, (size_t)i) : FOMOS_ENOAPP;
}
