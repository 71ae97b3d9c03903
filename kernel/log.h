/*
 * The kernel log: one line per call, stamped with the time since boot, a
 * level and the subsystem, e.g.
 *     [    0.012345] info  pmm: 61 MiB free in 3 ranges
 * or, for lines an app wrote (subsystem NULL, see services/app_services.c),
 *     [    1.500000] info  [pid 3 console] $ help
 * Lines go to the serial console always and to any extra sink attached
 * (the boot screen); the latest lines are kept in memory for log_replay().
 * The format is stable: tests grep it.
 *
 * Callable from anywhere, including the trap path: it allocates nothing and
 * formats into a stack buffer. Interrupts are held off while a line is
 * emitted so lines from an interrupt handler never interleave.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>

enum log_level {
	LOG_DEBUG,
	LOG_INFO,
	LOG_WARN,
	LOG_ERROR,
	LOG_FATAL,
};

#define LOG_LINE_MAX 240

/* A sink receives each formatted line without the trailing newline. */
typedef void (*log_sink_fn)(enum log_level level, const char *line, unsigned len);

void log_set_threshold(enum log_level level);
/*
 * The console every line goes to first, from any context, even the trap
 * path (the serial driver attaches itself in serial_init). Lines logged
 * before one is attached are only kept in the history.
 */
void log_set_console_sink(log_sink_fn sink);

/* Attach (or, with NULL, detach) the screen sink; returns the previous one. */
log_sink_fn log_set_screen_sink(log_sink_fn sink);

/*
 * While on, every line is formatted and then dropped: no serial, no
 * screen, no history. For the benchmark only (bench/bench.c), to measure
 * what a log line costs without the device that shows it.
 */
void log_set_null_sink(bool on);

/* Feed the latest lines kept in memory (up to LOG_HISTORY_LINES), oldest first. */
#define LOG_HISTORY_LINES 64
void log_replay(log_sink_fn sink, unsigned max_lines);

__attribute__((format(printf, 3, 4))) void log_printf(enum log_level level, const char *subsys,
						      const char *fmt, ...);
void log_vprintf(enum log_level level, const char *subsys, const char *fmt, va_list ap);

#define log_debug(subsys, ...) log_printf(LOG_DEBUG, subsys, __VA_ARGS__)
#define log_info(subsys, ...)  log_printf(LOG_INFO, subsys, __VA_ARGS__)
#define log_warn(subsys, ...)  log_printf(LOG_WARN, subsys, __VA_ARGS__)
#define log_error(subsys, ...) log_printf(LOG_ERROR, subsys, __VA_ARGS__)
#define log_fatal(subsys, ...) log_printf(LOG_FATAL, subsys, __VA_ARGS__)
