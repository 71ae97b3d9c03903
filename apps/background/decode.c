/*
 * apps/background/decode.c — PNG to premultiplied pixels, with stb_image.
 *
 * stb_image (Debian's libstb-dev, <stb/stb_image.h>) is a real, widely used
 * decoder; this file is the only one that includes it, and configures it to
 * live without libc:
 * - PNG only, no stdio, no HDR or linear-float paths (so no libm), no SIMD
 *   (PNG has none; it would only pull in cpuid probing), no thread-local
 *   error string (TLS needs relocations the app loader refuses).
 * - STBI_ASSERT is a no-op: its asserts are internal consistency checks,
 *   and a trap inside an app should never be the answer to a bad file;
 *   every input check stb makes is an ordinary error return.
 * - Its allocator is ctx->calloc/ctx->cdalloc. Those need the block's size
 *   again at free time, and stb's free passes only the pointer, so every
 *   block carries a 16-byte header holding its size; realloc is
 *   alloc + copy + free.
 * - memcpy/memset/memmove come from lib/string.c; abs is the compiler's
 *   builtin (see below). Nothing else from libc is referenced.
 *
 * The context stb's allocator calls reach is a file-scope pointer that is
 * set only while bg_picture_decode() runs (stb's hooks take no argument).
 * It is never used across calls of _start, so nothing depends on the app
 * image's data surviving between calls.
 *
 * Callers: main.c, once, at the first call. Never per frame.
 */
#include "apps/background/picture.h"

#include "apps/background/log.h"
#include "apps/background/pixel.h"
#include "lib/string.h"

/* ------------------------------------------------- stb's allocator ---- */

#define BG_ALLOC_HEADER 16 /* keeps the payload 16-byte aligned */

static struct fomos_context *bg_decode_ctx;

static void *bg_stb_malloc(size_t size)
{
	if (bg_decode_ctx == NULL || size > SIZE_MAX - BG_ALLOC_HEADER) {
		return NULL;
	}
	size_t *block = bg_decode_ctx->calloc(size + BG_ALLOC_HEADER, BG_ALLOC_HEADER);
	if (block == NULL) {
		return NULL;
	}
	block[0] = size;
	return (uint8_t *)block + BG_ALLOC_HEADER;
}

static void bg_stb_free(void *p)
{
	if (p == NULL || bg_decode_ctx == NULL) {
		return;
	}
	size_t *block = (size_t *)((uint8_t *)p - BG_ALLOC_HEADER);
	bg_decode_ctx->cdalloc(block, block[0] + BG_ALLOC_HEADER, BG_ALLOC_HEADER);
}

static void *bg_stb_realloc(void *p, size_t new_size)
{
	if (p == NULL) {
		return bg_stb_malloc(new_size);
	}
	size_t old_size = ((size_t *)((uint8_t *)p - BG_ALLOC_HEADER))[0];
	void *q = bg_stb_malloc(new_size);
	if (q == NULL) {
		return NULL; /* realloc semantics: the old block stays valid */
	}
	memcpy(q, p, old_size < new_size ? old_size : new_size);
	bg_stb_free(p);
	return q;
}

/* ------------------------------------------------------ stb itself ---- */

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#define STBI_NO_HDR
#define STBI_NO_LINEAR
#define STBI_NO_SIMD
#define STBI_NO_THREAD_LOCALS
#define STBI_MAX_DIMENSIONS		    8192
#define STBI_ASSERT(x)			    ((void)sizeof(x))
#define STBI_MALLOC(sz)			    bg_stb_malloc(sz)
#define STBI_REALLOC_SIZED(p, oldsz, newsz) ((void)(oldsz), bg_stb_realloc(p, newsz))
#define STBI_FREE(p)			    bg_stb_free(p)
/* stb's PNG filters call abs() three times per byte. With -ffreestanding
 * that would be an out-of-line libc call (and this app has no libc); the
 * builtin is inline code. <stdlib.h> comes first so its declaration of
 * abs is not touched by the macro (stb includes it again, guarded). */
#include <stdlib.h>
#define abs(x) __builtin_abs(x)
#include <stb/stb_image.h>

/* ------------------------------------------------------- the decode ---- */

/* Copies stb's straight-alpha RGBA into pic->px, premultiplying. */
static void bg_premultiply(struct bg_picture *pic, const uint8_t *rgba)
{
	size_t n = (size_t)pic->w * pic->h;

	for (size_t i = 0; i < n; i++) {
		const uint8_t *s = rgba + 4 * i;
		uint32_t a = s[3];

		pic->px[i] = (struct fomos_rgba){bg_mul255(s[0], a), bg_mul255(s[1], a),
						 bg_mul255(s[2], a), (uint8_t)a};
	}
}

int bg_picture_decode(struct fomos_context *ctx, const uint8_t *png, size_t size,
		      struct bg_picture *out)
{
	int w = 0, h = 0, channels = 0;
	int rc = 0;

	*out = (struct bg_picture){0};
	if (size == 0 || size > INT32_MAX) {
		bg_logf(ctx, "picture: bad embedded file (%zu bytes)", size);
		return -1;
	}
	bg_decode_ctx = ctx;
	uint8_t *rgba = stbi_load_from_memory(png, (int)size, &w, &h, &channels, 4);
	if (rgba == NULL) {
		bg_logf(ctx, "picture: stb_image: %s", stbi_failure_reason());
		rc = -1;
		goto out;
	}
	out->px = ctx->calloc((size_t)w * (size_t)h * sizeof(struct fomos_rgba), 16);
	if (out->px == NULL) {
		bg_logf(ctx, "picture: out of memory for %dx%d pixels", w, h);
		rc = -1;
		goto out_free;
	}
	out->w = (uint32_t)w;
	out->h = (uint32_t)h;
	bg_premultiply(out, rgba);
out_free:
	stbi_image_free(rgba);
out:
	bg_decode_ctx = NULL;
	return rc;
}
