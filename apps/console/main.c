/*
 * apps/console/main.c — the console app: a terminal window running the
 * shell. Entry point, state and the shape of one frame.
 *
 * Like every Fomos app this is a function called once per frame; returning
 * is yielding. Everything that must survive a return lives in one struct
 * console, allocated with ctx->calloc at the first call and hung off
 * *ctx->store. Nothing else is allocated except the window's pixel
 * buffers (once per screen size), so memory does not grow per frame.
 *
 * A frame:
 *   1. jobs: the shell prints the outcome of any job (ls, save, ...) that
 *      finished since the last frame (shell_poll);
 *   2. keyboard: new key events (keyboard.c) edit the line (lineedit.c),
 *      scroll the view, or run the line through the shell (shell.c), whose
 *      output becomes terminal rows (terminal.c) and log lines; ctrl+shift+C
 *      copies the selection to the clipboard (version 7), ctrl+shift+V
 *      types the clipboard's text;
 *   3. pointer: the left button selects text (selection.c);
 *   4. the input row and the blinking cursor are put into the terminal;
 *   5. the window re-renders the rows that changed and copies itself to
 *      ctx->fb (window.c) every frame: since version 6 that is its own
 *      window's surface (asked for in console_window), which the desktop
 *      decorates and shows over the shared screen; before, the shared
 *      screen itself, which the background repaints every frame;
 *   6. the call is timed (perf.c).
 *
 * Snapshots: the system may save the whole store and later resume the
 * console from it, after a reboot or by `load`, at the same addresses (so
 * every pointer inside the store, the image included, stays good). What no
 * pointer fixes is what the store holds about the machine of the time: the
 * key ring index, the clocks, the pid and the shell's job ids. Like any
 * program whose clock jumps, the console notices (its pid changed, or the
 * clock went back) and resyncs those, before anything could start a new
 * job.
 *
 * The font is Terminus 10x20, embedded in the binary by the build (symbols
 * font_psf .. font_psf_end, see apps/console/app.mk) and parsed once.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apps/console/keyboard.h"
#include "apps/console/lineedit.h"
#include "apps/console/perf.h"
#include "apps/console/selection.h"
#include "apps/console/shell.h"
#include "apps/console/terminal.h"
#include "apps/console/window.h"
#include "include/fomos.h"
#include "lib/format.h"
#include "lib/psf.h"
#include "lib/string.h"

#define CONSOLE_BLINK_MS   500
#define CONSOLE_WHEEL_ROWS 3 /* scrolled by one notch of the mouse wheel */
#define CONSOLE_PROMPT	   "$ "
#define CONSOLE_ESTART	   (-1) /* _start's result when the console cannot start */
#define CONSOLE_CLIP_MAX   (TERM_SCROLLBACK * (TERM_COLS_MAX + 1)) /* all the scrollback */

/* The embedded font (tools/embed.S). Hidden: resolved at link time, no GOT. */
extern const uint8_t font_psf[] __attribute__((visibility("hidden")));
extern const uint8_t font_psf_end[] __attribute__((visibility("hidden")));

struct console {
	struct psf_font font;
	struct kbd kbd;
	struct ledit edit;
	struct term term;
	struct win win;
	struct sel sel;
	struct perf perf;
	struct shell shell;
	uint64_t pid;		 /* ctx->pid at the last call */
	uint64_t last_ms;	 /* ctx->start_time at the last call */
	uint64_t blink_epoch_ms; /* the cursor shows for the first half-period after it */
	int layout_err;		 /* last win_layout error reported, to report once */
	char title[48];
	size_t title_len;
	uint32_t window_w, window_h; /* the window asked for (version 6); 0: none yet */
	int32_t window_err;	     /* the last refusal reported, to report once */
	char clip[CONSOLE_CLIP_MAX]; /* text on its way to or from the clipboard */
};

/* One call's view of the console, the `arg` of the shell's output. */
struct console_call {
	struct console *c;
	const struct fomos_context *ctx;
};

static uint64_t console_now_ns(const struct fomos_context *ctx)
{
	if (ctx->version >= 2 && ctx->time_ns != NULL) {
		return ctx->time_ns();
	}
	return ctx->start_time * 1000000;
}

/* Logs a formatted line through ctx->log. */
static void console_log(const struct fomos_context *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void console_log(const struct fomos_context *ctx, const char *fmt, ...)
{
	char line[160];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0) {
		ctx->log(line, (uint32_t)(n < (int)sizeof(line) ? n : (int)sizeof(line) - 1));
	}
}

