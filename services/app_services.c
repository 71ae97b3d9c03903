/*
 * Context services; see app_services.h. Each checks what the app passed
 * (lengths, alignment, pids) before acting: a misbehaving app gets an
 * error value or NULL, and a log line, never a kernel panic. App memory is
 * only ever touched through app_copy_in/out(): a bad pointer is the app's crash. Each brackets
 * its work with app_service_enter/leave (runtime/app_run.h): a fault inside is
 * the kernel's, and a call over budget is abandoned only once it returns.
 */
#include "services/app_services.h"

#include "drivers/display.h"
#include "kernel/clock.h"
#include "kernel/log.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "runtime/app.h"
#include "runtime/manifest.h"
#include "services/app_start.h"
#include "services/app_trace.h"
#include "services/clipboard.h"

#define LOG_TEXT_MAX 200

static void svc_log(const char *s, uint32_t len)
{
	struct app *a = app_current();
	char text[LOG_TEXT_MAX + 1];
	uint32_t n = len < LOG_TEXT_MAX ? len : LOG_TEXT_MAX;

	if (a == NULL || s == NULL) {
		return;
	}
	app_service_enter();
	app_copy_in(text, s, n, "log");
	for (uint32_t i = 0; i < n; i++) {
		char c = text[i];
		text[i] = (c < 0x20 || c == 0x7f) ? '?' : c;
	}
	text[n] = '\0';
	log_printf(LOG_INFO, NULL, "[pid %llu %s] %s%s", (unsigned long long)a->id.pid, a->id.name,
		   text, len > LOG_TEXT_MAX ? "..." : "");
	app_service_leave();
}

static void *svc_calloc(size_t size, size_t align)
{
	struct app *a = app_current();
	app_service_enter();
	void *p = a != NULL ? app_memory_alloc(&a->run.memory, size, align) : NULL;
	app_service_leave();
	return p;
}

static void svc_cdalloc(void *p, size_t size, size_t align)
{
	struct app *a = app_current();
	(void)size;
	(void)align;
	app_service_enter();
	if (a != NULL && p != NULL && !app_memory_free(&a->run.memory, p)) {
		log_warn("app", "pid %llu %s freed %p, which is not a live block: ignored",
			 (unsigned long long)a->id.pid, a->id.name, p);
	}
	app_service_leave();
}

static uint64_t svc_time_ns(void)
{
	return clock_ns();
}

static uint64_t svc_utc_ns(void)
{
	return clock_wall_ns();
}

static void svc_mem_info(struct fomos_mem_info *out)
{
	struct tlsf_stats heap;
	struct fomos_mem_info info;
	app_service_enter();
	heap_stats(&heap);
	info.total_bytes = pmm_total_bytes();
	info.free_bytes = pmm_free_bytes();
	info.kernel_heap_bytes = heap.pool_bytes;
	info.apps_bytes = app_memory_total_pages() * PAGE_SIZE;
	app_copy_out(out, &info, sizeof(info), "mem_info");
	app_service_leave();
}

#define WINDOW_MIN 16 /* pixels, each way */

/* A surface of the caller's own, from its arena (fomos.h, version 6). */
static int32_t svc_window(uint32_t w, uint32_t h)
{
	app_service_enter();
	struct app *a = app_current();
	const struct canvas *screen = display_canvas();
	struct app_window *win = &a->run.window;
	int32_t r = 0;
	if (win->pixels != 0) {
		r = win->w == w && win->h == h ? 0 : FOMOS_EINVAL;
	} else if (screen == NULL || w < WINDOW_MIN || h < WINDOW_MIN || w > screen->width ||
		   h > screen->height) {
		r = FOMOS_EINVAL;
	} else {
		void *p = app_memory_alloc(&a->run.memory, (size_t)w * h * 4, 64);
		r = p == NULL ? FOMOS_ENOMEM : 0;
		if (p != NULL) {
			*win = (struct app_window){(uintptr_t)p, w, h};
			input_view_start(&a->run.view);
		}
	}
	app_service_leave();
	return r;
}

