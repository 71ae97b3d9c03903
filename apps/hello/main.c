/*
 * apps/hello — hello in C, built the way the original Fomos built its C app.
 *
 * The build line is exactly the original's (apps/hello/app.mk):
 *
 *     gcc -nostdlib -static -fPIE -pie main.c -o hello.elf
 *
 * which links position-independent code at a fixed address: an ET_EXEC
 * file, the second kind of app binary docs/design.md §3 promises to load. So
 * this file needs no other flag: the ABI header comes by relative path,
 * there is no libc, and nothing here makes gcc call memset or memcpy.
 *
 * What it does: at its first call it allocates its state with ctx->calloc,
 * hangs it on *ctx->store and logs "hello from C" once; every call it draws
 * a small box in a colour derived from its pid (several hellos sit side by
 * side, top right). It never exits by itself (FOMOS_CONTINUE), so the
 * console's `ps` and `kill` can be tried on it.
 */
#include "../../include/fomos.h"

#define BOX    40 /* the box's side, pixels */
#define MARGIN 8

/* What hello remembers between calls; it lives in *ctx->store. */
struct hello_state {
	uint64_t calls; /* nonzero once it has said hello */
};

/* The decimal digits of v, written backwards from end; returns the first. */
static char *format_u64(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

static void log_hello(struct fomos_context *ctx)
{
	static const char text[] = "hello from C, pid ";
	char line[sizeof(text) + 20];
	uint32_t n = 0;

	for (; text[n] != '\0'; n++) {
		line[n] = text[n];
	}
	char digits[20];
	char *end = digits + sizeof(digits);
	for (char *d = format_u64(end, ctx->pid); d < end; d++) {
		line[n++] = *d;
	}
	ctx->log(line, n);
}

/* A bright colour that differs from pid to pid (Knuth's multiplicative hash). */
static struct fomos_rgba pid_colour(uint64_t pid)
{
	uint32_t h = (uint32_t)pid * 2654435761u;
	struct fomos_rgba c = {(uint8_t)(0x40 | h >> 24), (uint8_t)(0x40 | h >> 16),
			       (uint8_t)(0x40 | h >> 8), 0xff};
	return c;
}

/* The box: pid colour, a white two-pixel frame; clipped to the screen. */
static void draw_box(const struct fomos_framebuffer *fb, uint64_t pid)
{
	size_t slot = (size_t)(pid % 8) + 1;
	if (fb->pixels == NULL || fb->w < slot * (BOX + MARGIN) || fb->h < BOX + MARGIN) {
		return;
	}
	size_t x0 = fb->w - slot * (BOX + MARGIN);
	size_t y0 = MARGIN;
	struct fomos_rgba fill = pid_colour(pid);
	struct fomos_rgba frame = {0xff, 0xff, 0xff, 0xff};

	for (size_t y = 0; y < BOX; y++) {
		struct fomos_rgba *row = fb->pixels + (y0 + y) * fb->w + x0;
		for (size_t x = 0; x < BOX; x++) {
			bool edge = x < 2 || y < 2 || x >= BOX - 2 || y >= BOX - 2;
			row[x] = edge ? frame : fill;
		}
	}
}

int32_t _start(struct fomos_context *ctx)
{
	struct hello_state *s = *ctx->store;

	if (s == NULL) {
		s = ctx->calloc(sizeof(*s), _Alignof(struct hello_state));
		if (s == NULL) {
			static const char oom[] = "hello: out of memory";
			ctx->log(oom, sizeof(oom) - 1);
			return -1;
		}
		*ctx->store = s;
	}
	if (s->calls == 0) {
		log_hello(ctx);
	}
	s->calls++;
	draw_box(&ctx->fb, ctx->pid);
	return FOMOS_CONTINUE;
}
