/*
 * The benchmark run: `bench` on the kernel command line (tools/bench.py,
 * `make bench`). The kernel boots the normal desktop, measures, prints one
 * machine-readable serial line per measurement and exits QEMU with
 * success. Every line is a log line (`[time] info  bench: ...`) whose text
 * after `bench: ` is either
 *     name=NAME key=value ...     one measurement (name= always first)
 *     phase=frames seconds=N      the frame window opens: inject input now
 *     done                        the last line; QEMU exits next
 * (Any other `bench:` line is for people: progress, or a figure missing.)
 * The ctx_ figures are logged by apps/bench_ctx itself, as app lines:
 * `[time] info  [pid N bench_ctx] bench: name=...`.
 * Quantiles come from lib/hist.h (within 0.8%); figures are raw,
 * nothing is subtracted. The steps below say what each line measures.
 *
 * The run is an executor task, so the frame loop and the devices keep
 * running between its steps. It is a boot mode (kernel/boot_mode.h):
 * nothing calls into it. It observes the frames, the presents and the
 * input events through the hooks those modules offer (frame_set_hook,
 * display_set_present_hook, input_core_set_event_hook), attached only while
 * its frame window is open.
 *
 * One task walks through the steps below. A step that has much to do works
 * for at most SLICE_NS per poll and asks to be polled again, so the frame
 * loop keeps its pace and the devices are served between slices; nothing
 * is measured while a frame runs, except in the frame window.
 *
 *   boot     waits for the first presented frame (30 s at most), then prints
 *              name=clock tsc_hz=H
 *              name=boot_to_first_frame ns=N   (kernel entry -> first present done)
 *              name=kernel_image text=B rodata=B data=B  (data: .data .bss stack)
 *              name=kernel_heap used=B pool=B allocs=N
 *   ladder   the dispatch ladder, bare indirect call to the frame loop's
 *            real path with more apps than keys (bench/bench_ladder.c):
 *              name=app_overhead ..., name=RUNG p50_cycles=C ... per rung,
 *              name=key_retag apps=N calls=N evictions=E pages=P retag_ns=T
 *   context  apps/bench_ctx times, inside itself, ctx->calloc(64, 16) +
 *            ctx->cdalloc, ctx->log of 32 bytes with the log's null sink
 *            on, and ctx->time_ns(): each a Context call from ring 3,
 *            through its gate. The kernel then does the same without the
 *            Context in between (the references): the pair on the same
 *            arena, the same log line, and the very time_ns function the
 *            gate reaches, called from ring 0. bench_ctx logs its own
 *            lines (one more call, log on):
 *              name=ctx_calloc_cdalloc ..., name=kernel_alloc_free ...
 *              name=ctx_log_null ...,       name=kernel_log_null ...
 *              name=ctx_time_ns ...,        name=kernel_time_ns ...
 *   memcpy   one copy of the whole back buffer, the floor of a frame:
 *              name=memcpy_frame bytes=B p50_ns=N p99_ns=N samples=N
 *   snapshot save and restore of an app with a 16 MiB arena, against a
 *            plain file of the same size (bench/bench_snapshot.h):
 *              name=snapshot bytes=B arena_bytes=B save_ns=N restore_ns=N ...
 *   window   `phase=frames seconds=10`, then 10 s of the desktop as it is,
 *            recording every frame and the latency of every input event:
 *              name=frame p50_ns p99_ns apps_p50_ns apps_p99_ns
 *                         present_p50_ns present_p99_ns presented_permille
 *                         samples (presented_permille: of the screen, what a
 *                         frame presented on average, the damage)
 *              name=input_latency p50_ns p99_ns p50_frames p99_frames
 *                                 samples pending dropped
 *   scenes   frames with 1, 4 and 16 windows open over the animated
 *            background, then on a still screen (bench/bench_scenes.h):
 *              name=frame_windowsN ..., name=frame_still ...
 *   end      `done`, and QEMU exits with success.
 * With `bench=ladder` only the ladder and the context steps run (the
 * instruction-count boot, tools/bench.py).
 *
 * Input latency: an event is stamped when the driver handles it. It is in
 * the snapshot of the next frame that starts (input is handled only between
 * frames), and it is shown by the first present sent after that frame
 * started: the latency ends when that present is answered (RESOURCE_FLUSH
 * done). Events wait in a ring in arrival order; `snapshotted` and
 * `completed` count how far the frames and the presents have got through it.
 */
#include <stdbool.h>
#include <stddef.h>

