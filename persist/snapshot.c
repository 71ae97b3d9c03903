/*
 * Snapshots of apps; see snapshot.h and persist/snapshot_format.h.
 *
 * Save: the heap control block and the writable segments are gathered
 * into one staging buffer; the arena is written straight from the app's
 * slot. The target file is grown first if needed (the only step that
 * changes the file system's tables), then: header cleared, flush, payload,
 * flush, header, flush. Restore: pick the newest header, check the binary
 * against it, load the image into the same slot, read the payload back
 * into place, verify its hash and the heap's structure, and only then let
 * the app run.
 */
#include "persist/snapshot.h"

#include "kernel/clock.h"
#include "kernel/log.h"
#include "lib/format.h"
#include "lib/string.h"
#include "lib/xxhash64.h"
#include "mm/heap.h"
#include "persist/snapshot_format.h"
#include "persist/snapshot_stream.h"
#include "runtime/app.h"
#include "runtime/app_archive.h"
#include "services/app_start.h"

#define GROW_STEP (256u * 1024) /* snapshot files grow in steps, to be reused in place */

static void snapshot_path(char *out, size_t len, const char *name, unsigned which)
{
	fmt_snprintf(out, len, SNAPSHOT_DIR "/%s.%u", name, which);
}

/* The header of one snapshot file: a snapshot_status. */
static int read_header(struct fat32 *fs, const char *path, struct snapshot_header *h)
{
	uint8_t *buf = kmalloc(SNAPSHOT_HEADER_BYTES);
	if (buf == NULL) {
		return SNAPSHOT_ECORRUPT;
	}
	int err = fat32_read_at(fs, path, 0, buf, SNAPSHOT_HEADER_BYTES);
	int status = err == 0 ? snapshot_header_decode(buf, h)
			      : (err == FAT32_ENOENT || err == FAT32_ETOOBIG ? SNAPSHOT_EMPTY
									     : SNAPSHOT_ECORRUPT);
	kfree(buf);
	return status;
}

static void read_headers(struct fat32 *fs, const char *name, int status[2],
			 struct snapshot_header h[2])
{
	char path[96];
	for (unsigned i = 0; i < 2; i++) {
		snapshot_path(path, sizeof(path), name, i);
		status[i] = read_header(fs, path, &h[i]);
		if (status[i] != SNAPSHOT_OK && status[i] != SNAPSHOT_EMPTY) {
			log_warn("snapshot", "%s: %s", path, snapshot_strstatus(status[i]));
		}
	}
}

/* Bytes of all writable segments together. */
static uint64_t data_bytes(const struct elf_plan *plan)
{
	uint64_t n = 0;
	for (unsigned s = 0; s < plan->segment_count; s++) {
		if (plan->segments[s].prot & ELF_PROT_W) {
			n += plan->segments[s].mem_size;
		}
	}
	return n;
}

/* Copy the writable segments between a's image and a flat buffer. */
static void copy_data(const struct elf_plan *plan, struct app *a, uint8_t *flat, bool to_flat)
{
	for (unsigned s = 0; s < plan->segment_count; s++) {
		const struct elf_segment *seg = &plan->segments[s];
		if (seg->prot & ELF_PROT_W) {
			uintptr_t in_image = a->run.memory.base + seg->offset;
			if (to_flat) {
				app_memory_read(&a->run.memory, in_image, flat, seg->mem_size);
			} else {
				app_memory_write(&a->run.memory, in_image, flat, seg->mem_size);
			}
			flat += seg->mem_size;
		}
	}
}

/* Make the file at path at least `bytes` long, creating it if needed. */
static int make_room(struct fat32 *fs, const char *path, uint64_t bytes)
{
	uint32_t size;
	bool is_dir;
	int err = fat32_stat(fs, path, &size, &is_dir);
	if (err == 0 && size >= bytes) {
		return 0;
	}
	if (err != 0 && err != FAT32_ENOENT) {
		return err;
	}
	uint64_t want = (bytes + GROW_STEP - 1) / GROW_STEP * GROW_STEP;
	if (want > UINT32_MAX) {
		return FAT32_ETOOBIG;
	}
	err = fat32_mkdir(fs, SNAPSHOT_DIR);
	if (err != 0 && err != FAT32_EEXIST) {
		return err;
	}
	return fat32_resize(fs, path, (uint32_t)want);
}

