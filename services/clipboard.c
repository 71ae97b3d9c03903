/*
 * The clipboard; see clipboard.h. Two buffers of the largest size: put
 * copies into the spare one and swaps only once the copy is done, so a
 * bad pointer (the caller's crash, in the middle of the copy) leaves the
 * clipboard as it was. Nothing is allocated.
 */
#include "services/clipboard.h"

#include "include/fomos.h"
#include "kernel/log.h"
#include "runtime/app.h"
#include "runtime/app_run.h"

static char buffers[2][FOMOS_CLIPBOARD_MAX];
static unsigned held; /* the buffer holding the clipboard */
static uint32_t held_len;

int32_t clipboard_put(const char *text, uint32_t len)
{
	app_service_enter();
	struct app *a = app_current();
	int32_t r = 0;
	if (!app_has_focus(a)) {
		r = FOMOS_ENOFOCUS;
	} else if (len > FOMOS_CLIPBOARD_MAX) {
		r = FOMOS_EINVAL;
	} else {
		if (len > 0) { /* (NULL, 0) empties it */
			app_copy_in(buffers[held ^ 1], text, len, "clipboard_put");
		}
		held ^= 1;
		held_len = len;
		log_info("clipboard", "%u bytes from pid %llu %s", len,
			 (unsigned long long)a->id.pid, a->id.name);
	}
	app_service_leave();
	return r;
}

int64_t clipboard_get(char *out, uint32_t cap)
{
	app_service_enter();
	int64_t r = FOMOS_ENOFOCUS;
	if (app_has_focus(app_current())) {
		uint32_t n = cap < held_len ? cap : held_len;
		if (n > 0) { /* (NULL, 0) asks for the length only */
			app_copy_out(out, buffers[held], n, "clipboard_get");
		}
		r = held_len;
	}
	app_service_leave();
	return r;
}
