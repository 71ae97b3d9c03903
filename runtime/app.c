/*
 * The app runtime; see app.h. An app's memory, stack and call page are in
 * its slot (runtime/app_memory.h); what a call runs on is in app_run.h.
 */
#include "runtime/app.h"

#include "drivers/display.h"
#include "kernel/clock.h"
#include "kernel/log.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "runtime/app_gate.h"
#include "runtime/app_run.h"
#include "runtime/app_shared.h"

#define APP_RESTART_WINDOW_MS	10000
#define APP_RESTARTS_PER_WINDOW 5
#define APP_RESTART_DELAY_MS	200

static struct app *apps;
static bool in_frame;		      /* inside app_run_frame: removals wait for its end */
static struct input_view shared_view; /* of the apps without a window */
static struct input_view_rule shared_rule = {.keys = true, .buttons = true};
static struct fomos_input shared_view_input;
static const struct fomos_input *shared_view_of; /* the snapshot shared_view_input was built from */
static uint64_t next_pid = 1;
static size_t count;

void app_runtime_init(void)
{
	app_run_init();
}

/* Last in the frame order, or last before the first top-layer app. */
static void append(struct app *a)
{
	struct app **at = &apps;
	while (*at != NULL && (a->rights.top || !(*at)->rights.top)) {
		at = &(*at)->next;
	}
	a->next = *at;
	*at = a;
	count++;
}

struct app *app_prepare(const char *name, const void *file, size_t size, const char *source,
			bool owns_file, int slot, char *why, size_t why_len, int *error)
{
	int unused;
	error = error != NULL ? error : &unused;
	*error = FOMOS_ENOMEM;
	char reason[120];
	struct elf_plan plan;
	uintptr_t entry;
	struct app *a = kzalloc(sizeof(*a));

	if (a == NULL) {
		fmt_snprintf(why, why_len, "no memory for the app");
		return NULL;
	}
	if (elf_plan(file, size, &plan, reason, sizeof(reason)) != 0) {
		fmt_snprintf(why, why_len, "refused: %s", reason);
		*error = FOMOS_EBADAPP;
		kfree(a);
		return NULL;
	}
	bool claimed = slot < 0 ? app_memory_init(&a->run.memory)
				: app_memory_init_slot(&a->run.memory, (unsigned)slot);
	if (!claimed) {
		fmt_snprintf(why, why_len,
			     slot < 0 ? "no free memory slot" : "memory slot %d is in use", slot);
		kfree(a);
		return NULL;
	}
	int loaded = app_memory_load(&a->run.memory, file, &plan, &entry, reason, sizeof(reason));
	if (loaded != 0) {
		if (loaded == APP_MEMORY_EFORBIDDEN) {
			fmt_snprintf(why, why_len, "refused: %s", reason);
			*error = FOMOS_EBADAPP;
		} else {
			fmt_snprintf(why, why_len, "no memory for a %llu KiB image",
				     (unsigned long long)(plan.image_size / 1024));
		}
		app_memory_release(&a->run.memory);
		kfree(a);
		return NULL;
	}
	*error = 0;
	fmt_snprintf(a->id.name, sizeof(a->id.name), "%s", name);
	fmt_snprintf(a->id.source, sizeof(a->id.source), "%s", source);
	a->run.entry = (int32_t(*)(struct fomos_context *))entry;
	a->id.pid = next_pid++;
	a->run.state = APP_RUNNING;
	a->rights.budget_ms = APP_BUDGET_DEFAULT_MS;
	a->rights.policy = FOMOS_POLICY_STOP;
	a->id.file = file;
	a->id.file_size = size;
	a->id.owns_file = owns_file;
	return a;
}

void app_launch(struct app *a, const struct fomos_context *ctx, const char *how)
{
	a->run.ctx = *ctx;
	append(a);
	log_info("app", "%s pid %llu %s (%llu KiB image at %#llx)", how,
		 (unsigned long long)a->id.pid, a->id.name,
		 (unsigned long long)(a->run.memory.image_pages * PAGE_SIZE / 1024),
		 (unsigned long long)a->run.memory.base);
}

void app_discard(struct app *a)
{
	app_memory_release(&a->run.memory);
	if (a->id.owns_file) {
		kfree((void *)a->id.file);
	}
	kfree(a);
}

static void unlink_app(struct app *a)
{
	for (struct app **p = &apps; *p != NULL; p = &(*p)->next) {
		if (*p == a) {
			*p = a->next;
			count--;
			return;
		}
	}
}

static void destroy(struct app *a, const char *what)
{
	log_info("app", "pid %llu %s %s", (unsigned long long)a->id.pid, a->id.name, what);
	unlink_app(a);
	app_discard(a);
}

struct app *app_find(uint64_t pid)
{
	for (struct app *a = apps; a != NULL; a = a->next) {
		if (a->id.pid == pid && a->run.state != APP_EXITED) {
			return a;
		}
	}
	return NULL;
}