/* struct shell_io: every output line goes to the terminal and the log. */
static void console_line(void *arg, const char *s, size_t len, enum shell_kind kind)
{
	static const uint8_t colors[] = {
	    [SHELL_ECHO] = TERM_COMMAND,
	    [SHELL_OUTPUT] = TERM_NORMAL,
	    [SHELL_ERROR] = TERM_ERROR,
	    [SHELL_NOTE] = TERM_NOTE,
	};
	struct console_call *call = arg;

	term_write(&call->c->term, s, len, kind <= SHELL_NOTE ? colors[kind] : TERM_NORMAL);
	call->ctx->log(s, (uint32_t)len);
}

static void console_clear(void *arg)
{
	struct console_call *call = arg;

	term_clear(&call->c->term);
}

static struct shell_io console_io(struct console_call *call)
{
	return (struct shell_io){.line = console_line, .clear = console_clear, .arg = call};
}

/* Enter: the line leaves the editor and goes to the shell. A blank line
 * only leaves an empty prompt behind, as in any terminal. */
static void console_enter(struct console_call *call)
{
	struct console *c = call->c;
	struct shell_io io = console_io(call);
	char line[LEDIT_MAX];
	size_t n = ledit_take(&c->edit, line);
	size_t i = 0;

	while (i < n && line[i] == ' ') {
		i++;
	}
	if (i == n) {
		term_write(&c->term, CONSOLE_PROMPT, sizeof(CONSOLE_PROMPT) - 1, TERM_COMMAND);
		return;
	}
	shell_run(&c->shell, call->ctx, &io, line, n);
}

/* ctrl+C: the line is shown as abandoned and a new one starts. */
static void console_cancel(struct console *c)
{
	char row[TERM_COLS_MAX];
	int n = fmt_snprintf(row, sizeof(row), "%s%.*s^C", CONSOLE_PROMPT, (int)c->edit.len,
			     c->edit.buf);

	term_write(&c->term, row, n < (int)sizeof(row) ? (size_t)n : sizeof(row) - 1, TERM_COMMAND);
	ledit_kill(&c->edit);
}

/* Keys that move the view; false if ev is not one of them. */
static bool console_scroll_key(struct console *c, const struct kbd_event *ev)
{
	int32_t page = (int32_t)c->term.rows_shown - 1;

	page = page < 1 ? 1 : page;
	switch (ev->kind) {
	case KBD_SCROLL_UP:
		term_scroll(&c->term, 1);
		return true;
	case KBD_SCROLL_DOWN:
		term_scroll(&c->term, -1);
		return true;
	case KBD_PAGE_UP:
		term_scroll(&c->term, page);
		return true;
	case KBD_PAGE_DOWN:
		term_scroll(&c->term, -page);
		return true;
	case KBD_WHEEL_UP:
		term_scroll(&c->term, CONSOLE_WHEEL_ROWS);
		return true;
	case KBD_WHEEL_DOWN:
		term_scroll(&c->term, -CONSOLE_WHEEL_ROWS);
		return true;
	default:
		return false;
	}
}

/* Every other key edits the line or acts on it, and brings the view back
 * to the bottom where the line is. */
static void console_edit_key(struct console_call *call, const struct kbd_event *ev)
{
	struct ledit *e = &call->c->edit;

	term_scroll(&call->c->term, INT32_MIN);
	switch (ev->kind) {
	case KBD_CHAR:
		ledit_insert(e, ev->ch);
		break;
	case KBD_ENTER:
		console_enter(call);
		break;
	case KBD_BACKSPACE:
		ledit_backspace(e);
		break;
	case KBD_DELETE:
		ledit_delete(e);
		break;
	case KBD_LEFT:
		ledit_left(e);
		break;
	case KBD_RIGHT:
		ledit_right(e);
		break;
	case KBD_HOME:
		ledit_home(e);
		break;
	case KBD_END:
		ledit_end(e);
		break;
	case KBD_HISTORY_UP:
		ledit_history_up(e);
		break;
	case KBD_HISTORY_DOWN:
		ledit_history_down(e);
		break;
	case KBD_CANCEL:
		console_cancel(call->c);
		break;
	case KBD_CLEAR:
		term_clear(&call->c->term);
		break;
	case KBD_KILL_LINE:
		ledit_kill(e);
		break;
	default:
		break;
	}
}

/* Version 7: the clipboard, or NULL (an older kernel, or denied); then
 * what the user tried (`what`) gets an error row. */
static bool console_has_clipboard(struct console_call *call, const char *what)
{
	const struct fomos_context *ctx = call->ctx;
	struct shell_io io = console_io(call);

	if (ctx->version >= 7 && ctx->clipboard_put != NULL && ctx->clipboard_get != NULL) {
		return true;
	}
	shell_printf(&io, SHELL_ERROR, "%s: no clipboard (not given to this console)", what);
	return false;
}

