/*
 * The system volume; see volume.h.
 *
 * The task's poll resumes the coroutine when there is something for it:
 * a job queued, or the request it waits for answered (or timed out). The
 * coroutine never touches the queue's `done` side: finished jobs are
 * handed back through `finished` and their callbacks run from the poll,
 * on the kernel stack, after the coroutine has yielded.
 */
#include "fs/volume.h"

#include "arch/x86_64/coroutine.h"
#include "drivers/virtio/blk.h"
#include "kernel/clock.h"
#include "kernel/executor.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "lib/string.h"
#include "mm/heap.h"

#define STACK_SIZE	(64u * 1024)
#define BOUNCE_SECTORS	1024u /* 512 KiB */
#define REQUEST_TIMEOUT (10ull * 1000 * 1000 * 1000)

static struct {
	struct blk_device *disk;
	struct task task;
	struct coroutine co;
	bool waiting_io; /* the coroutine yielded until the request below is answered */
	int mount_error; /* 0 once mounted */
	bool offline;
	struct volume_job *head, *tail; /* queued */
	struct volume_job *finished;
	int finished_result;
	/* the request in flight */
	struct blk_request request;
	volatile bool answered;
	int status;
	uint64_t deadline;
	uint8_t *bounce;
	struct fat32 fs;
	uint64_t longest_stretch_ns; /* the longest the coroutine ran without yielding */
} v;

static void request_done(void *arg, int status)
{
	(void)arg;
	v.status = status;
	v.answered = true;
	task_wake(&v.task);
}

/* One request of at most BOUNCE_SECTORS through the bounce buffer. */
static int transfer(enum blk_op op, uint64_t sector, uint32_t count)
{
	if (v.offline) {
		return VOLUME_EOFFLINE;
	}
	v.request = (struct blk_request){
	    .op = op, .sector = sector, .count = count, .buf = v.bounce, .done = request_done};
	v.answered = false;
	int err = blk_submit(v.disk, &v.request);
	if (err != 0) {
		return err;
	}
	v.deadline = clock_ns() + REQUEST_TIMEOUT;
	v.waiting_io = true;
	task_wake_at(&v.task, v.deadline);
	while (!v.answered && clock_ns() < v.deadline) {
		coroutine_yield(&v.co);
	}
	v.waiting_io = false;
	if (!v.answered) {
		/* The device may still write the bounce buffer: it is the disk's now. */
		log_error("volume", "the disk did not answer a request in %llu s: volume offline",
			  REQUEST_TIMEOUT / 1000000000ull);
		v.offline = true;
		v.bounce = NULL;
		return VOLUME_EOFFLINE;
	}
	return v.status;
}

static int dev_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
	(void)ctx;
	for (uint8_t *p = buf; count > 0;) {
		uint32_t n = count < BOUNCE_SECTORS ? count : BOUNCE_SECTORS;
		int err = transfer(BLK_READ, sector, n);
		if (err != 0) {
			return err;
		}
		memcpy(p, v.bounce, (size_t)n * BLK_SECTOR_SIZE);
		p += (size_t)n * BLK_SECTOR_SIZE;
		sector += n;
		count -= n;
	}
	return 0;
}

static int dev_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
	(void)ctx;
	for (const uint8_t *p = buf; count > 0;) {
		uint32_t n = count < BOUNCE_SECTORS ? count : BOUNCE_SECTORS;
		if (v.bounce == NULL) {
			return VOLUME_EOFFLINE;
		}
		memcpy(v.bounce, p, (size_t)n * BLK_SECTOR_SIZE);
		int err = transfer(BLK_WRITE, sector, n);
		if (err != 0) {
			return err;
		}
		p += (size_t)n * BLK_SECTOR_SIZE;
		sector += n;
		count -= n;
	}
	return 0;
}

static int dev_flush(void *ctx)
{
	(void)ctx;
	return transfer(BLK_FLUSH, 0, 0);
}

static void dev_pause(void *ctx)
{
	(void)ctx;
	task_wake(&v.task); /* resumed at the loop's next turn */
	coroutine_yield(&v.co);
}

/*
 * What a power cut can leave behind: lost clusters, orphaned names, stale
 * counts. A file system found corrupt beyond that (cross-linked chains...)
 * is not written to at all: 0 or FAT32_ECORRUPT.
 */
static int repair(void)
{
	struct fat32_repair_report r;
	size_t bytes = fat32_repair_bytes(&v.fs);
	uint8_t *work = kmalloc(bytes);
	int err = work == NULL ? FAT32_EINVAL : fat32_repair(&v.fs, work, bytes, &r);

	kfree(work);
	if (err != 0) {
		log_error("volume", "repair not possible: %s; the disk is left alone (fsck.fat it)",
			  volume_strerror(err));
		return FAT32_ECORRUPT;
	}
	if (r.lost_clusters || r.orphan_lfn || r.sizes_fixed || r.fat_copies_fixed ||
	    r.fsinfo_fixed) {
		log_warn("volume",
			 "repaired what an interrupted write left: %u lost clusters freed, %u "
			 "orphaned long names, %u sizes, %u FAT copies%s",
			 r.lost_clusters, r.orphan_lfn, r.sizes_fixed, r.fat_copies_fixed,
			 r.fsinfo_fixed ? ", the free count" : "");
	}
	return 0;
}

