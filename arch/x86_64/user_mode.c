/*
 * Ring 3 setup and the service handler hook; the entry and exit paths are
 * in user_mode.S, the contract in user_mode.h.
 */
#include "arch/x86_64/user_mode.h"

#include <stddef.h>

#include "arch/x86_64/boot_layout.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/pkeys.h"

extern char user_gates[], syscall_entry[];

bool user_mode_smap;
bool user_mode_pkeys;
uint32_t pkru_now; /* PKRU is 0 at reset: every key open */

/* FXRSTOR's image of the initial state: x87 control word 0x37f, MXCSR 0x1f80, all else 0. */
static uint8_t clean_fpu[512]
    __attribute__((aligned(16))) = {[0] = 0x7f, [1] = 0x03, [24] = 0x80, [25] = 0x1f};

/* Read by syscall_entry (user_mode.S); until the runtime names a table, none. */
static void *const no_targets[USER_GATE_COUNT];
void *const *user_gate_targets = no_targets;
uint32_t user_gate_valid;
uint64_t (*user_gate_refused)(uint32_t nr);

static uint64_t refuse_all(uint32_t nr)
{
	(void)nr;
	return 0;
}

void user_mode_init(void)
{
	uint64_t cr4 = read_cr4();

	user_gate_refused = refuse_all;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* SYSCALL: CS = kernel code, SS = +8; SYSRET: SS = base + 8, CS = base + 16. */
	wrmsr(MSR_STAR, ((uint64_t)(GDT_USER_BASE | 3) << 48) | ((uint64_t)GDT_KERNEL_CODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
	wrmsr(MSR_SFMASK, RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_IOPL | RFLAGS_NT | RFLAGS_AC);
	if (cpu.smep) {
		cr4 |= CR4_SMEP;
	}
	if (cpu.smap) {
		cr4 |= CR4_SMAP;
	}
	if (cpu.umip) {
		cr4 |= CR4_UMIP;
	}
	if (cpu.pku) {
		cr4 |= CR4_PKE;
	}
	write_cr4(cr4);
	user_mode_smap = cpu.smap;
	user_mode_pkeys = cpu.pku;
}

void user_mode_clear_fpu(void)
{
	__asm__ volatile("fxrstor64 %0" : : "m"(clean_fpu));
}

uint64_t user_gates_phys(void)
{
	return (uint64_t)(uintptr_t)user_gates - KERNEL_VMA;
}

void user_mode_set_gates(uint32_t valid, uint64_t (*refused)(uint32_t nr))
{
	user_gate_valid = valid;
	user_gate_refused = refused;
}