/* Everything `ps` shows about a (the v3 record; v2's is a part of it). */
static void stats_of(const struct app *a, struct fomos_app_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->pid = a->id.pid;
	fmt_snprintf(st->name, sizeof(st->name), "%s", a->id.name);
	st->state = a->run.state;
	st->policy = a->rights.policy;
	st->calls = a->acct.calls;
	st->total_ns = a->acct.total_ns;
	st->max_ns = a->acct.max_ns;
	st->memory_bytes = a->run.memory.live_bytes;
	st->memory_limit = a->run.memory.limit;
	st->allocations = a->run.memory.live_allocs;
	st->budget_ms = a->rights.budget_ms;
	st->faults = a->acct.faults;
	st->aborts = a->acct.aborts;
	st->restarts = a->acct.restarts;
	st->traced = a->rights.traced;
	st->denied = a->rights.denied;
}

static uint32_t svc_app_stats(struct fomos_app_stats *out, uint32_t max)
{
	uint32_t n = 0;
	app_service_enter();
	for (struct app *a = app_first(); a != NULL; a = a->next, n++) {
		if (n < max && out != NULL) {
			struct fomos_app_stats st;
			stats_of(a, &st);
			app_copy_out(&out[n], &st, sizeof(st), "app_stats");
		}
	}
	app_service_leave();
	return n;
}

static uint32_t svc_app_list(struct fomos_app_info *out, uint32_t max)
{
	struct fomos_app_stats st;
	uint32_t n = 0;
	app_service_enter();
	for (struct app *a = app_first(); a != NULL; a = a->next, n++) {
		if (n < max && out != NULL) {
			stats_of(a, &st);
			struct fomos_app_info info = {
			    .pid = st.pid,
			    .state = st.state,
			    .flags = a->run.restored ? FOMOS_APP_FLAG_RESTORED : 0,
			    .calls = st.calls,
			    .total_ns = st.total_ns,
			    .memory_bytes = st.memory_bytes,
			    .allocations = st.allocations};
			memcpy(info.name, st.name, sizeof(info.name));
			app_copy_out(&out[n], &info, sizeof(info), "app_list");
		}
	}
	app_service_leave();
	return n;
}

static int32_t svc_app_kill(uint64_t pid)
{
	struct app *a = app_current();
	char why[48];
	app_service_enter();
	fmt_snprintf(why, sizeof(why), "by pid %llu %s", (unsigned long long)(a ? a->id.pid : 0),
		     a ? a->id.name : "?");
	int32_t r = app_kill(pid, why);
	app_service_leave();
	return r;
}

static int64_t svc_app_start(const char *name, uint32_t len)
{
	char copy[APP_NAME_MAX];
	int64_t pid = FOMOS_EINVAL; /* no name, or longer than any app's */
	app_service_enter();
	if (name != NULL && len > 0 && len < sizeof(copy)) {
		app_copy_in(copy, name, len, "app_start");
		copy[len] = '\0';
		pid = app_start_archived(copy, 0); /* a shell-started app inherits nothing */
	}
	app_service_leave();
	return pid;
}

/* Apply one control to a (the decode already happened); 0 or a FOMOS_E* refusal. */
static int32_t control(struct app *a, uint32_t what, uint64_t value)
{
	switch (what) {
	case FOMOS_CONTROL_TRACE:
		a->rights.traced = value != 0;
		break;
	case FOMOS_CONTROL_DENY:
	case FOMOS_CONTROL_ALLOW:
		if (value > FOMOS_CAP_CLIPBOARD) {
			return FOMOS_EINVAL;
		}
		a->rights.denied = what == FOMOS_CONTROL_DENY ? a->rights.denied | (1u << value)
							      : a->rights.denied & ~(1u << value);
		break;
	case FOMOS_CONTROL_BUDGET_MS:
		if (value == 0 || value > 60000) {
			return FOMOS_EINVAL;
		}
		a->rights.budget_ms = (uint32_t)value;
		break;
	case FOMOS_CONTROL_MEMORY_LIMIT:
		a->run.memory.limit = value;
		break;
	case FOMOS_CONTROL_POLICY:
		if (value > FOMOS_POLICY_KEEP) {
			return FOMOS_EINVAL;
		}
		a->rights.policy = (uint32_t)value;
		break;
	default:
		return FOMOS_ENOCTL;
	}
	app_services_context(a, &a->run.ctx);
	log_info("app", "pid %llu %s: control %u = %llu", (unsigned long long)a->id.pid, a->id.name,
		 what, (unsigned long long)value);
	return 0;
}

