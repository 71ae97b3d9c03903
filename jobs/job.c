/*
 * Jobs; see job.h. Each job is one volume job whose `run` does the work
 * in the volume's coroutine and writes the outcome text; `done` marks it
 * finished for the owner's next poll.
 */
#include "jobs/job.h"

#include <stdarg.h>

#include "arch/x86_64/cpu.h"
#include "drivers/acpi/power.h"
#include "fs/volume.h"
#include "include/fomos.h"
#include "jobs/job_files.h"
#include "kernel/log.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "persist/session.h"
#include "persist/snapshot.h"
#include "runtime/app.h"
#include "runtime/app_run.h"
#include "services/app_services.h"
#include "services/app_start.h"

#define JOB_MAX	     8
#define JOB_ARG_MAX  520 /* two paths of up to 259 bytes (copy, move) */
#define JOB_TEXT_MAX 4096

enum job_state { JOB_FREE, JOB_QUEUED, JOB_FINISHED };

struct job {
	enum job_state state;
	int32_t id;
	uint64_t owner;
	uint32_t op;
	char arg[JOB_ARG_MAX];
	uint64_t num;
	struct app *pinned; /* SAVE: the app, held still from the moment it was asked */
	int64_t value;
	char text[JOB_TEXT_MAX];
	uint32_t text_len;
	struct volume_job vj;
};

static struct job *jobs[JOB_MAX];
static uint32_t generation; /* seeded per boot: ids from an earlier boot do not match */

/*
 * A job's id: its table index plus a generation, so an id an app kept
 * from an earlier job — or from before a reboot, in a restored store —
 * names no job now instead of someone else's.
 */
static int32_t next_id(int32_t index)
{
	if (generation == 0) {
		generation = (uint32_t)(rdtsc() >> 8) | 1;
	}
	generation++;
	return (int32_t)(((generation & 0xffffff) * JOB_MAX) + (uint32_t)index);
}

static void say(struct job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct job *j, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = fmt_vsnprintf(j->text + j->text_len, JOB_TEXT_MAX - j->text_len, fmt, ap);
	va_end(ap);
	j->text_len +=
	    (uint32_t)(n < JOB_TEXT_MAX - j->text_len ? n : JOB_TEXT_MAX - 1 - j->text_len);
}

static int list_one(void *arg, const struct fat32_stat *st)
{
	struct job *j = arg;
	if (st->is_dir) {
		say(j, "%s/\n", st->name);
	} else {
		say(j, "%s %u\n", st->name, st->size);
	}
	j->value++;
	return 0;
}

/*
 * The app name a binary's path gives: its last component without its
 * extension (the last dot and what follows, if that leaves a name), case
 * kept: "/My Apps/Old Context.ELF" runs as "Old Context".
 */
static void name_from_path(const char *path, char *name, size_t len)
{
	const char *base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot != NULL && dot > base ? (size_t)(dot - base) : strlen(base);
	n = n < len - 1 ? n : len - 1;
	memcpy(name, base, n);
	name[n] = '\0';
}

static int64_t run_binary(struct fat32 *fs, struct job *j)
{
	uint32_t size;
	bool is_dir;
	char name[APP_NAME_MAX], why[160];

	int err = fat32_stat(fs, j->arg, &size, &is_dir);
	if (err == 0 && (is_dir || size == 0)) {
		err = is_dir ? FAT32_EISDIR : FAT32_EINVAL;
	}
	void *file = err == 0 ? kmalloc(size) : NULL;
	if (err == 0 && file == NULL) {
		say(j, "%s: no memory for a %u-byte file", j->arg, size);
		return FOMOS_JOB_EFAILED;
	}
	err = err == 0 ? fat32_read_file(fs, j->arg, file, size, &size) : err;
	if (err != 0) {
		kfree(file);
		say(j, "%s: %s", j->arg, volume_strerror(err));
		return FOMOS_JOB_EFAILED;
	}
	name_from_path(j->arg, name, sizeof(name));
	struct app *a = app_prepare(name, file, size, j->arg, true, -1, why, sizeof(why), NULL);
	if (a == NULL) {
		kfree(file);
		say(j, "%s: %s", j->arg, why);
		log_error("app", "%s: %s", j->arg, why);
		return FOMOS_JOB_EFAILED;
	}
	app_start_prepared(a, "started");
	say(j, "started %s as pid %llu", name, (unsigned long long)a->id.pid);
	return (int64_t)a->id.pid;
}

