/*
 * Coroutines: a function that runs on a stack of its own and can pause
 * (coroutine_yield) in the middle of its work, handing the CPU back to
 * whoever resumed it, and carry on from there at the next resume.
 *
 * The executor's tasks must never wait; code written as plain sequential
 * calls (the FAT32 library asking for one sector after another) can still
 * run inside a task when it runs in a coroutine: where it would wait for
 * the disk it yields, and its task resumes it when the disk answers.
 * Switching saves only the callee-saved registers: it is a function call
 * in both directions, all in ring 0, no privilege or address-space change.
 *
 * The stack ends in a canary that every switch back checks: an overflow
 * is reported as a panic rather than spreading through the heap.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct coroutine {
	uint64_t rsp;	     /* the paused side's stack pointer */
	uint64_t caller_rsp; /* while running: where resume returns to */
	uint64_t *canary;    /* lowest word of the stack */
	void (*fn)(void *arg);
	void *arg;
	bool running, finished;
};

/* Prepare co to run fn(arg) on [stack, stack + size) at its first resume. */
void coroutine_init(struct coroutine *co, void *stack, size_t size, void (*fn)(void *arg),
		    void *arg);

/*
 * Run co until it yields or fn returns; false once fn has returned. The
 * caller checks coroutine_overflowed() after each resume.
 */
bool coroutine_resume(struct coroutine *co);

/* The lowest word of co's stack was overwritten: its stack overflowed. */
bool coroutine_overflowed(const struct coroutine *co);

/* From inside co only: pause, back to the coroutine_resume that ran it. */
void coroutine_yield(struct coroutine *co);
