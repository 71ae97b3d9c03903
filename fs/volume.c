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
#define PAUSE_AFTER_NS	2000000ull /* dev_pause: the loop waits at most this long */

/* One request to the disk and what became of it. */
struct pending {
	struct blk_request request;
	volatile bool answered;
	bool busy; /* submitted and not yet waited for */
	int status;
	uint64_t deadline;
};

static struct {
	struct blk_device *disk;
	struct task task;
	struct coroutine co;
	const struct pending *waiting; /* the coroutine yielded until this is answered */
	int mount_error;	       /* 0 once mounted */
	bool offline;
	struct volume_job *head, *tail; /* queued */
	struct volume_job *finished;
	int finished_result;
	struct pending bounced; /* the bounce buffer's request */
	struct pending direct[VOLUME_DIRECT_MAX];
	uint8_t *bounce;
	struct fat32 fs;
	uint64_t resumed_ns;	     /* when the coroutine was last resumed */
	uint64_t longest_stretch_ns; /* the longest the coroutine ran without yielding */
} v;

static void request_done(void *arg, int status)
{
	struct pending *p = arg;
	p->status = status;
	p->answered = true;
	task_wake(&v.task);
}

static int submit(struct pending *p, enum blk_op op, uint64_t sector, uint32_t count, void *buf)
{
	if (v.offline) {
		return VOLUME_EOFFLINE;
	}
	p->request = (struct blk_request){
	    .op = op, .sector = sector, .count = count, .buf = buf, .done = request_done, .arg = p};
	p->answered = false;
	int err = blk_submit(v.disk, &p->request);
	if (err == 0) {
		p->busy = true;
		p->deadline = clock_ns() + REQUEST_TIMEOUT;
	}
	return err;
}

/*
 * The disk stopped answering. Reset, it no longer touches the memory it
 * was given; a disk that ignores even that may still write it, so the
 * bounce buffer stays the disk's (direct buffers are beyond saving).
 */
static void go_offline(void)
{
	log_error("volume", "the disk did not answer a request in %llu s: volume offline",
		  REQUEST_TIMEOUT / 1000000000ull);
	v.offline = true;
	if (!blk_abandon(v.disk, "a request went unanswered")) {
		log_error("volume", "the disk ignores its reset: it may still write memory it was "
				    "given");
		v.bounce = NULL;
	}
}

/* Yield until p is answered (its status) or its deadline passes. */
static int wait_for(struct pending *p)
{
	v.waiting = p;
	task_wake_at(&v.task, p->deadline);
	while (!v.offline && !p->answered && clock_ns() < p->deadline) {
		coroutine_yield(&v.co);
	}
	v.waiting = NULL;
	p->busy = false;
	if (!p->answered) {
		if (!v.offline) {
			go_offline();
		}
		return VOLUME_EOFFLINE;
	}
	return p->status;
}

/* One request of at most BOUNCE_SECTORS through the bounce buffer. */
static int transfer(enum blk_op op, uint64_t sector, uint32_t count)
{
	if (v.bounce == NULL) {
		return VOLUME_EOFFLINE;
	}
	int err = submit(&v.bounced, op, sector, count, v.bounce);
	return err != 0 ? err : wait_for(&v.bounced);
}

int volume_direct_start(enum blk_op op, uint64_t sector, uint32_t count, void *buf)
{
	if ((op != BLK_READ && op != BLK_WRITE) || count == 0 || count > BLK_MAX_SECTORS ||
	    !blk_buffer_ok(buf, (uint64_t)count * BLK_SECTOR_SIZE)) {
		return FAT32_EINVAL;
	}
	for (int t = 0; t < VOLUME_DIRECT_MAX; t++) {
		if (!v.direct[t].busy) {
			int err = submit(&v.direct[t], op, sector, count, buf);
			return err != 0 ? err : t;
		}
	}
	return VOLUME_EBUSY;
}

