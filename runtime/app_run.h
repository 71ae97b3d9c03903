/*
 * Running one app call safely: optimistically cooperative, pessimistically
 * preemptive. The call runs in ring 3 on the app's own stack inside a
 * guarded call
 * (arch/x86_64/guard.h) with a time budget:
 *
 *  - a CPU exception while the app's own code runs (any RIP: a wild jump
 *    lands outside its image) abandons the call: the app has CRASHED;
 *  - the timer finding the call over budget abandons it too (ABORTED): at
 *    once when the app's code is running, or, when the app is inside a
 *    kernel service at that moment, as the service returns. The budget
 *    counts the time the call ran, not time the host took the CPU away
 *    (app_run.c says how the two are told apart);
 *  - an exception inside a kernel service is the kernel's own bug: panic.
 * The stack is fleeting, so abandoning a call loses nothing the kernel
 * needs. Kernel services bracket their work with app_service_enter/leave.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct app;

#define APP_BUDGET_DEFAULT_MS 100
/* A first call sets an app up (decoding, rendering): it gets more time. */
#define APP_FIRST_CALL_BUDGET_MS 1000

enum app_call_outcome {
	APP_CALL_RETURNED, /* value holds what _start returned */
	APP_CALL_CRASHED,  /* why says which exception, where */
	APP_CALL_ABORTED,  /* over budget */
};

struct app_call_result {
	enum app_call_outcome outcome;
	int32_t value;
	uint64_t ns;	    /* how long the call took (its start is the budget's too) */
	uint64_t stolen_ns; /* of that, the time the host had the CPU: not charged */
	char why[112];
};

/* Ring 3, the shared pages, the gates; hook the budget check into the timer. */
int app_run_init(void);

/* Call a->run.entry with its call page's Context under guard and budget. */
void app_run_call(struct app *a, uint32_t budget_ms, struct app_call_result *out);

/* The app whose call is in progress, or NULL. */
struct app *app_current(void);

void app_service_enter(void);
void app_service_leave(void);

/*
 * For services: copy len bytes from memory the calling app pointed to
 * (in), or to it (out). The app's pointer must lie in its own slot and be
 * mapped for the access; otherwise the app crashed: its call is abandoned
 * right here (this does not return) and the crash line says which service
 * it gave the bad pointer (`what`). The only way services touch app memory.
 */
void app_copy_in(void *dst, const void *user_src, size_t len, const char *what);
void app_copy_out(void *user_dst, const void *src, size_t len, const char *what);

/*
 * For services and the gates: the calling app did something that ends
 * its call as a crash, `why` being the whole crash line ("crashed: ...").
 * Does not return.
 */
__attribute__((noreturn)) void app_run_fail(const char *why);
