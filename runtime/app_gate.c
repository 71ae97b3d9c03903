/*
 * Gates to the Context; see app_gate.h. The list of function fields is
 * the ABI's (include/fomos.h): a field appended there gets its gate by
 * being named here.
 */
#include "runtime/app_gate.h"

#include <stdbool.h>
#include <stddef.h>

#include "arch/x86_64/user_mode.h"
#include "lib/format.h"
#include "runtime/app.h"
#include "runtime/app_run.h"
#include "runtime/app_shared.h"

/* clang-format off */
#define CONTEXT_FUNCTIONS(X)                                                                       \
	X(log) X(calloc) X(cdalloc) X(time_ns) X(mem_info) X(app_start) X(app_list) X(app_kill)   \
	X(app_stats) X(app_control) X(job_start) X(job_poll) X(utc_ns) X(window)               \
	X(clipboard_put) X(clipboard_get)
/* clang-format on */

#define GATE_OF(field) (offsetof(struct fomos_context, field) / 8)

#define ASSERT_GATE(field)                                                                         \
	_Static_assert(offsetof(struct fomos_context, field) % 8 == 0 &&                           \
			   GATE_OF(field) < USER_GATE_COUNT,                                       \
		       "every Context function has a gate: " #field);
CONTEXT_FUNCTIONS(ASSERT_GATE)

static bool is_function(unsigned gate)
{
#define IS_GATE(field) || gate == GATE_OF(field)
	return false CONTEXT_FUNCTIONS(IS_GATE);
#undef IS_GATE
}

/* Every number the fast path does not serve: the calling app has crashed. */
static uint64_t refused(uint32_t nr)
{
	char why[96];

	if (app_current() == NULL) {
		return 0; /* not inside an app call: nothing to serve */
	}
	if (nr < USER_GATE_COUNT && is_function(nr)) {
		fmt_snprintf(why, sizeof(why),
			     "crashed: called Context field %u (offset %u), which it was not given",
			     (unsigned)nr, (unsigned)(8 * nr));
	} else {
		fmt_snprintf(why, sizeof(why),
			     "crashed: entered the kernel with number %#x, no gate", (unsigned)nr);
	}
	app_run_fail(why);
}

void app_gate_init(void)
{
#define GATE_BIT(field) | (1u << GATE_OF(field))
	user_mode_set_gates(0u CONTEXT_FUNCTIONS(GATE_BIT), refused);
#undef GATE_BIT
}

void app_gate_fill(struct app_call_page *page, uintptr_t user_page,
		   const struct fomos_context *tmpl, void *store)
{
	struct fomos_context *c = &page->ctx;

	*c = *tmpl;
#define GATE(field)                                                                                \
	c->field =                                                                                 \
	    tmpl->field == NULL ? NULL : (__typeof__(c->field))app_shared_gate(GATE_OF(field));
	CONTEXT_FUNCTIONS(GATE)
#undef GATE
	c->store = (void **)(user_page + offsetof(struct app_call_page, store));
	page->store = store;
}
