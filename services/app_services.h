/*
 * The services an app reaches through its context (include/fomos.h): the
 * kernel functions behind ctx->log, calloc, cdalloc, time_ns, mem_info, the
 * clipboard (services/clipboard.h) and,
 * for apps granted them, app_start, app_list, app_kill, app_stats,
 * app_control, job_start and job_poll. They act on the
 * app that is running now (app_current()), which is how one set of
 * functions serves every app.
 */
#pragma once

struct app;

#include "include/fomos.h"

/*
 * An app's context template from its rights: version, pid, the
 * services minus what is denied, the app-management functions only with
 * the apps capability and the job functions only with the jobs one
 * (rights.caps, granted by the boot manifest), wrapped for tracing when
 * traced. Written into a->run.ctx it takes effect at the app's next call
 * (each call gets a fresh copy of the template).
 */
void app_services_context(const struct app *a, struct fomos_context *out);

/* Every service, unwrapped: what tracing wrappers call through. */
const struct fomos_context *app_services_real(void);

/*
 * The jobs module (jobs/job.h) offers the two job functions; apps with the
 * jobs capability get them from then on.
 */
void app_services_offer_jobs(int32_t (*start)(uint32_t op, const char *arg, uint32_t arg_len,
					      uint64_t num),
			     int64_t (*poll)(int32_t id, char *out, uint32_t out_cap));
