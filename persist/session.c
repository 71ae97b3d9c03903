/*
 * Saving and resuming the session; see session.h.
 *
 * File format: "fomos-session 1\n", one app name per line, then
 * "end HHHHHHHHHHHHHHHH\n" (the XXH64 of everything before "end"), padded
 * with zeros to 512 bytes.
 */
#include "persist/session.h"

#include "fs/volume.h"
#include "kernel/log.h"
#include "lib/format.h"
#include "lib/string.h"
#include "lib/xxhash64.h"
#include "mm/heap.h"
#include "persist/snapshot.h"
#include "runtime/app.h"
#include "runtime/app_archive.h"
#include "services/app_start.h"

#define SESSION_PATH  SNAPSHOT_DIR "/session"
#define SESSION_BYTES 512u
#define SESSION_MAGIC "fomos-session 1\n"
#define SESSION_MAX   (SESSION_BYTES / 2) /* names: one character and a newline each at least */

/* Encode the running apps' names; false when they do not fit one sector. */
static bool encode(char *out)
{
	size_t n = fmt_snprintf(out, SESSION_BYTES, "%s", SESSION_MAGIC);
	for (struct app *a = app_first(); a != NULL; a = a->next) {
		if (a->run.state == APP_EXITED) {
			continue;
		}
		n += fmt_snprintf(out + n, n < SESSION_BYTES ? SESSION_BYTES - n : 0, "%s\n",
				  a->id.name);
		if (n + 24 >= SESSION_BYTES) {
			return false;
		}
	}
	fmt_snprintf(out + n, SESSION_BYTES - n, "end %016llx\n",
		     (unsigned long long)xxh64(out, n, 0));
	return true;
}

int session_save(struct fat32 *fs, char *msg, size_t msg_len)
{
	char *text = kzalloc(SESSION_BYTES);
	int err = 0;
	size_t saved = 0;

	if (text == NULL) {
		fmt_snprintf(msg, msg_len, "no memory to save the session");
		return -1;
	}
	for (struct app *a = app_first(); a != NULL; a = a->next) {
		app_pin(a);
	}
	for (struct app *a = app_first(); a != NULL && err == 0; a = a->next) {
		if (a->run.state != APP_EXITED) {
			err = snapshot_save(fs, a, msg, msg_len) < 0 ? -1 : 0;
			saved += err == 0;
		}
	}
	if (err == 0 && !encode(text)) {
		fmt_snprintf(msg, msg_len, "too many apps to save as one session");
		err = -1;
	}
	if (err == 0) {
		uint32_t size;
		bool is_dir;
		err = fat32_stat(fs, SESSION_PATH, &size, &is_dir) == 0 && size == SESSION_BYTES
			  ? 0
			  : fat32_resize(fs, SESSION_PATH, SESSION_BYTES);
		err = err == 0 ? fat32_write_at(fs, SESSION_PATH, 0, text, SESSION_BYTES) : err;
		err = err == 0 ? fs->dev.flush(fs->dev.ctx) : err;
		if (err != 0) {
			fmt_snprintf(msg, msg_len, "the session could not be written: %s",
				     volume_strerror(err));
		} else {
			fmt_snprintf(msg, msg_len, "saved %zu apps and the session", saved);
		}
	}
	for (struct app *a = app_first(), *next; a != NULL; a = next) {
		next = a->next; /* unpinning may reap a */
		app_unpin(a);
	}
	kfree(text);
	return err;
}

/* Decode a session file: the names (cut in place) and their count, or -1. */
static int decode(char *text, const char *names[SESSION_MAX])
{
	size_t magic = strlen(SESSION_MAGIC);
	char expect[24];
	int count = 0;

	text[SESSION_BYTES - 1] = '\0';
	if (strncmp(text, SESSION_MAGIC, magic) != 0) {
		return -1;
	}
	char *end = text + magic;
	while (*end != '\0' && strncmp(end, "end ", 4) != 0) {
		char *nl = strchr(end, '\n');
		if (nl == NULL) {
			return -1;
		}
		end = nl + 1;
	}
	fmt_snprintf(expect, sizeof(expect), "end %016llx\n",
		     (unsigned long long)xxh64(text, (size_t)(end - text), 0));
	if (strncmp(end, expect, strlen(expect)) != 0) {
		return -1;
	}
	for (char *line = text + magic; line < end;) {
		char *nl = strchr(line, '\n');
		*nl = '\0';
		if (count == SESSION_MAX || nl == line || nl - line >= APP_NAME_MAX) {
			return -1;
		}
		names[count++] = line;
		line = nl + 1;
	}
	return count;
}

static void start_fresh(const char *name, const char *why)
{
	log_warn("session", "%s starts fresh: %s", name, why);
	app_start_archived(name, app_archive_granted_caps(name)); /* as the manifest starts it */
}

static int resume(struct fat32 *fs, void *arg)
{
	(void)arg;
	char *text = kzalloc(SESSION_BYTES);
	const char *names[SESSION_MAX];
	char msg[200];

	int err = text == NULL ? -1 : fat32_read_at(fs, SESSION_PATH, 0, text, SESSION_BYTES);
	int count = err == 0 ? decode(text, names) : -1;
	if (count < 0) {
		if (err == 0) {
			log_error("session", "%s is corrupt: starting the boot apps", SESSION_PATH);
		}
		kfree(text);
		return -1;
	}
	log_info("session", "resuming %d apps", count);
	for (int i = 0; i < count; i++) {
		if (snapshot_restore(fs, names[i], msg, sizeof(msg)) < 0) {
			start_fresh(names[i], msg);
		}
	}
	kfree(text);
	return 0;
}

static void resumed(void *arg, int result)
{
	(void)arg;
	if (result != 0) {
		app_start_boot_apps();
	} else {
		app_start_always_apps();
	}
}

void session_boot(void)
{
	static struct volume_job job = {.run = resume, .done = resumed};
	volume_submit(&job);
}