static int64_t power(struct fat32 *fs, struct job *j)
{
	bool reboot = j->op == FOMOS_JOB_REBOOT;
	if (session_save(fs, j->text, JOB_TEXT_MAX) != 0) {
		log_error("session", "%s; not %s", j->text, reboot ? "rebooting" : "shutting down");
		j->text_len = (uint32_t)strlen(j->text);
		return FOMOS_JOB_EFAILED;
	}
	log_info("session", "%s; %s", j->text, reboot ? "rebooting" : "powering off");
	if (reboot) {
		machine_reboot();
	}
	machine_poweroff();
	j->text_len = 0;
	say(j, "saved, but the machine did not power off (see the log)");
	return FOMOS_JOB_EFAILED;
}

static int run(struct fat32 *fs, void *arg)
{
	struct job *j = arg;
	char msg[JOB_ARG_MAX + 128];
	int64_t r = 0;
	int err = 0;

	if (job_files_handles(j->op)) {
		j->value =
		    job_files_run(fs, j->op, j->arg, j->num, j->text, JOB_TEXT_MAX, &j->text_len);
		return 0;
	}
	switch (j->op) {
	case FOMOS_JOB_LIST:
		err = fat32_list(fs, j->arg[0] != '\0' ? j->arg : "/", list_one, j);
		break;
	case FOMOS_JOB_REMOVE:
		err = fat32_remove(fs, j->arg);
		if (err == 0) {
			say(j, "removed %s", j->arg);
		}
		break;
	case FOMOS_JOB_RUN:
		j->value = run_binary(fs, j);
		return 0;
	case FOMOS_JOB_SAVE:
		if (j->pinned == NULL) {
			say(j, "no app with pid %llu", (unsigned long long)j->num);
			j->value = FOMOS_JOB_EFAILED;
			return 0;
		}
		r = snapshot_save(fs, j->pinned, msg, sizeof(msg));
		say(j, "%s", msg);
		j->value = r >= 0 ? r : FOMOS_JOB_EFAILED;
		return 0;
	case FOMOS_JOB_LOAD:
		r = snapshot_restore(fs, j->arg, msg, sizeof(msg));
		say(j, "%s", msg);
		j->value = r >= 0 ? r : FOMOS_JOB_EFAILED;
		return 0;
	default:
		j->value = power(fs, j);
		return 0;
	}
	if (err != 0) {
		j->text_len = 0;
		say(j, "%s: %s", j->arg[0] != '\0' ? j->arg : "/", volume_strerror(err));
		j->value = FOMOS_JOB_EFAILED;
	}
	return 0;
}

static bool is_power(uint32_t op)
{
	return op == FOMOS_JOB_REBOOT || op == FOMOS_JOB_SHUTDOWN;
}

/* Reboot or power off without saving; returns only when that failed. */
static void power_unsaved(const struct job *j, const char *why)
{
	log_info("session", "%s; %s", why,
		 j->op == FOMOS_JOB_REBOOT ? "rebooting" : "powering off");
	if (j->op == FOMOS_JOB_REBOOT) {
		machine_reboot();
	}
	machine_poweroff();
}

static void done(void *arg, int result)
{
	struct job *j = arg;
	if (result == VOLUME_ENODISK && is_power(j->op)) {
		power_unsaved(j, "no disk: nothing saved");
	}
	if (result != 0) { /* the volume never ran it: no disk, or not mounted */
		j->text_len = 0;
		say(j, "%s", volume_strerror(result));
		j->value = FOMOS_JOB_EFAILED;
	}
	if (j->pinned != NULL) {
		app_unpin(j->pinned);
		j->pinned = NULL;
	}
	j->state = JOB_FINISHED;
}

static bool arg_needed(uint32_t op)
{
	return op == FOMOS_JOB_REMOVE || op == FOMOS_JOB_RUN || op == FOMOS_JOB_LOAD ||
	       (job_files_handles(op) && op != FOMOS_JOB_SPACE);
}

