/*
 * apps/attacks — the attacks of the isolation test
 * (tests/e2e/test_isolation.py), one per binary: app.mk builds
 * attack_NAME.elf from this file with -DATTACK_NAME, so each binary holds
 * only its own attack (two of them must be refused at load for the bytes
 * they contain, and nothing else should be).
 *
 * The victim is apps/witness, started as the first app after the
 * desktop's three: slot 3 (runtime/app_memory.h), whose addresses are
 * therefore known. The test checks the witness's own report of them
 * against these before it believes any outcome.
 *
 * Each attacker logs "attack_NAME: starting" and "attack_NAME: aiming at
 * ADDR", then does its one wrong thing. What the kernel must answer is in
 * the test's OUTCOME table; no attack may change the witness's memory.
 */
#include <stdbool.h>

#include "include/fomos.h"

#define SLOT_SIZE     (64ull << 30)
#define WITNESS	      (0xffff900000000000ull + 3 * SLOT_SIZE) /* its image */
#define WITNESS_STORE (WITNESS + (1ull << 30))		      /* its arena's first block */
#define WITNESS_CALL  (WITNESS + SLOT_SIZE - 4096)	      /* its Context page */
#define WITNESS_STACK (WITNESS_CALL - 64)		      /* in its stack's top page */
#define KERNEL_TEXT   0xffffffff80100000ull		      /* the kernel image */
#define GATE_MEM_INFO 13u				      /* offset 104 / 8 */
#define GATE_APP_KILL 16u				      /* offset 128 / 8: not given */

static uint32_t length(const char *s)
{
	uint32_t n = 0;
	while (s[n] != '\0') {
		n++;
	}
	return n;
}

static void say(struct fomos_context *ctx, const char *what)
{
	char line[96];
	uint32_t n = 0;
	for (const char *p = ATTACK_NAME; *p != '\0'; p++) {
		line[n++] = *p;
	}
	line[n++] = ':';
	line[n++] = ' ';
	for (const char *p = what; *p != '\0' && n < sizeof(line); p++) {
		line[n++] = *p;
	}
	ctx->log(line, n);
}

static void aim(struct fomos_context *ctx, uint64_t address)
{
	char text[40] = "aiming at 0x";
	uint32_t n = length(text);
	for (int shift = 60; shift >= 0; shift -= 4) {
		text[n++] = "0123456789abcdef"[(address >> shift) & 15];
	}
	text[n] = '\0';
	say(ctx, text);
}

