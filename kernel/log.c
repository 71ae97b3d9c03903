/*
 * Kernel log implementation; see log.h for the line format and rules.
 */
#include "kernel/log.h"

#include <stdbool.h>
#include <stddef.h>

#include "arch/x86_64/cpu.h"
#include "kernel/clock.h"
#include "lib/format.h"
#include "lib/string.h"

/* The latest lines, so a sink attached late (the screen) starts with them. */
struct history_line {
	enum log_level level;
	unsigned len;
	char text[LOG_LINE_MAX];
};

static enum log_level threshold = LOG_INFO;
static log_sink_fn console_sink, screen_sink;
static bool null_sink;
static struct history_line history[LOG_HISTORY_LINES];
static unsigned history_count; /* lines ever recorded */

static void history_record(enum log_level level, const char *line, unsigned len)
{
	struct history_line *h = &history[history_count++ % LOG_HISTORY_LINES];
	h->level = level;
	h->len = len;
	memcpy(h->text, line, len);
}

static const char *const level_names[] = {"debug", "info", "warn", "error", "fatal"};

void log_set_threshold(enum log_level level)
{
	threshold = level;
}

void log_replay(log_sink_fn sink, unsigned max_lines)
{
	unsigned kept = history_count < LOG_HISTORY_LINES ? history_count : LOG_HISTORY_LINES;
	unsigned count = kept < max_lines ? kept : max_lines;

	for (unsigned i = history_count - count; i < history_count; i++) {
		const struct history_line *h = &history[i % LOG_HISTORY_LINES];
		sink(h->level, h->text, h->len);
	}
}

void log_set_console_sink(log_sink_fn sink)
{
	console_sink = sink;
}

log_sink_fn log_set_screen_sink(log_sink_fn sink)
{
	log_sink_fn previous = screen_sink;
	screen_sink = sink;
	return previous;
}

void log_set_null_sink(bool on)
{
	null_sink = on;
}

void log_vprintf(enum log_level level, const char *subsys, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	uint64_t us = clock_ns() / 1000;

	if (level < threshold) {
		return;
	}
	int n = fmt_snprintf(line, sizeof(line), "[%5llu.%06llu] %-5s %s%s",
			     (unsigned long long)(us / 1000000), (unsigned long long)(us % 1000000),
			     level_names[level], subsys != NULL ? subsys : "",
			     subsys != NULL ? ": " : "");
	int m = fmt_vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	unsigned len = (unsigned)(n + m);
	if (len >= sizeof(line)) {
		len = sizeof(line) - 1; /* truncated: keep what fits */
	}
	if (null_sink) {
		return;
	}

	bool was_enabled = irq_save();
	if (console_sink != NULL) {
		console_sink(level, line, len);
	}
	history_record(level, line, len);
	if (screen_sink != NULL) {
		screen_sink(level, line, len);
	}
	irq_restore(was_enabled);
}

void log_printf(enum log_level level, const char *subsys, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(level, subsys, fmt, ap);
	va_end(ap);
}
