/*
 * Reading the CMOS RTC; see cmos_rtc.h. Ports 0x70 (index; bit 7 set keeps
 * NMIs masked while we look) and 0x71 (data). A read that an update could
 * tear is avoided as the MC146818 data sheet says: wait until register A
 * shows no update in progress, read everything, and read again until two
 * reads agree.
 */
#include "drivers/rtc/cmos_rtc.h"

#include <stdbool.h>

#include "arch/x86_64/cpu.h"
#include "drivers/rtc/rtc_decode.h"
#include "kernel/clock.h"
#include "kernel/log.h"
#include "lib/string.h"

#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define NMI_MASKED	0x80
#define REG_SECOND	0x00
#define REG_MINUTE	0x02
#define REG_HOUR	0x04
#define REG_DAY		0x07
#define REG_MONTH	0x08
#define REG_YEAR	0x09
#define REG_STATUS_A	0x0a
#define REG_STATUS_B	0x0b
#define REG_CENTURY	0x32
#define STATUS_A_UPDATE 0x80
#define TRIES		16 /* reads that may disagree before we give up */

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, NMI_MASKED | reg);
	return inb(CMOS_DATA);
}

static void read_all(struct rtc_registers *r)
{
	for (int spins = 0; spins < 100000 && (cmos_read(REG_STATUS_A) & STATUS_A_UPDATE);
	     spins++) {
	}
	*r = (struct rtc_registers){
	    .second = cmos_read(REG_SECOND),
	    .minute = cmos_read(REG_MINUTE),
	    .hour = cmos_read(REG_HOUR),
	    .day = cmos_read(REG_DAY),
	    .month = cmos_read(REG_MONTH),
	    .year = cmos_read(REG_YEAR),
	    .century = cmos_read(REG_CENTURY),
	    .status_b = cmos_read(REG_STATUS_B),
	};
}

void cmos_rtc_init(void)
{
	struct rtc_registers a, b;
	struct civil_time t;
	char text[20];

	read_all(&a);
	for (int i = 0; i < TRIES; i++) {
		read_all(&b);
		if (memcmp(&a, &b, sizeof(a)) == 0) {
			break;
		}
		a = b;
	}
	if (memcmp(&a, &b, sizeof(a)) != 0 || !rtc_decode(&a, &t)) {
		log_warn("rtc", "the real-time clock holds no date: no wall-clock time "
				"(files are dated 1980-01-01)");
		return;
	}
	clock_set_wall(civil_to_unix(&t) * 1000000000ull);
	civil_format(&t, text);
	log_info("rtc", "%s UTC (CMOS clock, %s, %s)", text,
		 (a.status_b & RTC_STATUS_B_BINARY) ? "binary" : "BCD",
		 (a.status_b & RTC_STATUS_B_24H) ? "24 h" : "12 h");
}
