/*
 * The snapshot benchmark; see bench_snapshot.h. The subject is
 * apps/bench_nop with 16 MiB of its arena allocated kernel-side and filled
 * with a pattern; after the restore the arena's hash must be unchanged,
 * or the figures are not printed. The plain file is written from and read
 * into a kernel copy of the arena (the kernel does not hand app memory to
 * the disk code: runtime/app_memory.h).
 */
#include "bench/bench_snapshot.h"

#include "fs/volume.h"
#include "kernel/clock.h"
#include "kernel/executor.h"
#include "kernel/log.h"
#include "lib/string.h"
#include "lib/xxhash64.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "persist/snapshot.h"
#include "runtime/app.h"
#include "services/app_start.h"

#define ARENA_BYTES (16u << 20)
#define RAW_PATH    "/bench.raw"

#define ROUNDS 7 /* interleaved, each figure the median: the host's I/O varies run to run */

static struct {
	bool started, finished;
	struct app *subject;
	uint64_t arena_hash;
	uint64_t first_save_ns, save_ns, restore_ns, write_ns, read_ns; /* medians */
	uint64_t save_stretch_ns, restore_stretch_ns; /* the loop's longest wait in any */
	uint64_t bytes;
	const char *failure;
	struct volume_job job;
	uint8_t *copy; /* the arena, kernel-side */
	uint32_t copy_bytes;
} s;

/* Copy a's arena into s.copy and hash it. */
static uint64_t arena_hash(const struct app *a)
{
	app_memory_read(&a->run.memory, a->run.memory.base + APP_IMAGE_MAX, s.copy, s.copy_bytes);
	return xxh64(s.copy, s.copy_bytes, 0);
}

/*
 * Ends the volume's current stretch (so it is counted) and returns the
 * longest one since the last call: how long the loop, and so the frames,
 * waited for the volume at most.
 */
static uint64_t end_stretch(struct fat32 *fs)
{
	fs->dev.pause(fs->dev.ctx);
	return volume_take_longest_stretch_ns();
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static uint64_t median(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++) { /* insertion sort: n is ROUNDS */
		for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	}
	return v[n / 2];
}

struct round {
	uint64_t save, restore, write, read;
};

/*
 * One round: save the subject in place, stop it and restore it (as after
 * a reboot: replacing a running app would add its teardown, 16 MiB of
 * frames freed, to the figure), check its arena, then rewrite and reread
 * the plain file. NULL or what failed.
 */
static const char *one_round(struct fat32 *fs, struct round *r)
{
	char msg[200];
	end_stretch(fs);
	uint64_t t0 = clock_ns();
	int64_t saved = snapshot_save(fs, s.subject, msg, sizeof(msg));
	uint64_t t1 = clock_ns();
	s.save_stretch_ns = max_u64(s.save_stretch_ns, end_stretch(fs));
	if (saved < 0) {
		return "the save failed";
	}
	s.bytes = (uint64_t)saved;
	app_unpin(s.subject);
	app_kill(s.subject->id.pid, "saved; its snapshot brings it back");
	uint64_t t2 = clock_ns();
	int64_t pid = snapshot_restore(fs, "bench_nop", msg, sizeof(msg));
	uint64_t t3 = clock_ns();
	s.restore_stretch_ns = max_u64(s.restore_stretch_ns, end_stretch(fs));
	s.subject = pid > 0 ? app_find((uint64_t)pid) : NULL;
	if (s.subject != NULL) {
		app_pin(s.subject); /* not called while it is measured */
	}
	if (s.subject == NULL || s.subject->run.memory.arena_pages * PAGE_SIZE != s.copy_bytes ||
	    arena_hash(s.subject) != s.arena_hash) {
		return "the restored arena differs from the saved one";
	}
	int err = fat32_write_at(fs, RAW_PATH, 0, s.copy, s.copy_bytes);
	uint64_t t4 = clock_ns();
	err = err == 0 ? fat32_read_at(fs, RAW_PATH, 0, s.copy, s.copy_bytes) : err;
	uint64_t t5 = clock_ns();
	if (err != 0) {
		return "the plain file write or read failed";
	}
	*r = (struct round){t1 - t0, t3 - t2, t4 - t3, t5 - t4};
	return NULL;
}

