/*
 * Context services; see app_services.h. Each checks what the app passed
 * (lengths, alignment, pids) before acting: a misbehaving app gets an
 * error value or NULL, and a log line, never a kernel panic. Each brackets
 * its work with app_service_enter/leave (core/app_run.h): a fault inside is
 * the kernel's, and a call over budget is abandoned only once it returns.
 */
#include "core/app_services.h"

#include "core/app.h"
#include "core/app_archive.h"
#include "core/clock.h"
#include "core/log.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/pmm.h"

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
	for (uint32_t i = 0; i < n; i++) {
		char c = s[i];
		text[i] = (c < 0x20 || c == 0x7f) ? '?' : c;
	}
	text[n] = '\0';
	log_printf(LOG_INFO, NULL, "[pid %llu %s] %s%s", (unsigned long long)a->pid, a->name, text,
		   len > LOG_TEXT_MAX ? "..." : "");
	app_service_leave();
}

static void *svc_calloc(size_t size, size_t align)
{
	struct app *a = app_current();
	app_service_enter();
	void *p = a != NULL ? app_memory_alloc(&a->memory, size, align) : NULL;
	app_service_leave();
	return p;
}

static void svc_cdalloc(void *p, size_t size, size_t align)
{
	struct app *a = app_current();
	(void)size;
	(void)align;
	app_service_enter();
	if (a != NULL && p != NULL && !app_memory_free(&a->memory, p)) {
		log_warn("app", "pid %llu %s freed %p, which is not a live block: ignored",
			 (unsigned long long)a->pid, a->name, p);
	}
	app_service_leave();
}

static uint64_t svc_time_ns(void)
{
	return clock_ns();
}

static void svc_mem_info(struct fomos_mem_info *out)
{
	struct tlsf_stats heap;
	app_service_enter();
	heap_stats(&heap);
	out->total_bytes = pmm_total_bytes();
	out->free_bytes = pmm_free_bytes();
	out->kernel_heap_bytes = heap.pool_bytes;
	out->apps_bytes = app_memory_total_pages() * PAGE_SIZE;
	app_service_leave();
}

static uint32_t svc_app_list(struct fomos_app_info *out, uint32_t max)
{
	uint32_t n = 0;
	app_service_enter();
	for (struct app *a = app_first(); a != NULL; a = a->next, n++) {
		if (n >= max || out == NULL) {
			continue;
		}
		struct fomos_app_info *i = &out[n];
		memset(i, 0, sizeof(*i));
		i->pid = a->pid;
		fmt_snprintf(i->name, sizeof(i->name), "%s", a->name);
		i->state = a->state;
		i->calls = a->calls;
		i->total_ns = a->total_ns;
		i->memory_bytes = a->memory.live_bytes;
		i->allocations = a->memory.live_allocs;
	}
	app_service_leave();
	return n;
}

static int32_t svc_app_kill(uint64_t pid)
{
	struct app *a = app_current();
	char why[48];
	app_service_enter();
	fmt_snprintf(why, sizeof(why), "by pid %llu %s", (unsigned long long)(a ? a->pid : 0),
		     a ? a->name : "?");
	int32_t r = app_kill(pid, why);
	app_service_leave();
	return r;
}

static int64_t svc_app_start(const char *name, uint32_t len)
{
	app_service_enter();
	int64_t pid = app_archive_start(name, len);
	app_service_leave();
	return pid;
}

void app_services_fill(struct app *a)
{
	struct fomos_context *c = &a->ctx;
	c->version = FOMOS_ABI_VERSION;
	c->log = svc_log;
	c->pid = a->pid;
	c->calloc = svc_calloc;
	c->cdalloc = svc_cdalloc;
	c->store = &a->store;
	c->time_ns = svc_time_ns;
	c->mem_info = svc_mem_info;
	c->app_start = a->shell ? svc_app_start : NULL;
	c->app_list = a->shell ? svc_app_list : NULL;
	c->app_kill = a->shell ? svc_app_kill : NULL;
}
