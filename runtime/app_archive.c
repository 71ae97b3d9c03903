/*
 * The boot archive of apps; see app_archive.h. The archive stays where GRUB
 * put it (the pmm keeps modules reserved) and is read in place through the
 * direct map: starting an app copies its ELF segments into the app's slot,
 * nothing else is copied.
 */
#include "runtime/app_archive.h"

#include <stddef.h>

#include "kernel/log.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "runtime/app.h"
#include "runtime/manifest.h"
#include "runtime/tar.h"

#define ARCHIVE_MODULE "apps.tar"
#define MANIFEST_FILE  "boot.manifest"

static const uint8_t *archive;
static size_t archive_len;

void app_archive_init(const struct boot_info *info)
{
	for (size_t i = 0; i < info->module_count; i++) {
		const struct boot_module *m = &info->modules[i];
		if (strcmp(m->name, ARCHIVE_MODULE) == 0 && m->end <= pmm_ram_end()) {
			archive = phys_to_virt(m->start);
			archive_len = (size_t)(m->end - m->start);
		}
	}
	if (archive == NULL) {
		log_warn("app", "no %s boot module: no apps", ARCHIVE_MODULE);
		return;
	}
	log_info("app", "boot archive %s: %zu bytes", ARCHIVE_MODULE, archive_len);
}

int app_archive_find(const char *name, const void **data, size_t *size)
{
	char file[APP_NAME_MAX + 8];

	fmt_snprintf(file, sizeof(file), "%s.elf", name);
	if (archive == NULL || strlen(name) >= APP_NAME_MAX ||
	    tar_find(archive, archive_len, file, data, size) != 0) {
		return -1;
	}
	return 0;
}

const struct manifest *app_archive_manifest(void)
{
	static struct manifest manifest;
	static int status = 1; /* 1: not parsed yet, then 0 or negative */
	const void *text;
	size_t len, line = 0;

	if (status == 1 && archive == NULL) {
		status = -1;
	} else if (status == 1 && tar_find(archive, archive_len, MANIFEST_FILE, &text, &len) != 0) {
		log_warn("app", "%s has no %s: no app starts at boot", ARCHIVE_MODULE,
			 MANIFEST_FILE);
		status = -1;
	} else if (status == 1) {
		status = manifest_parse(text, len, &manifest, &line);
		if (status == MANIFEST_E_TOO_MANY) {
			log_error("app", "%s line %zu: %s: the apps from there on do not start",
				  MANIFEST_FILE, line, manifest_strerror(status));
			status = 0;
		} else if (status != 0) {
			log_error("app", "%s line %zu: %s: no app starts at boot", MANIFEST_FILE,
				  line, manifest_strerror(status));
		}
	}
	return status == 0 ? &manifest : NULL;
}

/* The manifest's first line for name, or -1. */
static long manifest_line(const struct manifest *m, const char *name)
{
	for (size_t i = 0; m != NULL && i < m->count; i++) {
		if (strcmp(m->names[i], name) == 0) {
			return (long)i;
		}
	}
	return -1;
}

uint32_t app_archive_granted_caps(const char *name)
{
	const struct manifest *m = app_archive_manifest();
	long i = manifest_line(m, name);
	return i >= 0 ? m->caps[i] : 0;
}

bool app_archive_on_top(const char *name)
{
	const struct manifest *m = app_archive_manifest();
	long i = manifest_line(m, name);
	return i >= 0 && m->top[i];
}
