/*
 * The virtio-gpu 2D driver; see gpu.h.
 *
 * Start-up is a chain of commands, each issued when the previous answered:
 *   GET_DISPLAY_INFO (and GET_CAPSET_INFO per capability set, logged)
 *   -> switch the display to us (it sizes the back buffer and attaches it)
 *   -> RESOURCE_CREATE_2D, RESOURCE_ATTACH_BACKING, SET_SCANOUT
 *   -> ready: presents go through.
 * A present is one TRANSFER_TO_HOST_2D per damaged rectangle and one
 * RESOURCE_FLUSH of their bounding box;
 * one present is in flight at a time (the display merges what comes
 * meanwhile), and until its flush is answered the back buffer is not
 * drawn into (gpu_reading: the frame loop waits for display_busy()), so a
 * transfer never copies a frame half drawn. Every response is checked: a wrong type or short answer
 * is logged; a failed start-up returns the screen to the previous backend.
 */
#include "drivers/virtio/gpu.h"

#include <stdbool.h>
#include <stddef.h>

#include "drivers/display.h"
#include "drivers/pci/pci.h"
#include "drivers/virtio/gpu_protocol.h"
#include "drivers/virtio/transport.h"
#include "kernel/clock.h"
#include "kernel/log.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define CMD_SLOTS   (DAMAGE_MAX + 2) /* a present, and one more command */
#define SLOT_BYTES  1024
#define REQUEST_MAX 512 /* the rest of a slot is the response */
#define POOL_ORDER  1	/* 2 frames = CMD_SLOTS * SLOT_BYTES */
#define RESOURCE_ID 1
#define MAX_BACKING_ENTRIES                                                                        \
	((REQUEST_MAX - sizeof(struct gpu_attach_backing)) / sizeof(struct gpu_mem_entry))
#define REPORT_EVERY 300

_Static_assert(CMD_SLOTS *SLOT_BYTES <= (4096 << POOL_ORDER), "command pool size");
_Static_assert(SLOT_BYTES - REQUEST_MAX >= sizeof(struct gpu_display_info), "largest response");

struct gpu_cmd {
	uint32_t type;
	bool in_use;
	uint64_t sent_ns;
};

struct virtio_gpu {
	struct virtio_device vd;
	struct virtqueue ctrlq;
	struct task task;
	struct display_backend backend;
	struct display_backend *previous; /* to fall back to if start-up fails */
	struct canvas *back;
	uint8_t *pool;
	uint64_t pool_phys;
	struct gpu_cmd cmds[CMD_SLOTS];
	bool ready, presenting;
	uint64_t presents, latency_sum, latency_max;
};

static struct virtio_gpu *gpu_of(struct display_backend *b)
{
	return (struct virtio_gpu *)((uint8_t *)b - offsetof(struct virtio_gpu, backend));
}

/* A free command slot with its request zeroed, or -1. */
static int cmd_alloc(struct virtio_gpu *g, uint32_t type)
{
	for (int i = 0; i < CMD_SLOTS; i++) {
		if (!g->cmds[i].in_use) {
			g->cmds[i] = (struct gpu_cmd){.type = type, .in_use = true};
			memset(g->pool + i * SLOT_BYTES, 0, SLOT_BYTES);
			((struct gpu_header *)(g->pool + i * SLOT_BYTES))->type = type;
			return i;
		}
	}
	return -1;
}

static unsigned free_slots(const struct virtio_gpu *g)
{
	unsigned n = 0;
	for (int i = 0; i < CMD_SLOTS; i++) {
		n += !g->cmds[i].in_use;
	}
	return n;
}

static void *cmd_request(struct virtio_gpu *g, int slot)
{
	return g->pool + slot * SLOT_BYTES;
}

static int cmd_send(struct virtio_gpu *g, int slot, uint32_t request_len)
{
	uint64_t base = g->pool_phys + (uint64_t)slot * SLOT_BYTES;
	struct vq_buffer bufs[2] = {
	    {.phys = base, .len = request_len, .device_writable = false},
	    {.phys = base + REQUEST_MAX, .len = SLOT_BYTES - REQUEST_MAX, .device_writable = true},
	};
	g->cmds[slot].sent_ns = clock_ns();
	int err = vq_add(&g->ctrlq, bufs, 2, &g->cmds[slot]);
	if (err != 0) {
		g->cmds[slot].in_use = false;
		return err;
	}
	virtio_notify(&g->vd, 0, &g->ctrlq);
	return 0;
}

