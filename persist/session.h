/*
 * The session: which apps were running, in which order, when the machine
 * was last rebooted or shut down from the shell. Reboot and shutdown save
 * every app (persist/snapshot.h) and then the session; the next boot resumes
 * the session's apps from their snapshots, in order, instead of starting
 * the boot manifest's apps fresh. An app whose snapshot is refused (its
 * binary changed) or unusable starts fresh, with a log line saying why.
 *
 * The session file (/snapshots/session) is one sector of text, the app
 * names and a checksum, overwritten in place: a power cut leaves the old
 * session or the new one.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "fs/fat32.h"

/*
 * At boot, once the boot archive is known: resume the saved session, or
 * start the boot manifest's apps when there is none (or no disk).
 */
void session_boot(void);

/*
 * In a volume job: save every app (all pinned first, so together they are
 * one moment), then the session. 0, or negative with msg saying which app
 * could not be saved — the session then still names the old set.
 */
int session_save(struct fat32 *fs, char *msg, size_t msg_len);
