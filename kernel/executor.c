/*
 * The executor loop; see executor.h for the contract.
 *
 * Tasks live in a singly linked list in the order they were added. There
 * are few of them (a handful of drivers, the frame loop, later the apps),
 * so one pass over the list per loop turn is cheaper than any queue. Each
 * turn: promote due timers to ready, poll the ready tasks, and when none
 * was ready, sleep. The sleep is race-free: interrupts are disabled while
 * readiness is checked and `sti; hlt` re-enables them atomically with the
 * halt, so a wake-up that lands in between ends the halt at once.
 */
#include "kernel/executor.h"

#include <stddef.h>

#include "arch/x86_64/cpu.h"
#include "kernel/clock.h"
#include "kernel/log.h"

static struct task *tasks;
static struct task **tasks_tail = &tasks;
static uint64_t idle_ns;

void task_add(struct task *task)
{
	task->next = NULL;
	task->deadline_ns = TASK_NO_DEADLINE;
	task->ready = true;
	*tasks_tail = task;
	tasks_tail = &task->next;
}

void task_wake(struct task *task)
{
	/* A single byte store: atomic, and the loop re-reads it (volatile). */
	task->ready = true;
}

void task_wake_at(struct task *task, uint64_t deadline_ns)
{
	task->deadline_ns = deadline_ns;
}

static void poll_task(struct task *task)
{
	uint64_t start = clock_ns();

	/* Cleared before the poll, so a wake during the poll is not lost. */
	task->ready = false;
	task->poll(task);
	task->polls++;
	task->busy_ns += clock_ns() - start;
}

/* One pass: fire due timers, poll ready tasks. Returns the earliest deadline. */
static uint64_t run_ready_tasks(bool *ran)
{
	uint64_t now = clock_ns();
	uint64_t earliest = TASK_NO_DEADLINE;

	for (struct task *t = tasks; t != NULL; t = t->next) {
		if (t->deadline_ns <= now) {
			t->deadline_ns = TASK_NO_DEADLINE;
			t->ready = true;
		}
		if (t->ready) {
			poll_task(t);
			*ran = true;
		}
		if (t->deadline_ns < earliest) {
			earliest = t->deadline_ns;
		}
	}
	return earliest;
}

static bool any_ready(void)
{
	for (struct task *t = tasks; t != NULL; t = t->next) {
		if (t->ready) {
			return true;
		}
	}
	return false;
}

static void sleep_until_wake(uint64_t deadline)
{
	irq_disable();
	if (any_ready() || deadline <= clock_ns()) {
		irq_enable();
		return;
	}
	if (deadline != TASK_NO_DEADLINE) {
		clock_set_alarm(deadline);
	}
	uint64_t start = clock_ns();
	irq_enable_and_halt();
	idle_ns += clock_ns() - start;
}

void executor_run(void)
{
	log_info("exec", "executor running");
	for (;;) {
		bool ran = false;
		uint64_t deadline = run_ready_tasks(&ran);
		if (!ran) {
			sleep_until_wake(deadline);
		}
	}
}

uint64_t executor_idle_ns(void)
{
	return idle_ns;
}

void executor_log_stats(void)
{
	for (struct task *t = tasks; t != NULL; t = t->next) {
		log_info("exec", "task %-12s %10llu polls %8llu us busy", t->name,
			 (unsigned long long)t->polls, (unsigned long long)(t->busy_ns / 1000));
	}
}
