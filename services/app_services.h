/*
 * The services an app reaches through its context (include/fomos.h): the
 * kernel functions behind ctx->log, calloc, cdalloc, time_ns, mem_info and,
 * for the shell only, app_start, app_list and app_kill. They act on the
 * app that is running now (app_current()), which is how one set of
 * functions serves every app.
 */
#pragma once

struct app;

#include "include/fomos.h"

/*
 * (Re)build an app's context template from its rights: version, pid,
 * store slot, the services — minus what is denied, the shell-only ones for
 * the shell only, wrapped for tracing when traced. Takes effect at the
 * app's next call (each call gets a fresh copy of the template).
 */
void app_services_fill(struct app *a);

/* Every service, unwrapped: what tracing wrappers call through. */
const struct fomos_context *app_services_real(void);
