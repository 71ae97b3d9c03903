/*
 * Interrupts and exceptions: the IDT, the saved-register frame every entry
 * stub builds, the table of device interrupt handlers, and the exception
 * path (recover through a guard, or report and panic).
 *
 * Vector map: 0-31 CPU exceptions, 32-47 the remapped (and masked) legacy
 * PIC, 48-254 device interrupts handed out by trap_alloc_vector(), 255 the
 * local APIC's spurious vector.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define TRAP_FIRST_DEVICE_VECTOR 48
#define TRAP_SPURIOUS_VECTOR	 255

/* Saved by arch/x86_64/isr.S; the order mirrors its pushes. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "must match isr.S");

typedef void (*trap_handler_fn)(struct trap_frame *frame, void *arg);

void trap_init(void);

/*
 * What an exception in kernel code (no guard covers it) leads to: handler
 * reports it and does not return. Until one is set the CPU halts silently.
 */
void trap_set_kernel_fault_handler(void (*handler)(struct trap_frame *frame, uint64_t cr2));

/*
 * A page fault in ring 3 is first offered to fixup (the runtime maps an
 * app's stack on demand): true when it made the access possible, and the
 * app resumes as if nothing happened; false, and it is an ordinary fault.
 */
void trap_set_user_page_fault_fixup(bool (*fixup)(uint64_t address, uint64_t error_code));

/* Reserve a free device vector and route it to handler; -1 when none is left. */
int trap_alloc_vector(trap_handler_fn handler, void *arg);

/* Route a specific vector (used for the fixed ones, e.g. the APIC timer). */
void trap_set_handler(uint8_t vector, trap_handler_fn handler, void *arg);

/* Human name of a CPU exception vector ("Page Fault"); "Interrupt" above 31. */
const char *trap_vector_name(uint64_t vector);

/* Interrupts taken so far on one vector (for tests and statistics). */
uint64_t trap_count(uint8_t vector);
