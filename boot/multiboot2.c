/*
 * Multiboot2 boot information decoder; see multiboot2.h. The layout comes
 * from the Multiboot2 specification (tags of {u32 type, u32 size}, 8-byte
 * aligned, ended by a type-0 tag) with GRUB's framebuffer tag, whose colour
 * information starts at byte 32 of the tag.
 */
#include "boot/multiboot2.h"

#include "lib/bytes.h"
#include "lib/string.h"

enum {
	TAG_END = 0,
	TAG_CMDLINE = 1,
	TAG_LOADER_NAME = 2,
	TAG_MODULE = 3,
	TAG_MMAP = 6,
	TAG_FRAMEBUFFER = 8,
	TAG_EFI64 = 12,
	TAG_ACPI_OLD = 14,
	TAG_ACPI_NEW = 15,
};

#define FB_TYPE_RGB 1

/* A string field from offset `at` to the end of the tag, NUL inside it. */
static const char *tag_string(const uint8_t *tag, uint32_t size, uint32_t at)
{
	if (at >= size || strnlen((const char *)tag + at, size - at) == size - at) {
		return NULL;
	}
	return (const char *)tag + at;
}

static int parse_mmap(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
	if (size < 16) {
		return MB2_E_MALFORMED;
	}
	uint32_t entry_size = load_le32(tag + 8);
	if (entry_size < 24 || entry_size % 8 != 0) {
		return MB2_E_MALFORMED;
	}
	for (uint32_t at = 16; at + entry_size <= size && out->mmap_count < MB2_MAX_MMAP;
	     at += entry_size) {
		struct boot_mmap_entry *e = &out->mmap[out->mmap_count++];
		e->base = load_le64(tag + at);
		e->length = load_le64(tag + at + 8);
		e->type = load_le32(tag + at + 16);
	}
	return MB2_OK;
}

static int parse_module(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
	const char *name = tag_string(tag, size, 16);
	if (size < 17 || name == NULL) {
		return MB2_E_MALFORMED;
	}
	uint32_t start = load_le32(tag + 8), end = load_le32(tag + 12);
	if (end < start) {
		return MB2_E_MALFORMED;
	}
	if (out->module_count < MB2_MAX_MODULES) {
		out->modules[out->module_count++] = (struct boot_module){start, end, name};
	}
	return MB2_OK;
}

static int parse_framebuffer(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
	if (size < 31) {
		return MB2_E_MALFORMED;
	}
	struct boot_framebuffer *fb = &out->fb;
	fb->addr = load_le64(tag + 8);
	fb->pitch = load_le32(tag + 16);
	fb->width = load_le32(tag + 20);
	fb->height = load_le32(tag + 24);
	fb->bpp = tag[28];
	out->framebuffer_type = tag[29];
	if (out->framebuffer_type != FB_TYPE_RGB || size < 38) {
		return MB2_OK; /* indexed or text mode: reported, not used */
	}
	fb->red_pos = tag[32];
	fb->red_size = tag[33];
	fb->green_pos = tag[34];
	fb->green_size = tag[35];
	fb->blue_pos = tag[36];
	fb->blue_size = tag[37];
	/* Address 0: firmware display without a linear framebuffer (virtio-gpu under UEFI). */
	out->has_framebuffer = fb->addr != 0 && fb->width > 0 && fb->height > 0 &&
			       (uint64_t)fb->width * (fb->bpp / 8) <= fb->pitch;
	return MB2_OK;
}

static int parse_tag(const uint8_t *tag, uint32_t type, uint32_t size, struct boot_info *out)
{
	switch (type) {
	case TAG_CMDLINE:
		out->cmdline = tag_string(tag, size, 8);
		return out->cmdline != NULL ? MB2_OK : MB2_E_MALFORMED;
	case TAG_LOADER_NAME:
		out->loader_name = tag_string(tag, size, 8);
		return out->loader_name != NULL ? MB2_OK : MB2_E_MALFORMED;
	case TAG_MODULE:
		return parse_module(tag, size, out);
	case TAG_MMAP:
		return parse_mmap(tag, size, out);
	case TAG_FRAMEBUFFER:
		return parse_framebuffer(tag, size, out);
	case TAG_EFI64:
		out->efi_booted = true;
		return MB2_OK;
	case TAG_ACPI_OLD:
	case TAG_ACPI_NEW:
		/* Prefer the ACPI 2.0+ RSDP when both are given. */
		if (out->acpi_rsdp == NULL || type == TAG_ACPI_NEW) {
			out->acpi_rsdp = tag + 8;
			out->acpi_rsdp_len = size - 8;
		}
		return MB2_OK;
	default:
		return MB2_OK; /* tags we do not need are skipped */
	}
}

int mb2_parse(const void *mbi, size_t size_limit, struct boot_info *out)
{
	const uint8_t *base = mbi;

	memset(out, 0, sizeof(*out));
	out->cmdline = "";
	out->loader_name = "";
	if (size_limit < 16) {
		return MB2_E_TRUNCATED;
	}
	uint32_t total = load_le32(base);
	if (total < 16 || total > size_limit || total > MB2_MAX_SIZE) {
		return MB2_E_TRUNCATED;
	}
	out->total_size = total;
	for (uint32_t at = 8; at + 8 <= total;) {
		uint32_t type = load_le32(base + at), size = load_le32(base + at + 4);
		if (size < 8 || size > total - at) {
			return MB2_E_TRUNCATED;
		}
		if (type == TAG_END) {
			return size == 8 ? MB2_OK : MB2_E_MALFORMED;
		}
		int err = parse_tag(base + at, type, size, out);
		if (err != MB2_OK) {
			return err;
		}
		at += (size + 7) & ~7u;
	}
	return MB2_E_NO_END_TAG;
}

const char *mb2_memory_type_name(uint32_t type)
{
	switch (type) {
	case MB2_MEMORY_AVAILABLE:
		return "available";
	case MB2_MEMORY_RESERVED:
		return "reserved";
	case MB2_MEMORY_ACPI_RECLAIMABLE:
		return "ACPI reclaimable";
	case MB2_MEMORY_NVS:
		return "ACPI NVS";
	case MB2_MEMORY_BADRAM:
		return "bad RAM";
	default:
		return "unknown";
	}
}
