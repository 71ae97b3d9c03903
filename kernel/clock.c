/*
 * Clock and alarm; see clock.h.
 *
 * Conversion: ns = (tsc - tsc_at_boot) * mult >> 32, with a 128-bit product
 * so it never overflows (mult is ns per tick in 32.32 fixed point).
 * Calibration counts TSC ticks and APIC-timer ticks over about 30 ms of the
 * PIT's countdown; the boot does other work in the first part of it
 * (clock_calibration_begin), and a countdown that ran out meanwhile (the
 * work took over 54 ms) is simply tried again. Each end of that span is one look at the PIT count
 * with the TSC read just before and after it; a host that pauses the emulated CPU mid-look widens
 * that bracket, so the tightest of several looks is kept, and a pause anywhere else does not
 * matter. The figures are logged for anyone who doubts a timing.
 */
#include "kernel/clock.h"

#include <stdbool.h>
#include <stddef.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/pit.h"
#include "arch/x86_64/trap.h"
#include "kernel/log.h"
#include "kernel/panic.h"

#define CALIBRATION_MS	  30
#define COUNTDOWN_MS	  54 /* the PIT's longest; the rest is margin for a paused CPU */
#define CALIBRATION_TRIES 10
#define LOOKS_PER_END	  8
#define LAPIC_MAX_TICKS	  0xffffffffu

static uint64_t tsc_at_boot;
static uint64_t tsc_hz;
static uint64_t ns_per_tick_32_32;
static uint64_t apic_ticks_per_ns_32_32;
static uint8_t alarm_vector;
static volatile uint64_t alarms_fired;
static uint64_t wall_at_boot_ns;		/* UTC at clock_ns() == 0; 0: unknown */
volatile uint64_t clock_alarm_due = UINT64_MAX; /* when the armed alarm fires, or later */
static void (*alarm_hook)(struct trap_frame *frame);

static void alarm_interrupt(struct trap_frame *frame, void *arg)
{
	(void)arg;
	alarms_fired++;
	clock_alarm_due = UINT64_MAX; /* none armed */
	if (alarm_hook != NULL) {
		alarm_hook(frame);
	}
}

/* One look at the PIT, dated by the middle of the tightest TSC bracket. */
struct pit_look {
	uint64_t tsc;
	uint32_t apic_remaining;
	uint16_t pit_count;
	bool ran_out;
};

static struct pit_look look_at_pit(void)
{
	struct pit_look best = {0};
	uint64_t best_width = UINT64_MAX;
	for (int i = 0; i < LOOKS_PER_END; i++) {
		uint64_t before = rdtsc();
		uint16_t count = pit_count();
		uint32_t apic = lapic_timer_remaining();
		bool ran_out = pit_elapsed(); /* read after the count: covers it */
		uint64_t after = rdtsc();
		if (after - before < best_width) {
			best_width = after - before;
			best = (struct pit_look){before + best_width / 2, apic, count, ran_out};
		}
	}
	return best;
}

static struct pit_look begin_span(void)
{
	lapic_timer_start_raw(LAPIC_MAX_TICKS);
	pit_start_countdown(COUNTDOWN_MS);
	return look_at_pit();
}

/* The span begun at start; false when the countdown ran out before its end was looked at. */
static bool end_span(struct pit_look start, uint64_t *pit_ticks_measured)
{
	uint16_t span = PIT_HZ / 1000 * CALIBRATION_MS;
	while ((uint16_t)(start.pit_count - pit_count()) < span && !pit_elapsed()) {
		cpu_relax();
	}
	struct pit_look end = look_at_pit();
	lapic_timer_start_raw(0);
	if (start.ran_out || end.ran_out || end.pit_count >= start.pit_count) {
		return false;
	}
	uint64_t pit_ticks = start.pit_count - end.pit_count;
	tsc_hz = (end.tsc - start.tsc) * PIT_HZ / pit_ticks;
	lapic_timer_set_frequency((uint64_t)(start.apic_remaining - end.apic_remaining) * PIT_HZ /
				  pit_ticks);
	*pit_ticks_measured = pit_ticks;
	return true;
}

