/*
 * Local APIC driver (xAPIC, memory mapped); see lapic.h. Register offsets
 * are those of the Intel SDM vol. 3, chapter "APIC".
 */
#include "arch/x86_64/lapic.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/trap.h"

#define REG_ID		  0x020
#define REG_TPR		  0x080
#define REG_EOI		  0x0b0
#define REG_SVR		  0x0f0
#define REG_ICR_LOW	  0x300
#define REG_ICR_HIGH	  0x310
#define ICR_ASSERT	  (1u << 14)
#define ICR_TO_SELF	  (1u << 18)
#define REG_LVT_TIMER	  0x320
#define REG_TIMER_INITIAL 0x380
#define REG_TIMER_CURRENT 0x390
#define REG_TIMER_DIVIDE  0x3e0
#define SVR_ENABLE	  0x100
#define LVT_MASKED	  (1u << 16)
#define DIVIDE_BY_16	  0x3
#define APIC_BASE_MASK	  0xffffff000ull

static volatile uint32_t *regs;
static uint64_t timer_hz;

static uint32_t lapic_read(uint32_t reg)
{
	return regs[reg / 4];
}

static void lapic_write(uint32_t reg, uint32_t v)
{
	regs[reg / 4] = v;
}

/* Remap the 8259s away from the exception vectors, then mask every line. */
static void legacy_pic_disable(void)
{
	static const uint8_t init[][2] = {
	    {0x20, 0x11}, {0xa0, 0x11}, /* ICW1: init, ICW4 follows */
	    {0x21, 32},	  {0xa1, 40},	/* ICW2: vector bases */
	    {0x21, 4},	  {0xa1, 2},	/* ICW3: cascade on line 2 */
	    {0x21, 1},	  {0xa1, 1},	/* ICW4: 8086 mode */
	    {0x21, 0xff}, {0xa1, 0xff}, /* mask everything */
	};
	for (unsigned i = 0; i < sizeof(init) / sizeof(init[0]); i++) {
		outb(init[i][0], init[i][1]);
	}
}

uint64_t lapic_phys_base(void)
{
	return rdmsr(MSR_APIC_BASE) & APIC_BASE_MASK;
}

void lapic_init(volatile void *mapped_regs)
{
	legacy_pic_disable();
	regs = mapped_regs;
	lapic_write(REG_TPR, 0);
	lapic_write(REG_SVR, SVR_ENABLE | TRAP_SPURIOUS_VECTOR);
	lapic_write(REG_TIMER_DIVIDE, DIVIDE_BY_16);
	lapic_write(REG_LVT_TIMER, LVT_MASKED);
}

void lapic_eoi(void)
{
	lapic_write(REG_EOI, 0);
}

uint32_t lapic_id(void)
{
	return lapic_read(REG_ID) >> 24;
}

void lapic_send_self_ipi(uint8_t vector)
{
	lapic_write(REG_ICR_HIGH, 0);
	lapic_write(REG_ICR_LOW, ICR_TO_SELF | ICR_ASSERT | vector);
}

void lapic_timer_set_frequency(uint64_t hz)
{
	timer_hz = hz;
}

uint64_t lapic_timer_frequency(void)
{
	return timer_hz;
}

void lapic_timer_start_raw(uint32_t count)
{
	lapic_write(REG_LVT_TIMER, LVT_MASKED);
	lapic_write(REG_TIMER_INITIAL, count);
}

uint32_t lapic_timer_remaining(void)
{
	return lapic_read(REG_TIMER_CURRENT);
}

void lapic_timer_oneshot(uint32_t ticks, uint8_t vector)
{
	lapic_write(REG_LVT_TIMER, vector); /* one-shot, unmasked */
	lapic_write(REG_TIMER_INITIAL, ticks);
}
