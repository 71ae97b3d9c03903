/*
 * Coroutines; see coroutine.h. The initial stack of a coroutine is laid
 * out as if coroutine_switch had saved it: six registers (r12 = the
 * coroutine, r13 = coroutine_main) under a return address pointing at
 * coroutine_trampoline.
 */
#include "arch/x86_64/coroutine.h"

#define CANARY 0x5a5a5a5ac0de5a5aull

void coroutine_switch(uint64_t *save_rsp, uint64_t load_rsp);
void coroutine_trampoline(void);

__attribute__((noreturn)) static void coroutine_main(struct coroutine *co)
{
	co->fn(co->arg);
	co->finished = true;
	for (;;) {
		coroutine_yield(co);
	}
}

void coroutine_init(struct coroutine *co, void *stack, size_t size, void (*fn)(void *arg),
		    void *arg)
{
	uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
	uint64_t *sp = (uint64_t *)top - 1;

	*co = (struct coroutine){.fn = fn, .arg = arg, .canary = stack};
	*co->canary = CANARY;
	*sp = (uint64_t)(uintptr_t)coroutine_trampoline; /* after the ret: rsp = top */
	sp -= 6;					 /* r15 r14 r13 r12 rbx rbp */
	for (int i = 0; i < 6; i++) {
		sp[i] = 0;
	}
	sp[2] = (uint64_t)(uintptr_t)coroutine_main; /* r13 */
	sp[3] = (uint64_t)(uintptr_t)co;	     /* r12 */
	co->rsp = (uint64_t)(uintptr_t)sp;
}

bool coroutine_resume(struct coroutine *co)
{
	if (co->finished) {
		return false;
	}
	co->running = true;
	coroutine_switch(&co->caller_rsp, co->rsp);
	co->running = false;
	return !co->finished;
}

bool coroutine_overflowed(const struct coroutine *co)
{
	return *co->canary != CANARY;
}

void coroutine_yield(struct coroutine *co)
{
	coroutine_switch(&co->rsp, co->caller_rsp);
}