struct save_plan {
	struct snapshot_header h;
	uint8_t *staging; /* heap block and writable data, each padded */
	uint64_t staging_bytes;
	struct xxh64_state hash; /* of the payload so far: the arena is hashed as it is written */
};

/* The heap's part of a snapshot: each live block as its arena offset and size. */
struct block_list {
	uint8_t *at;
	uintptr_t arena;
};

static void list_block(void *arg, uintptr_t addr, uint64_t size)
{
	struct block_list *l = arg;
	uint64_t entry[2] = {addr - l->arena, size};
	memcpy(l->at, entry, sizeof(entry));
	l->at += sizeof(entry);
}

/* Claim every block of a saved list in a's fresh arena; false if one cannot be. */
static bool claim_blocks(struct app *a, const uint8_t *list, uint64_t bytes)
{
	uintptr_t arena = a->run.memory.base + APP_IMAGE_MAX;
	for (uint64_t at = 0; at < bytes; at += SNAPSHOT_BLOCK_BYTES) {
		uint64_t entry[2];
		memcpy(entry, list + at, sizeof(entry));
		if (entry[0] >= app_memory_arena_max(&a->run.memory) ||
		    app_memory_claim(&a->run.memory, arena + entry[0], entry[1]) != 0) {
			return false;
		}
	}
	return true;
}

/* Gather everything of a that goes into the snapshot, and its header. */
static int gather(struct fat32 *fs, struct app *a, struct save_plan *sp, char *msg, size_t msg_len)
{
	struct elf_plan plan;
	char why[80];
	struct snapshot_header *h = &sp->h;

	if (elf_plan(a->id.file, a->id.file_size, &plan, why, sizeof(why)) != 0) {
		fmt_snprintf(msg, msg_len, "%s: its binary no longer decodes: %s", a->id.name, why);
		return SNAPSHOT_EFAILED;
	}
	memset(h, 0, sizeof(*h));
	h->abi_version = FOMOS_ABI_VERSION;
	h->slot = a->run.memory.slot;
	fmt_snprintf(h->name, sizeof(h->name), "%s", a->id.name);
	fmt_snprintf(h->source, sizeof(h->source), "%s", a->id.source);
	h->binary_size = a->id.file_size;
	h->binary_hash = xxh64(a->id.file, a->id.file_size, 0);
	h->store = (uint64_t)(uintptr_t)a->run.store;
	h->heap_bytes = a->run.memory.live_allocs * SNAPSHOT_BLOCK_BYTES;
	h->data_bytes = data_bytes(&plan);
	h->arena_bytes = a->run.memory.arena_pages * PAGE_SIZE;
	h->live_bytes = a->run.memory.live_bytes;
	h->live_allocs = a->run.memory.live_allocs;
	h->limit = a->run.memory.limit;
	h->policy = a->rights.policy;
	h->budget_ms = a->rights.budget_ms;
	h->caps = a->rights.caps;
	h->acct = a->acct;
	h->uptime_ms = clock_ms();
	h->window_pixels = a->run.window.pixels;
	h->window_size = (uint64_t)a->run.window.w << 32 | a->run.window.h;
	sp->staging_bytes = snapshot_padded(h->heap_bytes) + snapshot_padded(h->data_bytes);
	h->payload_bytes = sp->staging_bytes + h->arena_bytes;
	sp->staging = kzalloc(sp->staging_bytes);
	if (sp->staging == NULL) {
		fmt_snprintf(msg, msg_len, "%s: no memory to stage the snapshot", a->id.name);
		return SNAPSHOT_EFAILED;
	}
	struct block_list list = {sp->staging, a->run.memory.base + APP_IMAGE_MAX};
	arena_heap_each_live(&a->run.memory.heap, list_block, &list);
	copy_data(&plan, a, sp->staging + snapshot_padded(h->heap_bytes), true);

	xxh64_init(&sp->hash, 0);
	snapshot_hash_pausing(fs, &sp->hash, sp->staging, sp->staging_bytes);
	return 0;
}

