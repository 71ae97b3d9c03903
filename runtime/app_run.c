/*
 * Guarded, budgeted app calls; see app_run.h.
 *
 * Each app runs in ring 3 on its own stack, in its own slot
 * (runtime/app_memory.h), entered through the gate page
 * (runtime/app_gate.h). `calling` is set only inside the guarded region
 * (by the trampoline), so whenever the timer sees a call in progress, the
 * guard it redirects to is armed.
 */
#include "runtime/app_run.h"

#include <stdbool.h>
#include <stddef.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/guard.h"
#include "arch/x86_64/pkeys.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/user_access.h"
#include "arch/x86_64/user_mode.h"
#include "kernel/clock.h"
#include "kernel/log.h"
#include "lib/format.h"
#include "lib/string.h"
#include "runtime/app.h"
#include "runtime/app_gate.h"
#include "runtime/app_shared.h"

static struct guard call_guard;
static struct app *volatile calling;
static volatile uint32_t service_depth;
static volatile bool abort_pending, aborted;
static uint64_t budget_ns, charged_ns, stolen_ns; /* of the call in progress */
static uint64_t checked_ns, check_due_ns;	  /* the last budget check, and the next */
static char service_crash[112];			  /* set when a service found a bad app pointer */
static uint64_t fpu_owner; /* pid of the app whose x87/SSE state the registers hold */

struct app *app_current(void)
{
	return calling;
}

/*
 * The budget counts the time the app ran, not the time the host took the
 * CPU away (a loaded host, a descheduled vCPU). It is checked every
 * CHECK_NS: an alarm is taken within microseconds of its time when the
 * CPU runs, and an app cannot hold it off (cli faults in ring 3), so a
 * check that comes more than LATE_NS after it was due means the CPU was
 * not ours for that long; the check charges the call for the time since
 * the last one minus that lateness.
 */
#define CHECK_NS (10 * 1000000ull)
#define LATE_NS	 (5 * 1000000ull)

static void arm_check(uint64_t now)
{
	uint64_t left = budget_ns - charged_ns;
	check_due_ns = now + (left < CHECK_NS ? left : CHECK_NS);
	clock_alarm_by(check_due_ns); /* usually already armed: no device access */
}