/* Start a job for app `owner`: its id (>= 0) or FOMOS_JOB_EINVAL/EBUSY. */
static int32_t job_start(uint64_t owner, uint32_t op, const char *arg, uint32_t arg_len,
			 uint64_t num)
{
	if (op < FOMOS_JOB_LIST || op > FOMOS_JOB_SPACE || arg_len >= JOB_ARG_MAX ||
	    (arg_needed(op) && arg_len == 0) || memchr(arg, '\0', arg_len) != NULL ||
	    (is_power(op) && num > FOMOS_JOB_UNSAVED)) {
		return FOMOS_JOB_EINVAL;
	}
	struct app *target = op == FOMOS_JOB_SAVE ? app_find(num) : NULL;
	for (int32_t id = 0; id < JOB_MAX; id++) {
		if (jobs[id] == NULL) {
			jobs[id] = kzalloc(sizeof(struct job));
			if (jobs[id] == NULL) {
				return FOMOS_JOB_EBUSY;
			}
		}
		struct job *j = jobs[id];
		bool orphan = j->state == JOB_FINISHED && app_find(j->owner) == NULL;
		if (j->state != JOB_FREE && !orphan) {
			continue;
		}
		*j = (struct job){.state = JOB_QUEUED, .owner = owner, .op = op, .num = num};
		memcpy(j->arg, arg, arg_len);
		if (target != NULL) {
			j->pinned = target;
			app_pin(target);
		}
		j->id = next_id(id);
		if (is_power(op) && num == FOMOS_JOB_UNSAVED) {
			/* Not queued: the volume may be the thing that is stuck. */
			power_unsaved(j, "nothing saved, as asked");
			say(j, "the machine did not %s (see the log)",
			    op == FOMOS_JOB_REBOOT ? "restart" : "power off");
			j->value = FOMOS_JOB_EFAILED;
			j->state = JOB_FINISHED;
			return j->id;
		}
		j->vj = (struct volume_job){.run = run, .done = done, .arg = j};
		volume_submit(&j->vj);
		return j->id;
	}
	return FOMOS_JOB_EBUSY;
}

/*
 * FOMOS_JOB_PENDING, or the finished job's value (>= 0 success,
 * FOMOS_JOB_EFAILED failure) with its text in *text (valid until the
 * next job call) — the job is freed then. FOMOS_JOB_EINVAL for an id that
 * is not owner's job.
 */
static int64_t job_collect(uint64_t owner, int32_t id, const char **text, uint32_t *text_len)
{
	struct job *j = id >= 0 ? jobs[id % JOB_MAX] : NULL;
	if (j == NULL || j->state == JOB_FREE || j->owner != owner || j->id != id) {
		return FOMOS_JOB_EINVAL;
	}
	if (j->state != JOB_FINISHED) {
		return FOMOS_JOB_PENDING;
	}
	j->state = JOB_FREE;
	*text = j->text;
	*text_len = j->text_len;
	return j->value;
}

/* The two Context functions, acting for the calling app. */
static int32_t svc_job_start(uint32_t op, const char *arg, uint32_t arg_len, uint64_t num)
{
	char copy[JOB_ARG_MAX];
	int32_t id = FOMOS_JOB_EINVAL;
	app_service_enter();
	if (arg_len < sizeof(copy) && (arg != NULL || arg_len == 0)) {
		app_copy_in(copy, arg, arg_len, "job_start");
		id = job_start(app_current()->id.pid, op, copy, arg_len, num);
	}
	app_service_leave();
	return id;
}

static int64_t svc_job_poll(int32_t id, char *out, uint32_t out_cap)
{
	const char *text;
	uint32_t len;
	app_service_enter();
	int64_t r = job_collect(app_current()->id.pid, id, &text, &len);
	if (r != FOMOS_JOB_PENDING && r != FOMOS_JOB_EINVAL && out != NULL && out_cap > 0) {
		len = len < out_cap - 1 ? len : out_cap - 1;
		app_copy_out(out, text, len, "job_poll");
		app_copy_out(out + len, "", 1, "job_poll");
	}
	app_service_leave();
	return r;
}

void job_init(void)
{
	app_services_offer_jobs(svc_job_start, svc_job_poll);
}
