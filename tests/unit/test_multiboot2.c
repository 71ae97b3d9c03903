/*
 * Host tests for boot/multiboot2.c: a builder assembles boot information
 * the way GRUB lays it out, and the decoder must read every field back;
 * then malformed variants (truncation at every length, tags running past
 * the end, unterminated strings, bad sizes, random corruption) must be
 * refused or decoded without reading out of bounds (ASan watches).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "boot/multiboot2.h"
#include "kernel/cmdline.h"

struct builder {
	uint8_t buf[4096] __attribute__((aligned(8)));
	uint32_t len;
};

static void put32(struct builder *b, uint32_t at, uint32_t v)
{
	memcpy(b->buf + at, &v, 4);
}

static void put64(struct builder *b, uint32_t at, uint64_t v)
{
	memcpy(b->buf + at, &v, 8);
}

/* Starts a tag; returns its offset. Call end_tag() when its body is written. */
static uint32_t begin_tag(struct builder *b, uint32_t type)
{
	uint32_t at = b->len;
	put32(b, at, type);
	b->len += 8;
	return at;
}

static void end_tag(struct builder *b, uint32_t at)
{
	put32(b, at + 4, b->len - at);
	b->len = (b->len + 7) & ~7u;
}

static void add_string_tag(struct builder *b, uint32_t type, const char *s)
{
	uint32_t at = begin_tag(b, type);
	memcpy(b->buf + b->len, s, strlen(s) + 1);
	b->len += (uint32_t)strlen(s) + 1;
	end_tag(b, at);
}

static void add_mmap(struct builder *b, const uint64_t (*entries)[3], int n)
{
	uint32_t at = begin_tag(b, 6);
	put32(b, b->len, 24);
	put32(b, b->len + 4, 0);
	b->len += 8;
	for (int i = 0; i < n; i++) {
		put64(b, b->len, entries[i][0]);
		put64(b, b->len + 8, entries[i][1]);
		put32(b, b->len + 16, (uint32_t)entries[i][2]);
		put32(b, b->len + 20, 0);
		b->len += 24;
	}
	end_tag(b, at);
}

static void add_framebuffer(struct builder *b, uint8_t red_pos, uint8_t blue_pos)
{
	uint32_t at = begin_tag(b, 8);
	put64(b, b->len, 0xfd000000);
	put32(b, b->len + 8, 1280 * 4);
	put32(b, b->len + 12, 1280);
	put32(b, b->len + 16, 800);
	b->buf[b->len + 20] = 32; /* bpp */
	b->buf[b->len + 21] = 1;  /* RGB */
	b->len += 24;		  /* + u16 reserved, as GRUB lays it out */
	uint8_t colors[6] = {red_pos, 8, 8, 8, blue_pos, 8};
	memcpy(b->buf + b->len, colors, 6);
	b->len += 6;
	end_tag(b, at);
}

static void add_module(struct builder *b, uint32_t start, uint32_t end, const char *name)
{
	uint32_t at = begin_tag(b, 3);
	put32(b, b->len, start);
	put32(b, b->len + 4, end);
	b->len += 8;
	memcpy(b->buf + b->len, name, strlen(name) + 1);
	b->len += (uint32_t)strlen(name) + 1;
	end_tag(b, at);
}

static void finish(struct builder *b)
{
	uint32_t at = begin_tag(b, 0);
	end_tag(b, at);
	put32(b, 0, b->len);
}

static void build_typical(struct builder *b)
{
	static const uint64_t mmap[][3] = {
	    {0, 0x9fc00, 1},	     {0x9fc00, 0x400, 2},      {0x100000, 0x7ee0000, 1},
	    {0x7fe0000, 0x20000, 2}, {0xfffc0000, 0x40000, 2},
	};
	memset(b, 0, sizeof(*b));
	b->len = 8;
	add_string_tag(b, 1, "selftest loglevel=debug");
	add_string_tag(b, 2, "GRUB 2.06");
	add_module(b, 0x200000, 0x201000, "apps.tar");
	add_mmap(b, mmap, 5);
	add_framebuffer(b, 16, 0);
	finish(b);
}

static void decodes_typical_boot_information(void **state)
{
	(void)state;
	struct builder b;
	static struct boot_info info;

	build_typical(&b);
	assert_int_equal(mb2_parse(b.buf, sizeof(b.buf), &info), MB2_OK);
	assert_string_equal(info.cmdline, "selftest loglevel=debug");
	assert_string_equal(info.loader_name, "GRUB 2.06");
	assert_int_equal(info.mmap_count, 5);
	assert_int_equal(info.mmap[2].base, 0x100000);
	assert_int_equal(info.mmap[2].length, 0x7ee0000);
	assert_int_equal(info.mmap[2].type, MB2_MEMORY_AVAILABLE);
	assert_int_equal(info.module_count, 1);
	assert_string_equal(info.modules[0].name, "apps.tar");
	assert_int_equal(info.modules[0].end - info.modules[0].start, 0x1000);
	assert_true(info.has_framebuffer);
	assert_int_equal(info.fb.width, 1280);
	assert_int_equal(info.fb.height, 800);
	assert_int_equal(info.fb.pitch, 5120);
	assert_int_equal(info.fb.red_pos, 16);
	assert_int_equal(info.fb.blue_pos, 0);
	assert_false(info.efi_booted);
}

static void refuses_every_truncation(void **state)
{
	(void)state;
	struct builder b;
	static struct boot_info info;

	build_typical(&b);
	for (uint32_t limit = 0; limit < b.len; limit++) {
		uint8_t *copy = malloc(limit ? limit : 1); /* exact size: ASan sees overreads */
		memcpy(copy, b.buf, limit);
		assert_int_not_equal(mb2_parse(copy, limit, &info), MB2_OK);
		free(copy);
	}
}