#include "arch/x86_64/pkeys.h"
#include "arch/x86_64/qemu_exit.h"
#include "arch/x86_64/user_mode.h"
#include "bench/bench_ladder.h"
#include "bench/bench_scenes.h"
#include "bench/bench_snapshot.h"
#include "bench/bench_step.h"
#include "desktop/frame.h"
#include "drivers/display.h"
#include "drivers/input/input_core.h"
#include "kernel/boot_mode.h"
#include "kernel/clock.h"
#include "kernel/executor.h"
#include "kernel/log.h"
#include "lib/cycles.h"
#include "lib/hist.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "runtime/app.h"
#include "services/app_start.h"

#define CTX_CALLS      100u /* measuring calls of bench_ctx, after its first */
#define KERNEL_PAIRS   100000u
#define KERNEL_LOGS    20000u
#define KERNEL_TIMES   100000u
#define MEMCPY_COPIES  200u
#define WINDOW_SECONDS 10u
#define SLICE_NS       4000000ull /* the longest a poll works */
#define WAIT_NS	       10000000ull
#define BOOT_WAIT_NS   30000000000ull /* without a present by then: go on */
#define BATCH	       64u	      /* iterations between looks at the clock */
#define LATENCY_RING   256u

extern const char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern const char __data_start[], __data_end[];

enum hist_id {
	H_KERNEL_ALLOC,
	H_KERNEL_LOG,
	H_KERNEL_TIME,
	H_MEMCPY,
	H_FRAME,
	H_APPS,
	H_PRESENT,
	H_INPUT_NS,
	H_INPUT_FRAMES,
	H_COUNT
};

struct pending_input {
	uint64_t arrived_ns, arrived_frame, snapshot_ns;
};

/* Allocated when the run starts, so a normal boot carries none of it. */
struct bench_data {
	struct hist hist[H_COUNT];
	struct pending_input ring[LATENCY_RING];
	uint64_t arrived, snapshotted, completed, dropped; /* counts through ring */
	uint64_t frames;				   /* in the window */
	uint8_t *copy;					   /* memcpy_frame's source */
};

static struct task task;
static struct bench_data *b;
static bool ladder_only; /* bench=ladder */
static unsigned step;
uint64_t bench_progress;
static int64_t subject; /* pid of the step's benchmark app, or -1 */
static uint64_t window_end;
static uint64_t window_presented;	  /* display_presented_pixels() when the window opened */
static const struct fomos_input no_input; /* the pointer at 0,0, no key down */

/* The line apps/bench_ctx logs, logged by the kernel: the reference. */
static const char ctx_line[] = "bench_ctx: thirty-two byte line!";
_Static_assert(sizeof(ctx_line) - 1 == 32, "the log line is 32 bytes");

void bench_report(const char *name, const char *unit, const struct hist *h)
{
	log_info("bench", "name=%s p50_%s=%llu p99_%s=%llu samples=%llu", name, unit,
		 (unsigned long long)hist_quantile(h, 500), unit,
		 (unsigned long long)hist_quantile(h, 990), (unsigned long long)h->count);
}

bool bench_sliced(uint64_t total, void (*one)(void))
{
	uint64_t end = clock_ns() + SLICE_NS;
	while (bench_progress < total) {
		one();
		if (++bench_progress % BATCH == 0 && clock_ns() >= end) {
			break;
		}
	}
	if (bench_progress < total) {
		task_wake(&task);
		return false;
	}
	return true;
}

void bench_poll_again(void)
{
	task_wake(&task);
}

struct app *bench_subject_start(const char *name)
{
	subject = app_start_archived(name, 0);
	struct app *a = bench_subject();
	if (a == NULL) {
		log_error("bench", "cannot start %s: its figures are missing", name);
	}
	return a;
}

struct app *bench_subject(void)
{
	return subject >= 0 ? app_find((uint64_t)subject) : NULL;
}

void bench_subject_stop(void)
{
	if (subject >= 0) {
		app_kill((uint64_t)subject, "benchmark measured");
	}
	subject = -1;
}

/* ------------------------------------------------------------- boot ---- */

