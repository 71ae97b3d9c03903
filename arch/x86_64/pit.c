/*
 * PIT channel 2 countdown for calibration; see pit.h. Channel 2 is the one
 * whose gate and output software can reach (port 0x61), so no interrupt is
 * needed: mode 0 raises OUT2 when the count reaches zero.
 */
#include "arch/x86_64/pit.h"

#include "arch/x86_64/cpu.h"

#define PORT_CH2_DATA	   0x42
#define PORT_COMMAND	   0x43
#define PORT_CONTROL	   0x61
#define CONTROL_GATE2	   0x01
#define CONTROL_SPEAKER	   0x02
#define CONTROL_OUT2	   0x20
#define CMD_CH2_LOHI_MODE0 0xb0
#define CMD_CH2_LATCH	   0x80

void pit_start_countdown(uint32_t ms)
{
	uint32_t count = PIT_HZ / 1000 * ms;
	if (count > 0xffff) {
		count = 0xffff;
	}
	/* Gate on, speaker off; then loading the count starts the countdown. */
	outb(PORT_CONTROL, (uint8_t)((inb(PORT_CONTROL) & ~CONTROL_SPEAKER) | CONTROL_GATE2));
	outb(PORT_COMMAND, CMD_CH2_LOHI_MODE0);
	outb(PORT_CH2_DATA, count & 0xff);
	outb(PORT_CH2_DATA, (uint8_t)(count >> 8));
}

int pit_elapsed(void)
{
	return (inb(PORT_CONTROL) & CONTROL_OUT2) != 0;
}

uint16_t pit_count(void)
{
	outb(PORT_COMMAND, CMD_CH2_LATCH);
	uint8_t low = inb(PORT_CH2_DATA);
	uint8_t high = inb(PORT_CH2_DATA);
	return (uint16_t)(high << 8 | low);
}
