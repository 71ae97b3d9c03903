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
 * The two ctx_ figures are logged by apps/bench_ctx itself, as app lines:
 * `[time] info  [pid N bench_ctx] bench: name=...`.
 * Quantiles come from lib/hist.h (within 0.8%); figures are raw,
 * nothing is subtracted. bench/bench.c says what each line measures.
 *
 * The run is an executor task, so the frame loop and the devices keep
 * running between its steps.
 */
#pragma once

/*
 * Start the benchmark task (call after the apps and the frame loop
 * started). It observes the frames, the presents and the input events
 * through the hooks those modules offer (frame_set_hook,
 * display_set_present_hook, input_core_set_event_hook), attached only
 * while its frame window is open; nothing outside bench/ calls into it.
 */
void bench_run(void);
