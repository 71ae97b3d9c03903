/*
 * Memory probes; see probe.h. The guard catches faults anywhere, which is
 * right only because each probe touches nothing but its target.
 */
#include "tests/kernel/probe.h"

#include <stddef.h>

static int64_t do_read(void *addr)
{
	return *(volatile uint8_t *)addr;
}

static int64_t do_write(void *addr)
{
	volatile uint8_t *p = addr;
	*p = *p;
	return 0;
}

static int64_t do_execute(void *addr)
{
	return ((int64_t(*)(void))addr)();
}

static int64_t do_divide(void *arg)
{
	volatile int64_t divisor = (int64_t)(intptr_t)arg;
	return 1000 / divisor;
}

static int run_probe(int64_t (*fn)(void *), void *arg, uint64_t *pf_error)
{
	struct guard g;
	guard_init(&g, 0, UINTPTR_MAX, NULL);

	if (guarded_call(fn, arg, &g) != GUARD_FAULTED) {
		return PROBE_OK;
	}
	if (pf_error != NULL) {
		*pf_error = g.fault_error;
	}
	return (int)g.fault_vector;
}

int probe_read(const void *addr, uint64_t *pf_error)
{
	return run_probe(do_read, (void *)addr, pf_error);
}

int probe_write(void *addr, uint64_t *pf_error)
{
	return run_probe(do_write, addr, pf_error);
}

int probe_execute(const void *addr, uint64_t *pf_error)
{
	return run_probe(do_execute, (void *)addr, pf_error);
}

int probe_divide(int64_t divisor)
{
	return run_probe(do_divide, (void *)(intptr_t)divisor, NULL);
}
