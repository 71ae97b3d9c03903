/*
 * apps/background/frame.h — the background's picture of the current
 * frame, kept in a buffer of its own, and written to the screen only
 * where the screen differs from it.
 *
 * Why: the compositor presents only the pages of the shared screen that
 * were written (desktop/compositor.h). Copying the whole backdrop every
 * frame wrote all of them, so the whole screen was presented 60 times a
 * second though only the animation moved. Now the frame buffer is brought
 * up to date cheaply (where the animation was last frame the backdrop is
 * put back, then the animation drawn anew), and the screen is compared
 * with it: what another app drew over the background last frame (the
 * cursor, an old full-screen app) differs and is repaired, what nobody
 * touched is left alone and not written.
 *
 * Comparing costs what the old copy did: `repe cmpsq`, under TCG as fast
 * per byte as the `rep movsq` of memcpy, and it only reads.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "apps/background/anim.h"
#include "apps/background/backdrop.h"
#include "fomos.h"

struct bg_frame {
	struct fomos_rgba *px; /* w * h, from ctx->calloc; NULL until the first draw */
	size_t w, h;
	bool drawn;	       /* px holds backdrop + animation at `boxes` */
	struct bg_boxes boxes; /* where the animation is in px */
};

/*
 * Brings f to the backdrop plus the animation at t_ms (the backdrop's
 * size). False when there is no memory for it (the caller draws directly).
 */
bool bg_frame_draw(struct fomos_context *ctx, struct bg_frame *f, const struct bg_backdrop *bd,
		   const struct bg_anim *a, uint64_t t_ms);

/* Writes f onto the screen (the same size) wherever the screen differs from it. */
void bg_frame_show(const struct bg_frame *f, struct fomos_rgba *screen);

void bg_frame_free(struct fomos_context *ctx, struct bg_frame *f);
