/*
 * The report printed when a CPU exception hits kernel code: what happened
 * (vector name, error code decoded), where (RIP with its symbol, CR2), the
 * registers and a symbolized backtrace. It goes to every log sink, so it
 * reaches both the serial console and the screen.
 */
#pragma once

#include <stdint.h>

struct trap_frame;

void exception_report(const struct trap_frame *frame, uint64_t cr2);

/* Make "report, then panic" what an exception in kernel code leads to. */
void exception_report_install(void);