/*
 * The first two saves create the app's two files (the first is reported);
 * the plain file is created and written once before the rounds, so every
 * timed write, like every timed save, is a rewrite in place (a first write
 * of fresh clusters also makes the host allocate them).
 */
static int measure(struct fat32 *fs, void *arg)
{
	(void)arg;
	char msg[200];
	uint64_t t = clock_ns();
	int64_t saved = snapshot_save(fs, s.subject, msg, sizeof(msg));
	s.first_save_ns = clock_ns() - t;
	saved = saved >= 0 ? snapshot_save(fs, s.subject, msg, sizeof(msg)) : saved;
	int err = fat32_resize(fs, RAW_PATH, s.copy_bytes);
	err = err == 0 ? fat32_write_at(fs, RAW_PATH, 0, s.copy, s.copy_bytes) : err;
	s.failure = saved < 0 ? "the save failed" : err != 0 ? "the plain file write failed" : NULL;
	uint64_t save[ROUNDS], restore[ROUNDS], write[ROUNDS], read[ROUNDS];
	for (unsigned i = 0; i < ROUNDS && s.failure == NULL; i++) {
		struct round r = {0};
		s.failure = one_round(fs, &r);
		save[i] = r.save;
		restore[i] = r.restore;
		write[i] = r.write;
		read[i] = r.read;
	}
	fat32_remove(fs, RAW_PATH);
	if (s.subject != NULL) {
		app_unpin(s.subject);
		app_kill(s.subject->id.pid, "benchmark done");
	}
	if (s.failure == NULL) {
		s.save_ns = median(save, ROUNDS);
		s.restore_ns = median(restore, ROUNDS);
		s.write_ns = median(write, ROUNDS);
		s.read_ns = median(read, ROUNDS);
	}
	return 0;
}

static void measured(void *arg, int result)
{
	(void)arg;
	if (result != 0) {
		s.failure = volume_strerror(result);
	}
	kfree(s.copy);
	s.copy = NULL;
	s.finished = true;
}

static const char *start(void)
{
	int64_t pid = app_start_archived("bench_nop", 0);
	s.subject = pid > 0 ? app_find((uint64_t)pid) : NULL;
	if (s.subject == NULL) {
		return "no bench_nop app";
	}
	uint32_t fill = ARENA_BYTES - 64 * 1024;
	uint8_t *p = app_memory_alloc(&s.subject->run.memory, fill, 16);
	s.copy_bytes = (uint32_t)(s.subject->run.memory.arena_pages * PAGE_SIZE);
	s.copy = p != NULL ? kmalloc(s.copy_bytes) : NULL;
	if (s.copy == NULL) {
		return "no memory for a 16 MiB arena";
	}
	for (uint32_t i = 0; i < fill; i += 8) {
		uint64_t v = i * 0x9E3779B97F4A7C15ull;
		memcpy(s.copy + i, &v, 8);
	}
	app_memory_write(&s.subject->run.memory, (uintptr_t)p, s.copy, fill);
	s.arena_hash = arena_hash(s.subject);
	app_pin(s.subject);
	s.job = (struct volume_job){.run = measure, .done = measured};
	volume_submit(&s.job);
	return NULL;
}

bool bench_snapshot_step(struct task *task)
{
	if (!s.started) {
		s.started = true;
		s.failure = start();
		s.finished = s.failure != NULL;
	}
	if (!s.finished) {
		task_wake_at(task, clock_ns() + 10000000); /* look again in 10 ms */
		return false;
	}
	if (s.failure != NULL) {
		log_info("bench", "snapshot skipped: %s", s.failure);
	} else {
		log_info(
		    "bench",
		    "name=snapshot bytes=%llu arena_bytes=%llu first_save_ns=%llu save_ns=%llu "
		    "restore_ns=%llu raw_write_ns=%llu raw_read_ns=%llu save_stretch_ns=%llu "
		    "restore_stretch_ns=%llu",
		    (unsigned long long)s.bytes, (unsigned long long)ARENA_BYTES,
		    (unsigned long long)s.first_save_ns, (unsigned long long)s.save_ns,
		    (unsigned long long)s.restore_ns, (unsigned long long)s.write_ns,
		    (unsigned long long)s.read_ns, (unsigned long long)s.save_stretch_ns,
		    (unsigned long long)s.restore_stretch_ns);
	}
	return true;
}
