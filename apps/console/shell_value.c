/*
 * apps/console/shell_value.c — parsing and printing the values of the
 * shell's commands (see shell_value.h).
 *
 * Parsers reject anything that is not exactly a number (signs, blanks,
 * trailing junk, overflow) instead of reading a prefix, so that a typo
 * gives a usage line rather than a request for the wrong pid.
 */
#include "apps/console/shell_value.h"

#include "lib/format.h"

const char *const shell_policy_names[SHELL_NPOLICIES] = {
    [FOMOS_POLICY_STOP] = "stop",
    [FOMOS_POLICY_RESTART] = "restart",
    [FOMOS_POLICY_KEEP] = "keep",
};

bool shell_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 20) {
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10) {
			return false;
		}
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

bool shell_parse_size(const char *s, size_t len, uint64_t *out)
{
	unsigned shift = 0;
	uint64_t v;

	if (len > 0) {
		switch (s[len - 1]) {
		case 'K':
		case 'k':
			shift = 10;
			break;
		case 'M':
		case 'm':
			shift = 20;
			break;
		case 'G':
		case 'g':
			shift = 30;
			break;
		}
	}
	if (!shell_parse_u64(s, shift != 0 ? len - 1 : len, &v) || v > UINT64_MAX >> shift) {
		return false;
	}
	*out = v << shift;
	return true;
}

const char *shell_size(char *buf, size_t n, uint64_t bytes)
{
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	uint64_t unit = 1024;
	size_t u = 0;

	if (bytes < 1024) {
		fmt_snprintf(buf, n, "%llu B", (unsigned long long)bytes);
		return buf;
	}
	while (u + 1 < sizeof(units) / sizeof(units[0]) && bytes / unit >= 1024) {
		unit *= 1024;
		u++;
	}
	fmt_snprintf(buf, n, "%llu.%llu %s", (unsigned long long)(bytes / unit),
		     (unsigned long long)(bytes % unit * 10 / unit), units[u]);
	return buf;
}

const char *shell_duration(char *buf, size_t n, uint64_t ns)
{
	static const char *const units[] = {"us", "ms", "s"};
	uint64_t unit = 1000;
	size_t u = 0;

	if (ns < 1000) {
		fmt_snprintf(buf, n, "%llu ns", (unsigned long long)ns);
		return buf;
	}
	while (u + 1 < sizeof(units) / sizeof(units[0]) && ns / unit >= 1000) {
		unit *= 1000;
		u++;
	}
	fmt_snprintf(buf, n, "%llu.%llu %s", (unsigned long long)(ns / unit),
		     (unsigned long long)(ns % unit * 10 / unit), units[u]);
	return buf;
}