static void refuses_tag_past_end(void **state)
{
	(void)state;
	struct builder b;
	static struct boot_info info;

	build_typical(&b);
	put32(&b, 8 + 4, 0x10000); /* first tag claims 64 KiB */
	assert_int_equal(mb2_parse(b.buf, sizeof(b.buf), &info), MB2_E_TRUNCATED);
	build_typical(&b);
	put32(&b, 8 + 4, 4); /* smaller than a tag header */
	assert_int_equal(mb2_parse(b.buf, sizeof(b.buf), &info), MB2_E_TRUNCATED);
}

static void refuses_unterminated_string(void **state)
{
	(void)state;
	struct builder b;
	static struct boot_info info;

	memset(&b, 0, sizeof(b));
	b.len = 8;
	uint32_t at = begin_tag(&b, 1);
	memcpy(b.buf + b.len, "abcdefgh", 8); /* no NUL inside the tag */
	b.len += 8;
	end_tag(&b, at);
	finish(&b);
	assert_int_equal(mb2_parse(b.buf, sizeof(b.buf), &info), MB2_E_MALFORMED);
}

static void refuses_missing_end_tag(void **state)
{
	(void)state;
	struct builder b;
	static struct boot_info info;

	memset(&b, 0, sizeof(b));
	b.len = 8;
	add_string_tag(&b, 2, "GRUB");
	put32(&b, 0, b.len);
	assert_int_equal(mb2_parse(b.buf, sizeof(b.buf), &info), MB2_E_NO_END_TAG);
}

static void text_mode_framebuffer_is_not_used(void **state)
{
	(void)state;
	struct builder b;
	static struct boot_info info;

	memset(&b, 0, sizeof(b));
	b.len = 8;
	uint32_t at = begin_tag(&b, 8);
	put64(&b, b.len, 0xb8000);
	put32(&b, b.len + 8, 160);
	put32(&b, b.len + 12, 80);
	put32(&b, b.len + 16, 25);
	b.buf[b.len + 20] = 16;
	b.buf[b.len + 21] = 2; /* EGA text */
	b.len += 24;
	end_tag(&b, at);
	finish(&b);
	assert_int_equal(mb2_parse(b.buf, sizeof(b.buf), &info), MB2_OK);
	assert_false(info.has_framebuffer);
	assert_int_equal(info.framebuffer_type, 2);
}

static void framebuffer_at_address_zero_is_not_used(void **state)
{
	(void)state;
	struct builder b;
	static struct boot_info info;

	build_typical(&b);
	/* the framebuffer tag is the last before the end tag: find it */
	for (uint32_t at = 8; at < b.len;) {
		uint32_t type, size;
		memcpy(&type, b.buf + at, 4);
		memcpy(&size, b.buf + at + 4, 4);
		if (type == 8) {
			put64(&b, at + 8, 0);
		}
		at += (size + 7) & ~7u;
	}
	assert_int_equal(mb2_parse(b.buf, sizeof(b.buf), &info), MB2_OK);
	assert_false(info.has_framebuffer);
}

static void survives_random_corruption(void **state)
{
	(void)state;
	struct builder b;
	static struct boot_info info;
	unsigned seed = 7;

	for (int round = 0; round < 20000; round++) {
		build_typical(&b);
		for (int flips = 0; flips < 4; flips++) {
			seed = seed * 1103515245u + 12345u;
			uint32_t at = (seed >> 8) % b.len;
			b.buf[at] ^= (uint8_t)(1u << ((seed >> 4) & 7));
		}
		uint32_t len = b.len;
		uint8_t *copy = malloc(len);
		memcpy(copy, b.buf, len);
		int err = mb2_parse(copy, len, &info);
		if (err == MB2_OK) {
			/* whatever was decoded must lie inside the copy */
			assert_true(info.mmap_count <= MB2_MAX_MMAP);
			assert_true(info.module_count <= MB2_MAX_MODULES);
			for (size_t i = 0; i < info.module_count; i++) {
				assert_true((const uint8_t *)info.modules[i].name >= copy &&
					    (const uint8_t *)info.modules[i].name < copy + len);
			}
		}
		free(copy);
	}
}

static void cmdline_finds_keys_and_values(void **state)
{
	(void)state;
	const char *v;
	size_t len;
	const char *line = "selftest=fault  loglevel=debug quiet";

	assert_true(cmdline_find(line, "loglevel", &v, &len));
	assert_int_equal(len, 5);
	assert_memory_equal(v, "debug", 5);
	assert_true(cmdline_is(line, "selftest", "fault"));
	assert_false(cmdline_is(line, "selftest", ""));
	assert_true(cmdline_is(line, "quiet", ""));
	assert_false(cmdline_find(line, "log", &v, &len));
	assert_false(cmdline_find("", "selftest", &v, &len));
	assert_true(cmdline_is("selftest", "selftest", ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(decodes_typical_boot_information),
	    cmocka_unit_test(refuses_every_truncation),
	    cmocka_unit_test(refuses_tag_past_end),
	    cmocka_unit_test(refuses_unterminated_string),
	    cmocka_unit_test(refuses_missing_end_tag),
	    cmocka_unit_test(text_mode_framebuffer_is_not_used),
	    cmocka_unit_test(framebuffer_at_address_zero_is_not_used),
	    cmocka_unit_test(survives_random_corruption),
	    cmocka_unit_test(cmdline_finds_keys_and_values),
	};
	return cmocka_run_group_tests_name("multiboot2", tests, NULL, NULL);
}
