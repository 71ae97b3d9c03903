/*
 * apps/console/keyboard.c — key history to characters (US layout), with
 * modifiers and software key repeat.
 *
 * Each history entry is an edge of one evdev code. Modifier edges update
 * struct kbd; a press of any other key is translated with the modifiers
 * as they are at that point in the sequence, which is why the ring is
 * replayed in order instead of looking at the final key states.
 *
 * Translation is two small tables indexed by evdev code (the printable
 * keys of a US keyboard all have codes below 59, plus the keypad), and a
 * switch for the editing keys. Ctrl combinations map to a few line-editing
 * commands and are otherwise ignored; Alt is ignored entirely.
 */
#include "apps/console/keyboard.h"

/* evdev codes (linux/input-event-codes.h) beyond the few fomos.h names. */
enum {
	KBD_CODE_CAPSLOCK = 58,
	KBD_CODE_KP7 = 71,
	KBD_CODE_KPDOT = 83,
	KBD_CODE_KPENTER = 96,
	KBD_CODE_RIGHTCTRL = 97,
	KBD_CODE_KPSLASH = 98,
	KBD_CODE_HOME = 102,
	KBD_CODE_UP = 103,
	KBD_CODE_PAGEUP = 104,
	KBD_CODE_LEFT = 105,
	KBD_CODE_RIGHT = 106,
	KBD_CODE_END = 107,
	KBD_CODE_DOWN = 108,
	KBD_CODE_PAGEDOWN = 109,
	KBD_CODE_DELETE = 111,
	KBD_CODE_KPEQUAL = 117,
};

#define KBD_TABLE_SIZE 84 /* codes 0..KPDOT */

/* Characters of the printable keys, without and with shift; 0 = none.
 * Letters are lower case here; shift and Caps Lock raise them. */
static const char kbd_plain[KBD_TABLE_SIZE] = {
    [2] = '1',	[3] = '2',   [4] = '3',	 [5] = '4',  [6] = '5',	 [7] = '6',  [8] = '7',
    [9] = '8',	[10] = '9',  [11] = '0', [12] = '-', [13] = '=', [16] = 'q', [17] = 'w',
    [18] = 'e', [19] = 'r',  [20] = 't', [21] = 'y', [22] = 'u', [23] = 'i', [24] = 'o',
    [25] = 'p', [26] = '[',  [27] = ']', [30] = 'a', [31] = 's', [32] = 'd', [33] = 'f',
    [34] = 'g', [35] = 'h',  [36] = 'j', [37] = 'k', [38] = 'l', [39] = ';', [40] = '\'',
    [41] = '`', [43] = '\\', [44] = 'z', [45] = 'x', [46] = 'c', [47] = 'v', [48] = 'b',
    [49] = 'n', [50] = 'm',  [51] = ',', [52] = '.', [53] = '/', [55] = '*', [57] = ' ',
    [71] = '7', [72] = '8',  [73] = '9', [74] = '-', [75] = '4', [76] = '5', [77] = '6',
    [78] = '+', [79] = '1',  [80] = '2', [81] = '3', [82] = '0', [83] = '.',
};

static const char kbd_shifted[KBD_TABLE_SIZE] = {
    [2] = '!',	[3] = '@',  [4] = '#',	[5] = '$',  [6] = '%',	[7] = '^',  [8] = '&',
    [9] = '*',	[10] = '(', [11] = ')', [12] = '_', [13] = '+', [26] = '{', [27] = '}',
    [39] = ':', [40] = '"', [41] = '~', [43] = '|', [51] = '<', [52] = '>', [53] = '?',
};

static bool kbd_shift(const struct kbd *k)
{
	return k->shift[0] || k->shift[1];
}

static bool kbd_ctrl(const struct kbd *k)
{
	return k->ctrl[0] || k->ctrl[1];
}

