/*
 * The dispatch ladder: what calling an app costs, one piece at a time.
 * Each rung is the one before it plus one thing, timed the same way
 * (cycles_now() around each call, 10^6 calls per rung, sliced so the
 * frame loop keeps its pace):
 *
 *   bare_indirect_call  a kernel function through a pointer: the floor
 *   guarded_call_ring0  + the budget alarm and a guarded call
 *                         (arch/x86_64/guard.h), as the runtime arms them;
 *                         the deadline comes from one clock read per slice,
 *                         as the runtime's comes from the read its
 *                         accounting makes anyway
 *   user_call_ring3     + ring 3: SYSRET into the trampoline, apps/bench_nop's
 *                         _start on its own stack, SYSCALL back
 *                         (arch/x86_64/user_mode.h); its key already open
 *   user_call_pkru      + the protection-key switch both ways: its key
 *                         opened before the call, the kernel's (every key)
 *                         after, two WRPKRUs
 *   app_dispatch        the real path the frame loop takes (app_call_once):
 *                         a fresh Context in its call page, accounting, the
 *                         outcome; PKRU is written only when another app
 *                         ran in between (runtime/app_run.c)
 *   app_dispatch_many   app_call_once round robin over MANY_APPS copies of
 *                         bench_nop: more apps than protection keys, so
 *                         almost every call moves a key (runtime/app_memory.h)
 *
 * Lines, after `name=app_overhead struct_bytes=B image_pages=N arena_pages=N`:
 *   name=RUNG p50_cycles=C p99_cycles=C samples=N      one per rung
 *   name=key_retag apps=N calls=N evictions=E pages=P retag_ns=T
 *       what app_dispatch_many's keys cost: evictions and pages re-tagged
 *       during it (the desktop's own apps run between slices and count too)
 *       and the time spent re-tagging.
 * Under QEMU's -icount (`bench=ladder`, tools/bench.py) the guest's TSC
 * advances one per instruction, and the same lines count instructions.
 */
#include "bench/bench_ladder.h"

#include <stddef.h>

#include "arch/x86_64/guard.h"
#include "arch/x86_64/pkeys.h"
#include "arch/x86_64/user_mode.h"
#include "bench/bench_step.h"
#include "kernel/clock.h"
#include "kernel/log.h"
#include "lib/cycles.h"
#include "lib/hist.h"
#include "mm/heap.h"
#include "runtime/app.h"
#include "runtime/app_gate.h"
#include "runtime/app_run.h"
#include "runtime/app_shared.h"
#include "services/app_start.h"

#define RUNG_CALLS 1000000u
#define MANY_APPS  24u /* the desktop's three and these: well over 14 keys */
#define MANY_CALLS 100000u
#define BUDGET_NS  ((uint64_t)APP_BUDGET_DEFAULT_MS * 1000000)

enum rung { BARE, GUARDED, RING3, PKRU, DISPATCH, MANY, RUNGS };

static const char *const rung_name[RUNGS] = {
    "bare_indirect_call", "guarded_call_ring0", "user_call_ring3",
    "user_call_pkru",	  "app_dispatch",	"app_dispatch_many",
};

static struct {
	struct hist hist[RUNGS];
	int64_t many[MANY_APPS]; /* pids of app_dispatch_many's apps, or -1 */
	struct app_key_stats keys_before;
} * l;

static const struct fomos_input no_input; /* the pointer at 0,0, no key down */
static uint64_t deadline_ns;		  /* the budget of the calls in this slice */

/* The floor: a call the compiler can neither inline nor see through. */
__attribute__((noinline)) static int64_t trivial(void *arg)
{
	__asm__ volatile("" : : "r"(arg) : "memory");
	return 0;
}
static int64_t (*volatile trivial_fn)(void *) = trivial;

static void bare_one(void)
{
	int64_t (*fn)(void *) = trivial_fn;
	uint64_t start = cycles_now();
	fn(NULL);
	hist_add(&l->hist[BARE], cycles_now() - start);
}

static void guarded_one(void)
{
	uint64_t start = cycles_now();
	struct guard g;
	guard_init(&g, 0, UINTPTR_MAX, NULL);
	clock_alarm_by(deadline_ns);
	guarded_call(trivial_fn, NULL, &g);
	hist_add(&l->hist[GUARDED], cycles_now() - start);
}

/* Into the subject's _start in ring 3 and back: the call, nothing around it. */
static int64_t enter_subject(void *arg)
{
	const struct app *a = arg;
	const struct app_memory *m = &a->run.memory;
	app_gate_serve(&a->run.ctx);
	return user_call((uintptr_t)a->run.entry, (void *)app_memory_call_page_user(m),
			 app_memory_stack_top(m), app_shared_trampoline());
}

/* A guarded ring-3 call of the subject; false (and the rung ends) if it faulted. */
static bool subject_call(struct app *a)
{
	struct guard g;
	guard_init(&g, 0, UINTPTR_MAX, NULL);
	clock_alarm_by(deadline_ns);
	if (guarded_call(enter_subject, a, &g) != GUARD_FAULTED) {
		return true;
	}
	log_error("bench", "bench_nop faulted in a ladder call: the rung stops");
	bench_progress = RUNG_CALLS - 1;
	return false;
}

/* The subject, or NULL and the rung ends: it went away. */
static struct app *subject_or_stop(void)
{
	struct app *a = bench_subject();
	if (a == NULL) {
		bench_progress = RUNG_CALLS - 1;
	}
	return a;
}

