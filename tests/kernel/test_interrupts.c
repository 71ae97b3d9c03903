/*
 * Self-test: an interrupt must not write below the interrupted stack
 * pointer. Apps run in ring 0 and, per the SysV ABI, may keep data in the
 * 128-byte red zone below their stack pointer; the CPU pushes an interrupt
 * frame at the current stack pointer unless the gate switches stacks, so
 * every device interrupt uses the interrupt stack (arch/x86_64/gdt.h).
 */
#include "arch/x86_64/cpu.h"
#include "kernel/clock.h"
#include "tests/kernel/selftest.h"

KTEST(interrupts_spare_the_red_zone)
{
	uint64_t alarms = clock_alarm_count();
	uint8_t damaged;

	/*
	 * Interrupts stay off until the `sti; hlt` pair, or an alarm that
	 * fires early (a loaded host may pause the CPU for over 1 ms) would
	 * be taken before the hlt, which would then wait forever.
	 */
	bool was_enabled = irq_save();
	clock_set_alarm(clock_ns() + 1000000);
	/* Fill the red zone, halt until the timer interrupt, compare. */
	__asm__ volatile("lea -128(%%rsp), %%rdi\n\t"
			 "mov $16, %%ecx\n\t"
			 "rep stosq\n\t"
			 "sti\n\t"
			 "hlt\n\t"
			 "cli\n\t"
			 "lea -128(%%rsp), %%rdi\n\t"
			 "mov $16, %%ecx\n\t"
			 "repe scasq\n\t"
			 "setne %0"
			 : "=r"(damaged)
			 : "a"(0x5a5a5a5a5a5a5a5aull)
			 : "rcx", "rdi", "memory", "cc");
	irq_restore(was_enabled);
	KEXPECT(clock_alarm_count() > alarms);
	KEXPECT(!damaged);
	return NULL;
}