/* The timer's hook: abandon a call that ran past its budget. */
static void budget_check(struct trap_frame *frame)
{
	if (calling == NULL || aborted) {
		return;
	}
	uint64_t now = clock_ns();
	if (now < check_due_ns) {
		clock_set_alarm(check_due_ns); /* an earlier alarm: still watch this call */
		return;
	}
	uint64_t late = now - check_due_ns, stolen = late > LATE_NS ? late : 0;
	charged_ns += now - checked_ns - stolen;
	stolen_ns += stolen;
	checked_ns = now;
	if (charged_ns < budget_ns) {
		arm_check(now);
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

void app_run_fail(const char *why)
{
	fmt_snprintf(service_crash, sizeof(service_crash), "%s", why);
	service_depth = 0;
	abort_pending = false;
	guard_abandon(&call_guard); /* back into app_run_call */
}

struct copy_request {
	void *dst;
	const void *src;
	size_t len;
};

static int64_t copy_guarded(void *arg)
{
	struct copy_request *c = arg;
	user_access_begin();
	memcpy(c->dst, c->src, c->len);
	user_access_end();
	return 0;
}

/* The copy for app_copy_in/out: user is the app's side of it. */
static void copy(void *dst, const void *src, size_t len, uintptr_t user, const char *what)
{
	struct app *a = calling;
	struct guard g;
	guard_init(&g, 0, UINTPTR_MAX, NULL);
	struct copy_request c = {dst, src, len};
	char why[112];

	if (a == NULL) {
		log_error("app", "%s: no app is calling: nothing copied", what);
		return;
	}
	if (!app_memory_owns_range(&a->run.memory, user, len)) {
		fmt_snprintf(why, sizeof(why),
			     "crashed: gave %s a pointer outside its memory (%#llx, %zu bytes)",
			     what, (unsigned long long)user, len);
		app_run_fail(why);
	}
	if (guarded_call(copy_guarded, &c, &g) != GUARD_FAULTED) {
		return;
	}
	fmt_snprintf(why, sizeof(why), "crashed: gave %s a bad pointer (fault at %#llx)", what,
		     (unsigned long long)g.fault_addr);
	app_run_fail(why);
}

void app_copy_in(void *dst, const void *user_src, size_t len, const char *what)
{
	copy(dst, user_src, len, (uintptr_t)user_src, what);
}

void app_copy_out(void *user_dst, const void *src, size_t len, const char *what)
{
	copy(user_dst, src, len, (uintptr_t)user_dst, what);
}

/* The trap handler's offer of a ring-3 page fault: the calling app's stack grows. */
static bool grow_stack(uint64_t address, uint64_t error_code)
{
	struct app *a = calling;
	bool not_present = (error_code & 1) == 0;
	return a != NULL && not_present && app_memory_grow_stack(&a->run.memory, address);
}

int app_run_init(void)
{
	if (app_shared_init() != 0) {
		return -1;
	}
	user_mode_init();
	app_gate_init();
	trap_set_user_page_fault_fixup(grow_stack);
	clock_set_alarm_hook(budget_check);
	log_info("app",
		 "apps run in ring 3: own stack each, gates at %#llx, SMEP %s, SMAP %s, "
		 "protection keys %s",
		 (unsigned long long)app_shared_trampoline(), cpu.smep ? "on" : "off",
		 cpu.smap ? "on" : "off", user_mode_pkeys ? "on (14 for apps)" : "off");
	if (!user_mode_pkeys) {
		log_warn("app",
			 "no PKU on this CPU: apps are kept from the kernel, not from each other");
	}
	return 0;
}

static int64_t trampoline(void *arg)
{
	struct app *a = arg;
	const struct app_memory *m = &a->run.memory;
	calling = a;
	app_gate_serve(&a->run.ctx);
	int32_t value = user_call((uintptr_t)a->run.entry, (void *)app_memory_call_page_user(m),
				  app_memory_stack_top(m), app_shared_trampoline());
	calling = NULL;
	return (uint32_t)value; /* never GUARD_FAULTED */
}

/*
 * What a #GP in ring 3 most likely was: the instruction at rip, if it is
 * one that ring 3 may not run. Read through a guard: rip may be anywhere.
 */
static const char *privileged_hint(const struct app *a, uint64_t rip)
{
	uint8_t op[2] = {0, 0};
	struct guard g;
	guard_init(&g, 0, UINTPTR_MAX, NULL);
	struct copy_request c = {op, (const void *)rip, sizeof(op)};

	if (!app_memory_owns_range(&a->run.memory, rip, sizeof(op)) ||
	    guarded_call(copy_guarded, &c, &g) == GUARD_FAULTED) {
		return "";
	}
	bool port_io = (op[0] >= 0xe4 && op[0] <= 0xe7) || (op[0] >= 0xec && op[0] <= 0xef);
	bool control_register = op[0] == 0x0f && op[1] >= 0x20 && op[1] <= 0x23;
	if (op[0] == 0xfa || op[0] == 0xfb) {
		return " (cli/sti: ring 3 may not change the interrupt flag)";
	}
	if (op[0] == 0xf4) {
		return " (hlt: ring 3 may not halt the CPU)";
	}
	if (port_io) {
		return " (in/out: ring 3 has no I/O ports)";
	}
	if (op[0] == 0x0f && (op[1] == 0x30 || op[1] == 0x32)) {
		return " (wrmsr/rdmsr: ring 3 has no MSRs)";
	}
	return control_register ? " (mov to/from a control register: ring 0 only)" : "";
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
	if (g->fault_vector == 14 && app_memory_in_stack_gap(&a->run.memory, g->fault_addr)) {
		fmt_snprintf(why, len, "crashed: stack overflow (past its 1 MiB stack) at %s",
			     where);
	} else if (g->fault_vector == 14) {
		fmt_snprintf(why, len, "crashed: Page Fault at %s, %s address %#llx%s", where,
			     (g->fault_error & 2)    ? "writing"
			     : (g->fault_error & 16) ? "executing"
						     : "reading",
			     (unsigned long long)g->fault_addr,
			     (g->fault_error & 32) ? " (another app's memory: protection key)"
						   : "");
	} else if (g->fault_vector == 13) {
		fmt_snprintf(why, len, "crashed: General Protection Fault at %s%s", where,
			     privileged_hint(a, rip));
	} else {
		fmt_snprintf(why, len, "crashed: %s at %s", trap_vector_name(g->fault_vector),
			     where);
	}
}

void app_run_call(struct app *a, uint32_t budget_ms, struct app_call_result *out)
{
	bool irqs_were_on = irq_enabled();

	guard_init(&call_guard, 0, UINTPTR_MAX, &service_depth);
	aborted = abort_pending = false;
	service_depth = 0;
	service_crash[0] = '\0';
	uint64_t start = clock_ns();
	budget_ns = (uint64_t)budget_ms * 1000000;
	charged_ns = stolen_ns = 0;
	checked_ns = start;
	arm_check(start);
	uint32_t pkru = app_memory_enter(&a->run.memory);
	if (fpu_owner != a->id.pid) {
		user_mode_clear_fpu(); /* nothing of another app's registers */
		fpu_owner = a->id.pid;
	}
	if (user_mode_pkeys) {
		/*
		 * Its own key and the shared one, for it and its services. It
		 * stays so after the call: the kernel's own pages are
		 * supervisor pages, which PKRU does not govern, and the kernel's
		 * copies of app memory open the key they need themselves
		 * (app_memory.c), so the next app's call is the next write.
		 */
		pkru_set(pkru);
	}

	int64_t r = guarded_call(trampoline, a, &call_guard);
	out->ns = clock_ns() - start;
	out->stolen_ns = stolen_ns;
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
