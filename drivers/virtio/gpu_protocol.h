/*
 * virtio-gpu 2D command layouts, from the virtio 1.x specification
 * ("GPU Device"). Everything is little-endian, like x86-64, and the sizes
 * are pinned: the device reads these bytes as they are.
 */
#pragma once

#include <stdint.h>

enum virtio_gpu_cmd {
	GPU_CMD_GET_DISPLAY_INFO = 0x0100,
	GPU_CMD_RESOURCE_CREATE_2D = 0x0101,
	GPU_CMD_SET_SCANOUT = 0x0103,
	GPU_CMD_RESOURCE_FLUSH = 0x0104,
	GPU_CMD_TRANSFER_TO_HOST_2D = 0x0105,
	GPU_CMD_RESOURCE_ATTACH_BACKING = 0x0106,
	GPU_CMD_GET_CAPSET_INFO = 0x0108,
	GPU_RESP_OK_NODATA = 0x1100,
	GPU_RESP_OK_DISPLAY_INFO = 0x1101,
	GPU_RESP_OK_CAPSET_INFO = 0x1102,
};

#define GPU_FEATURE_VIRGL	  (1ull << 0)
#define GPU_FORMAT_R8G8B8A8_UNORM 67 /* bytes r, g, b, a in memory: our pixels */
#define GPU_MAX_SCANOUTS	  16
#define GPU_CONFIG_NUM_SCANOUTS	  8
#define GPU_CONFIG_NUM_CAPSETS	  12

struct gpu_header {
	uint32_t type;
	uint32_t flags;
	uint64_t fence_id;
	uint32_t ctx_id;
	uint8_t ring_idx;
	uint8_t padding[3];
};
_Static_assert(sizeof(struct gpu_header) == 24, "virtio-gpu ctrl header");

struct gpu_rect {
	uint32_t x, y, width, height;
};

struct gpu_display_info {
	struct gpu_header header;
	struct {
		struct gpu_rect rect;
		uint32_t enabled;
		uint32_t flags;
	} modes[GPU_MAX_SCANOUTS];
};
_Static_assert(sizeof(struct gpu_display_info) == 24 + 16 * 24, "virtio-gpu display info");

struct gpu_resource_create_2d {
	struct gpu_header header;
	uint32_t resource_id;
	uint32_t format;
	uint32_t width, height;
};
_Static_assert(sizeof(struct gpu_resource_create_2d) == 40, "virtio-gpu create 2d");

struct gpu_mem_entry {
	uint64_t addr;
	uint32_t length;
	uint32_t padding;
};

struct gpu_attach_backing {
	struct gpu_header header;
	uint32_t resource_id;
	uint32_t nr_entries;
	/* followed by nr_entries struct gpu_mem_entry */
};
_Static_assert(sizeof(struct gpu_attach_backing) == 32, "virtio-gpu attach backing");

struct gpu_set_scanout {
	struct gpu_header header;
	struct gpu_rect rect;
	uint32_t scanout_id;
	uint32_t resource_id;
};
_Static_assert(sizeof(struct gpu_set_scanout) == 48, "virtio-gpu set scanout");

struct gpu_transfer_to_host_2d {
	struct gpu_header header;
	struct gpu_rect rect;
	uint64_t offset;
	uint32_t resource_id;
	uint32_t padding;
};
_Static_assert(sizeof(struct gpu_transfer_to_host_2d) == 56, "virtio-gpu transfer");

struct gpu_resource_flush {
	struct gpu_header header;
	struct gpu_rect rect;
	uint32_t resource_id;
	uint32_t padding;
};
_Static_assert(sizeof(struct gpu_resource_flush) == 48, "virtio-gpu flush");

struct gpu_get_capset_info {
	struct gpu_header header;
	uint32_t capset_index;
	uint32_t padding;
};

struct gpu_capset_info {
	struct gpu_header header;
	uint32_t capset_id;
	uint32_t capset_max_version;
	uint32_t capset_max_size;
	uint32_t padding;
};
_Static_assert(sizeof(struct gpu_capset_info) == 40, "virtio-gpu capset info");