/* ctrl+shift+C: the selected text to the clipboard; with nothing selected
 * the clipboard keeps what it had. */
static void console_copy(struct console_call *call)
{
	struct console *c = call->c;
	struct shell_io io = console_io(call);
	size_t n = sel_text(&c->sel, &c->term, c->clip, sizeof(c->clip));

	if (n == 0 || !console_has_clipboard(call, "copy")) {
		return;
	}
	int32_t err = call->ctx->clipboard_put(c->clip, (uint32_t)n);
	if (err != 0) {
		shell_printf(&io, SHELL_ERROR, "copy: %s", fomos_error_text(err));
	}
}

static void console_edit_key(struct console_call *call, const struct kbd_event *ev);

/* ctrl+shift+V: the clipboard as if typed: printable bytes (and tabs, as
 * spaces) edit the line, a newline runs it, anything else is dropped. */
static void console_paste(struct console_call *call)
{
	struct console *c = call->c;
	struct shell_io io = console_io(call);

	if (!console_has_clipboard(call, "paste")) {
		return;
	}
	int64_t len = call->ctx->clipboard_get(c->clip, sizeof(c->clip));
	if (len < 0) {
		shell_printf(&io, SHELL_ERROR, "paste: %s", fomos_error_text(len));
		return;
	}
	size_t n = (uint64_t)len < sizeof(c->clip) ? (size_t)len : sizeof(c->clip);
	for (size_t i = 0; i < n; i++) {
		char ch = c->clip[i] == '\t' ? ' ' : c->clip[i];
		struct kbd_event ev = {.kind = ch == '\n' ? KBD_ENTER : KBD_CHAR, .ch = ch};
		if (ch == '\n' || (ch >= ' ' && ch <= '~')) {
			console_edit_key(call, &ev);
		}
	}
	if (n < (uint64_t)len) {
		shell_printf(&io, SHELL_NOTE, "paste: the first %zu of %lld bytes", n,
			     (long long)len);
	}
}

/* The left button in the text selects (selection.h). */
static void console_pointer(struct console *c, const struct fomos_context *ctx)
{
	const struct fomos_input *in = ctx->input;
	uint32_t row, col;

	if (in == NULL || c->win.strips == NULL) {
		return;
	}
	if (win_boundary_at(&c->win, (int64_t)in->mouse_x, (int64_t)in->mouse_y, &row, &col) ||
	    c->sel.dragging) {
		struct sel_point at = {term_view_row(&c->term, row).serial, col};
		sel_pointer(&c->sel, in->keys[FOMOS_BTN_LEFT], at);
	}
}

static void console_keys(struct console_call *call)
{
	struct console *c = call->c;
	struct kbd_event ev[KBD_MAX_EVENTS];
	size_t n;

	if (call->ctx->input == NULL) {
		return;
	}
	n = kbd_poll(&c->kbd, call->ctx->input, call->ctx->start_time, ev, KBD_MAX_EVENTS);
	for (size_t i = 0; i < n; i++) {
		if (ev[i].kind == KBD_COPY) {
			console_copy(call);
		} else if (ev[i].kind == KBD_PASTE) {
			console_paste(call);
		} else if (!console_scroll_key(c, &ev[i])) {
			console_edit_key(call, &ev[i]);
		}
		c->blink_epoch_ms = call->ctx->start_time; /* solid cursor while typing */
	}
}

/* (Re)builds the window for the current screen; false if it cannot draw. */
static bool console_layout(struct console *c, const struct fomos_context *ctx)
{
	int err = win_layout(&c->win, ctx, c->title, c->title_len);
	const struct win_geom *g = &c->win.g;

	if (err != 0) {
		if (err != c->layout_err) {
			console_log(ctx, "console: cannot draw on a %zux%zu screen (%s)", ctx->fb.w,
				    ctx->fb.h, err == WIN_ENOMEM ? "out of memory" : "too small");
		}
		c->layout_err = err;
		return false;
	}
	c->layout_err = 0;
	term_resize(&c->term, g->cols, g->rows);
	console_log(ctx, "console: window %ux%u at %u,%u, %ux%u cells", g->w, g->h, g->x, g->y,
		    g->cols, g->rows);
	return true;
}

static void console_draw(struct console *c, const struct fomos_context *ctx)
{
	bool cursor_on;

	if (win_needs_layout(&c->win, ctx) && !console_layout(c, ctx)) {
		return;
	}
	cursor_on = (ctx->start_time - c->blink_epoch_ms) / CONSOLE_BLINK_MS % 2 == 0;
	term_set_input(&c->term, CONSOLE_PROMPT, sizeof(CONSOLE_PROMPT) - 1, c->edit.buf,
		       c->edit.len, c->edit.cur, cursor_on);
	win_update(&c->win, &c->term, &c->sel);
	win_blit(&c->win, ctx, c->window_w != 0 && c->window_err == 0);
}

