/*
 * The region every app shares; see app_shared.h. The screen alias follows
 * the display: whenever the back buffer moves or changes size, the old
 * alias is unmapped and a new one made, page by page, from the physical
 * frames behind the kernel's address (the back buffer is whole pages:
 * drivers/display.c).
 */
#include "runtime/app_shared.h"

#include <stdbool.h>
#include <stddef.h>

#include "arch/x86_64/user_mode.h"
#include "kernel/log.h"
#include "lib/canvas.h"
#include "lib/damage.h"
#include "lib/string.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define GATE_PAGE   APP_SHARED_BASE
#define INPUT_PAGE  (APP_SHARED_BASE + PAGE_SIZE)
#define NO_SCREEN   (APP_SHARED_BASE + 2 * PAGE_SIZE)
#define SCREEN_BASE (APP_SHARED_BASE + (1ull << 30))
#define SCREEN_MAX  (1ull << 30)

#define USER_READ_EXEC (PTE_GLOBAL | PTE_USER)
#define USER_READ      (PTE_GLOBAL | PTE_USER | PTE_NO_EXECUTE)
#define USER_WRITE     (PTE_GLOBAL | PTE_USER | PTE_WRITABLE | PTE_NO_EXECUTE)

_Static_assert(sizeof(struct fomos_input) <= PAGE_SIZE, "the input snapshot fits a page");

static struct fomos_input *input_copy; /* the kernel's alias of INPUT_PAGE */
static const struct fomos_input *copied_from;
static const uint32_t *aliased_pixels;
static uint64_t aliased_pages;
static uint32_t aliased_stride; /* pixels */

static int map_frame(uintptr_t va, uint64_t flags, void **kernel_alias)
{
	uint64_t frame = pmm_alloc_frame();
	if (frame == PMM_NO_MEMORY || vmm_map_page(va, frame, flags) != 0) {
		return -1;
	}
	if (kernel_alias != NULL) {
		*kernel_alias = phys_to_virt(frame);
	}
	return 0;
}

int app_shared_init(void)
{
	void *input = NULL;
	if (vmm_map_page(GATE_PAGE, user_gates_phys(), USER_READ_EXEC) != 0 ||
	    map_frame(INPUT_PAGE, USER_READ, &input) != 0 ||
	    map_frame(NO_SCREEN, USER_WRITE, NULL) != 0) {
		log_error("app", "no memory for the pages apps share: apps disabled");
		return -1;
	}
	input_copy = input;
	return 0;
}

const struct fomos_input *app_shared_input(const struct fomos_input *input, bool fresh)
{
	if (fresh || input != copied_from) {
		memcpy(input_copy, input, sizeof(*input));
		copied_from = input;
	}
	return (const struct fomos_input *)INPUT_PAGE;
}

static void unmap_screen(void)
{
	for (uint64_t i = 0; i < aliased_pages; i++) {
		vmm_unmap_page(SCREEN_BASE + i * PAGE_SIZE);
	}
	aliased_pixels = NULL;
	aliased_pages = 0;
}

struct fomos_rgba *app_shared_screen(const struct canvas *screen)
{
	if (screen == NULL) {
		return (struct fomos_rgba *)NO_SCREEN;
	}
	uint64_t bytes = (uint64_t)screen->stride * screen->height * 4;
	uint64_t pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	if (screen->pixels == aliased_pixels && pages == aliased_pages) {
		return (struct fomos_rgba *)SCREEN_BASE;
	}
	unmap_screen();
	if (bytes > SCREEN_MAX) {
		return NULL;
	}
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t pa, flags;
		uintptr_t va = (uintptr_t)screen->pixels + i * PAGE_SIZE;
		if (!vmm_translate(va, &pa, &flags) ||
		    vmm_map_page(SCREEN_BASE + i * PAGE_SIZE, pa, USER_WRITE) != 0) {
			aliased_pages = i;
			unmap_screen();
			return NULL;
		}
		aliased_pages = i + 1;
	}
	aliased_pixels = screen->pixels;
	aliased_stride = screen->stride;
	return (struct fomos_rgba *)SCREEN_BASE;
}

static void add_written(size_t first, size_t end, void *damage)
{
	damage_add_span(damage, 0, 0, first / 4, (end + 3) / 4, aliased_stride);
}

void app_shared_take_written(struct damage *d)
{
	vmm_take_written(SCREEN_BASE, aliased_pages * PAGE_SIZE, add_written, d);
}
