/*
 * The boot log's description of the CPU: what it is, which features it
 * offers and which of them cpu_init() turned on. The detection itself
 * (arch/x86_64/cpu_features.c) logs nothing: the arch layer is below the log.
 */
#include "init/cpu_report.h"

#include "arch/x86_64/cpu_features.h"
#include "kernel/log.h"
#include "lib/format.h"

void cpu_report(void)
{
	static const struct {
		const char *name;
		const bool *present;
	} list[] = {
	    {"sse", &cpu.sse},
	    {"sse2", &cpu.sse2},
	    {"sse3", &cpu.sse3},
	    {"ssse3", &cpu.ssse3},
	    {"sse4.1", &cpu.sse41},
	    {"sse4.2", &cpu.sse42},
	    {"avx", &cpu.avx},
	    {"avx2", &cpu.avx2},
	    {"avx512f", &cpu.avx512f},
	    {"fxsr", &cpu.fxsr},
	    {"xsave", &cpu.xsave},
	    {"pae", &cpu.pae},
	    {"pat", &cpu.pat},
	    {"pge", &cpu.pge},
	    {"nx", &cpu.nx},
	    {"pdpe1gb", &cpu.pdpe1gb},
	    {"apic", &cpu.apic},
	    {"x2apic", &cpu.x2apic},
	    {"tsc", &cpu.tsc},
	    {"invariant-tsc", &cpu.invariant_tsc},
	    {"tsc-deadline", &cpu.tsc_deadline},
	    {"rdrand", &cpu.rdrand},
	    {"rdseed", &cpu.rdseed},
	    {"smep", &cpu.smep},
	    {"smap", &cpu.smap},
	    {"umip", &cpu.umip},
	    {"pku", &cpu.pku},
	    {"pks", &cpu.pks},
	    {"la57", &cpu.la57},
	    {"hypervisor", &cpu.hypervisor},
	};
	char line[LOG_LINE_MAX - 40];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(list) / sizeof(list[0]) && n < sizeof(line); i++) {
		if (*list[i].present) {
			n += (size_t)fmt_snprintf(line + n, sizeof(line) - n, "%s%s", n ? " " : "",
						  list[i].name);
		}
	}
	log_info("cpu", "%s %s family %u model %u stepping %u", cpu.vendor, cpu.brand, cpu.family,
		 cpu.model, cpu.stepping);
	log_info("cpu", "features: %s", line);
	log_info("cpu", "enabled: sse%s, write-protect, %s%s", cpu.fxsr ? "+fxsr" : "",
		 cpu.nx ? "no-execute pages" : "NO no-execute (NX missing: data is executable)",
		 cpu.pat ? ", write-combining via PAT" : "");
}
