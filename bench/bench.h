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
 * Quantiles come from lib/hist.h (within 0.8%); figures are raw,
 * nothing is subtracted. bench/bench.c says what each line measures.
 *
 * The run is an executor task, so the frame loop and the devices keep
 * running between its steps. The hooks below are called by the frame loop
 * and the drivers always; they do nothing unless the frame window is open.
 */
#pragma once

#include <stdint.h>

#include "lib/hist.h"

/*
 * What apps/bench_ctx leaves in its store (*ctx->store), for the kernel to
 * read after its calls: cycles per Context call, timed inside the app.
 */
struct bench_ctx_store {
	uint64_t calls;		      /* calls made so far (the first sets up) */
	struct hist alloc_pair; /* ctx->calloc(64, 16) then ctx->cdalloc */
	struct hist log_line;   /* ctx->log of a 32-byte line */
};

#define BENCH_CTX_LOG_BYTES 32

/*
 * The timestamp every cycle figure uses, kernel and apps alike: the TSC,
 * with a compiler barrier so no memory access moves across it.
 */
static inline uint64_t bench_cycles(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* Start the benchmark task (call after the apps and the frame loop started). */
void bench_run(void);

/* A virtio input event group (EV_SYN after motion, or a key) arrived now. */
void bench_input_event(void);

/* A frame ran: started (its input snapshot) at start_ns, drawn, presented. */
void bench_frame(uint64_t start_ns, uint64_t drawn_ns, uint64_t presented_ns);

/* A present sent at sent_ns reached the screen at done_ns. */
void bench_presented(uint64_t sent_ns, uint64_t done_ns);