struct app *app_find_name(const char *name)
{
	for (struct app *a = apps; a != NULL; a = a->next) {
		if (strcmp(a->id.name, name) == 0 && a->run.state != APP_EXITED) {
			return a;
		}
	}
	return NULL;
}

int app_kill(uint64_t pid, const char *why)
{
	for (struct app *a = apps; a != NULL; a = a->next) {
		if (a->id.pid == pid && a->run.state != APP_EXITED) {
			if (in_frame || a->run.pinned > 0) {
				a->run.state = APP_EXITED; /* reaped at the end of the frame */
				fmt_snprintf(a->run.exit_why, sizeof(a->run.exit_why), "killed: %s",
					     why);
			} else {
				fmt_snprintf(a->run.exit_why, sizeof(a->run.exit_why), "killed: %s",
					     why);
				destroy(a, a->run.exit_why);
			}
			return 0;
		}
	}
	return FOMOS_ENOAPP;
}

/* Act on what _start returned: keep the app, or mark it to go (with why). */
static void apply_result(struct app *a, int32_t result)
{
	if (a->run.state == APP_EXITED) {
		return; /* killed during its own call; exit_why is set */
	}
	if (result == FOMOS_CONTINUE) {
		return;
	}
	if ((result & ~0xffffff) == FOMOS_SLEEP_FLAG) {
		a->run.state = APP_SLEEPING;
		a->run.wake_ms = clock_ms() + (uint32_t)(result & 0xffffff);
		return;
	}
	a->run.state = APP_EXITED;
	if (result == FOMOS_EXIT) {
		fmt_snprintf(a->run.exit_why, sizeof(a->run.exit_why), "exited");
	} else if (result < 0) {
		fmt_snprintf(a->run.exit_why, sizeof(a->run.exit_why),
			     "stopped: failed with error %d", result);
	} else {
		fmt_snprintf(a->run.exit_why, sizeof(a->run.exit_why),
			     "stopped: returned unknown value %#x", (unsigned)result);
	}
}

/* Load a->id.file into a's slot again: a fresh image (and arena, unless kept). */
static int reload(struct app *a, bool keep_store)
{
	struct elf_plan plan;
	uintptr_t entry;
	char why[8];
	uint64_t limit = a->run.memory.limit;

	if (keep_store) {
		app_memory_unload(&a->run.memory);
	} else {
		app_memory_release(&a->run.memory);
		a->run.store = NULL;
		a->run.window = (struct app_window){0}; /* it was in the arena */
		if (!app_memory_init(&a->run.memory)) {
			return -1;
		}
		a->run.memory.limit = limit;
	}
	if (elf_plan(a->id.file, a->id.file_size, &plan, why, sizeof(why)) != 0 ||
	    app_memory_load(&a->run.memory, a->id.file, &plan, &entry, why, sizeof(why)) != 0) {
		return -1;
	}
	a->run.entry = (int32_t(*)(struct fomos_context *))entry;
	return 0;
}

/*
 * The app crashed or ran over budget: its policy says whether it goes or
 * starts again. Restarts are rate-limited (APP_RESTARTS_PER_WINDOW per
 * APP_RESTART_WINDOW_MS) and each waits APP_RESTART_DELAY_MS, so a crash
 * loop costs the others almost nothing and ends by itself.
 */
static void handle_failure(struct app *a, const char *why)
{
	uint64_t now = clock_ms();
	bool keep = a->rights.policy == FOMOS_POLICY_KEEP;

	if (now - a->rights.window_start_ms > APP_RESTART_WINDOW_MS) {
		a->rights.window_start_ms = now;
		a->rights.window_restarts = 0;
	}
	a->run.state = APP_EXITED;
	if (a->rights.policy == FOMOS_POLICY_STOP) {
		fmt_snprintf(a->run.exit_why, sizeof(a->run.exit_why), "%s", why);
		return;
	}
	if (a->rights.window_restarts >= APP_RESTARTS_PER_WINDOW) {
		fmt_snprintf(a->run.exit_why, sizeof(a->run.exit_why),
			     "%s; crash loop (%u restarts in %u s): stopped", why,
			     a->rights.window_restarts, APP_RESTART_WINDOW_MS / 1000);
		return;
	}
	log_info("app", "pid %llu %s %s; restarting %s", (unsigned long long)a->id.pid, a->id.name,
		 why, keep ? "with its store" : "fresh");
	if (reload(a, keep) != 0) {
		fmt_snprintf(a->run.exit_why, sizeof(a->run.exit_why),
			     "%s; restart failed (no memory)", why);
		return;
	}
	a->acct.restarts++;
	a->rights.window_restarts++;
	a->run.state = APP_SLEEPING;
	a->run.wake_ms = now + APP_RESTART_DELAY_MS;
}

/*
 * The windowless apps' view of this frame's input, built once per
 * snapshot; *rebuilt says whether it is new (the shared page needs a copy).
 */
