/*
 * tests/fuzz/fuzz_rtc_decode.c — libFuzzer target for the real-time
 * clock's register decoding (drivers/rtc/rtc_decode.c), which reads what
 * a device says.
 *
 * Eight bytes are the registers. A date the decoder accepts must be a
 * valid one, survive the round trip through seconds since 1970, and be
 * formatted as 19 characters (abort() otherwise); UBSan and ASan catch
 * the rest.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/rtc/rtc_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t b[8] = {0};
	memcpy(b, data, size < sizeof(b) ? size : sizeof(b));
	struct rtc_registers r = {b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]};
	struct civil_time t, back;
	char text[20];

	if (!rtc_decode(&r, &t)) {
		return 0;
	}
	civil_from_unix(civil_to_unix(&t), &back);
	civil_format(&t, text);
	bool same = t.year == back.year && t.month == back.month && t.day == back.day &&
		    t.hour == back.hour && t.minute == back.minute && t.second == back.second;
	if (!civil_valid(&t) || !same || strlen(text) != 19) { /* fields: the struct has padding */
		abort();
	}
	return 0;
}