static bool step_boot(void)
{
	uint64_t first = display_first_presented_ns();
	struct tlsf_stats heap;

	if (first == 0 && clock_ns() < BOOT_WAIT_NS) {
		task_wake_at(&task, clock_ns() + WAIT_NS);
		return false;
	}
	heap_stats(&heap);
	log_info("bench", "name=clock tsc_hz=%llu", (unsigned long long)clock_tsc_hz());
	if (first != 0) {
		log_info("bench", "name=boot_to_first_frame ns=%llu", (unsigned long long)first);
	} else {
		log_error("bench", "no frame presented in %llu s (is the display virtio-gpu?)",
			  BOOT_WAIT_NS / 1000000000);
	}
	log_info("bench", "name=kernel_image text=%llu rodata=%llu data=%llu",
		 (unsigned long long)(__text_end - __text_start),
		 (unsigned long long)(__rodata_end - __rodata_start),
		 (unsigned long long)(__data_end - __data_start));
	log_info("bench", "name=kernel_heap used=%llu pool=%llu allocs=%llu",
		 (unsigned long long)heap.used_bytes, (unsigned long long)heap.pool_bytes,
		 (unsigned long long)heap.alloc_count);
	return true;
}

/* ---------------------------------------------------------- context ---- */

/*
 * One call of bench_ctx per poll: it runs for milliseconds. Its first call
 * sets up and the next CTX_CALLS measure, all with the log's null sink on
 * (apps/bench_ctx/main.c); it stays, for kernel_alloc_free.
 */
static bool step_context(void)
{
	struct app *a = bench_progress == 0 ? bench_subject_start("bench_ctx") : bench_subject();
	if (a == NULL) {
		if (bench_progress > 0) {
			log_error("bench", "bench_ctx stopped: its figures are missing");
		}
		return true;
	}
	log_set_null_sink(true);
	bool alive = app_call_once(a, &no_input);
	log_set_null_sink(false);
	if (alive && ++bench_progress <= CTX_CALLS) {
		task_wake(&task);
		return false;
	}
	return true;
}

/* bench_ctx's next call, with the log on, logs its figures and exits. */
static bool step_context_report(void)
{
	struct app *a = bench_subject();
	if (a == NULL) {
		return true;
	}
	if (app_call_once(a, &no_input)) {
		log_error("bench",
			  "bench_ctx did not report after %u calls: its figures are missing",
			  CTX_CALLS);
	}
	bench_subject_stop();
	return true;
}

static void kernel_alloc_pair(void)
{
	struct app *a = bench_subject();
	if (a == NULL) {
		bench_progress = KERNEL_PAIRS - 1;
		return;
	}
	uint64_t start = cycles_now();
	void *p = app_memory_alloc(&a->run.memory, 64, 16);
	app_memory_free(&a->run.memory, p);
	hist_add(&b->hist[H_KERNEL_ALLOC], cycles_now() - start);
}

/* The same pair on bench_ctx's own arena, from the kernel: no Context. */
static bool step_kernel_alloc(void)
{
	if (bench_subject() == NULL) {
		return true;
	}
	if (user_mode_pkeys) {
		pkru_set(0); /* the kernel's rights, not the last app's: no key to open per pair */
	}
	if (!bench_sliced(KERNEL_PAIRS, kernel_alloc_pair)) {
		return false;
	}
	bench_report("kernel_alloc_free", "cycles", &b->hist[H_KERNEL_ALLOC]);
	return true;
}

static void kernel_log(void)
{
	log_set_null_sink(true);
	uint64_t start = cycles_now();
	log_printf(LOG_INFO, NULL, "%s", ctx_line);
	uint64_t spent = cycles_now() - start;
	log_set_null_sink(false);
	hist_add(&b->hist[H_KERNEL_LOG], spent);
}

static bool step_kernel_log(void)
{
	if (!bench_sliced(KERNEL_LOGS, kernel_log)) {
		return false;
	}
	bench_report("kernel_log_null", "cycles", &b->hist[H_KERNEL_LOG]);
	return true;
}

static void kernel_time(void)
{
	struct app *a = bench_subject();
	if (a == NULL || a->run.ctx.time_ns == NULL) {
		bench_progress = KERNEL_TIMES - 1;
		return;
	}
	uint64_t (*time_ns)(void) = a->run.ctx.time_ns;
	uint64_t start = cycles_now();
	time_ns();
	hist_add(&b->hist[H_KERNEL_TIME], cycles_now() - start);
}

/* The function bench_ctx's ctx->time_ns gate reaches, called from ring 0. */
static bool step_kernel_time(void)
{
	if (!bench_sliced(KERNEL_TIMES, kernel_time)) {
		return false;
	}
	bench_report("kernel_time_ns", "cycles", &b->hist[H_KERNEL_TIME]);
	return true;
}

/* ----------------------------------------------------------- memcpy ---- */

