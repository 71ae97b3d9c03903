/*
 * The desktop scenes of the benchmark run (bench/bench.c), after its frame
 * window: what a frame costs and presents with windows open over the
 * animated background, and on a still screen. Each scene settles for
 * SCENE_SETTLE_NS, then every frame of SCENE_NS is recorded (its cost,
 * from input snapshot to present done, and the pixels it presented):
 *   windows  1, then 4, then 16 apps/hello_window windows open over the
 *            default desktop (background animating, console, cursor):
 *              name=frame_windowsN p50_ns p99_ns presented_permille samples
 *   still    the windows, the background and the cursor app stopped: only
 *            the console is left, blinking its cursor twice a second, and
 *            no input arrives:
 *              name=frame_still p50_ns p99_ns presented_bytes_p50
 *                               presented_bytes_p99 presented_bytes_mean samples
 * (the background and the cursor do not come back: it is the last scene).
 */
#pragma once

#include <stdbool.h>

struct task;

/* One poll of the step: true when finished; until then it wakes task itself. */
bool bench_scenes_step(struct task *task);
