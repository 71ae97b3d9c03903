/*
 * Formatting of the kernel exception report; see exception_report.h.
 * Called with interrupts off from the trap path, so it allocates nothing and
 * reads the interrupted stack only through the checked backtrace walker.
 */
#include "kernel/exception_report.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/trap.h"
#include "kernel/backtrace.h"
#include "kernel/ksyms.h"
#include "kernel/log.h"
#include "kernel/panic.h"

#define PF_PRESENT  (1u << 0)
#define PF_WRITE    (1u << 1)
#define PF_USER	    (1u << 2)
#define PF_RESERVED (1u << 3)
#define PF_FETCH    (1u << 4)
#define PF_PKEY	    (1u << 5)

static void report_page_fault(uint64_t error, uint64_t cr2)
{
	log_fatal("trap", "  %s of %s address %016llx%s%s%s",
		  (error & PF_FETCH)   ? "instruction fetch"
		  : (error & PF_WRITE) ? "write"
				       : "read",
		  (error & PF_PRESENT) ? "a protected" : "an unmapped", (unsigned long long)cr2,
		  (error & PF_RESERVED) ? ", reserved bit set" : "",
		  (error & PF_PKEY) ? ", protection key" : "",
		  (error & PF_USER) ? ", user mode" : "");
}

static void report_registers(const struct trap_frame *f)
{
	log_fatal("trap", "  RAX=%016llx RBX=%016llx RCX=%016llx", (unsigned long long)f->rax,
		  (unsigned long long)f->rbx, (unsigned long long)f->rcx);
	log_fatal("trap", "  RDX=%016llx RSI=%016llx RDI=%016llx", (unsigned long long)f->rdx,
		  (unsigned long long)f->rsi, (unsigned long long)f->rdi);
	log_fatal("trap", "  RBP=%016llx RSP=%016llx R8 =%016llx", (unsigned long long)f->rbp,
		  (unsigned long long)f->rsp, (unsigned long long)f->r8);
	log_fatal("trap", "  R9 =%016llx R10=%016llx R11=%016llx", (unsigned long long)f->r9,
		  (unsigned long long)f->r10, (unsigned long long)f->r11);
	log_fatal("trap", "  R12=%016llx R13=%016llx R14=%016llx", (unsigned long long)f->r12,
		  (unsigned long long)f->r13, (unsigned long long)f->r14);
	log_fatal("trap", "  R15=%016llx RFLAGS=%016llx CS=%llx SS=%llx",
		  (unsigned long long)f->r15, (unsigned long long)f->rflags,
		  (unsigned long long)f->cs, (unsigned long long)f->ss);
	log_fatal("trap", "  CR0=%016llx CR3=%016llx CR4=%016llx", (unsigned long long)read_cr0(),
		  (unsigned long long)read_cr3(), (unsigned long long)read_cr4());
}

void exception_report(const struct trap_frame *f, uint64_t cr2)
{
	char where[96];

	ksyms_describe(f->rip, where, sizeof(where));
	log_fatal("trap", "EXCEPTION: %s (vector %llu) error code %#llx",
		  trap_vector_name(f->vector), (unsigned long long)f->vector,
		  (unsigned long long)f->error_code);
	log_fatal("trap", "  RIP=%016llx %s", (unsigned long long)f->rip, where);
	log_fatal("trap", "  CR2=%016llx", (unsigned long long)cr2);
	if (f->vector == 14) {
		report_page_fault(f->error_code, cr2);
	}
	report_registers(f);
	backtrace_log(f->rip, f->rbp, f->rsp);
}

static void report_and_panic(struct trap_frame *frame, uint64_t cr2)
{
	exception_report(frame, cr2);
	panic("unhandled %s in kernel code", trap_vector_name(frame->vector));
}

void exception_report_install(void)
{
	trap_set_kernel_fault_handler(report_and_panic);
}