/* Steps of a save; a failure at any of them leaves the other file intact. */
static int write_snapshot(struct fat32 *fs, const char *path, struct app *a, struct save_plan *sp)
{
	uint8_t *header = kzalloc(SNAPSHOT_HEADER_BYTES);
	int err = header == NULL ? FAT32_EIO : 0;

	if (err == 0) {
		err = make_room(fs, path, SNAPSHOT_HEADER_BYTES + sp->h.payload_bytes);
	}
	if (err == 0) { /* from here until the last write, this file holds no snapshot */
		err = fat32_write_part(fs, path, 0, header, SNAPSHOT_HEADER_BYTES);
	}
	if (err == 0) {
		err = fs->dev.flush(fs->dev.ctx);
	}
	if (err == 0) {
		err = fat32_write_part(fs, path, SNAPSHOT_HEADER_BYTES, sp->staging,
				       (uint32_t)sp->staging_bytes);
	}
	if (err == 0 && sp->h.arena_bytes > 0) {
		err = snapshot_stream_arena(fs, path,
					    (uint32_t)(SNAPSHOT_HEADER_BYTES + sp->staging_bytes),
					    a, sp->h.arena_bytes, &sp->hash, BLK_WRITE);
	}
	if (err == 0) {
		err = fs->dev.flush(fs->dev.ctx);
	}
	if (err == 0) {
		sp->h.payload_hash = xxh64_digest(&sp->hash);
		snapshot_header_encode(&sp->h, header);
		err = fat32_write_part(fs, path, 0, header, SNAPSHOT_HEADER_BYTES);
	}
	if (err == 0) {
		err = fs->dev.flush(fs->dev.ctx);
	}
	kfree(header);
	return err;
}

int64_t snapshot_save(struct fat32 *fs, struct app *a, char *msg, size_t msg_len)
{
	struct save_plan sp = {0};
	struct snapshot_header h[2];
	int status[2];
	unsigned newest, target;
	char path[96];
	uint64_t start = clock_ns();

	if (a->run.memory.arena_pages * PAGE_SIZE + (1u << 20) > UINT32_MAX) {
		fmt_snprintf(msg, msg_len, "%s: too big to save (FAT32 files end at 4 GiB)",
			     a->id.name);
		return SNAPSHOT_EFAILED;
	}
	int err = gather(fs, a, &sp, msg, msg_len);
	if (err != 0) {
		return err;
	}
	read_headers(fs, a->id.name, status, h);
	sp.h.seq = snapshot_pick(status, h, &newest, &target) ? h[newest].seq + 1 : 1;
	snapshot_path(path, sizeof(path), a->id.name, target);
	err = write_snapshot(fs, path, a, &sp);
	kfree(sp.staging);
	if (err != 0) {
		fmt_snprintf(msg, msg_len, "%s: not saved: %s (any previous snapshot is intact)",
			     a->id.name, err == FAT32_ENOSPC ? "the disk is full" : "disk error");
		log_error("snapshot", "%s: writing %s failed (error %d)", a->id.name, path, err);
		return SNAPSHOT_EFAILED;
	}
	uint64_t bytes = SNAPSHOT_HEADER_BYTES + sp.h.payload_bytes;
	fmt_snprintf(msg, msg_len, "saved %s (pid %llu): %llu KiB in %llu ms, snapshot %llu",
		     a->id.name, (unsigned long long)a->id.pid, (unsigned long long)(bytes / 1024),
		     (unsigned long long)((clock_ns() - start) / 1000000),
		     (unsigned long long)sp.h.seq);
	log_info("snapshot", "%s", msg);
	return (int64_t)bytes;
}

