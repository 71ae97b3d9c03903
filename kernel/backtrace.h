/*
 * Backtraces by walking the frame-pointer chain (the kernel is built with
 * -fno-omit-frame-pointer). Every frame pointer is checked to be mapped
 * before it is read, so a corrupt stack ends the walk instead of faulting
 * inside the fault report.
 */
#pragma once

#include <stdint.h>

#define BACKTRACE_MAX_DEPTH 32

/*
 * Log "  #n addr <symbol+off>" lines starting at rip, then the rbp chain.
 * rsp is the interrupted stack pointer: when the word on top of the stack is
 * a return address the chain would miss (a fault before the function set up
 * its frame), it is shown too, marked "?" as not certain.
 */
void backtrace_log(uint64_t rip, uint64_t rbp, uint64_t rsp);
