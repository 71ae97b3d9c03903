/*
 * The frame task; see frame.h.
 *
 * Pacing: frame n is due at start + n * period. A frame that runs late is
 * not repeated to catch up: when more than a whole period behind, the
 * schedule restarts from now (a missed frame is dropped, never doubled).
 * Input does not wait for the tick: the input core wakes the loop on every
 * report, and a frame then starts as soon as INPUT_GAP_NS after the last
 * one, the ticks going on from it. There is no vertical blank to keep in
 * step with, and so an event reaches the screen within INPUT_GAP_NS plus
 * one frame's work, instead of up to a whole period plus that; while
 * input streams in, frames come up to 1 / INPUT_GAP_NS a second (120),
 * and apps are called as often.
 * A frame due while the display still reads the back buffer for the last
 * present (display_busy) waits for it: drawing then would tear. The
 * display's idle hook wakes the loop the moment the device is done; a
 * device that never is holds the apps up WAIT_MAX_NS, then they run on.
 * Statistics are kept per reporting window and logged as one line; an
 * observer (the benchmark) can hook every frame's timings.
 */
#include "desktop/frame.h"

#include "desktop/bootscreen.h"
#include "desktop/chords.h"
#include "desktop/compositor.h"
#include "desktop/shell_keeper.h"
#include "desktop/windows.h"
#include "desktop/testpattern.h"
#include "drivers/display.h"
#include "drivers/input/input_core.h"
#include "kernel/clock.h"
#include "kernel/executor.h"
#include "kernel/log.h"
#include "lib/string.h"
#include "runtime/app.h"

#define PERIOD_NS	    (1000000000ull / FRAME_HZ)
#define REPORT_EVERY_FRAMES (5 * FRAME_HZ)
#define WAIT_MAX_NS	    (100 * 1000000ull) /* for a display that stopped answering */
#define INPUT_GAP_NS	    (PERIOD_NS / 2)    /* the soonest a frame follows the last for input */

struct frame_stats {
	uint64_t frames, frame_ns, frame_max, draw_ns, draw_max, present_ns, present_max, late;
	uint64_t waited;	   /* frames that waited for the display to finish reading */
	uint64_t presented_before; /* display_presented_pixels() when the window began */
};

static struct task frame_task;
static struct fomos_input snapshot, previous; /* this frame's and the last drawn */
static uint64_t next_due;
static uint64_t last_start;  /* when the last frame started */
static uint64_t input_shown; /* input_core_changes() at its snapshot */
static struct frame_stats stats;
static uint32_t display_seen; /* display_generation() the state below matches */
static bool waiting;	      /* the due frame waits for display_busy() to clear */
static uint64_t waiting_since;
static bool gave_up; /* the display stayed busy past WAIT_MAX_NS: apps run on, logged once */
static void (*frame_hook)(uint64_t start_ns, uint64_t drawn_ns, uint64_t presented_ns);

static void account(uint64_t *sum, uint64_t *max, uint64_t ns)
{
	*sum += ns;
	if (ns > *max) {
		*max = ns;
	}
}

/* Of the screen, how much a frame presented on average, in tenths of a percent. */
static uint64_t presented_permille(uint64_t frames)
{
	const struct canvas *screen = display_canvas();
	uint64_t pixels = display_presented_pixels() - stats.presented_before;
	uint64_t whole = screen != NULL ? (uint64_t)screen->width * screen->height * frames : 0;
	return whole > 0 ? pixels * 1000 / whole : 0;
}

static void report(void)
{
	uint64_t n = stats.frames, presented = presented_permille(n);
	log_info("frame",
		 "%llu frames: frame %llu us avg %llu max, %s %llu us avg %llu max, present %llu "
		 "us avg %llu max, %llu late, %llu waited for the display, %llu.%llu%% of the "
		 "screen presented",
		 (unsigned long long)n, (unsigned long long)(stats.frame_ns / n / 1000),
		 (unsigned long long)(stats.frame_max / 1000), app_count() > 0 ? "apps" : "draw",
		 (unsigned long long)(stats.draw_ns / n / 1000),
		 (unsigned long long)(stats.draw_max / 1000),
		 (unsigned long long)(stats.present_ns / n / 1000),
		 (unsigned long long)(stats.present_max / 1000), (unsigned long long)stats.late,
		 (unsigned long long)stats.waited, (unsigned long long)(presented / 10),
		 (unsigned long long)(presented % 10));
	stats = (struct frame_stats){.presented_before = display_presented_pixels()};
}