/* The attack: what this binary was built to do; false: not done, call again. */
static bool attack(struct fomos_context *ctx)
{
#if defined(ATTACK_read_image)
	aim(ctx, WITNESS);
	(void)*(volatile uint64_t *)WITNESS;
#elif defined(ATTACK_read_arena)
	aim(ctx, WITNESS_STORE);
	(void)*(volatile uint64_t *)WITNESS_STORE;
#elif defined(ATTACK_read_stack)
	aim(ctx, WITNESS_STACK);
	(void)*(volatile uint64_t *)WITNESS_STACK;
#elif defined(ATTACK_read_context)
	aim(ctx, WITNESS_CALL);
	(void)*(volatile uint64_t *)WITNESS_CALL;
#elif defined(ATTACK_write_arena)
	aim(ctx, WITNESS_STORE + 64);
	*(volatile uint64_t *)(WITNESS_STORE + 64) = 0;
#elif defined(ATTACK_write_stack)
	aim(ctx, WITNESS_STACK);
	*(volatile uint64_t *)WITNESS_STACK = 0;
#elif defined(ATTACK_write_context)
	aim(ctx, WITNESS_CALL + 80); /* its ctx->store */
	*(volatile uint64_t *)(WITNESS_CALL + 80) = 0;
#elif defined(ATTACK_read_kernel)
	aim(ctx, KERNEL_TEXT);
	(void)*(volatile uint64_t *)KERNEL_TEXT;
#elif defined(ATTACK_cli)
	aim(ctx, 0);
	__asm__ volatile("cli; 1: jmp 1b");
#elif defined(ATTACK_popf_spin)
	aim(ctx, 0); /* clear IF the quiet way (ring 3 popf ignores it), then spin */
	__asm__ volatile("pushfq; andq $~0x200, (%%rsp); popfq; 1: jmp 1b" : : : "memory", "cc");
#elif defined(ATTACK_hlt)
	aim(ctx, 0);
	__asm__ volatile("hlt");
#elif defined(ATTACK_port_io)
	aim(ctx, 0x80);
	__asm__ volatile("outb %%al, $0x80" : : "a"(0));
#elif defined(ATTACK_wrmsr)
	aim(ctx, 0xc0000082); /* MSR_LSTAR: where SYSCALL enters the kernel */
	__asm__ volatile("wrmsr" : : "c"(0xc0000082), "a"(0), "d"(0));
#elif defined(ATTACK_mov_cr3)
	aim(ctx, 0);
	__asm__ volatile("mov %0, %%cr3" : : "r"(0ull));
#elif defined(ATTACK_wrpkru)
	aim(ctx, 0); /* never logged: the loader refuses the binary */
	__asm__ volatile("wrpkru" : : "a"(0), "c"(0), "d"(0));
#elif defined(ATTACK_xrstor)
	static uint8_t area[1024] __attribute__((aligned(64))); /* a forged XSAVE area */
	area[512] = 0x00;
	area[512 + 1] = 0x02; /* XSTATE_BV bit 9: PKRU, which would be all zeros: open */
	aim(ctx, (uint64_t)(uintptr_t)area);
	__asm__ volatile("xrstor %0" : : "m"(area), "a"(0x200), "d"(0));
#elif defined(ATTACK_pointer_other)
	aim(ctx, WITNESS_STORE);
	ctx->mem_info((struct fomos_mem_info *)WITNESS_STORE);
#elif defined(ATTACK_list_other)
	/* Granted caps=apps by the test: app_list's output aimed at the witness. */
	aim(ctx, WITNESS_STORE);
	ctx->app_list((struct fomos_app_info *)WITNESS_STORE, 4);
#elif defined(ATTACK_stats_other)
	/* Granted caps=apps by the test: app_stats's output aimed at the witness. */
	aim(ctx, WITNESS_STORE);
	ctx->app_stats((struct fomos_app_stats *)WITNESS_STORE, 4);
#elif defined(ATTACK_job_other)
	/* Granted caps=jobs by the test: a job (a listing; with no disk it
	 * fails at once) whose result job_poll is to write into the witness,
	 * polled every call until it is done. */
	static int32_t job = -1;
	if (job < 0) {
		job = ctx->job_start(FOMOS_JOB_LIST, "/", 1, 0);
		aim(ctx, WITNESS_STORE);
	}
	if (ctx->job_poll(job, (char *)WITNESS_STORE, 64) == FOMOS_JOB_PENDING) {
		return false;
	}
#elif defined(ATTACK_pointer_kernel)
	aim(ctx, KERNEL_TEXT);
	ctx->log((const char *)KERNEL_TEXT, 32);
#elif defined(ATTACK_gate_middle)
	/* Into the gate of ctx->log past its `mov $N, %eax`: SYSCALL with our own number. */
	uint64_t into = (uint64_t)(uintptr_t)ctx->log + 8;
	aim(ctx, into);
	__asm__ volatile("movl $0x5a5a, %%eax; call *%0"
			 :
			 : "r"(into)
			 : "rax", "rcx", "r11", "memory");
#elif defined(ATTACK_forged_arguments)
	/* The gate of mem_info entered by hand, with a pointer into the kernel. */
	aim(ctx, KERNEL_TEXT);
	__asm__ volatile("syscall"
			 :
			 : "a"(GATE_MEM_INFO), "D"(KERNEL_TEXT)
			 : "rcx", "r11", "memory");
#elif defined(ATTACK_ungiven_gate)
	/* app_kill's gate number, which this app (no capability) was not given. */
	aim(ctx, GATE_APP_KILL);
	__asm__ volatile("syscall" : : "a"(GATE_APP_KILL), "D"(1) : "rcx", "r11", "memory");
#elif defined(ATTACK_forged_header)
	/* A "plausible" block header before the second block, then frees: the
	 * heap's bookkeeping is not in the arena, so this is our own data. */
	uint64_t *a = ctx->calloc(64, 16), *b = ctx->calloc(64, 16);
	aim(ctx, (uint64_t)(uintptr_t)b);
	if (a != NULL && b != NULL) {
		b[-1] = 0x4000000;
		b[-2] = 0x4000000;
		ctx->cdalloc(b + 2, 64, 16); /* not a block: refused */
		ctx->cdalloc(b, 64, 16);
		ctx->cdalloc(b, 64, 16); /* twice: refused */
		ctx->cdalloc(a, 64, 16);
		say(ctx, "the heap refused the forged frees");
	}
#elif defined(ATTACK_context_overwrite)
	/* Our own Context is ours to write: point log at kernel code and call it. */
	aim(ctx, KERNEL_TEXT);
	ctx->log = (void (*)(const char *, uint32_t))(uintptr_t)KERNEL_TEXT;
	ctx->log("x", 1);
#else
#error "build with -DATTACK_NAME (apps/attacks/app.mk)"
#endif
	return true;
}

int32_t _start(struct fomos_context *ctx)
{
	static bool started;
	if (!started) {
		say(ctx, "starting");
		started = true;
	}
	/* Past attack() only for the attacks the kernel merely refuses. */
	return attack(ctx) ? FOMOS_EXIT : FOMOS_CONTINUE;
}
