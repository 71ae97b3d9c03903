/*
 * The clipboard (include/fomos.h, version 7): one piece of text the user
 * copies in one app and pastes in another. It lives in the kernel, not in
 * any app, so it outlives the app that copied it; it does not survive a
 * reboot. Only the app whose window has the keyboard focus
 * (runtime/app.h: app_has_focus) may read or replace it: an app in the
 * background can neither snoop on what was copied nor swap it for
 * something else. Windowless apps never may: several share the keys when
 * no window has the focus (at boot, say), and none of them is the one
 * the user chose.
 */
#pragma once

#include <stdint.h>

/* ctx->clipboard_put: the clipboard holds these len bytes from now on. */
int32_t clipboard_put(const char *text, uint32_t len);

/* ctx->clipboard_get: its first cap bytes into out; its length. */
int64_t clipboard_get(char *out, uint32_t cap);