static void mount(void)
{
	struct fat32_blockdev dev = {.read = dev_read,
				     .write = dev_write,
				     .flush = dev_flush,
				     .pause = dev_pause,
				     .sectors = blk_capacity(v.disk)};
	uint64_t start = clock_ns();

	v.mount_error = fat32_mount(&v.fs, &dev);
	if (v.mount_error != 0) {
		log_error("volume", "the disk holds no usable FAT32 file system: %s",
			  volume_strerror(v.mount_error));
		v.mount_error = VOLUME_EUNMOUNTED;
		return;
	}
	if (repair() != 0) {
		v.mount_error = VOLUME_EUNMOUNTED;
		return;
	}
	log_info("volume", "mounted FAT32 (%llu MiB) in %llu ms",
		 (unsigned long long)(dev.sectors / 2048),
		 (unsigned long long)((clock_ns() - start) / 1000000));
}

/* Files the next job creates are dated now (kernel/clock.h's wall clock). */
static void stamp_now(void)
{
	uint64_t wall_ns = clock_wall_ns();
	struct civil_time t;
	if (wall_ns != 0) {
		civil_from_unix(wall_ns / 1000000000, &t);
		fat32_set_time(&v.fs, &t);
	}
}

static void volume_main(void *arg)
{
	(void)arg;
	mount();
	for (;;) {
		struct volume_job *job = v.head;
		if (job == NULL || v.finished != NULL) {
			coroutine_yield(&v.co);
			continue;
		}
		v.head = job->next;
		if (v.head == NULL) {
			v.tail = NULL;
		}
		int result = v.offline ? VOLUME_EOFFLINE : v.mount_error;
		if (result == 0) {
			stamp_now();
			result = job->run(&v.fs, job->arg);
		}
		v.finished = job;
		v.finished_result = result;
		task_wake(&v.task);
		coroutine_yield(&v.co);
	}
}

static void volume_poll(struct task *task)
{
	(void)task;
	if (!v.waiting_io || v.answered || clock_ns() >= v.deadline) {
		uint64_t start = clock_ns();
		coroutine_resume(&v.co);
		if (coroutine_overflowed(&v.co)) {
			panic("volume: coroutine stack overflow");
		}
		uint64_t stretch = clock_ns() - start;
		v.longest_stretch_ns =
		    stretch > v.longest_stretch_ns ? stretch : v.longest_stretch_ns;
	}
	struct volume_job *done = v.finished;
	if (done != NULL) {
		v.finished = NULL;
		if (done->done != NULL) {
			done->done(done->arg, v.finished_result);
		}
		task_wake(&v.task); /* the next job, if any */
	}
}

void volume_init(void)
{
	v.disk = blk_first();
	if (v.disk == NULL) {
		log_info("volume", "no disk: apps cannot be saved or installed");
		return;
	}
	void *stack = kmalloc(STACK_SIZE);
	v.bounce = kmalloc((size_t)BOUNCE_SECTORS * BLK_SECTOR_SIZE);
	if (stack == NULL || v.bounce == NULL) {
		log_error("volume", "no memory for the volume's buffers");
		v.disk = NULL;
		return;
	}
	coroutine_init(&v.co, stack, STACK_SIZE, volume_main, NULL);
	v.task = (struct task){.name = "volume", .poll = volume_poll};
	task_add(&v.task);
}

void volume_submit(struct volume_job *job)
{
	if (v.disk == NULL) {
		if (job->done != NULL) {
			job->done(job->arg, VOLUME_ENODISK);
		}
		return;
	}
	job->next = NULL;
	if (v.tail != NULL) {
		v.tail->next = job;
	} else {
		v.head = job;
	}
	v.tail = job;
	task_wake(&v.task);
}

uint64_t volume_take_longest_stretch_ns(void)
{
	uint64_t longest = v.longest_stretch_ns;
	v.longest_stretch_ns = 0;
	return longest;
}

const char *volume_strerror(int error)
{
	switch (error) {
	case 0:
		return "ok";
	case FAT32_EIO:
		return "disk I/O error";
	case FAT32_ENOTFAT32:
		return "not a FAT32 file system";
	case FAT32_ECORRUPT:
		return "the file system is corrupt";
	case FAT32_EUNSUPPORTED:
		return "unsupported FAT32 variant";
	case FAT32_ENOENT:
		return "no such file or directory";
	case FAT32_EEXIST:
		return "already exists";
	case FAT32_ENOSPC:
		return "no space left on the disk";
	case FAT32_ENOTDIR:
		return "not a directory";
	case FAT32_EISDIR:
		return "is a directory";
	case FAT32_EINVAL:
		return "invalid name or path";
	case FAT32_ENAMETOOLONG:
		return "name too long";
	case FAT32_ETOOBIG:
		return "file too big";
	case FAT32_ENOTEMPTY:
		return "directory not empty";
	case VOLUME_ENODISK:
		return "no disk attached";
	case VOLUME_EUNMOUNTED:
		return "the disk holds no usable FAT32 file system";
	case VOLUME_EOFFLINE:
		return "the disk failed";
	default:
		return "unknown error";
	}
}
