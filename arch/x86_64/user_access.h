/*
 * The kernel touching user pages on purpose. With SMAP on, any other
 * kernel access to a user page faults (a kernel bug, reported as such), so
 * every place that means to read or write app memory says so by
 * bracketing the access; keep the bracket tight, around plain copies.
 */
#pragma once

#include "arch/x86_64/user_mode.h"

static inline void user_access_begin(void)
{
	if (user_mode_smap) {
		__asm__ volatile("stac" : : : "memory");
	}
}

static inline void user_access_end(void)
{
	if (user_mode_smap) {
		__asm__ volatile("clac" : : : "memory");
	}
}
