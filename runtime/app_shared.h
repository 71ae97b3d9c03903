/*
 * What every app sees besides its own slot (runtime/app_memory.h), at user
 * addresses of one region, all of it aliases of kernel memory:
 *
 *   APP_SHARED_BASE           the gate page (arch/x86_64/user_mode.h):
 *                             read+execute, the code through which an app
 *                             enters _start and reaches its Context
 *   + 4 KiB                   this frame's input as the windowless apps
 *                             see it (runtime/input_view.h): read-only
 *   + 1 GiB                   the screen (the display's shared layer):
 *                             read+write for every windowless app (an app
 *                             with a window draws into a surface in its
 *                             own arena: desktop/windows.h)
 *
 * The kernel writes the snapshot and draws on the screen through its own
 * addresses; nothing here is a page the kernel trusts.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/user_mode.h"
#include "include/fomos.h"

#define APP_SHARED_BASE 0xffffb00000000000ull /* the gate page */

struct canvas;
struct damage;

/* Map the gate and input pages; 0, or negative (no memory). */
int app_shared_init(void);

/* The user address of gate i, and of the trampoline that enters _start (slot 0). */
static inline uintptr_t app_shared_gate(unsigned i)
{
	return APP_SHARED_BASE + (uintptr_t)i * USER_GATE_SIZE;
}

static inline uintptr_t app_shared_trampoline(void)
{
	return APP_SHARED_BASE;
}

/*
 * The input snapshot as apps see it: `input` copied into the shared page
 * unless it is the snapshot copied last (the frame loop passes a new one
 * every frame).
 */
const struct fomos_input *app_shared_input(const struct fomos_input *input, bool fresh);

/*
 * The screen as apps see it: an alias of screen's pixels (the shared layer) (re-made when
 * the display changes), or of a one-pixel dummy when there is no screen;
 * NULL when even that cannot be mapped.
 */
struct fomos_rgba *app_shared_screen(const struct canvas *screen);

/*
 * What apps wrote into the screen alias since the last call, added to d
 * (whole rows, or part of one: the CPU marks 4 KiB pages written). A new
 * alias (the display changed) starts with nothing written: whoever made
 * the screen anew presents all of it.
 */
void app_shared_take_written(struct damage *d);