int volume_direct_wait(int ticket)
{
	if (ticket < 0 || ticket >= VOLUME_DIRECT_MAX || !v.direct[ticket].busy) {
		return FAT32_EINVAL;
	}
	return wait_for(&v.direct[ticket]);
}

/* Through the bounce buffer, in pieces of at most BOUNCE_SECTORS. */
static int bounced_io(enum blk_op op, uint64_t sector, uint32_t count, uint8_t *buf)
{
	while (count > 0) {
		uint32_t n = count < BOUNCE_SECTORS ? count : BOUNCE_SECTORS;
		size_t bytes = (size_t)n * BLK_SECTOR_SIZE;
		if (op == BLK_WRITE && v.bounce != NULL) {
			memcpy(v.bounce, buf, bytes);
		}
		int err = transfer(op, sector, n);
		if (err != 0) {
			return err;
		}
		if (op == BLK_READ) {
			memcpy(buf, v.bounce, bytes);
		}
		buf += bytes;
		sector += n;
		count -= n;
	}
	return 0;
}

/*
 * Straight between the disk and direct-map memory, up to
 * VOLUME_DIRECT_MAX requests in flight; what finds no free slot (a job
 * holds them all) goes through the bounce buffer. Returns only once the
 * disk is done with buf.
 */
static int direct_io(enum blk_op op, uint64_t sector, uint32_t count, uint8_t *buf)
{
	int tickets[VOLUME_DIRECT_MAX];
	unsigned first = 0, in_flight = 0;
	int err = 0;

	while (err == 0 && count > 0) {
		uint32_t n = count < BLK_MAX_SECTORS ? count : BLK_MAX_SECTORS;
		int t = volume_direct_start(op, sector, n, buf);
		if (t == VOLUME_EBUSY && in_flight == 0) {
			err = bounced_io(op, sector, count, buf);
			break;
		}
		if (t == VOLUME_EBUSY) {
			err = volume_direct_wait(tickets[first]);
			first = (first + 1) % VOLUME_DIRECT_MAX;
			in_flight--;
			continue;
		}
		if (t < 0) {
			err = t;
			break;
		}
		tickets[(first + in_flight++) % VOLUME_DIRECT_MAX] = t;
		buf += (size_t)n * BLK_SECTOR_SIZE;
		sector += n;
		count -= n;
	}
	for (; in_flight > 0; in_flight--, first = (first + 1) % VOLUME_DIRECT_MAX) {
		int e = volume_direct_wait(tickets[first]);
		err = err != 0 ? err : e;
	}
	return err;
}

static int dev_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
	(void)ctx;
	return blk_buffer_ok(buf, (uint64_t)count * BLK_SECTOR_SIZE)
		   ? direct_io(BLK_READ, sector, count, buf)
		   : bounced_io(BLK_READ, sector, count, buf);
}

static int dev_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
	(void)ctx;
	/* The disk only reads buf in a write: the casts lose nothing. */
	return blk_buffer_ok(buf, (uint64_t)count * BLK_SECTOR_SIZE)
		   ? direct_io(BLK_WRITE, sector, count, (uint8_t *)buf)
		   : bounced_io(BLK_WRITE, sector, count, (uint8_t *)buf);
}

static int dev_flush(void *ctx)
{
	(void)ctx;
	return transfer(BLK_FLUSH, 0, 0);
}

/*
 * A pause costs the coroutine a turn of the loop (a frame, at worst):
 * taken only once it has run PAUSE_AFTER_NS since it was last resumed,
 * so a caller may offer one often.
 */
static void dev_pause(void *ctx)
{
	(void)ctx;
	if (clock_ns() - v.resumed_ns >= PAUSE_AFTER_NS) {
		task_wake(&v.task); /* resumed at the loop's next turn */
		coroutine_yield(&v.co);
	}
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
	if (v.waiting == NULL || v.waiting->answered || clock_ns() >= v.waiting->deadline) {
		uint64_t start = clock_ns();
		v.resumed_ns = start;
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
	case VOLUME_EBUSY:
		return "too many transfers in flight";
	default:
		return "unknown error";
	}
}