static struct pit_look begun;
static bool span_begun;

void clock_calibration_begin(void)
{
	irq_disable();
	begun = begin_span();
	span_begun = true;
}

void clock_init(uint64_t entry_tsc)
{
	uint64_t pit_ticks = 0;
	int tries = 1;
	irq_disable();
	if (!span_begun) {
		begun = begin_span();
	}
	while (!end_span(begun, &pit_ticks)) {
		begun = begin_span();
		if (++tries > CALIBRATION_TRIES) {
			panic("clock: calibration failed: the PIT ran out before it was read, %d "
			      "times",
			      CALIBRATION_TRIES);
		}
	}
	if (tsc_hz == 0 || lapic_timer_frequency() == 0) {
		panic("clock: calibration failed (tsc %llu Hz, apic timer %llu Hz)",
		      (unsigned long long)tsc_hz, (unsigned long long)lapic_timer_frequency());
	}
	tsc_at_boot = entry_tsc;
	ns_per_tick_32_32 = (1000000000ull << 32) / tsc_hz;
	apic_ticks_per_ns_32_32 = (lapic_timer_frequency() << 32) / 1000000000u;
	int vector = trap_alloc_vector(alarm_interrupt, NULL);
	if (vector < 0) {
		panic("clock: no interrupt vector for the timer");
	}
	alarm_vector = (uint8_t)vector;
	uint64_t span_us = pit_ticks * 1000000 / PIT_HZ;
	log_info("time",
		 "tsc %llu.%03llu MHz, lapic timer %llu.%03llu MHz, calibrated against PIT over "
		 "%llu.%03llu ms (try %d)",
		 (unsigned long long)(tsc_hz / 1000000), (unsigned long long)(tsc_hz / 1000 % 1000),
		 (unsigned long long)(lapic_timer_frequency() / 1000000),
		 (unsigned long long)(lapic_timer_frequency() / 1000 % 1000),
		 (unsigned long long)(span_us / 1000), (unsigned long long)(span_us % 1000), tries);
}

uint64_t clock_ns(void)
{
	if (tsc_hz == 0) {
		return 0;
	}
	uint64_t ticks = rdtsc() - tsc_at_boot;
	return (uint64_t)(((unsigned __int128)ticks * ns_per_tick_32_32) >> 32);
}

uint64_t clock_ms(void)
{
	return clock_ns() / 1000000;
}

uint64_t clock_tsc_hz(void)
{
	return tsc_hz;
}

void clock_set_wall(uint64_t unix_ns)
{
	wall_at_boot_ns = unix_ns - clock_ns();
}

uint64_t clock_wall_ns(void)
{
	return wall_at_boot_ns != 0 ? wall_at_boot_ns + clock_ns() : 0;
}

void clock_set_alarm(uint64_t deadline_ns)
{
	uint64_t now = clock_ns();
	uint64_t delta = deadline_ns > now ? deadline_ns - now : 0;
	uint64_t ticks = (uint64_t)(((unsigned __int128)delta * apic_ticks_per_ns_32_32) >> 32);

	if (ticks == 0) {
		ticks = 1; /* already due: fire as soon as possible */
	}
	clock_alarm_due = deadline_ns > now ? deadline_ns : now;
	if (ticks > LAPIC_MAX_TICKS) {
		ticks = LAPIC_MAX_TICKS;      /* far away: wake early, the caller re-arms */
		clock_alarm_due = UINT64_MAX; /* not known exactly: as if none were armed */
	}
	lapic_timer_oneshot((uint32_t)ticks, alarm_vector);
}

uint64_t clock_alarm_count(void)
{
	return alarms_fired;
}

void clock_sleep_until(uint64_t deadline_ns)
{
	for (;;) {
		irq_disable();
		if (clock_ns() >= deadline_ns) {
			irq_enable();
			return;
		}
		clock_set_alarm(deadline_ns);
		irq_enable_and_halt();
	}
}

void clock_set_alarm_hook(void (*hook)(struct trap_frame *frame))
{
	alarm_hook = hook;
}
