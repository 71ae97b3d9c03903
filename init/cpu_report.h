/*
 * Logging what the CPU is and what was enabled on it, once at boot.
 */
#pragma once

/* Three `cpu:` lines: model, features present, features enabled. */
void cpu_report(void);