static const struct fomos_input *shared_input(const struct fomos_input *input, bool *rebuilt)
{
	*rebuilt = input != shared_view_of;
	if (*rebuilt) {
		input_view_build(&shared_view, input, &shared_rule, &shared_view_input);
		shared_view_of = input;
	}
	return &shared_view_input;
}

void app_set_shared_input_rule(const struct input_view_rule *rule)
{
	shared_rule = *rule;
}

bool app_has_focus(const struct app *a)
{
	return a->run.window.pixels != 0 && a->run.rule.keys;
}

/*
 * A fresh context for every call, in the app's call page: what the app
 * wrote into the last one is gone. The screen is the display's shared
 * layer, or one dummy pixel when there is none (or it cannot be shown
 * to apps).
 */
static void prepare_context(struct app *a, const struct fomos_input *input)
{
	struct app_call_page *page = app_memory_call_page(&a->run.memory);
	uintptr_t user_page = app_memory_call_page_user(&a->run.memory);
	struct fomos_context *c = &page->ctx;

	app_gate_fill(page, user_page, &a->run.ctx, a->run.store);
	c->start_time = clock_ms();
	if (a->run.window.pixels != 0) { /* its surface, and its own view of the input */
		input_view_build(&a->run.view, input, &a->run.rule, &page->input);
		c->input =
		    (const struct fomos_input *)(user_page + offsetof(struct app_call_page, input));
		c->fb.pixels = (struct fomos_rgba *)a->run.window.pixels;
		c->fb.w = a->run.window.w;
		c->fb.h = a->run.window.h;
		c->fb.len = c->fb.w * c->fb.h;
		return;
	}
	struct canvas *screen = display_layer();
	struct fomos_rgba *pixels = app_shared_screen(screen);
	bool rebuilt;
	const struct fomos_input *shared = shared_input(input, &rebuilt);
	c->input = app_shared_input(shared, rebuilt);
	if (pixels == NULL || screen == NULL) {
		screen = NULL;
		pixels = app_shared_screen(NULL);
	}
	c->fb.pixels = pixels;
	c->fb.w = screen != NULL ? screen->width : 1;
	c->fb.h = screen != NULL ? screen->height : 1;
	c->fb.len = c->fb.w * c->fb.h;
}

static void call_app(struct app *a, const struct fomos_input *input)
{
	struct app_call_result result;
	uint32_t budget = a->acct.calls == 0 ? APP_FIRST_CALL_BUDGET_MS : a->rights.budget_ms;

	prepare_context(a, input);
	app_run_call(a, budget, &result);
	uint64_t spent = result.ns - result.stolen_ns; /* the app's time, not the host's */
	if (result.ns >= (uint64_t)budget * 1000000 && result.stolen_ns > 0 &&
	    result.outcome != APP_CALL_ABORTED) {
		log_info("app",
			 "pid %llu %s: a call took %llu ms, %llu of them the host's: not charged",
			 (unsigned long long)a->id.pid, a->id.name,
			 (unsigned long long)(result.ns / 1000000),
			 (unsigned long long)(result.stolen_ns / 1000000));
	}
	a->run.store = ((struct app_call_page *)app_memory_call_page(&a->run.memory))->store;
	a->acct.calls++;
	a->acct.total_ns += spent;
	a->acct.max_ns = spent > a->acct.max_ns ? spent : a->acct.max_ns;
	if (result.outcome == APP_CALL_RETURNED) {
		apply_result(a, result.value);
		return;
	}
	a->acct.faults += result.outcome == APP_CALL_CRASHED;
	a->acct.aborts += result.outcome == APP_CALL_ABORTED;
	handle_failure(a, result.why);
}

static bool call_once(struct app *a, const struct fomos_input *input)
{
	a->run.state = APP_RUNNING;
	call_app(a, input);
	return a->run.state != APP_EXITED;
}

bool app_call_once(struct app *a, const struct fomos_input *input)
{
	return call_once(a, input);
}

/* Remove the apps that exited or were killed during the frame. */
static void reap(void)
{
	struct app *next;
	for (struct app *a = apps; a != NULL; a = next) {
		next = a->next;
		if (a->run.state == APP_EXITED && a->run.pinned == 0) {
			destroy(a, a->run.exit_why);
		}
	}
}

void app_run_frame(const struct fomos_input *input)
{
	uint64_t now_ms = clock_ms();
	shared_view_of = NULL; /* a new frame: the snapshot may sit where the last one did */
	in_frame = true;
	for (struct app *a = apps; a != NULL; a = a->next) {
		if (a->run.state == APP_EXITED || a->run.pinned > 0 ||
		    (a->run.state == APP_SLEEPING && now_ms < a->run.wake_ms)) {
			continue;
		}
		call_once(a, input);
	}
	in_frame = false;
	reap();
}

void app_pin(struct app *a)
{
	a->run.pinned++;
}

void app_unpin(struct app *a)
{
	if (--a->run.pinned == 0 && !in_frame) {
		reap(); /* a kill that waited for the snapshot */
	}
}

size_t app_count(void)
{
	return count;
}

struct app *app_first(void)
{
	return apps;
}