static void draw_and_present(void)
{
	struct canvas *screen = display_canvas();
	uint64_t start = clock_ns();

	if (screen != NULL && display_generation() != display_seen) {
		display_seen = display_generation();
		input_core_set_screen(screen->width, screen->height);
		testpattern_forget();
		previous.mouse_x = SIZE_MAX; /* force a draw on the new screen */
	}
	input_shown = input_core_changes();
	input_core_snapshot(&snapshot);
	struct chords chords;
	chords_read(&snapshot, &chords);
	shell_keeper_frame(&chords);
	/* A static picture costs nothing: draw only when something changed. */
	bool changed = memcmp(&snapshot, &previous, sizeof(snapshot)) != 0;
	if (app_count() > 0) {
		windows_before_apps(&snapshot, &chords);
		app_run_frame(&snapshot);
		if (screen != NULL) {
			compositor_frame(screen, display_layer(), &snapshot);
		}
	} else if (screen != NULL && (changed || bootscreen_pending())) {
		compositor_forget();
		testpattern_erase(screen);
		bootscreen_update();
		testpattern_draw(screen, &snapshot);
		previous = snapshot;
	}
	uint64_t drawn = clock_ns();
	display_present();
	uint64_t presented = clock_ns();
	input_core_step_frame();

	account(&stats.frame_ns, &stats.frame_max, presented - start);
	account(&stats.draw_ns, &stats.draw_max, drawn - start);
	account(&stats.present_ns, &stats.present_max, presented - drawn);
	if (frame_hook != NULL) {
		frame_hook(start, drawn, presented);
	}
}

/* When the next frame starts: at its tick or, with input not shown yet, sooner. */
static uint64_t frame_due(void)
{
	uint64_t soon = last_start + INPUT_GAP_NS;
	return input_core_changes() != input_shown && soon < next_due ? soon : next_due;
}

static void frame_poll(struct task *task)
{
	uint64_t now = clock_ns();

	if (now < frame_due()) {
		task_wake_at(task, frame_due()); /* woken early by someone else */
		return;
	}
	if (display_busy() && (!waiting || now - waiting_since < WAIT_MAX_NS)) {
		if (!waiting) {
			waiting = true;
			waiting_since = now;
			stats.waited++;
		}
		/* The idle hook wakes us; the timeout is for a device that never answers. */
		task_wake_at(task, now + PERIOD_NS);
		return;
	}
	if (waiting && display_busy() && !gave_up) {
		gave_up = true;
		log_warn("frame",
			 "the display has read the last frame for %llu ms: drawing on, "
			 "frames may tear",
			 (unsigned long long)((now - waiting_since) / 1000000));
	}
	gave_up = gave_up && display_busy();
	waiting = false;
	bool for_input = now < next_due;
	last_start = now;
	draw_and_present();
	next_due = for_input ? now + PERIOD_NS : next_due + PERIOD_NS;
	if (now > next_due) {
		stats.late++;
		next_due = now + PERIOD_NS;
	}
	task_wake_at(task, next_due);
	if (++stats.frames == REPORT_EVERY_FRAMES) {
		report();
	}
}

void frame_set_hook(void (*hook)(uint64_t start_ns, uint64_t drawn_ns, uint64_t presented_ns))
{
	frame_hook = hook;
}

/*
 * A display appeared (or changed): the boot screen repaints in its own
 * time, and the next frame is drawn now, not at the next tick: the first
 * frame on a display is the one a person waits for.
 */
static void on_new_display(struct canvas *back)
{
	bootscreen_redraw(back);
	next_due = clock_ns();
	task_wake(&frame_task);
}

static void on_input(void)
{
	task_wake(&frame_task);
}

static void on_display_idle(void)
{
	if (waiting) {
		task_wake(&frame_task);
	}
}

void frame_start(void)
{
	struct canvas *screen = display_canvas();

	input_core_set_screen(screen != NULL ? screen->width : 0,
			      screen != NULL ? screen->height : 0);
	display_seen = display_generation();
	bootscreen_defer_to_frames();
	display_set_redraw_hook(on_new_display);
	display_set_idle_hook(on_display_idle);
	frame_task.name = "frame";
	frame_task.poll = frame_poll;
	input_core_set_wake(on_input);
	next_due = clock_ns();
	task_add(&frame_task);
	log_info("frame", "frame loop at %d Hz", FRAME_HZ);
}