static void ring3_one(void)
{
	struct app *a = subject_or_stop();
	uint64_t start = cycles_now();
	if (a != NULL && subject_call(a)) {
		hist_add(&l->hist[RING3], cycles_now() - start);
	}
}

static void pkru_one(void)
{
	struct app *a = subject_or_stop();
	if (a == NULL) {
		return;
	}
	uint64_t start = cycles_now();
	pkru_set(app_memory_enter(&a->run.memory));
	bool returned = subject_call(a);
	pkru_set(0);
	if (returned) {
		hist_add(&l->hist[PKRU], cycles_now() - start);
	}
}

static void dispatch_one(void)
{
	struct app *a = subject_or_stop();
	if (a == NULL) {
		return;
	}
	uint64_t start = cycles_now();
	bool alive = app_call_once(a, &no_input);
	hist_add(&l->hist[DISPATCH], cycles_now() - start);
	if (!alive) {
		bench_progress = RUNG_CALLS - 1;
	}
}

static void many_one(void)
{
	struct app *a = app_find((uint64_t)l->many[bench_progress % MANY_APPS]);
	if (a == NULL) {
		bench_progress = MANY_CALLS - 1;
		return;
	}
	uint64_t start = cycles_now();
	bool alive = app_call_once(a, &no_input);
	hist_add(&l->hist[MANY], cycles_now() - start);
	if (!alive) {
		bench_progress = MANY_CALLS - 1;
	}
}

/* One rung to its end; the ring-3 rungs need the subject, started and called once. */
static bool rung(enum rung r, void (*one)(void))
{
	if (r >= RING3 && r <= DISPATCH && bench_subject() == NULL) {
		return true;
	}
	if (r == RING3 && user_mode_pkeys) {
		pkru_set(app_memory_enter(&bench_subject()->run.memory)); /* for this slice */
	}
	deadline_ns = clock_ns() + BUDGET_NS;
	if (!bench_sliced(RUNG_CALLS, one)) {
		return false;
	}
	bench_report(rung_name[r], "cycles", &l->hist[r]);
	return true;
}

bool bench_ladder_bare(void)
{
	if (l == NULL && (l = kzalloc(sizeof(*l))) == NULL) {
		log_error("bench", "no memory for the dispatch ladder: its figures are missing");
		return true;
	}
	return rung(BARE, bare_one);
}

bool bench_ladder_guarded(void)
{
	return l == NULL || rung(GUARDED, guarded_one);
}

bool bench_ladder_start(void)
{
	struct app *a = l != NULL ? bench_subject_start("bench_nop") : NULL;
	if (a == NULL || !app_call_once(a, &no_input)) { /* its first call sets it up */
		return true;
	}
	log_info("bench", "name=app_overhead struct_bytes=%llu image_pages=%llu arena_pages=%llu",
		 (unsigned long long)sizeof(struct app),
		 (unsigned long long)a->run.memory.image_pages,
		 (unsigned long long)a->run.memory.arena_pages);
	return true;
}

bool bench_ladder_ring3(void)
{
	return l == NULL || rung(RING3, ring3_one);
}

bool bench_ladder_pkru(void)
{
	return l == NULL || !user_mode_pkeys || rung(PKRU, pkru_one);
}

bool bench_ladder_dispatch(void)
{
	if (l == NULL || rung(DISPATCH, dispatch_one)) {
		bench_subject_stop();
		return true;
	}
	return false;
}

/* The last rung's end: its apps go, and the ladder's memory. */
static bool finish_many(void)
{
	for (unsigned i = 0; i < MANY_APPS; i++) {
		if (l->many[i] >= 0) {
			app_kill((uint64_t)l->many[i], "benchmark measured");
		}
	}
	kfree(l);
	l = NULL;
	return true;
}

static void report_many(void)
{
	struct app_key_stats now;
	app_memory_key_stats(&now);
	bench_report(rung_name[MANY], "cycles", &l->hist[MANY]);
	log_info("bench",
		 "name=key_retag apps=%u calls=%llu evictions=%llu pages=%llu retag_ns=%llu",
		 MANY_APPS, (unsigned long long)l->hist[MANY].count,
		 (unsigned long long)(now.evictions - l->keys_before.evictions),
		 (unsigned long long)(now.pages_retagged - l->keys_before.pages_retagged),
		 (unsigned long long)(now.retag_ns - l->keys_before.retag_ns));
}

bool bench_ladder_many(void)
{
	if (l == NULL) {
		return true;
	}
	if (bench_progress == 0) {
		for (unsigned i = 0; i < MANY_APPS; i++) {
			l->many[i] = -1;
		}
		for (unsigned i = 0; i < MANY_APPS; i++) {
			l->many[i] = app_start_archived("bench_nop", 0);
			struct app *a = l->many[i] >= 0 ? app_find((uint64_t)l->many[i]) : NULL;
			if (a == NULL || !app_call_once(a, &no_input)) {
				log_error("bench", "cannot start %u copies of bench_nop: no %s",
					  MANY_APPS, rung_name[MANY]);
				return finish_many();
			}
		}
		app_memory_key_stats(&l->keys_before);
	}
	if (!bench_sliced(MANY_CALLS, many_one)) {
		return false;
	}
	report_many();
	return finish_many();
}
