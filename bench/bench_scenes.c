/*
 * The desktop scenes; see bench_scenes.h. The step walks through the
 * scenes; each scene starts (or stops) apps, waits for the desktop to
 * settle, then records frames through the frame hook for SCENE_NS.
 */
#include "bench/bench_scenes.h"

#include "bench/bench_step.h"
#include "desktop/frame.h"
#include "drivers/display.h"
#include "kernel/clock.h"
#include "kernel/executor.h"
#include "kernel/log.h"
#include "lib/hist.h"
#include "runtime/app.h"
#include "services/app_start.h"

#define SCENE_NS	  3000000000ull
#define SCENE_SETTLE_NS	  500000000ull
#define WINDOWED_APP	  "hello_window"
#define SCENE_WINDOWS_MAX 16

static const unsigned windows_of[] = {1, 4, 16, 0}; /* 0: the still scene */
#define SCENES (sizeof(windows_of) / sizeof(windows_of[0]))

static struct {
	unsigned scene;
	bool recording;
	uint64_t phase_end; /* of the settling, then of the recording */
	int64_t pids[SCENE_WINDOWS_MAX];
	unsigned started;
	uint64_t last_presented; /* display_presented_pixels() at the last frame */
	uint64_t presented;	 /* pixels presented while recording */
	struct hist cost, bytes;
} s;

static void on_frame(uint64_t start_ns, uint64_t drawn_ns, uint64_t presented_ns)
{
	(void)drawn_ns;
	uint64_t now = display_presented_pixels();
	hist_add(&s.cost, presented_ns - start_ns);
	hist_add(&s.bytes, (now - s.last_presented) * 4);
	s.presented += now - s.last_presented;
	s.last_presented = now;
}

static void stop_named(const char *name)
{
	struct app *a = app_find_name(name);
	if (a != NULL) {
		app_kill(a->id.pid, "benchmark: the still scene");
	}
}

/* What the scene needs running: more windows, or none and a still screen. */
static void set_up(unsigned windows)
{
	for (; s.started < windows; s.started++) {
		s.pids[s.started] = app_start_archived(WINDOWED_APP, 0);
		if (s.pids[s.started] < 0) {
			log_error("bench", "cannot start %s: the scene has fewer windows",
				  WINDOWED_APP);
		}
	}
	if (windows == 0) {
		for (unsigned i = 0; i < s.started; i++) {
			if (s.pids[i] >= 0) {
				app_kill((uint64_t)s.pids[i], "benchmark: the still scene");
			}
		}
		stop_named("background");
		stop_named("cursor");
	}
}

static void report(unsigned windows)
{
	const struct canvas *screen = display_canvas();
	uint64_t frames = s.cost.count;
	uint64_t whole = screen != NULL ? (uint64_t)screen->width * screen->height * frames : 0;
	if (windows > 0) {
		log_info("bench",
			 "name=frame_windows%u p50_ns=%llu p99_ns=%llu presented_permille=%llu "
			 "samples=%llu",
			 windows, (unsigned long long)hist_quantile(&s.cost, 500),
			 (unsigned long long)hist_quantile(&s.cost, 990),
			 (unsigned long long)(whole > 0 ? s.presented * 1000 / whole : 0),
			 (unsigned long long)frames);
		return;
	}
	log_info("bench",
		 "name=frame_still p50_ns=%llu p99_ns=%llu presented_bytes_p50=%llu "
		 "presented_bytes_p99=%llu presented_bytes_mean=%llu samples=%llu",
		 (unsigned long long)hist_quantile(&s.cost, 500),
		 (unsigned long long)hist_quantile(&s.cost, 990),
		 (unsigned long long)hist_quantile(&s.bytes, 500),
		 (unsigned long long)hist_quantile(&s.bytes, 990),
		 (unsigned long long)(frames > 0 ? s.presented * 4 / frames : 0),
		 (unsigned long long)frames);
}

bool bench_scenes_step(struct task *task)
{
	uint64_t now = clock_ns();
	if (s.scene == SCENES) {
		return true;
	}
	if (s.phase_end == 0) { /* a new scene: set it up and let it settle */
		set_up(windows_of[s.scene]);
		s.phase_end = now + SCENE_SETTLE_NS;
	} else if (now >= s.phase_end && !s.recording) {
		hist_reset(&s.cost);
		hist_reset(&s.bytes);
		s.presented = 0;
		s.last_presented = display_presented_pixels();
		s.recording = true;
		frame_set_hook(on_frame);
		s.phase_end = now + SCENE_NS;
	} else if (now >= s.phase_end) {
		frame_set_hook(NULL);
		report(windows_of[s.scene]);
		s.recording = false;
		s.phase_end = 0;
		if (++s.scene == SCENES) {
			return true;
		}
		bench_poll_again();
		return false;
	}
	task_wake_at(task, s.phase_end);
	return false;
}
