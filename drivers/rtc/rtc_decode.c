/*
 * Decoding the RTC's registers; see rtc_decode.h. The century register
 * (0x32 in QEMU and on most PCs) is trusted only when it says 19, 20 or
 * 21; otherwise the century is the 21st.
 */
#include "drivers/rtc/rtc_decode.h"

/* A register's value, or 0xff when a BCD register holds a non-digit. */
static unsigned value(uint8_t raw, bool binary)
{
	if (binary) {
		return raw;
	}
	if ((raw & 0x0f) > 9 || (raw >> 4) > 9) {
		return 0xff;
	}
	return (raw >> 4) * 10u + (raw & 0x0f);
}

bool rtc_decode(const struct rtc_registers *r, struct civil_time *out)
{
	bool binary = r->status_b & RTC_STATUS_B_BINARY;
	unsigned hour = value(r->hour & (uint8_t)~RTC_HOUR_PM, binary);
	if (!(r->status_b & RTC_STATUS_B_24H)) { /* 12 h: 12 AM is 0, 12 PM is 12 */
		if (hour < 1 || hour > 12) {
			return false;
		}
		hour = hour % 12 + ((r->hour & RTC_HOUR_PM) ? 12 : 0);
	}
	unsigned century = value(r->century, binary);
	unsigned year = value(r->year, binary);
	if (year > 99) {
		return false;
	}
	century = century >= 19 && century <= 21 ? century : 20;
	struct civil_time t = {
	    .year = (uint16_t)(century * 100 + year),
	    .month = (uint8_t)value(r->month, binary),
	    .day = (uint8_t)value(r->day, binary),
	    .hour = (uint8_t)(hour > 255 ? 255 : hour),
	    .minute = (uint8_t)value(r->minute, binary),
	    .second = (uint8_t)value(r->second, binary),
	};
	if (!civil_valid(&t)) {
		return false;
	}
	*out = t;
	return true;
}