static int send_simple(struct virtio_gpu *g, uint32_t type, uint32_t request_len)
{
	int slot = cmd_alloc(g, type);
	return slot < 0 ? -1 : cmd_send(g, slot, request_len);
}

static int send_capset_info(struct virtio_gpu *g, uint32_t index)
{
	int slot = cmd_alloc(g, GPU_CMD_GET_CAPSET_INFO);
	if (slot < 0) {
		return -1;
	}
	struct gpu_get_capset_info *req = cmd_request(g, slot);
	req->capset_index = index;
	return cmd_send(g, slot, sizeof(*req));
}

/* The backing entries: the back buffer's pages, physically contiguous runs merged. */
static uint32_t fill_backing(struct virtio_gpu *g, struct gpu_mem_entry *entries)
{
	uint8_t *pixels = (uint8_t *)g->back->pixels;
	size_t bytes = (size_t)g->back->stride * g->back->height * 4;
	uint32_t n = 0;

	for (size_t at = 0; at < bytes; at += PAGE_SIZE) {
		uint64_t phys = virt_to_phys_direct(pixels + at);
		uint32_t len = bytes - at < PAGE_SIZE ? (uint32_t)(bytes - at) : PAGE_SIZE;
		if (n > 0 && entries[n - 1].addr + entries[n - 1].length == phys) {
			entries[n - 1].length += len;
			continue;
		}
		if (n == MAX_BACKING_ENTRIES) {
			return 0;
		}
		entries[n++] = (struct gpu_mem_entry){.addr = phys, .length = len};
	}
	return n;
}

static int send_create(struct virtio_gpu *g)
{
	int slot = cmd_alloc(g, GPU_CMD_RESOURCE_CREATE_2D);
	if (slot < 0) {
		return -1;
	}
	struct gpu_resource_create_2d *req = cmd_request(g, slot);
	req->resource_id = RESOURCE_ID;
	req->format = GPU_FORMAT_R8G8B8A8_UNORM;
	req->width = g->back->width;
	req->height = g->back->height;
	return cmd_send(g, slot, sizeof(*req));
}

static int send_attach(struct virtio_gpu *g)
{
	int slot = cmd_alloc(g, GPU_CMD_RESOURCE_ATTACH_BACKING);
	if (slot < 0) {
		return -1;
	}
	struct gpu_attach_backing *req = cmd_request(g, slot);
	uint32_t n = fill_backing(g, (struct gpu_mem_entry *)(req + 1));
	if (n == 0) {
		g->cmds[slot].in_use = false;
		log_error("gpu", "back buffer too fragmented for one attach command");
		return -1;
	}
	req->resource_id = RESOURCE_ID;
	req->nr_entries = n;
	return cmd_send(g, slot, (uint32_t)(sizeof(*req) + n * sizeof(struct gpu_mem_entry)));
}

static int send_scanout(struct virtio_gpu *g)
{
	int slot = cmd_alloc(g, GPU_CMD_SET_SCANOUT);
	if (slot < 0) {
		return -1;
	}
	struct gpu_set_scanout *req = cmd_request(g, slot);
	req->rect = (struct gpu_rect){0, 0, g->back->width, g->back->height};
	req->scanout_id = 0;
	req->resource_id = RESOURCE_ID;
	return cmd_send(g, slot, sizeof(*req));
}

static int send_rect_command(struct virtio_gpu *g, uint32_t type, struct canvas_rect r);

/* Display backend: the back buffer is ours to show; create its resource. */
static int gpu_attach(struct display_backend *b, struct canvas *back)
{
	struct virtio_gpu *g = gpu_of(b);
	g->back = back;
	g->ready = false;
	if (send_create(g) != 0 || send_attach(g) != 0 || send_scanout(g) != 0) {
		return -1;
	}
	/* Not shown (no flush): the host's first copy into a new resource is its
	 * slowest (4-35 ms of the first frame here), and this one runs while
	 * the apps draw the first frame. */
	struct canvas_rect whole = {0, 0, back->width, back->height};
	return send_rect_command(g, GPU_CMD_TRANSFER_TO_HOST_2D, whole);
}

