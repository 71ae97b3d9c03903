/*
 * The services an app reaches through its context (include/fomos.h): the
 * kernel functions behind ctx->log, calloc, cdalloc, time_ns, mem_info and,
 * for the shell only, app_start, app_list and app_kill. They act on the
 * app that is running now (app_current()), which is how one set of
 * functions serves every app.
 */
#pragma once

struct app;

/* Fill a new app's context: version, pid, functions, store slot. */
void app_services_fill(struct app *a);