/* The character key `code` types now, or 0. */
static char kbd_char(const struct kbd *k, size_t code)
{
	char c;

	if (code == KBD_CODE_KPSLASH) {
		return '/';
	}
	if (code == KBD_CODE_KPEQUAL) {
		return '=';
	}
	if (code >= KBD_TABLE_SIZE || kbd_plain[code] == 0) {
		return 0;
	}
	c = kbd_plain[code];
	if (c >= 'a' && c <= 'z') {
		return kbd_shift(k) != k->caps_lock ? (char)(c - 'a' + 'A') : c;
	}
	/* The keypad types the same with or without shift. */
	if (kbd_shift(k) && code < KBD_CODE_KP7 && kbd_shifted[code] != 0) {
		return kbd_shifted[code];
	}
	return c;
}

/* ctrl+shift+letter: the clipboard, as in terminals (ctrl+C alone cancels). */
static uint8_t kbd_ctrl_shift_kind(size_t code)
{
	return code == FOMOS_KEY_C ? KBD_COPY : code == FOMOS_KEY_V ? KBD_PASTE : 0;
}

/* ctrl+letter commands; 0 for the combinations we ignore. */
static uint8_t kbd_ctrl_kind(size_t code)
{
	switch (code) {
	case FOMOS_KEY_C:
		return KBD_CANCEL;
	case FOMOS_KEY_L:
		return KBD_CLEAR;
	case FOMOS_KEY_U:
		return KBD_KILL_LINE;
	case FOMOS_KEY_A:
		return KBD_HOME;
	case FOMOS_KEY_E:
		return KBD_END;
	default:
		return 0;
	}
}

/* Editing keys; 0 if `code` is none of them. */
static uint8_t kbd_edit_kind(const struct kbd *k, size_t code)
{
	switch (code) {
	case FOMOS_KEY_ENTER:
	case KBD_CODE_KPENTER:
		return KBD_ENTER;
	case FOMOS_KEY_BACKSPACE:
		return KBD_BACKSPACE;
	case KBD_CODE_DELETE:
		return KBD_DELETE;
	case FOMOS_KEY_LEFT:
		return KBD_LEFT;
	case FOMOS_KEY_RIGHT:
		return KBD_RIGHT;
	case KBD_CODE_HOME:
		return KBD_HOME;
	case KBD_CODE_END:
		return KBD_END;
	case FOMOS_KEY_UP:
		return kbd_shift(k) ? KBD_SCROLL_UP : KBD_HISTORY_UP;
	case FOMOS_KEY_DOWN:
		return kbd_shift(k) ? KBD_SCROLL_DOWN : KBD_HISTORY_DOWN;
	case KBD_CODE_PAGEUP:
		return KBD_PAGE_UP;
	case KBD_CODE_PAGEDOWN:
		return KBD_PAGE_DOWN;
	case FOMOS_BTN_WHEEL_UP:
		return KBD_WHEEL_UP;
	case FOMOS_BTN_WHEEL_DOWN:
		return KBD_WHEEL_DOWN;
	default:
		return 0;
	}
}

/* What a press of `code` means now; false if nothing. */
static bool kbd_translate(const struct kbd *k, size_t code, struct kbd_event *ev)
{
	uint8_t kind;

	ev->ch = 0;
	if (kbd_ctrl(k)) {
		kind = kbd_shift(k) ? kbd_ctrl_shift_kind(code) : kbd_ctrl_kind(code);
		ev->kind = kind;
		return kind != 0;
	}
	kind = kbd_edit_kind(k, code);
	if (kind != 0) {
		ev->kind = kind;
		return true;
	}
	ev->ch = kbd_char(k, code);
	ev->kind = KBD_CHAR;
	return ev->ch != 0;
}

/* Updates the modifiers for an edge of `code`; true if it was one. */
static bool kbd_modifier(struct kbd *k, size_t code, bool down)
{
	switch (code) {
	case FOMOS_KEY_LEFTSHIFT:
		k->shift[0] = down;
		return true;
	case FOMOS_KEY_RIGHTSHIFT:
		k->shift[1] = down;
		return true;
	case FOMOS_KEY_LEFTCTRL:
		k->ctrl[0] = down;
		return true;
	case KBD_CODE_RIGHTCTRL:
		k->ctrl[1] = down;
		return true;
	case KBD_CODE_CAPSLOCK:
		k->caps_lock ^= down;
		return true;
	default:
		return false;
	}
}

