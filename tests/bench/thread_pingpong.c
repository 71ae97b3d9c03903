/*
 * tests/bench/thread_pingpong.c — a thread round trip on the host Linux, the
 * reference for the kernel's app dispatch.
 *
 * What: two threads, pinned to two different CPUs when the process may use
 * two, pass a token back and forth 200,000 times (after 10,000 warm-up
 * trips) through (a) a futex word (raw FUTEX_WAIT/FUTEX_WAKE) and (b) a pair
 * of pipes. Each round trip is timed on its own with the TSC. As a
 * same-machine yardstick, a bare indirect call is timed the same way, and so
 * is nothing at all (the cost of the two TSC reads, included in every
 * sample).
 *
 * Why: "how expensive is handing control to someone else" has a familiar
 * answer on the host: a thread switch. The kernel's figures divided by these
 * say how Fomos compares with that on the same machine, in the same run.
 *
 * How to read: one stdout line per measurement, cycles and nanoseconds, the
 * median and the 99th percentile of the samples (never a single time):
 *   bench: name=tsc_hz value=N
 *   bench: name=thread_futex_rtt samples=200000 pinned=1 p50_cycles=N p99_cycles=N
 *          p50_ns=X p99_ns=X                      (one line in the output)
 *   bench: name=thread_pipe_rtt ... (same keys)
 *   bench: name=host_indirect_call samples=200000 p50_cycles=N ... (same keys, no pinned)
 *   bench: name=host_tsc_overhead ... (same keys as host_indirect_call)
 * A call of a few cycles hides under the ~50-cycle cost of the TSC reads
 * themselves, so host_indirect_call is read next to host_tsc_overhead: it
 * is the resolution of this way of timing as much as the call.
 * pinned=0 means one CPU only: both threads share it and every round trip
 * is two context switches on one CPU rather than two cross-CPU wake-ups.
 * tsc_hz is measured against CLOCK_MONOTONIC over ~200 ms; it converts
 * cycles to ns.
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <x86intrin.h>

#include "tests/bench/bench.h"

#define SAMPLES 200000u
#define WARMUP	10000u
/* The futex word: 1 while pong holds the token, 0 while ping does, STOP to end. */
#define STOP 2u

/* lfence keeps earlier work from drifting past the first TSC read. */
static inline uint64_t tsc_begin(void)
{
	_mm_lfence();
	uint64_t t = __rdtsc();

	_mm_lfence();
	return t;
}

/* rdtscp waits for the timed work; lfence keeps later work out. */
static inline uint64_t tsc_end(void)
{
	unsigned aux;
	uint64_t t = __rdtscp(&aux);

	_mm_lfence();
	return t;
}

struct pingpong {
	atomic_uint word;
	int to_pong[2];	  /* pipe: ping writes, pong reads */
	int from_pong[2]; /* pipe: pong writes, ping reads */
	int cpu_pong;	  /* -1: not pinned */
};

static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0) {
		return;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0) { /* 0: the calling thread */
		perror("thread_pingpong: sched_setaffinity");
	}
}

static void futex_wait(atomic_uint *w, unsigned expected)
{
	syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}

static void futex_wake(atomic_uint *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *futex_pong(void *arg)
{
	struct pingpong *pp = arg;
	unsigned v;

	pin(pp->cpu_pong);
	for (;;) {
		while ((v = atomic_load_explicit(&pp->word, memory_order_acquire)) == 0) {
			futex_wait(&pp->word, 0);
		}
		if (v == STOP) {
			return NULL;
		}
		atomic_store_explicit(&pp->word, 0, memory_order_release);
		futex_wake(&pp->word);
	}
}

static void futex_ping(struct pingpong *pp)
{
	atomic_store_explicit(&pp->word, 1, memory_order_release);
	futex_wake(&pp->word);
	while (atomic_load_explicit(&pp->word, memory_order_acquire) == 1) {
		futex_wait(&pp->word, 1);
	}
}

static void futex_stop(struct pingpong *pp)
{
	atomic_store_explicit(&pp->word, STOP, memory_order_release);
	futex_wake(&pp->word);
}

static void *pipe_pong(void *arg)
{
	struct pingpong *pp = arg;
	char c;

	pin(pp->cpu_pong);
	while (read(pp->to_pong[0], &c, 1) == 1) { /* 0: ping closed its end */
		if (write(pp->from_pong[1], &c, 1) != 1) {
			break;
		}
	}
	return NULL;
}

static void pipe_ping(struct pingpong *pp)
{
	char c = 'x';

	if (write(pp->to_pong[1], &c, 1) != 1 || read(pp->from_pong[0], &c, 1) != 1) {
		perror("thread_pingpong: pipe");
		exit(1);
	}
}

static void pipe_stop(struct pingpong *pp)
{
	close(pp->to_pong[1]);
}

static void report(const char *name, uint64_t *s, int pinned, double hz)
{
	bench_sort_u64(s, SAMPLES);
	uint64_t p50 = bench_pct_u64(s, SAMPLES, 50);
	uint64_t p99 = bench_pct_u64(s, SAMPLES, 99);

	printf("bench: name=%s samples=%u", name, SAMPLES);
	if (pinned >= 0) {
		printf(" pinned=%d", pinned);
	}
	printf(" p50_cycles=%llu p99_cycles=%llu p50_ns=%.1f p99_ns=%.1f\n",
	       (unsigned long long)p50, (unsigned long long)p99, (double)p50 * 1e9 / hz,
	       (double)p99 * 1e9 / hz);
	fflush(stdout);
}

/* Round trips with a fresh pong thread; returns 0 if the thread started. */
static int run_trips(struct pingpong *pp, void *(*pong)(void *), void (*ping)(struct pingpong *),
		     void (*stop)(struct pingpong *), uint64_t *s)
{
	pthread_t th;

	if (pthread_create(&th, NULL, pong, pp) != 0) {
		return -1;
	}
	for (unsigned i = 0; i < WARMUP; i++) {
		ping(pp);
	}
	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t t0 = tsc_begin();

		ping(pp);
		s[i] = tsc_end() - t0;
	}
	stop(pp);
	pthread_join(th, NULL);
	return 0;
}

