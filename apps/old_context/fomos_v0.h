/*
 * apps/old_context/fomos_v0.h — the oldest app context, frozen.
 *
 * The original Fomos's first test app (app_test) knew only these five
 * fields: it predates calloc, cdalloc, store and input. This header is
 * that context as it was, on purpose a copy and not include/fomos.h: the
 * app built against it proves that fields are only ever appended, so an
 * app built for the oldest layout still runs on the current kernel. Never
 * edit it to follow include/fomos.h; the asserts pin the old offsets.
 *
 *   offset  field        meaning
 *   0       version      ABI version of the context the kernel passes
 *   8       start_time   milliseconds since boot at this call
 *   16      log          write one log line (not NUL-terminated)
 *   24      pid          this app's id
 *   32..63  fb           the screen: pixels, len (= w * h), w, h
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct fomos_v0_rgba {
	uint8_t r, g, b, a;
};

struct fomos_v0_framebuffer {
	struct fomos_v0_rgba *pixels;
	size_t len;
	size_t w;
	size_t h;
};

struct fomos_v0_context {
	uint8_t version;
	uint64_t start_time;
	void (*log)(const char *s, uint32_t len);
	uint64_t pid;
	struct fomos_v0_framebuffer fb;
};

_Static_assert(sizeof(struct fomos_v0_rgba) == 4, "rgba is 4 bytes");
_Static_assert(offsetof(struct fomos_v0_context, version) == 0, "version");
_Static_assert(offsetof(struct fomos_v0_context, start_time) == 8, "start_time");
_Static_assert(offsetof(struct fomos_v0_context, log) == 16, "log");
_Static_assert(offsetof(struct fomos_v0_context, pid) == 24, "pid");
_Static_assert(offsetof(struct fomos_v0_context, fb) == 32, "fb");
_Static_assert(offsetof(struct fomos_v0_context, fb.pixels) == 32, "fb.pixels");
_Static_assert(offsetof(struct fomos_v0_context, fb.len) == 40, "fb.len");
_Static_assert(offsetof(struct fomos_v0_context, fb.w) == 48, "fb.w");
_Static_assert(offsetof(struct fomos_v0_context, fb.h) == 56, "fb.h");
_Static_assert(sizeof(struct fomos_v0_context) == 64, "the oldest context is 64 bytes");

int32_t _start(struct fomos_v0_context *ctx);
