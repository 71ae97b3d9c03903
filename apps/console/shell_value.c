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

/*
 * v below base as "V SMALL"; otherwise in the largest of units[] (units[0]
 * is base, each next one base times the one before) that leaves at least
 * 1, with one decimal, cut rather than rounded: "812.3 us", "1.5 MiB".
 */
static const char *scaled(char *buf, size_t n, uint64_t v, uint64_t base, const char *small,
			  const char *const units[], size_t count)
{
	uint64_t unit = base;
	size_t u = 0;

	if (v < base) {
		fmt_snprintf(buf, n, "%llu %s", (unsigned long long)v, small);
		return buf;
	}
	while (u + 1 < count && v / unit >= base) {
		unit *= base;
		u++;
	}
	fmt_snprintf(buf, n, "%llu.%llu %s", (unsigned long long)(v / unit),
		     (unsigned long long)(v % unit * 10 / unit), units[u]);
	return buf;
}

const char *shell_size(char *buf, size_t n, uint64_t bytes)
{
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

	return scaled(buf, n, bytes, 1024, "B", units, sizeof(units) / sizeof(units[0]));
}

const char *shell_duration(char *buf, size_t n, uint64_t ns)
{
	static const char *const units[] = {"us", "ms", "s"};

	return scaled(buf, n, ns, 1000, "ns", units, sizeof(units) / sizeof(units[0]));
}