/* Sets the held modifiers from the key states (after losing events). */
static void kbd_resync(struct kbd *k, const struct fomos_input *in)
{
	k->shift[0] = fomos_input_key_down(in, FOMOS_KEY_LEFTSHIFT);
	k->shift[1] = fomos_input_key_down(in, FOMOS_KEY_RIGHTSHIFT);
	k->ctrl[0] = fomos_input_key_down(in, FOMOS_KEY_LEFTCTRL);
	k->ctrl[1] = fomos_input_key_down(in, KBD_CODE_RIGHTCTRL);
	k->repeat_key = 0;
}

void kbd_init(struct kbd *k, const struct fomos_input *in)
{
	*k = (struct kbd){.seen = in->history_last_index};
	kbd_resync(k, in);
}

/* Handles one edge; appends its event to out[*n] if there is one. */
static void kbd_edge(struct kbd *k, const struct fomos_key_event *e, uint64_t now_ms,
		     struct kbd_event *out, size_t max, size_t *n)
{
	struct kbd_event ev;

	if (kbd_modifier(k, e->key, e->trigger)) {
		return;
	}
	if (!e->trigger) {
		if (e->key == k->repeat_key) {
			k->repeat_key = 0;
		}
		return;
	}
	if (!kbd_translate(k, e->key, &ev)) {
		return;
	}
	/* Every translated key repeats, except the ones that act once. */
	k->repeat_key = ev.kind == KBD_ENTER || ev.kind == KBD_CANCEL || ev.kind == KBD_CLEAR ||
				ev.kind == KBD_WHEEL_UP || ev.kind == KBD_WHEEL_DOWN
			    ? 0
			    : (uint16_t)e->key;
	k->repeat_next_ms = now_ms + KBD_REPEAT_DELAY_MS;
	if (*n < max) {
		out[(*n)++] = ev;
	}
}

/* Emits the repeats of the held key that are due at now_ms. */
static void kbd_repeat(struct kbd *k, const struct fomos_input *in, uint64_t now_ms,
		       struct kbd_event *out, size_t max, size_t *n)
{
	struct kbd_event ev;
	unsigned burst = 0;

	if (k->repeat_key == 0 || !fomos_input_key_down(in, k->repeat_key)) {
		k->repeat_key = 0;
		return;
	}
	if (!kbd_translate(k, k->repeat_key, &ev)) {
		return;
	}
	while (now_ms >= k->repeat_next_ms && burst < KBD_REPEAT_BURST && *n < max) {
		out[(*n)++] = ev;
		k->repeat_next_ms += KBD_REPEAT_INTERVAL_MS;
		burst++;
	}
	if (now_ms >= k->repeat_next_ms) {
		/* Fell behind (a long frame): drop the backlog instead. */
		k->repeat_next_ms = now_ms + KBD_REPEAT_INTERVAL_MS;
	}
}

size_t kbd_poll(struct kbd *k, const struct fomos_input *in, uint64_t now_ms, struct kbd_event *out,
		size_t max)
{
	size_t last = in->history_last_index;
	size_t n = 0;

	if (last < k->seen) {
		/* The count went backwards (a restored snapshot?): start over. */
		kbd_init(k, in);
		return 0;
	}
	if (last - k->seen > FOMOS_INPUT_HISTORY) {
		k->lost += last - k->seen - FOMOS_INPUT_HISTORY;
		k->seen = last - FOMOS_INPUT_HISTORY;
		kbd_resync(k, in);
	}
	while (k->seen < last) {
		k->seen++;
		kbd_edge(k, &in->history[k->seen % FOMOS_INPUT_HISTORY], now_ms, out, max, &n);
	}
	kbd_repeat(k, in, now_ms, out, max, &n);
	return n;
}