/* The binary a snapshot names: from the boot archive or read from the disk. */
static int find_binary(struct fat32 *fs, const struct snapshot_header *h, const void **file,
		       size_t *size, bool *owned)
{
	*owned = false;
	if (strcmp(h->source, APP_SOURCE_ARCHIVE) == 0) {
		return app_archive_find(h->name, file, size);
	}
	uint32_t len;
	bool is_dir;
	if (fat32_stat(fs, h->source, &len, &is_dir) != 0 || is_dir || len == 0) {
		return -1;
	}
	void *buf = kmalloc(len);
	if (buf == NULL || fat32_read_file(fs, h->source, buf, len, &len) != 0) {
		kfree(buf);
		return -1;
	}
	*file = buf;
	*size = len;
	*owned = true;
	return 0;
}

/* The saved window, if any, is a surface inside the restored arena. */
static bool window_fits(const struct app_memory *m, const struct snapshot_header *h)
{
	uint64_t w = h->window_size >> 32, ht = (uint32_t)h->window_size;
	uint64_t arena = m->base + APP_IMAGE_MAX, p = h->window_pixels;
	return p == 0 || (w > 0 && ht > 0 && w <= 8192 && ht <= 8192 && p >= arena &&
			  p + w * ht * 4 <= m->arena_top);
}

/* Fill prepared app a from the snapshot file at path; 0 or SNAPSHOT_E*. */
static int fill_from(struct fat32 *fs, const char *path, const struct snapshot_header *h,
		     struct app *a, char *msg, size_t msg_len)
{
	struct elf_plan plan;
	char why[8];
	uint64_t staging_bytes = snapshot_padded(h->heap_bytes) + snapshot_padded(h->data_bytes);
	uint8_t *staging = kmalloc(staging_bytes);

	if (staging == NULL || app_memory_map_arena(&a->run.memory, h->arena_bytes) != 0) {
		kfree(staging);
		fmt_snprintf(msg, msg_len, "%s: no memory for its %llu KiB arena", h->name,
			     (unsigned long long)(h->arena_bytes / 1024));
		return SNAPSHOT_EFAILED;
	}
	struct xxh64_state hash;
	xxh64_init(&hash, 0);
	int err = fat32_read_at(fs, path, SNAPSHOT_HEADER_BYTES, staging, (uint32_t)staging_bytes);
	if (err == 0) {
		snapshot_hash_pausing(fs, &hash, staging, staging_bytes);
		err = snapshot_stream_arena(fs, path,
					    (uint32_t)(SNAPSHOT_HEADER_BYTES + staging_bytes), a,
					    h->arena_bytes, &hash, BLK_READ);
	}
	bool intact = err == 0 && xxh64_digest(&hash) == h->payload_hash &&
		      h->heap_bytes % SNAPSHOT_BLOCK_BYTES == 0 &&
		      elf_plan(a->id.file, a->id.file_size, &plan, why, sizeof(why)) == 0 &&
		      data_bytes(&plan) == h->data_bytes;
	if (intact) {
		copy_data(&plan, a, staging + snapshot_padded(h->heap_bytes), false);
		intact = claim_blocks(a, staging, h->heap_bytes) &&
			 app_memory_heap_sane(&a->run.memory) &&
			 a->run.memory.live_bytes == h->live_bytes &&
			 a->run.memory.live_allocs == h->live_allocs &&
			 (h->store == 0 ||
			  (h->store >= a->run.memory.base && h->store < a->run.memory.arena_top)) &&
			 window_fits(&a->run.memory, h);
	}
	kfree(staging);
	if (!intact) {
		fmt_snprintf(msg, msg_len, "%s: %s is %s", h->name, path,
			     err != 0 ? "unreadable" : "corrupt (its contents fail their checks)");
		return SNAPSHOT_ENONE;
	}
	a->run.store = (void *)(uintptr_t)h->store;
	a->run.memory.limit = h->limit;
	a->rights.policy = h->policy <= FOMOS_POLICY_KEEP ? h->policy : FOMOS_POLICY_STOP;
	a->rights.budget_ms = h->budget_ms > 0 ? h->budget_ms : APP_BUDGET_DEFAULT_MS;
	a->rights.caps = h->caps_known ? h->caps
			 : strcmp(h->source, APP_SOURCE_ARCHIVE) == 0
			     ? app_archive_granted_caps(h->name)
			     : 0;
	a->acct = h->acct;
	a->run.window = (struct app_window){h->window_pixels, (uint32_t)(h->window_size >> 32),
					    (uint32_t)h->window_size};
	input_view_start(&a->run.view);
	a->run.restored = true;
	return 0;
}

