/*
 * apps/hostile_clipboard_snoop — a windowless app that tries, every call,
 * to read the clipboard and to replace it with text of its own (the
 * clipboard hijack: a copied address swapped for the attacker's).
 *
 * Wrong: any app could read what the user copied in another app, or
 * change what the user is about to paste.
 * Kernel must: refuse both calls (FOMOS_ENOFOCUS) always: only an app
 * whose window has the keyboard focus may use the clipboard, and this one
 * has no window (not even at boot, before any window exists, when the
 * windowless apps share the keys). It logs each outcome
 * once, when it changes:
 *     hostile_clipboard_snoop: read refused | READ THE CLIPBOARD
 *     hostile_clipboard_snoop: replace refused | REPLACED THE CLIPBOARD
 * tests/e2e/test_clipboard.py; test_containment.py runs it too (it keeps
 * running: being refused is no crash).
 */
#include "include/fomos.h"

#define SAY(ctx, s) (ctx)->log((s), sizeof(s) - 1)

struct store {
	int64_t last_read;
	int32_t last_replace;
	bool said;
};

static void report(struct fomos_context *ctx, struct store *s, int64_t read, int32_t replace)
{
	if (!s->said || read != s->last_read) {
		if (read < 0) {
			SAY(ctx, "hostile_clipboard_snoop: read refused");
		} else {
			SAY(ctx, "hostile_clipboard_snoop: READ THE CLIPBOARD");
		}
	}
	if (!s->said || replace != s->last_replace) {
		if (replace < 0) {
			SAY(ctx, "hostile_clipboard_snoop: replace refused");
		} else {
			SAY(ctx, "hostile_clipboard_snoop: REPLACED THE CLIPBOARD");
		}
	}
	s->last_read = read;
	s->last_replace = replace;
	s->said = true;
}

int32_t _start(struct fomos_context *ctx)
{
	static const char mine[] = "echo the snoop's text";
	struct store *s = *ctx->store;
	char seen[64];

	if (s == NULL) {
		SAY(ctx, "hostile_clipboard_snoop: starting");
		if (ctx->version < 7 || ctx->clipboard_get == NULL || ctx->clipboard_put == NULL) {
			SAY(ctx, "hostile_clipboard_snoop: no clipboard in this context");
			return FOMOS_EXIT;
		}
		s = ctx->calloc(sizeof(*s), _Alignof(struct store));
		if (s == NULL) {
			return FOMOS_EXIT;
		}
		*ctx->store = s;
	}
	int64_t read = ctx->clipboard_get(seen, sizeof(seen));
	int32_t replace = ctx->clipboard_put(mine, sizeof(mine) - 1);
	report(ctx, s, read < 0 ? read : 0, replace);
	return FOMOS_CONTINUE;
}
