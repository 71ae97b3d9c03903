/*
 * Thin inline wrappers around the x86-64 instructions the kernel needs:
 * port I/O, model-specific registers, control registers, CPUID, TSC and the
 * interrupt flag. Each wrapper is one instruction; everything with policy
 * (which bits to set, when to halt) lives in the callers.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define CR0_MP	       (1u << 1)
#define CR0_EM	       (1u << 2)
#define CR0_TS	       (1u << 3)
#define CR0_WP	       (1u << 16)
#define CR4_PGE	       (1u << 7)
#define CR4_OSFXSR     (1u << 9)
#define CR4_OSXMMEXCPT (1u << 10)
#define CR4_UMIP       (1u << 11)
#define CR4_SMEP       (1u << 20)
#define CR4_SMAP       (1u << 21)
#define CR4_PKE	       (1u << 22)

#define MSR_APIC_BASE 0x1bu
#define MSR_PAT	      0x277u
#define MSR_EFER      0xc0000080u
#define EFER_SCE      (1u << 0)
#define EFER_NXE      (1u << 11)
#define MSR_STAR      0xc0000081u
#define MSR_LSTAR     0xc0000082u
#define MSR_SFMASK    0xc0000084u

#define RFLAGS_TF   (1u << 8)
#define RFLAGS_IF   (1u << 9)
#define RFLAGS_DF   (1u << 10)
#define RFLAGS_IOPL (3u << 12)
#define RFLAGS_NT   (1u << 14)
#define RFLAGS_AC   (1u << 18)

/* The operand of lgdt and lidt: where a descriptor table is, and its size. */
struct descriptor_table_pointer {
	uint16_t limit; /* size in bytes - 1 */
	uint64_t base;
} __attribute__((packed));

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;
	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

#define DEFINE_CR_ACCESSORS(n)                                                                     \
	static inline uint64_t read_cr##n(void)                                                    \
	{                                                                                          \
		uint64_t v;                                                                        \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                                  \
		return v;                                                                          \
	}                                                                                          \
	static inline void write_cr##n(uint64_t v)                                                 \
	{                                                                                          \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");                         \
	}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

static inline uint64_t read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline void invlpg(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/*
 * Flush the whole TLB, global entries too (turning CR4.PGE off and on).
 * Cheaper than many invlpg under QEMU's TCG, where an invlpg that falls in
 * the span of any large page flushes everything anyway.
 */
static inline void tlb_flush_all(void)
{
	uint64_t cr4 = read_cr4();
	write_cr4(cr4 & ~(uint64_t)CR4_PGE);
	write_cr4(cr4);
}

static inline void irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline bool irq_enabled(void)
{
	uint64_t flags;
	__asm__ volatile("pushfq; popq %0" : "=r"(flags));
	return flags & (1u << 9);
}

/* Interrupts off for a short critical section; returns whether they were on. */
static inline bool irq_save(void)
{
	bool was = irq_enabled();
	irq_disable();
	return was;
}

/* End a critical section begun by irq_save(). */
static inline void irq_restore(bool was)
{
	if (was) {
		irq_enable();
	}
}

/*
 * Enable interrupts and halt in one step: `sti` delays interrupts by one
 * instruction, so a wake-up that arrives between the caller's last check and
 * the `hlt` still ends the halt instead of being lost.
 */
static inline void irq_enable_and_halt(void)
{
	__asm__ volatile("sti; hlt" : : : "memory");
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause");
}

static inline uint64_t read_rbp(void)
{
	uint64_t v;
	__asm__ volatile("mov %%rbp, %0" : "=r"(v));
	return v;
}
