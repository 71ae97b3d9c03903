/*
 * Self-tests of coroutines (arch/x86_64/coroutine.h) on the real CPU: the
 * register save/restore, the initial stack layout and alignment, and that
 * locals survive across yields.
 */
#include "arch/x86_64/coroutine.h"
#include "mm/heap.h"
#include "tests/kernel/selftest.h"

struct counting {
	struct coroutine co;
	int steps;
	uintptr_t misaligned;
};

static void count_three(void *arg)
{
	struct counting *c = arg;
	volatile uint64_t x = 3; /* a local kept across yields */
	uint64_t aligned __attribute__((aligned(16))) = 0;

	c->misaligned |= (uintptr_t)&aligned & 15;
	for (int i = 0; i < 3; i++) {
		c->steps++;
		coroutine_yield(&c->co);
		x *= 2;
	}
	c->steps = x == 24 ? 100 : -1;
}

KTEST(coroutine_yields_and_finishes)
{
	enum { STACK = 16384 };
	struct counting *c = kzalloc(sizeof(*c));
	void *stack = kmalloc(STACK);
	KEXPECT(c != NULL && stack != NULL);
	coroutine_init(&c->co, stack, STACK, count_three, c);

	volatile uint64_t mine = 0x1122334455667788ull; /* callee-saved values survive */
	for (int i = 1; i <= 3; i++) {
		KEXPECT(coroutine_resume(&c->co));
		KEXPECT(c->steps == i);
	}
	KEXPECT(!coroutine_resume(&c->co));
	KEXPECT(c->steps == 100);
	KEXPECT(c->misaligned == 0);
	KEXPECT(!coroutine_resume(&c->co)); /* a finished coroutine stays finished */
	KEXPECT(mine == 0x1122334455667788ull);
	kfree(stack);
	kfree(c);
	return NULL;
}
