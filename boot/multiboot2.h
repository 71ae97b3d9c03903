/*
 * Decoding the multiboot2 boot information GRUB leaves us (memory map,
 * command line, modules, framebuffer, ACPI RSDP) into a struct boot_info.
 *
 * This is the "decode" step for data we did not produce: every tag is
 * bounds-checked against the total size, strings must be terminated inside
 * their tag, and an inconsistent structure is refused as a whole. Pure
 * logic, built on the host for unit tests.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289u
#define MB2_MAX_MMAP	     128
#define MB2_MAX_MODULES	     16
#define MB2_MAX_SIZE	     (1u << 20) /* far above anything GRUB produces */

enum mb2_memory_type {
	MB2_MEMORY_AVAILABLE = 1,
	MB2_MEMORY_RESERVED = 2,
	MB2_MEMORY_ACPI_RECLAIMABLE = 3,
	MB2_MEMORY_NVS = 4,
	MB2_MEMORY_BADRAM = 5,
};

struct boot_mmap_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type;
};

struct boot_module {
	uint64_t start, end; /* physical, end exclusive */
	const char *name;
};

/* A direct-colour framebuffer; only these are used (others: serial only). */
struct boot_framebuffer {
	uint64_t addr; /* physical */
	uint32_t pitch, width, height;
	uint8_t bpp;
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

struct boot_info {
	uint32_t total_size;
	const char *cmdline;	 /* "" when absent */
	const char *loader_name; /* "" when absent */
	size_t mmap_count;
	struct boot_mmap_entry mmap[MB2_MAX_MMAP];
	size_t module_count;
	struct boot_module modules[MB2_MAX_MODULES];
	bool has_framebuffer;
	uint8_t framebuffer_type; /* as reported, even when not usable */
	struct boot_framebuffer fb;
	const void *acpi_rsdp; /* copy inside the boot information, or NULL */
	size_t acpi_rsdp_len;
	bool efi_booted;
};

enum mb2_error {
	MB2_OK = 0,
	MB2_E_TRUNCATED = -1,  /* a size field points past the end */
	MB2_E_MALFORMED = -2,  /* a tag is inconsistent in itself */
	MB2_E_NO_END_TAG = -3, /* the tag list does not end properly */
};

/*
 * Decode the boot information at mbi (8-byte aligned). size_limit bounds
 * how much may be read (the caller's mapping); total_size must fit inside.
 */
int mb2_parse(const void *mbi, size_t size_limit, struct boot_info *out);

const char *mb2_memory_type_name(uint32_t type);
