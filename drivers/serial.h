/*
 * COM1, the 16550 UART at I/O port 0x3f8: the kernel's first and last
 * console. Output is polled (it must work from the trap path, before
 * interrupts exist and after everything else broke). serial_init makes it
 * the log's console (kernel/log.h).
 */
#pragma once

#include <stddef.h>

void serial_init(void);
void serial_write(const char *s, size_t len);