static int32_t svc_app_control(uint64_t pid, uint32_t what, uint64_t value)
{
	app_service_enter();
	struct app *a = app_find(pid);
	int32_t r = a != NULL ? control(a, what, value) : FOMOS_ENOAPP;
	app_service_leave();
	return r;
}

/* What a denied capability becomes when its field may not be NULL. */
static void denied_log(const char *s, uint32_t len)
{
	(void)s;
	(void)len;
}

/* A denied clock stands at 0 (time_ns and utc_ns). */
static uint64_t denied_time_ns(void)
{
	return 0;
}

/* Denied figures are zeros: written where the app asked, as the real ones. */
static void denied_mem_info(struct fomos_mem_info *out)
{
	struct fomos_mem_info none = {0};
	app_service_enter();
	app_copy_out(out, &none, sizeof(none), "mem_info");
	app_service_leave();
}

static void *denied_calloc(size_t size, size_t align)
{
	(void)size;
	(void)align;
	return NULL;
}

static void denied_cdalloc(void *p, size_t size, size_t align)
{
	(void)p;
	(void)size;
	(void)align;
}

static struct fomos_context real_services = {
    .log = svc_log,
    .calloc = svc_calloc,
    .cdalloc = svc_cdalloc,
    .time_ns = svc_time_ns,
    .utc_ns = svc_utc_ns,
    .window = svc_window,
    .clipboard_put = clipboard_put,
    .clipboard_get = clipboard_get,
    .mem_info = svc_mem_info,
    .app_start = svc_app_start,
    .app_list = svc_app_list,
    .app_kill = svc_app_kill,
    .app_stats = svc_app_stats,
    .app_control = svc_app_control,
    /* .job_start, .job_poll: offered by the jobs module (app_services_offer_jobs) */
};

void app_services_offer_jobs(int32_t (*start)(uint32_t op, const char *arg, uint32_t arg_len,
					      uint64_t num),
			     int64_t (*poll)(int32_t id, char *out, uint32_t out_cap))
{
	real_services.job_start = start;
	real_services.job_poll = poll;
}

const struct fomos_context *app_services_real(void)
{
	return &real_services;
}

static bool denied(const struct app *a, enum fomos_capability cap)
{
	return (a->rights.denied >> cap) & 1;
}

void app_services_context(const struct app *a, struct fomos_context *c)
{
	bool apps = (a->rights.caps & MANIFEST_CAP_APPS) && !denied(a, FOMOS_CAP_APPS);
	bool jobs = (a->rights.caps & MANIFEST_CAP_JOBS) && !denied(a, FOMOS_CAP_APPS);

	*c = real_services;
	c->version = FOMOS_ABI_VERSION;
	c->pid = a->id.pid;
	c->log = denied(a, FOMOS_CAP_LOG) ? denied_log : svc_log;
	c->calloc = denied(a, FOMOS_CAP_MEMORY) ? denied_calloc : svc_calloc;
	c->cdalloc = denied(a, FOMOS_CAP_MEMORY) ? denied_cdalloc : svc_cdalloc;
	c->time_ns = denied(a, FOMOS_CAP_TIME) ? denied_time_ns : svc_time_ns;
	c->utc_ns = denied(a, FOMOS_CAP_TIME) ? denied_time_ns : svc_utc_ns;
	c->mem_info = denied(a, FOMOS_CAP_MEM_INFO) ? denied_mem_info : svc_mem_info;
	c->app_start = apps ? svc_app_start : NULL;
	c->app_list = apps ? svc_app_list : NULL;
	c->app_kill = apps ? svc_app_kill : NULL;
	c->app_stats = apps ? svc_app_stats : NULL;
	c->app_control = apps ? svc_app_control : NULL;
	c->job_start = jobs ? real_services.job_start : NULL;
	c->job_poll = jobs ? real_services.job_poll : NULL;
	c->clipboard_put = denied(a, FOMOS_CAP_CLIPBOARD) ? NULL : clipboard_put;
	c->clipboard_get = denied(a, FOMOS_CAP_CLIPBOARD) ? NULL : clipboard_get;
	if (a->rights.traced) {
		app_trace_wrap(c);
	}
}
