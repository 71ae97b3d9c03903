/*
 * What this CPU can do (from CPUID), and the one-time setup of the features
 * the kernel and apps rely on: SSE/FXSR for apps, NX, write protection of
 * read-only pages in ring 0, global pages and the PAT layout that gives us
 * write-combining framebuffers.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct cpu_info {
	char vendor[13];
	char brand[49];
	uint32_t family, model, stepping;
	bool sse, sse2, sse3, ssse3, sse41, sse42, avx, avx2, avx512f;
	bool fxsr, xsave, pae, pat, pge, nx, pdpe1gb, apic, x2apic;
	bool tsc, invariant_tsc, tsc_deadline, rdrand, rdseed;
	bool smep, smap, umip, pku, pks, la57, hypervisor;
	uint32_t tsc_crystal_hz_hint; /* CPUID 0x15 when present, else 0 */
};

extern struct cpu_info cpu;

/* Read CPUID into `cpu`; safe to call before anything else is set up. */
void cpu_detect(void);

/* Enable SSE/FXSR, NX, WP, PGE and program the PAT; the boot log describes them
 * (init/cpu_report.h). */
void cpu_init(void);
