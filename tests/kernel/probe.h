/*
 * Memory probes for the self-tests: touch an address inside a guarded call
 * (arch/x86_64/guard.h) and report which exception, if any, it raised.
 */
#pragma once

#include <stdint.h>

#include "arch/x86_64/guard.h"

#define PROBE_OK	   (-1) /* no exception */
#define PROBE_PAGE_FAULT   14	/* the vector numbers of the CPU */
#define PROBE_DIVIDE_ERROR 0

/* Each returns PROBE_OK or the vector; *pf_error gets #PF's error code. */
int probe_read(const void *addr, uint64_t *pf_error);
int probe_write(void *addr, uint64_t *pf_error);
int probe_execute(const void *addr, uint64_t *pf_error);
int probe_divide(int64_t divisor);