static int send_rect_command(struct virtio_gpu *g, uint32_t type, struct canvas_rect r)
{
	int slot = cmd_alloc(g, type);
	if (slot < 0) {
		return -1;
	}
	struct gpu_rect rect = {r.x, r.y, r.w, r.h};
	if (type == GPU_CMD_TRANSFER_TO_HOST_2D) {
		struct gpu_transfer_to_host_2d *req = cmd_request(g, slot);
		req->rect = rect;
		req->offset = ((uint64_t)r.y * g->back->stride + r.x) * 4;
		req->resource_id = RESOURCE_ID;
		return cmd_send(g, slot, sizeof(*req));
	}
	struct gpu_resource_flush *req = cmd_request(g, slot);
	req->rect = rect;
	req->resource_id = RESOURCE_ID;
	return cmd_send(g, slot, sizeof(*req));
}

/* Display backend: show rectangle r (false while busy or not ready yet). */
static bool gpu_present(struct display_backend *b, const struct damage *d)
{
	struct virtio_gpu *g = gpu_of(b);
	if (!g->ready || g->presenting || g->vd.failed || free_slots(g) < d->n + 1) {
		return false;
	}
	struct canvas_rect all = {0, 0, 0, 0};
	for (unsigned i = 0; i < d->n; i++) {
		all = damage_union(all, d->r[i]);
		if (send_rect_command(g, GPU_CMD_TRANSFER_TO_HOST_2D, d->r[i]) != 0) {
			return false;
		}
	}
	if (send_rect_command(g, GPU_CMD_RESOURCE_FLUSH, all) != 0) {
		return false;
	}
	g->presenting = true;
	return true;
}

/* Display backend: the device reads the back buffer from TRANSFER_TO_HOST_2D until the flush is
 * answered. */
static bool gpu_reading(struct display_backend *b)
{
	struct virtio_gpu *g = gpu_of(b);
	return g->presenting && !g->vd.failed;
}

static void on_display_info(struct virtio_gpu *g, const struct gpu_display_info *info)
{
	uint32_t w = info->modes[0].rect.width, h = info->modes[0].rect.height;
	if (!info->modes[0].enabled || w == 0 || h == 0 || w > 8192 || h > 8192) {
		log_warn("gpu", "scanout 0 reports %ux%u (enabled %u): using 1280x800", w, h,
			 info->modes[0].enabled);
		w = 1280;
		h = 800;
	}
	g->backend.width = w;
	g->backend.height = h;
	log_info("gpu", "%s: scanout 0 is %ux%u", g->vd.name, w, h);
	if (!display_set_backend(&g->backend)) {
		virtio_fail(&g->vd, "cannot take over the display");
	}
}

static void log_capset(const struct gpu_capset_info *c)
{
	static const char *const names[] = {"?",	 "virgl", "virgl2",
					    "gfxstream", "venus", "cross-domain"};
	const char *name = c->capset_id < 6 ? names[c->capset_id] : "unknown";
	log_info("gpu", "3D capability set %u (%s): version %u, %u bytes", c->capset_id, name,
		 c->capset_max_version, c->capset_max_size);
}

static void account_present(struct virtio_gpu *g, uint64_t sent_ns)
{
	uint64_t latency = clock_ns() - sent_ns;
	g->presenting = false;
	g->presents++;
	g->latency_sum += latency;
	g->latency_max = latency > g->latency_max ? latency : g->latency_max;
	display_presented(sent_ns);
	display_present(); /* what was drawn while this one was in flight, if anything */
	if (g->presents % REPORT_EVERY == 0) {
		log_info("gpu", "%u presents, transfer+flush latency %llu us avg %llu max",
			 REPORT_EVERY, (unsigned long long)(g->latency_sum / REPORT_EVERY / 1000),
			 (unsigned long long)(g->latency_max / 1000));
		g->latency_sum = g->latency_max = 0;
	}
}

static void startup_failed(struct virtio_gpu *g, const char *step, uint32_t resp_type)
{
	log_error("gpu", "%s: %s answered %#x", g->vd.name, step, resp_type);
	if (g->previous != NULL) {
		display_set_backend(g->previous);
	}
	virtio_fail(&g->vd, "display start-up failed");
}