static size_t screen_bytes(const struct canvas *c)
{
	return (size_t)c->width * c->height * 4;
}

/*
 * Where in buf (SKEW_SPAN bytes longer than a screen) the copy's source
 * starts: SKEW past the back buffer's offset modulo SKEW_SPAN. QEMU's
 * emulated TLB (256 entries of 4 KiB) thrashes on every access of a copy
 * between buffers a multiple of 1 MiB apart, as two heap blocks easily
 * are: measured 11.7 ms instead of 1.0 ms for 4 MB. An app's buffer and
 * the back buffer are not aligned so, and the floor should not be either.
 */
#define SKEW_SPAN (1u << 20)
#define SKEW	  (17u * 4096)

static uint8_t *skewed(uint8_t *buf, const void *screen)
{
	uintptr_t want = ((uintptr_t)screen + SKEW) % SKEW_SPAN;
	uintptr_t have = (uintptr_t)buf % SKEW_SPAN;
	return buf + (want + SKEW_SPAN - have) % SKEW_SPAN;
}

/* Into the back buffer, as an app draws: the very pixels it holds. */
static void copy_frame(void)
{
	struct canvas *screen = display_canvas();
	uint64_t start = clock_ns();
	memcpy(screen->pixels, skewed(b->copy, screen->pixels), screen_bytes(screen));
	hist_add(&b->hist[H_MEMCPY], clock_ns() - start);
}

static bool step_memcpy(void)
{
	struct canvas *screen = display_canvas();

	if (bench_progress == 0) {
		b->copy = screen != NULL ? kmalloc(screen_bytes(screen) + SKEW_SPAN) : NULL;
		if (b->copy == NULL) {
			log_error("bench", "no screen or no memory: no memcpy_frame");
			return true;
		}
		/* The screen stays as it is, even if a present reads it meanwhile. */
		memcpy(skewed(b->copy, screen->pixels), screen->pixels, screen_bytes(screen));
	}
	/* A few copies per poll: each may take milliseconds when emulated. */
	uint64_t end = clock_ns() + SLICE_NS;
	while (bench_progress < MEMCPY_COPIES && clock_ns() < end) {
		copy_frame();
		bench_progress++;
	}
	if (bench_progress < MEMCPY_COPIES) {
		task_wake(&task);
		return false;
	}
	log_info("bench", "name=memcpy_frame bytes=%llu p50_ns=%llu p99_ns=%llu samples=%llu",
		 (unsigned long long)screen_bytes(screen),
		 (unsigned long long)hist_quantile(&b->hist[H_MEMCPY], 500),
		 (unsigned long long)hist_quantile(&b->hist[H_MEMCPY], 990),
		 (unsigned long long)b->hist[H_MEMCPY].count);
	kfree(b->copy);
	b->copy = NULL;
	return true;
}

/* ----------------------------------------------------------- window ---- */

/* Of the screen, what a frame of the window presented on average, in thousandths. */
static uint64_t presented_permille(void)
{
	const struct canvas *screen = display_canvas();
	uint64_t frames = b->hist[H_FRAME].count;
	uint64_t whole = screen != NULL ? (uint64_t)screen->width * screen->height * frames : 0;
	return whole > 0 ? (display_presented_pixels() - window_presented) * 1000 / whole : 0;
}

static void report_window(void)
{
	const struct hist *h = b->hist;

	log_info("bench",
		 "name=frame p50_ns=%llu p99_ns=%llu apps_p50_ns=%llu apps_p99_ns=%llu "
		 "present_p50_ns=%llu present_p99_ns=%llu presented_permille=%llu samples=%llu",
		 (unsigned long long)hist_quantile(&h[H_FRAME], 500),
		 (unsigned long long)hist_quantile(&h[H_FRAME], 990),
		 (unsigned long long)hist_quantile(&h[H_APPS], 500),
		 (unsigned long long)hist_quantile(&h[H_APPS], 990),
		 (unsigned long long)hist_quantile(&h[H_PRESENT], 500),
		 (unsigned long long)hist_quantile(&h[H_PRESENT], 990),
		 (unsigned long long)presented_permille(), (unsigned long long)h[H_FRAME].count);
	log_info("bench",
		 "name=input_latency p50_ns=%llu p99_ns=%llu p50_frames=%llu p99_frames=%llu "
		 "samples=%llu pending=%llu dropped=%llu",
		 (unsigned long long)hist_quantile(&h[H_INPUT_NS], 500),
		 (unsigned long long)hist_quantile(&h[H_INPUT_NS], 990),
		 (unsigned long long)hist_quantile(&h[H_INPUT_FRAMES], 500),
		 (unsigned long long)hist_quantile(&h[H_INPUT_FRAMES], 990),
		 (unsigned long long)h[H_INPUT_NS].count,
		 (unsigned long long)(b->arrived - b->completed), (unsigned long long)b->dropped);
}

