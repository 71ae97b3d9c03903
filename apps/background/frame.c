/*
 * apps/background/frame.c — see frame.h.
 */
#include "apps/background/frame.h"

#include <stdint.h>

#include "lib/string.h"

#define BG_CHUNK_WORDS 32 /* 64 pixels: what is rewritten around a difference */

void bg_frame_free(struct fomos_context *ctx, struct bg_frame *f)
{
	if (f->px != NULL) {
		ctx->cdalloc(f->px, f->w * f->h * sizeof(*f->px), 64);
	}
	*f = (struct bg_frame){0};
}

/* The backdrop's rows y0 .. y1-1, columns x0 .. x1-1, back into f. */
static void bg_restore(struct bg_frame *f, const struct bg_backdrop *bd, const struct bg_box *b)
{
	for (size_t y = b->y0; y < b->y1 && b->x0 < b->x1; y++) {
		memcpy(&f->px[y * f->w + b->x0], &bd->px[y * bd->w + b->x0],
		       (b->x1 - b->x0) * sizeof(*f->px));
	}
}

bool bg_frame_draw(struct fomos_context *ctx, struct bg_frame *f, const struct bg_backdrop *bd,
		   const struct bg_anim *a, uint64_t t_ms)
{
	if (f->px == NULL || f->w != bd->w || f->h != bd->h) {
		bg_frame_free(ctx, f);
		f->px = ctx->calloc(bd->w * bd->h * sizeof(*f->px), 64);
		if (f->px == NULL) {
			return false;
		}
		f->w = bd->w;
		f->h = bd->h;
	}
	if (!f->drawn) {
		memcpy(f->px, bd->px, f->w * f->h * sizeof(*f->px));
	} else {
		for (size_t i = 0; i < BG_ANIM_BOXES; i++) {
			bg_restore(f, bd, &f->boxes.box[i]);
		}
	}
	struct fomos_framebuffer fb = {.pixels = f->px, .len = f->w * f->h, .w = f->w, .h = f->h};
	bg_anim_draw(a, &fb, t_ms, &f->boxes);
	f->drawn = true;
	return true;
}

/* How many of the n words at a and b are equal before the first that is not. */
static size_t bg_same_words(const uint64_t *a, const uint64_t *b, size_t n)
{
	size_t left = n;
	bool all_equal;

	if (n == 0) {
		return 0;
	}
	__asm__ volatile("repe cmpsq"
			 : "+S"(a), "+D"(b), "+c"(left), "=@ccz"(all_equal)
			 :
			 : "memory");
	return all_equal ? n : n - left - 1;
}

void bg_frame_show(const struct bg_frame *f, struct fomos_rgba *screen)
{
	size_t words = f->w * f->h / 2;
	uint64_t *to = (uint64_t *)(void *)screen;
	const uint64_t *from = (const uint64_t *)(const void *)f->px;

	for (size_t i = 0; i < words;) {
		i += bg_same_words(to + i, from + i, words - i);
		if (i >= words) {
			break;
		}
		size_t chunk = i - i % BG_CHUNK_WORDS;
		size_t end = chunk + BG_CHUNK_WORDS < words ? chunk + BG_CHUNK_WORDS : words;
		memcpy(to + chunk, from + chunk, (end - chunk) * sizeof(*to));
		i = end;
	}
	size_t last = f->w * f->h - 1;
	if ((f->w * f->h) % 2 != 0 && memcmp(&screen[last], &f->px[last], sizeof(*screen)) != 0) {
		screen[last] = f->px[last];
	}
}
