/*
 * Key chords; see chords.h.
 */
#include "desktop/chords.h"

#include <stddef.h>

#define KEY_RIGHTCTRL 97
#define KEY_RIGHTALT  100

static struct {
	size_t seen;	/* history_last_index handled */
	bool ctrl, alt; /* held, as the history says */
} c;

void chords_read(const struct fomos_input *in, struct chords *out)
{
	*out = (struct chords){0};
	size_t last = in->history_last_index;
	if (last < c.seen || last - c.seen > FOMOS_INPUT_HISTORY) {
		c.seen =
		    last < c.seen ? last : last - FOMOS_INPUT_HISTORY; /* the oldest are gone */
	}
	for (; c.seen < last; c.seen++) {
		const struct fomos_key_event *e = &in->history[(c.seen + 1) % FOMOS_INPUT_HISTORY];
		if (e->key == FOMOS_KEY_LEFTCTRL || e->key == KEY_RIGHTCTRL) {
			c.ctrl = e->trigger;
		} else if (e->key == FOMOS_KEY_LEFTALT || e->key == KEY_RIGHTALT) {
			c.alt = e->trigger;
		} else if (e->trigger && c.alt) {
			out->new_shell = out->new_shell || (e->key == FOMOS_KEY_T && c.ctrl);
			out->next_window = out->next_window || (e->key == FOMOS_KEY_TAB && !c.ctrl);
		}
	}
}
