/*
 * The executor: the one loop everything runs in. Drivers and (later) the
 * frame loop and apps are tasks: a struct with a poll function. Interrupt
 * handlers never do work themselves; they only wake a task. The loop polls
 * every ready task, fires due timers, and when nothing is ready halts the
 * CPU until the next interrupt or the earliest timer deadline.
 *
 * Rules for a task's poll function: do what is possible now without
 * waiting, then return. To be polled again it must be woken (by an
 * interrupt handler, by another task, or by a timer it set); a poll that
 * still has work left wakes itself. Polls never nest.
 *
 * task_wake() is the only function that may be called from an interrupt
 * handler. Everything else runs in the loop (or at boot before it starts).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define TASK_NO_DEADLINE UINT64_MAX

struct task {
	const char *name;
	void (*poll)(struct task *task);
	void *data; /* for the owner */
	/* private to kernel/executor.c */
	volatile bool ready;
	uint64_t deadline_ns; /* TASK_NO_DEADLINE when no timer is set */
	struct task *next;
	uint64_t polls;
	uint64_t busy_ns;
};

/* Add a task to the loop; it starts ready, so it is polled once soon. */
void task_add(struct task *task);

/* Make the task ready. Interrupt-safe; waking a ready task is harmless. */
void task_wake(struct task *task);

/* Wake the task at deadline_ns (clock_ns() time); replaces its previous timer. */
void task_wake_at(struct task *task, uint64_t deadline_ns);

/* Run the loop forever. */
__attribute__((noreturn)) void executor_run(void);

/* Time spent halted since the loop started, for idle statistics. */
uint64_t executor_idle_ns(void);

/* Log one line per task: polls and busy time. */
void executor_log_stats(void);
