/*
 * Polled 16550 UART driver for COM1 (115200 8N1); see serial.h.
 */
#include "drivers/serial.h"

#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "kernel/log.h"

#define COM1		 0x3f8
#define REG_DATA	 0
#define REG_INT_ENABLE	 1
#define REG_DIVISOR_LOW	 0
#define REG_DIVISOR_HIGH 1
#define REG_FIFO_CTRL	 2
#define REG_LINE_CTRL	 3
#define REG_MODEM_CTRL	 4
#define REG_LINE_STATUS	 5
#define LSR_TX_EMPTY	 0x20
#define LCR_DLAB	 0x80
#define LCR_8N1		 0x03

static void serial_log_line(enum log_level level, const char *line, unsigned len);

void serial_init(void)
{
	outb(COM1 + REG_INT_ENABLE, 0x00);
	outb(COM1 + REG_LINE_CTRL, LCR_DLAB);
	outb(COM1 + REG_DIVISOR_LOW, 1); /* 115200 baud */
	outb(COM1 + REG_DIVISOR_HIGH, 0);
	outb(COM1 + REG_LINE_CTRL, LCR_8N1);
	outb(COM1 + REG_FIFO_CTRL, 0xc7);  /* enable and clear FIFOs */
	outb(COM1 + REG_MODEM_CTRL, 0x03); /* DTR, RTS */
	log_set_console_sink(serial_log_line);
}

static void serial_put(char c)
{
	/* Bounded wait: a missing or stuck UART must not hang the kernel. */
	for (int spins = 0; spins < 100000; spins++) {
		if (inb(COM1 + REG_LINE_STATUS) & LSR_TX_EMPTY) {
			break;
		}
		cpu_relax();
	}
	outb(COM1 + REG_DATA, (uint8_t)c);
}

void serial_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		serial_put(s[i]);
	}
}

/* The log's console: each line as it is, ended by CR LF. */
static void serial_log_line(enum log_level level, const char *line, unsigned len)
{
	(void)level;
	serial_write(line, len);
	serial_write("\r\n", 2);
}
