/*
 * The Context an app sees in ring 3, and the way back from it. The app's
 * kernel-side template (struct app_run_state.ctx) holds kernel functions,
 * which ring 3 cannot call; the Context the app gets holds, for each
 * function the template has, the address of its gate
 * (arch/x86_64/user_mode.h): gate i serves the field at byte offset 8 * i.
 * Fields the template has NULL stay NULL. The app calls a gate as the
 * plain function it always called; the kernel looks the field up in the
 * calling app's template, never in anything the app can write, and calls
 * it there with the app's arguments. An app that forges a number, or
 * calls a field it was not given, has crashed.
 */
#pragma once

#include "arch/x86_64/user_mode.h"
#include "include/fomos.h"

/* What the call page holds (runtime/app_memory.h). */
struct app_call_page {
	struct fomos_context ctx;
	void *store;		  /* ctx.store points here */
	struct fomos_input input; /* a windowed app's view of the input (ctx.input) */
};
_Static_assert(sizeof(struct app_call_page) <= 4096, "the call page is one page");

/* Serve the gates: which are valid, and what refuses the others. */
void app_gate_init(void);

/* For each call: gate i reaches the field at offset 8 * i of a's template. */
static inline void app_gate_serve(const struct fomos_context *tmpl)
{
	user_mode_set_gate_targets((void *const *)tmpl);
}

/*
 * Fill the call page (the kernel's alias `page`, seen by the app at
 * `user_page`) for one call: tmpl's fields with gates for its functions,
 * store the value of the store cell.
 */
void app_gate_fill(struct app_call_page *page, uintptr_t user_page,
		   const struct fomos_context *tmpl, void *store);