static void on_input_event(void)
{
	if (b->arrived - b->completed == LATENCY_RING) {
		b->dropped++;
		return;
	}
	b->ring[b->arrived % LATENCY_RING] =
	    (struct pending_input){.arrived_ns = clock_ns(), .arrived_frame = b->frames};
	b->arrived++;
}

static void on_frame(uint64_t start_ns, uint64_t drawn_ns, uint64_t presented_ns)
{
	b->frames++;
	hist_add(&b->hist[H_FRAME], presented_ns - start_ns);
	hist_add(&b->hist[H_APPS], drawn_ns - start_ns);
	hist_add(&b->hist[H_PRESENT], presented_ns - drawn_ns);
	for (; b->snapshotted < b->arrived; b->snapshotted++) {
		b->ring[b->snapshotted % LATENCY_RING].snapshot_ns = start_ns;
	}
}

static void on_present(uint64_t sent_ns, uint64_t done_ns)
{
	while (b->completed < b->snapshotted) {
		const struct pending_input *e = &b->ring[b->completed % LATENCY_RING];
		if (e->snapshot_ns > sent_ns) {
			break; /* its frame started after this present was sent */
		}
		hist_add(&b->hist[H_INPUT_NS], done_ns - e->arrived_ns);
		hist_add(&b->hist[H_INPUT_FRAMES], b->frames - e->arrived_frame);
		b->completed++;
	}
}

/* The window's observers: attached while it is open, and only then. */
static void attach_observers(bool on)
{
	input_core_set_event_hook(on ? on_input_event : NULL);
	frame_set_hook(on ? on_frame : NULL);
	display_set_present_hook(on ? on_present : NULL);
}

static bool step_window(void)
{
	uint64_t now = clock_ns();

	if (bench_progress == 0) {
		log_info("bench", "phase=frames seconds=%u", WINDOW_SECONDS);
		window_end = now + WINDOW_SECONDS * 1000000000ull;
		window_presented = display_presented_pixels();
		attach_observers(true);
		bench_progress = 1;
	}
	if (now < window_end) {
		task_wake_at(&task, window_end);
		return false;
	}
	attach_observers(false);
	report_window();
	return true;
}

/* ------------------------------------------------------------- task ---- */

static bool step_snapshot(void)
{
	return bench_snapshot_step(&task);
}

static bool step_scenes(void)
{
	return bench_scenes_step(&task);
}

static bool step_end(void)
{
	log_info("bench", "done");
	qemu_exit(true);
}

/*
 * Each returns true when finished; until then it has arranged its next
 * poll. With bench=ladder the run skips from the first step of the full
 * run only (step_memcpy) to the end.
 */
static bool (*const steps[])(void) = {
    step_boot,		bench_ladder_bare, bench_ladder_guarded,  bench_ladder_start,
    bench_ladder_ring3, bench_ladder_pkru, bench_ladder_dispatch, bench_ladder_many,
    step_context,	step_kernel_alloc, step_kernel_time,	  step_context_report,
    step_kernel_log,	step_memcpy,	   step_snapshot,	  step_window,
    step_scenes,	step_end,
};
#define STEPS (sizeof(steps) / sizeof(steps[0]))

static void bench_poll(struct task *t)
{
	if (steps[step]()) {
		step++;
		if (ladder_only && steps[step] == step_memcpy) {
			step = STEPS - 1;
		}
		bench_progress = 0;
		task_wake(t);
	}
}

static void bench_start(const char *value, size_t len)
{
	ladder_only = len == 6 && memcmp(value, "ladder", 6) == 0;
	b = kzalloc(sizeof(*b));
	if (b == NULL) {
		log_error("bench", "no memory for the benchmark");
		return;
	}
	subject = -1;
	task = (struct task){.name = "bench", .poll = bench_poll};
	task_add(&task);
	if (ladder_only) {
		log_info("bench", "benchmark run: the dispatch ladder and the Context calls only");
	} else {
		log_info("bench", "benchmark run: %u s frame window at the end", WINDOW_SECONDS);
	}
}

BOOT_MODE(bench_mode, "bench", bench_start);