/* Restore from one file whose header is h; pid or SNAPSHOT_E*. */
static int64_t restore_from(struct fat32 *fs, const char *path, const struct snapshot_header *h,
			    char *msg, size_t msg_len)
{
	const void *file;
	size_t size;
	bool owned;
	char why[160];

	if (h->abi_version > FOMOS_ABI_VERSION) {
		fmt_snprintf(msg, msg_len, "%s: saved under a newer ABI (%u)", h->name,
			     h->abi_version);
		return SNAPSHOT_EMISMATCH;
	}
	if (h->format < SNAPSHOT_FORMAT_HEAP_LIST) {
		fmt_snprintf(msg, msg_len,
			     "%s: refused: saved by an earlier Fomos (snapshot format %u), whose "
			     "heap bookkeeping lived inside the app's memory",
			     h->name, h->format);
		return SNAPSHOT_EMISMATCH;
	}
	if (find_binary(fs, h, &file, &size, &owned) != 0) {
		fmt_snprintf(msg, msg_len, "%s: refused: its binary (%s) is gone", h->name,
			     h->source);
		return SNAPSHOT_EMISMATCH;
	}
	uint64_t hash = xxh64(file, size, 0);
	if (size != h->binary_size || hash != h->binary_hash) {
		fmt_snprintf(
		    msg, msg_len,
		    "%s: refused: its binary changed since the snapshot (hash %016llx, now "
		    "%016llx)",
		    h->name, (unsigned long long)h->binary_hash, (unsigned long long)hash);
		if (owned) {
			kfree((void *)file);
		}
		return SNAPSHOT_EMISMATCH;
	}
	struct app *running = app_find_name(h->name);
	if (running != NULL) {
		app_kill(running->id.pid, "replaced by its snapshot");
	}
	struct app *a = app_prepare(h->name, file, size, h->source, owned, (int)h->slot, why,
				    sizeof(why), NULL);
	if (a == NULL) {
		fmt_snprintf(msg, msg_len, "%s: cannot restore: %s", h->name, why);
		if (owned) {
			kfree((void *)file);
		}
		return SNAPSHOT_EFAILED;
	}
	int err = fill_from(fs, path, h, a, msg, msg_len);
	if (err != 0) {
		app_discard(a);
		return err;
	}
	app_start_prepared(a, "restored");
	fmt_snprintf(msg, msg_len, "restored %s as pid %llu from snapshot %llu (%llu KiB)", h->name,
		     (unsigned long long)a->id.pid, (unsigned long long)h->seq,
		     (unsigned long long)(h->payload_bytes / 1024));
	return (int64_t)a->id.pid;
}

int64_t snapshot_restore(struct fat32 *fs, const char *name, char *msg, size_t msg_len)
{
	struct snapshot_header h[2];
	int status[2];
	unsigned newest, other;
	char path[96];

	read_headers(fs, name, status, h);
	if (!snapshot_pick(status, h, &newest, &other)) {
		fmt_snprintf(msg, msg_len, "%s: no snapshot", name);
		return SNAPSHOT_ENONE;
	}
	for (unsigned attempt = 0; attempt < 2; attempt++) {
		unsigned which = attempt == 0 ? newest : other;
		if (status[which] != SNAPSHOT_OK || strcmp(h[which].name, name) != 0) {
			continue;
		}
		snapshot_path(path, sizeof(path), name, which);
		int64_t r = restore_from(fs, path, &h[which], msg, msg_len);
		if (r != SNAPSHOT_ENONE) {
			log_info("snapshot", "%s", msg);
			return r;
		}
		log_error("snapshot", "%s%s", msg, attempt == 0 ? "; trying the older one" : "");
	}
	return SNAPSHOT_ENONE;
}