static void on_response(struct virtio_gpu *g, struct gpu_cmd *cmd, uint32_t written)
{
	const uint8_t *slot = g->pool + (cmd - g->cmds) * SLOT_BYTES;
	const struct gpu_header *resp = (const void *)(slot + REQUEST_MAX);
	uint32_t type = written >= sizeof(*resp) ? resp->type : 0;
	bool ok = type == GPU_RESP_OK_NODATA;

	cmd->in_use = false; /* the response stays intact until the slot is reused below */
	switch (cmd->type) {
	case GPU_CMD_GET_DISPLAY_INFO: {
		struct gpu_display_info info;
		if (type != GPU_RESP_OK_DISPLAY_INFO || written < sizeof(info)) {
			startup_failed(g, "GET_DISPLAY_INFO", type);
			return;
		}
		memcpy(&info, resp, sizeof(info));
		on_display_info(g, &info);
		return;
	}
	case GPU_CMD_GET_CAPSET_INFO:
		if (type == GPU_RESP_OK_CAPSET_INFO && written >= sizeof(struct gpu_capset_info)) {
			log_capset((const struct gpu_capset_info *)resp);
		}
		return;
	case GPU_CMD_RESOURCE_CREATE_2D:
	case GPU_CMD_RESOURCE_ATTACH_BACKING:
		if (!ok) {
			startup_failed(g, "creating the resource", type);
		}
		return;
	case GPU_CMD_SET_SCANOUT:
		if (!ok) {
			startup_failed(g, "SET_SCANOUT", type);
			return;
		}
		g->ready = true;
		log_info("gpu", "%s: scanout 0 shows our %ux%u R8G8B8A8 back buffer", g->vd.name,
			 g->back->width, g->back->height);
		display_present(); /* a frame drawn meanwhile waits no longer */
		return;
	case GPU_CMD_RESOURCE_FLUSH:
		account_present(g, cmd->sent_ns);
		return;
	default:
		if (!ok) {
			log_warn("gpu", "%s: command %#x answered %#x", g->vd.name, cmd->type,
				 type);
		}
		return;
	}
}

static void gpu_poll(struct task *task)
{
	struct virtio_gpu *g = task->data;
	void *token;
	uint32_t written;
	int got;

	while (!g->vd.failed && (got = vq_get_used(&g->ctrlq, &token, &written)) == 1) {
		on_response(g, token, written);
	}
	if (got < 0) {
		virtio_fail(&g->vd, vq_broken_reason(&g->ctrlq));
	}
}

static void probe_capsets(struct virtio_gpu *g)
{
	uint32_t count = virtio_config_read32(&g->vd, GPU_CONFIG_NUM_CAPSETS);
	log_info("gpu", "%s: virgl %s, %u 3D capability sets", g->vd.name,
		 (g->vd.features & GPU_FEATURE_VIRGL) ? "offered" : "not offered", count);
	for (uint32_t i = 0; i < count && i < CMD_SLOTS / 2; i++) {
		send_capset_info(g, i);
	}
}

int virtio_gpu_probe(struct pci_device *pci)
{
	struct virtio_gpu *g = kzalloc(sizeof(*g));
	if (g == NULL || virtio_start(&g->vd, pci, "virtio-gpu") != 0 ||
	    virtio_negotiate(&g->vd, GPU_FEATURE_VIRGL) != 0) {
		return -1;
	}
	uint64_t pool = pmm_alloc(POOL_ORDER);
	if (pool == PMM_NO_MEMORY || virtio_queue_setup(&g->vd, 0, &g->ctrlq, 64) != 0) {
		virtio_fail(&g->vd, "no memory for the control queue");
		return -1;
	}
	g->pool = phys_to_virt(pool);
	g->pool_phys = pool;
	g->task = (struct task){.name = "virtio-gpu", .poll = gpu_poll, .data = g};
	g->backend = (struct display_backend){.name = "virtio-gpu",
					      .attach = gpu_attach,
					      .present = gpu_present,
					      .reading = gpu_reading};
	g->previous = display_backend();
	if (virtio_finish(&g->vd, &g->task) != 0) {
		return -1;
	}
	task_add(&g->task);
	if (send_simple(g, GPU_CMD_GET_DISPLAY_INFO, sizeof(struct gpu_header)) != 0) {
		virtio_fail(&g->vd, "cannot ask for the display size");
		return -1;
	}
	probe_capsets(g);
	return 0;
}
