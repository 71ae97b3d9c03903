/*
 * Clock and alarm; see clock.h.
 *
 * Conversion: ns = (tsc - tsc_at_boot) * mult >> 32, with a 128-bit product
 * so it never overflows (mult is ns per tick in 32.32 fixed point).
 * Calibration counts TSC ticks and APIC-timer ticks over one 50 ms PIT
 * countdown; under emulation that window is also measured imprecisely, so
 * the figures are logged for anyone who doubts a timing.
 */
#include "core/clock.h"

#include <stdbool.h>
#include <stddef.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/pit.h"
#include "arch/x86_64/trap.h"
#include "core/log.h"
#include "core/panic.h"

#define CALIBRATION_MS	50
#define LAPIC_MAX_TICKS 0xffffffffu

static uint64_t tsc_at_boot;
static uint64_t tsc_hz;
static uint64_t ns_per_tick_32_32;
static uint64_t apic_ticks_per_ns_32_32;
static uint8_t alarm_vector;
static volatile uint64_t alarms_fired;
static void (*alarm_hook)(struct trap_frame *frame);

static void alarm_interrupt(struct trap_frame *frame, void *arg)
{
	(void)arg;
	alarms_fired++;
	if (alarm_hook != NULL) {
		alarm_hook(frame);
	}
}

static void calibrate(void)
{
	irq_disable();
	lapic_timer_start_raw(LAPIC_MAX_TICKS);
	pit_start_countdown(CALIBRATION_MS);
	uint64_t tsc0 = rdtsc();
	uint32_t apic0 = lapic_timer_remaining();
	while (!pit_elapsed()) {
		cpu_relax();
	}
	uint64_t tsc1 = rdtsc();
	uint32_t apic1 = lapic_timer_remaining();
	lapic_timer_start_raw(0);

	tsc_hz = (tsc1 - tsc0) * 1000 / CALIBRATION_MS;
	lapic_timer_set_frequency((uint64_t)(apic0 - apic1) * 1000 / CALIBRATION_MS);
}

void clock_init(uint64_t entry_tsc)
{
	calibrate();
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
	log_info(
	    "time",
	    "tsc %llu.%03llu MHz, lapic timer %llu.%03llu MHz, calibrated against PIT over %d ms",
	    (unsigned long long)(tsc_hz / 1000000), (unsigned long long)(tsc_hz / 1000 % 1000),
	    (unsigned long long)(lapic_timer_frequency() / 1000000),
	    (unsigned long long)(lapic_timer_frequency() / 1000 % 1000), CALIBRATION_MS);
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

void clock_set_alarm(uint64_t deadline_ns)
{
	uint64_t now = clock_ns();
	uint64_t delta = deadline_ns > now ? deadline_ns - now : 0;
	uint64_t ticks = (uint64_t)(((unsigned __int128)delta * apic_ticks_per_ns_32_32) >> 32);

	if (ticks == 0) {
		ticks = 1; /* already due: fire as soon as possible */
	}
	if (ticks > LAPIC_MAX_TICKS) {
		ticks = LAPIC_MAX_TICKS; /* far away: wake early, the caller re-arms */
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
