/*
 * Guarded, budgeted app calls; see app_run.h.
 *
 * All apps share one app stack (nothing on it survives a call) with an
 * unmapped guard page below it. `calling` is set only inside the guarded
 * region (by the trampoline), so whenever the timer sees a call in
 * progress, the guard it redirects to is armed.
 */
#include "runtime/app_run.h"

#include <stdbool.h>
#include <stddef.h>

#include "arch/x86_64/app_call.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/guard.h"
#include "arch/x86_64/trap.h"
#include "kernel/clock.h"
#include "kernel/log.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "runtime/app.h"

#define APP_STACK_GUARD 0xffffe00000000000ull
#define APP_STACK_SIZE	(1u << 20)
#define APP_STACK_TOP	(APP_STACK_GUARD + PAGE_SIZE + APP_STACK_SIZE)

static struct guard call_guard;
static struct app *volatile calling;
static volatile uint32_t service_depth;
static volatile bool abort_pending, aborted;
static uint64_t call_deadline_ns;
static char service_crash[112]; /* set when a service found a bad app pointer */

struct app *app_current(void)
{
	return calling;
}

/* The timer's hook: abandon a call that ran past its deadline. */
static void budget_check(struct trap_frame *frame)
{
	if (calling == NULL || aborted) {
		return;
	}
	if (clock_ns() < call_deadline_ns) {
		clock_set_alarm(call_deadline_ns); /* an earlier alarm: still watch this call */
		return;
	}
	aborted = true;
	if (service_depth == 0) {
		guard_redirect(&call_guard, frame, 0);
	} else {
		abort_pending = true; /* app_service_leave() unwinds */
	}
}

void app_service_enter(void)
{
	service_depth++;
}

void app_service_leave(void)
{
	if (--service_depth == 0 && abort_pending) {
		abort_pending = false;
		guard_abandon(&call_guard);
	}
}

struct copy_request {
	void *dst;
	const void *src;
	size_t len;
};

static int64_t copy_guarded(void *arg)
{
	struct copy_request *c = arg;
	memcpy(c->dst, c->src, c->len);
	return 0;
}

void app_copy(void *dst, const void *src, size_t len, const char *what)
{
	struct guard g = {.catch_lo = 0, .catch_hi = UINTPTR_MAX};
	struct copy_request c = {dst, src, len};

	if (guarded_call(copy_guarded, &c, &g) != GUARD_FAULTED) {
		return;
	}
	fmt_snprintf(service_crash, sizeof(service_crash),
		     "crashed: gave %s a bad pointer (fault at %#llx)", what,
		     (unsigned long long)g.fault_addr);
	service_depth = 0;
	abort_pending = false;
	guard_abandon(&call_guard); /* back into app_run_call */
}

int app_run_init(void)
{
	for (uintptr_t va = APP_STACK_GUARD + PAGE_SIZE; va < APP_STACK_TOP; va += PAGE_SIZE) {
		uint64_t frame = pmm_alloc_frame();
		if (frame == PMM_NO_MEMORY ||
		    vmm_map_page(va, frame, PTE_GLOBAL | PTE_WRITABLE | PTE_NO_EXECUTE) != 0) {
			log_error("app", "no memory for the app stack: apps disabled");
			return -1;
		}
	}
	clock_set_alarm_hook(budget_check);
	log_info("app", "app stack %u KiB at %#llx, guard page below", APP_STACK_SIZE / 1024,
		 (unsigned long long)(APP_STACK_GUARD + PAGE_SIZE));
	return 0;
}

static int64_t trampoline(void *arg)
{
	struct app *a = arg;
	calling = a;
	int32_t value = app_call(a->run.entry, &a->run.call_ctx, (void *)APP_STACK_TOP);
	calling = NULL;
	return (uint32_t)value; /* never GUARD_FAULTED */
}

/* Where the fault was, for the crash line: relative to the image if inside. */
static void describe_crash(const struct app *a, char *why, size_t len)
{
	const struct guard *g = &call_guard;
	uint64_t rip = g->fault_rip, image = a->run.memory.base;
	char where[48];

	if (rip >= image && rip < image + a->run.memory.image_pages * PAGE_SIZE) {
		fmt_snprintf(where, sizeof(where), "image+%#llx",
			     (unsigned long long)(rip - image));
	} else {
		fmt_snprintf(where, sizeof(where), "%#llx (outside its image)",
			     (unsigned long long)rip);
	}
	if (g->fault_vector == 14 && g->fault_addr >= APP_STACK_GUARD &&
	    g->fault_addr < APP_STACK_GUARD + PAGE_SIZE) {
		fmt_snprintf(why, len, "crashed: stack overflow (guard page) at %s", where);
	} else if (g->fault_vector == 14) {
		fmt_snprintf(why, len, "crashed: Page Fault at %s, %s address %#llx", where,
			     (g->fault_error & 2)    ? "writing"
			     : (g->fault_error & 16) ? "executing"
						     : "reading",
			     (unsigned long long)g->fault_addr);
	} else {
		fmt_snprintf(why, len, "crashed: %s at %s", trap_vector_name(g->fault_vector),
			     where);
	}
}

void app_run_call(struct app *a, uint32_t budget_ms, struct app_call_result *out)
{
	bool irqs_were_on = irq_enabled();

	call_guard =
	    (struct guard){.catch_lo = 0, .catch_hi = UINTPTR_MAX, .kernel_busy = &service_depth};
	aborted = abort_pending = false;
	service_depth = 0;
	service_crash[0] = '\0';
	call_deadline_ns = clock_ns() + (uint64_t)budget_ms * 1000000;
	clock_alarm_by(call_deadline_ns); /* usually already armed: no device access */

	int64_t r = guarded_call(trampoline, a, &call_guard);
	calling = NULL;
	if (irqs_were_on) {
		irq_enable(); /* a crashed app may have left them off */
	}
	if (r != GUARD_FAULTED) {
		out->outcome = APP_CALL_RETURNED;
		out->value = (int32_t)r;
	} else if (service_crash[0] != '\0') {
		out->outcome = APP_CALL_CRASHED;
		fmt_snprintf(out->why, sizeof(out->why), "%s", service_crash);
	} else if (aborted) {
		out->outcome = APP_CALL_ABORTED;
		fmt_snprintf(out->why, sizeof(out->why), "aborted: call over its %u ms budget",
			     budget_ms);
	} else {
		out->outcome = APP_CALL_CRASHED;
		describe_crash(a, out->why, sizeof(out->why));
	}
}
