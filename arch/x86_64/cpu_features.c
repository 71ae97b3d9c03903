/*
 * CPU feature detection and enabling; see cpu_features.h. Bit positions are
 * those of the Intel SDM / AMD APM CPUID tables.
 */
#include "arch/x86_64/cpu_features.h"

#include "arch/x86_64/cpu.h"
#include "lib/string.h"

/* PAT entries: 0 WB, 1 WC, 2 UC-, 3 UC, then the same again (see paging.h). */
#define PAT_WB	     0x06ull
#define PAT_WC	     0x01ull
#define PAT_UC_MINUS 0x07ull
#define PAT_UC	     0x00ull
#define PAT_LAYOUT                                                                                 \
	(PAT_WB | PAT_WC << 8 | PAT_UC_MINUS << 16 | PAT_UC << 24 | PAT_WB << 32 | PAT_WC << 40 |  \
	 PAT_UC_MINUS << 48 | PAT_UC << 56)

struct cpu_info cpu;

static bool bit(uint32_t reg, int n)
{
	return (reg >> n) & 1;
}

static void detect_identity(void)
{
	struct cpuid_regs r = cpuid(0, 0);
	memcpy(cpu.vendor, &r.ebx, 4);
	memcpy(cpu.vendor + 4, &r.edx, 4);
	memcpy(cpu.vendor + 8, &r.ecx, 4);
	if (cpuid(0x80000000, 0).eax >= 0x80000004) {
		for (uint32_t i = 0; i < 3; i++) {
			r = cpuid(0x80000002 + i, 0);
			memcpy(cpu.brand + 16 * i, &r, 16);
		}
	}
}

void cpu_detect(void)
{
	uint32_t max_leaf = cpuid(0, 0).eax;
	uint32_t max_ext = cpuid(0x80000000, 0).eax;
	struct cpuid_regs l1 = cpuid(1, 0);
	struct cpuid_regs l7 = max_leaf >= 7 ? cpuid(7, 0) : (struct cpuid_regs){0};
	struct cpuid_regs e1 =
	    max_ext >= 0x80000001 ? cpuid(0x80000001, 0) : (struct cpuid_regs){0};
	struct cpuid_regs e7 =
	    max_ext >= 0x80000007 ? cpuid(0x80000007, 0) : (struct cpuid_regs){0};

	detect_identity();
	cpu.stepping = l1.eax & 0xf;
	cpu.model = ((l1.eax >> 4) & 0xf) | (((l1.eax >> 16) & 0xf) << 4);
	cpu.family = ((l1.eax >> 8) & 0xf) + ((l1.eax >> 20) & 0xff);
	cpu.sse3 = bit(l1.ecx, 0), cpu.ssse3 = bit(l1.ecx, 9), cpu.sse41 = bit(l1.ecx, 19);
	cpu.sse42 = bit(l1.ecx, 20), cpu.x2apic = bit(l1.ecx, 21),
	cpu.tsc_deadline = bit(l1.ecx, 24);
	cpu.xsave = bit(l1.ecx, 26), cpu.avx = bit(l1.ecx, 28), cpu.rdrand = bit(l1.ecx, 30);
	cpu.hypervisor = bit(l1.ecx, 31);
	cpu.tsc = bit(l1.edx, 4), cpu.pae = bit(l1.edx, 6), cpu.apic = bit(l1.edx, 9);
	cpu.pge = bit(l1.edx, 13), cpu.pat = bit(l1.edx, 16), cpu.fxsr = bit(l1.edx, 24);
	cpu.sse = bit(l1.edx, 25), cpu.sse2 = bit(l1.edx, 26);
	cpu.smep = bit(l7.ebx, 7), cpu.avx2 = bit(l7.ebx, 5), cpu.avx512f = bit(l7.ebx, 16);
	cpu.rdseed = bit(l7.ebx, 18), cpu.smap = bit(l7.ebx, 20);
	cpu.umip = bit(l7.ecx, 2), cpu.pku = bit(l7.ecx, 3), cpu.la57 = bit(l7.ecx, 16);
	cpu.pks = bit(l7.ecx, 31);
	cpu.nx = bit(e1.edx, 20), cpu.pdpe1gb = bit(e1.edx, 26);
	cpu.invariant_tsc = bit(e7.edx, 8);
	if (max_leaf >= 0x15) {
		struct cpuid_regs l15 = cpuid(0x15, 0);
		cpu.tsc_crystal_hz_hint = (l15.eax && l15.ebx) ? l15.ecx : 0;
	}
}

void cpu_init(void)
{
	uint64_t cr0 = read_cr0(), cr4 = read_cr4();

	/* SSE for apps: FXSAVE-aware OS, SIMD exceptions reported, no x87 emulation. */
	cr0 = (cr0 & ~(uint64_t)(CR0_EM | CR0_TS)) | CR0_MP | CR0_WP;
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	if (cpu.pge) {
		cr4 |= CR4_PGE;
	}
	write_cr0(cr0);
	write_cr4(cr4);
	if (cpu.nx) {
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	}
	if (cpu.pat) {
		wrmsr(MSR_PAT, PAT_LAYOUT);
	}
}