/* The title bar names the console's pid. */
static void console_title(struct console *c, const struct fomos_context *ctx)
{
	int n = fmt_snprintf(c->title, sizeof(c->title), "Fomos console (pid %llu)",
			     (unsigned long long)ctx->pid);

	c->title_len = n < (int)sizeof(c->title) ? (size_t)n : sizeof(c->title) - 1;
}

/* The first call: allocate and set up the state. NULL if impossible (the
 * reason is logged). */
static struct console *console_create(struct fomos_context *ctx)
{
	struct console *c = ctx->calloc(sizeof(*c), _Alignof(struct console));
	struct console_call call = {.c = c, .ctx = ctx};
	struct shell_io io = console_io(&call);
	int err;

	if (c == NULL) {
		console_log(ctx, "console: no memory for %zu bytes of state", sizeof(*c));
		return NULL;
	}
	err = psf_parse(&c->font, font_psf, (size_t)(font_psf_end - font_psf));
	if (err == 0) {
		err = win_init(&c->win, &c->font);
	}
	if (err != 0) {
		console_log(ctx, "console: unusable font (error %d)", err);
		ctx->cdalloc(c, sizeof(*c), _Alignof(struct console));
		return NULL;
	}
	term_init(&c->term, TERM_COLS_MAX, 1);
	if (ctx->input != NULL) {
		kbd_init(&c->kbd, ctx->input);
	}
	c->blink_epoch_ms = ctx->start_time;
	c->pid = ctx->pid;
	console_title(c, ctx);
	shell_init(&c->shell, &c->edit);
	shell_banner(ctx, &io);
	return c;
}

/* True at the first call after a resume (see the top). */
static bool console_resumed(const struct console *c, const struct fomos_context *ctx)
{
	return ctx->pid != c->pid || ctx->start_time < c->last_ms;
}

/* Resyncs what belonged to the machine of the time. */
static void console_resume(struct console_call *call)
{
	struct console *c = call->c;
	const struct fomos_context *ctx = call->ctx;
	struct shell_io io = console_io(call);

	console_log(ctx, "console: the machine changed under me (pid %llu, was %llu): resync",
		    (unsigned long long)ctx->pid, (unsigned long long)c->pid);
	if (ctx->input != NULL) {
		kbd_init(&c->kbd, ctx->input);
	}
	c->perf = (struct perf){0};
	c->blink_epoch_ms = ctx->start_time;
	if (ctx->pid != c->pid) {
		c->pid = ctx->pid;
		console_title(c, ctx);
		console_layout(c, ctx); /* redraws the title bar */
	}
	shell_resumed(&c->shell, &io);
}

/*
 * Version 6: the console lives in a window of its own, sized at the first
 * call from the screen it got then. Asked every call: it is one gate
 * crossing, and a console resumed from a snapshot gets its window back.
 */
static void console_window(struct console *c, struct fomos_context *ctx)
{
	if (ctx->version < 6 || ctx->window == NULL) {
		return;
	}
	if (c->window_w == 0) {
		c->window_w = ctx->fb.w < WIN_W ? (uint32_t)ctx->fb.w : WIN_W;
		c->window_h = ctx->fb.h < WIN_H + 64 ? (uint32_t)ctx->fb.h / 2 : WIN_H;
	}
	int32_t err = ctx->window(c->window_w, c->window_h);
	if (err != 0 && c->window_err != err) {
		console_log(ctx, "console: no window (%s): drawing on the shared screen",
			    fomos_error_text(err));
	}
	c->window_err = err;
}

int32_t _start(struct fomos_context *ctx)
{
	uint64_t t0 = console_now_ns(ctx);
	struct console *c = *ctx->store;
	struct console_call call;
	struct shell_io io;

	if (c == NULL) {
		c = console_create(ctx);
		if (c == NULL) {
			return CONSOLE_ESTART; /* logged by console_create */
		}
		*ctx->store = c;
	}
	call = (struct console_call){.c = c, .ctx = ctx};
	if (console_resumed(c, ctx)) {
		console_resume(&call);
	}
	c->last_ms = ctx->start_time;
	console_window(c, ctx);
	io = console_io(&call);
	shell_poll(&c->shell, ctx, &io);
	console_keys(&call);
	console_pointer(c, ctx);
	console_draw(c, ctx);
	perf_call(&c->perf, ctx, t0, console_now_ns(ctx), c->win.rows_rendered);
	return FOMOS_CONTINUE;
}