static __attribute__((noinline)) unsigned bump(unsigned x)
{
	return x + 1;
}

/* volatile: the compiler must load the target and call through it. */
static unsigned (*volatile call_target)(unsigned) = bump;

static void time_calls(uint64_t *s, int with_call)
{
	unsigned acc = 0;

	for (unsigned i = 0; i < WARMUP + SAMPLES; i++) {
		unsigned (*fn)(unsigned) = call_target;
		uint64_t t0 = tsc_begin();

		if (with_call) {
			acc = fn(acc);
		}
		uint64_t dt = tsc_end() - t0;

		if (i >= WARMUP) {
			s[i - WARMUP] = dt;
		}
	}
	__asm__ volatile("" : : "r"(acc)); /* keep the calls */
}

/* Ticks per second, against CLOCK_MONOTONIC, over about 200 ms. */
static double tsc_hz(void)
{
	uint64_t n0 = bench_now_ns(), c0 = __rdtsc();
	struct timespec pause = {.tv_nsec = 200000000};

	nanosleep(&pause, NULL);
	uint64_t n1 = bench_now_ns(), c1 = __rdtsc();

	return (double)(c1 - c0) * 1e9 / (double)(n1 - n0);
}

/* The first two CPUs this process may use, or -1 for both if only one. */
static void pick_cpus(int *a, int *b)
{
	cpu_set_t set;

	*a = *b = -1;
	if (sched_getaffinity(0, sizeof(set), &set) != 0 || CPU_COUNT(&set) < 2) {
		return;
	}
	for (int c = 0; c < CPU_SETSIZE && *b < 0; c++) {
		if (CPU_ISSET(c, &set)) {
			*(*a < 0 ? a : b) = c;
		}
	}
}

int main(void)
{
	struct pingpong pp = {0};
	uint64_t *s = malloc(SAMPLES * sizeof(*s));
	int cpu_ping;

	if (s == NULL || pipe(pp.to_pong) != 0 || pipe(pp.from_pong) != 0) {
		perror("thread_pingpong");
		return 1;
	}
	pick_cpus(&cpu_ping, &pp.cpu_pong);
	pin(cpu_ping);
	int pinned = cpu_ping >= 0;
	double hz = tsc_hz();

	printf("bench: name=tsc_hz value=%.0f\n", hz);
	fprintf(stderr, "thread_pingpong: TSC %.3f GHz; ", hz / 1e9);
	if (pinned) {
		fprintf(stderr, "ping on CPU %d, pong on CPU %d\n", cpu_ping, pp.cpu_pong);
	} else {
		fprintf(stderr, "one CPU: threads not pinned\n");
	}
	if (run_trips(&pp, futex_pong, futex_ping, futex_stop, s) != 0) {
		perror("thread_pingpong: pthread_create");
		return 1;
	}
	report("thread_futex_rtt", s, pinned, hz);
	if (run_trips(&pp, pipe_pong, pipe_ping, pipe_stop, s) != 0) {
		perror("thread_pingpong: pthread_create");
		return 1;
	}
	report("thread_pipe_rtt", s, pinned, hz);
	time_calls(s, 1);
	report("host_indirect_call", s, -1, hz);
	time_calls(s, 0);
	report("host_tsc_overhead", s, -1, hz);
	return 0;
}
