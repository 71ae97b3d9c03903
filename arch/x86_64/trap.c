/*
 * The IDT and trap_dispatch(), where every interrupt stub of isr.S lands.
 * Device interrupts go to the handler registered for their vector, then
 * the local APIC gets its end-of-interrupt. CPU exceptions go to a guard
 * when one covers the faulting code (arch/x86_64/guard.h); otherwise they
 * are a kernel bug, handed to the kernel fault handler registered by the
 * layer above (kernel/exception_report.c prints everything we know and
 * panics); before one is registered, the CPU halts.
 */
#include "arch/x86_64/trap.h"

#include <stddef.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/guard.h"
#include "arch/x86_64/lapic.h"

#define IDT_INTERRUPT_GATE 0x8e /* present, ring 0, interrupts off on entry */

struct idt_entry {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_entry) == 16, "IDT gate layout is fixed by the CPU");

struct trap_route {
	trap_handler_fn handler;
	void *arg;
};

extern char isr_stubs[]; /* isr.S: stub v at isr_stubs + 16 * v */

static struct idt_entry idt[256];
static struct trap_route routes[256];
static uint64_t counts[256];

static const char *const exception_names[32] = {
    "Divide Error",
    "Debug",
    "Non-Maskable Interrupt",
    "Breakpoint",
    "Overflow",
    "Bound Range Exceeded",
    "Invalid Opcode",
    "Device Not Available",
    "Double Fault",
    "Coprocessor Segment Overrun",
    "Invalid TSS",
    "Segment Not Present",
    "Stack-Segment Fault",
    "General Protection Fault",
    "Page Fault",
    "Reserved",
    "x87 Floating-Point Exception",
    "Alignment Check",
    "Machine Check",
    "SIMD Floating-Point Exception",
    "Virtualization Exception",
    "Control Protection Exception",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Hypervisor Injection Exception",
    "VMM Communication Exception",
    "Security Exception",
    "Reserved",
};

const char *trap_vector_name(uint64_t vector)
{
	return vector < 32 ? exception_names[vector] : "Interrupt";
}

static void idt_set_gate(uint8_t vector, uint8_t ist)
{
	uintptr_t addr = (uintptr_t)isr_stubs + 16u * vector;
	struct idt_entry *e = &idt[vector];

	e->offset_low = addr & 0xffff;
	e->selector = GDT_KERNEL_CODE;
	e->ist = ist;
	e->type_attr = IDT_INTERRUPT_GATE;
	e->offset_mid = (addr >> 16) & 0xffff;
	e->offset_high = addr >> 32;
	e->reserved = 0;
}

void trap_init(void)
{
	for (int v = 0; v < 256; v++) {
		idt_set_gate((uint8_t)v, v >= 32 ? IST_INTERRUPTS : IST_FAULTS);
	}
	idt_set_gate(14, IST_PAGE_FAULT);
	idt_set_gate(2, IST_NMI);
	idt_set_gate(8, IST_DOUBLE_FAULT);
	idt_set_gate(18, IST_MACHINE_CHECK);

	struct descriptor_table_pointer ptr = {sizeof(idt) - 1, (uint64_t)idt};
	__asm__ volatile("lidt %0" : : "m"(ptr));
}

void trap_set_handler(uint8_t vector, trap_handler_fn handler, void *arg)
{
	routes[vector].arg = arg;
	routes[vector].handler = handler;
}

int trap_alloc_vector(trap_handler_fn handler, void *arg)
{
	for (int v = TRAP_FIRST_DEVICE_VECTOR; v < TRAP_SPURIOUS_VECTOR; v++) {
		if (routes[v].handler == NULL) {
			trap_set_handler((uint8_t)v, handler, arg);
			return v;
		}
	}
	return -1;
}

uint64_t trap_count(uint8_t vector)
{
	return counts[vector];
}

static void (*kernel_fault_handler)(struct trap_frame *frame, uint64_t cr2);
static bool (*user_page_fault_fixup)(uint64_t address, uint64_t error_code);

static void trap_exception(struct trap_frame *frame)
{
	uint64_t cr2 = read_cr2();
	if (frame->vector == 14 && (frame->cs & 3) != 0 && user_page_fault_fixup != NULL &&
	    user_page_fault_fixup(cr2, frame->error_code)) {
		return; /* the page is there now: the app carries on */
	}
	struct guard *guard = guard_for_fault(frame->rip);

	if (guard != NULL && frame->vector != 2 && frame->vector != 8 && frame->vector != 18) {
		guard_redirect(guard, frame, cr2);
		return;
	}
	if (kernel_fault_handler != NULL) {
		kernel_fault_handler(frame, cr2); /* does not return */
	}
	for (;;) {
		__asm__ volatile("cli; hlt");
	}
}

void trap_set_kernel_fault_handler(void (*handler)(struct trap_frame *frame, uint64_t cr2))
{
	kernel_fault_handler = handler;
}

void trap_set_user_page_fault_fixup(bool (*fixup)(uint64_t address, uint64_t error_code))
{
	user_page_fault_fixup = fixup;
}

void trap_dispatch(struct trap_frame *frame);

void trap_dispatch(struct trap_frame *frame)
{
	uint8_t vector = (uint8_t)frame->vector;

	counts[vector]++;
	if (vector < 32) {
		trap_exception(frame);
		return;
	}
	if (vector == TRAP_SPURIOUS_VECTOR) {
		return; /* spurious: no EOI by definition */
	}
	if (routes[vector].handler != NULL) {
		routes[vector].handler(frame, routes[vector].arg);
	}
	if (vector >= TRAP_FIRST_DEVICE_VECTOR) {
		lapic_eoi();
	}
}
