/*
 * The file jobs; see job_files.h. A copy streams through a kernel buffer
 * of COPY_CHUNK bytes: the destination is first sized (created if need
 * be), then filled in place piece by piece and flushed once, so a power
 * cut leaves the volume consistent and the source untouched (the copy
 * possibly incomplete). A move is a copy, then the source's removal: a cut
 * between leaves both files, never neither.
 */
#include "jobs/job_files.h"

#include <stdarg.h>
#include <stddef.h>

#include "fs/fat32.h"
#include "fs/volume.h"
#include "include/fomos.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/heap.h"

#define COPY_CHUNK (64u * 1024)
#define PATH_MAX   260

struct answer {
	char *out;
	uint32_t cap, *len;
};

static int64_t tell(const struct answer *a, int64_t value, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int64_t tell(const struct answer *a, int64_t value, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = fmt_vsnprintf(a->out, a->cap, fmt, ap);
	va_end(ap);
	*a->len = (uint32_t)(n < a->cap ? n : a->cap - 1);
	return value;
}

static int64_t failed(const struct answer *a, const char *path, int err)
{
	return tell(a, FOMOS_JOB_EFAILED, "%s: %s", path, volume_strerror(err));
}

static int64_t read_file(struct fat32 *fs, const char *path, uint64_t offset,
			 const struct answer *a)
{
	uint32_t size;
	bool is_dir;
	int err = fat32_stat(fs, path, &size, &is_dir);
	if (err == 0 && is_dir) {
		err = FAT32_EISDIR;
	}
	if (err != 0) {
		return failed(a, path, err);
	}
	uint64_t left = offset < size ? size - offset : 0;
	uint32_t n = (uint32_t)(left < a->cap - 1 ? left : a->cap - 1);
	err = n > 0 ? fat32_read_at(fs, path, (uint32_t)offset, a->out, n) : 0;
	if (err != 0) {
		return failed(a, path, err);
	}
	*a->len = n;
	a->out[n] = '\0';
	return size;
}

/* Copy the file src to the file dst (replaced if it exists); 0 or a FAT32_E* error. */
static int copy_bytes(struct fat32 *fs, const char *src, const char *dst, uint32_t size)
{
	uint8_t *chunk = kmalloc(COPY_CHUNK);
	int err = chunk == NULL ? FAT32_EIO : fat32_resize(fs, dst, size);
	for (uint32_t done = 0; err == 0 && done < size;) {
		uint32_t n = size - done < COPY_CHUNK ? size - done : COPY_CHUNK;
		err = fat32_read_at(fs, src, done, chunk, n);
		err = err != 0 ? err : fat32_write_part(fs, dst, done, chunk, n);
		done += n;
	}
	kfree(chunk);
	if (err == 0 && fs->dev.flush != NULL && fs->dev.flush(fs->dev.ctx) != 0) {
		err = FAT32_EIO;
	}
	return err;
}

/* cp and mv: arg is "SRC\nDST"; a DST that is a directory gets SRC's name. */
static int64_t copy_or_move(struct fat32 *fs, const char *arg, bool move, const struct answer *a)
{
	const char *nl = strchr(arg, '\n');
	const char *what = move ? "move" : "copy";
	char src[PATH_MAX], dst[PATH_MAX];
	uint32_t size, dst_size;
	bool is_dir;

	if (nl == NULL || nl == arg || nl[1] == '\0' || (size_t)(nl - arg) >= sizeof(src)) {
		return tell(a, FOMOS_JOB_EFAILED, "%s: give a source and a destination", what);
	}
	fmt_snprintf(src, sizeof(src), "%.*s", (int)(nl - arg), arg);
	fmt_snprintf(dst, sizeof(dst), "%s", nl + 1);
	int err = fat32_stat(fs, src, &size, &is_dir);
	if (err == 0 && is_dir) {
		return tell(a, FOMOS_JOB_EFAILED, "%s: %s is a directory (%s takes files)", what,
			    src, move ? "mv" : "cp");
	}
	if (err != 0) {
		return failed(a, src, err);
	}
	if (fat32_stat(fs, dst, &dst_size, &is_dir) == 0 && is_dir) {
		const char *base = strrchr(src, '/');
		size_t dl = strlen(dst);
		fmt_snprintf(dst + dl, sizeof(dst) - dl, "%s%s", dl > 1 ? "/" : "",
			     base != NULL ? base + 1 : src);
	}
	if (strcmp(src, dst) == 0) {
		return tell(a, FOMOS_JOB_EFAILED, "%s: %s is that file already", what, dst);
	}
	err = copy_bytes(fs, src, dst, size);
	if (err != 0) {
		return failed(a, dst, err);
	}
	if (move && (err = fat32_remove(fs, src)) != 0) {
		return tell(a, FOMOS_JOB_EFAILED, "copied to %s, but %s stays: %s", dst, src,
			    volume_strerror(err));
	}
	return tell(a, size, "%s %s to %s (%u bytes)", move ? "moved" : "copied", src, dst, size);
}

static int64_t remove_dir(struct fat32 *fs, const char *path, const struct answer *a)
{
	uint32_t size;
	bool is_dir;
	int err = fat32_stat(fs, path, &size, &is_dir);
	if (err == 0 && !is_dir) {
		err = FAT32_ENOTDIR;
	}
	err = err != 0 ? err : fat32_remove(fs, path);
	return err != 0 ? failed(a, path, err) : tell(a, 0, "removed directory %s", path);
}

static int64_t space(struct fat32 *fs, const struct answer *a)
{
	uint64_t total, free;
	fat32_space(fs, &total, &free);
	return tell(a, (int64_t)free, "%llu KiB free of %llu KiB (%u-byte clusters)",
		    (unsigned long long)(free / 1024), (unsigned long long)(total / 1024),
		    fs->sec_per_clus * 512);
}

bool job_files_handles(uint32_t op)
{
	return op >= FOMOS_JOB_READ && op <= FOMOS_JOB_SPACE;
}

int64_t job_files_run(struct fat32 *fs, uint32_t op, const char *arg, uint64_t num, char *out,
		      uint32_t cap, uint32_t *out_len)
{
	struct answer a = {out, cap, out_len};
	int err;

	*out_len = 0;
	switch (op) {
	case FOMOS_JOB_READ:
		return read_file(fs, arg, num, &a);
	case FOMOS_JOB_COPY:
	case FOMOS_JOB_MOVE:
		return copy_or_move(fs, arg, op == FOMOS_JOB_MOVE, &a);
	case FOMOS_JOB_MKDIR:
		err = fat32_mkdir(fs, arg);
		return err != 0 ? failed(&a, arg, err) : tell(&a, 0, "made directory %s", arg);
	case FOMOS_JOB_RMDIR:
		return remove_dir(fs, arg, &a);
	default:
		return space(fs, &a);
	}
}
