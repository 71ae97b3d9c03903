/*
 * Input views; see input_view.h.
 */
#include "runtime/input_view.h"

#include "lib/string.h"

#define BTN_FIRST 0x110 /* BTN_LEFT .. BTN_TASK: the mouse's buttons */
#define BTN_LAST  0x117

#define NOT_STARTED SIZE_MAX /* seen of a view not built yet */

void input_view_start(struct input_view *v)
{
	memset(v, 0, sizeof(*v));
	v->seen = NOT_STARTED;
}

bool input_view_is_pointer_code(size_t code)
{
	return (code >= BTN_FIRST && code <= BTN_LAST) || code == FOMOS_BTN_WHEEL_UP ||
	       code == FOMOS_BTN_WHEEL_DOWN;
}

static bool lets_through(const struct input_view_rule *r, size_t code)
{
	return input_view_is_pointer_code(code) ? r->buttons : r->keys;
}

static size_t clamp_into(size_t at, int32_t origin, uint32_t size)
{
	int64_t rel = (int64_t)at - origin;
	return rel < 0 ? 0 : rel >= (int64_t)size ? size - 1 : (size_t)rel;
}

void input_view_build(struct input_view *v, const struct fomos_input *system,
		      const struct input_view_rule *rule, struct fomos_input *out)
{
	size_t last = system->history_last_index;
	v->seen = v->seen == NOT_STARTED ? last : v->seen;
	if (last < v->seen || last - v->seen > FOMOS_INPUT_HISTORY) {
		v->seen = last < v->seen ? last : last - FOMOS_INPUT_HISTORY;
	}
	for (; v->seen < last; v->seen++) {
		const struct fomos_key_event *e =
		    &system->history[(v->seen + 1) % FOMOS_INPUT_HISTORY];
		size_t k = e->key < FOMOS_INPUT_KEYS ? e->key : 0;
		uint8_t bit = (uint8_t)(1u << (k % 8));
		bool was_down = (v->down[k / 8] & bit) != 0;
		if (lets_through(rule, e->key) || (!e->trigger && was_down)) {
			v->last++;
			v->ring[v->last % FOMOS_INPUT_HISTORY] = *e;
			v->down[k / 8] = e->trigger ? v->down[k / 8] | bit : v->down[k / 8] & ~bit;
		}
	}
	bool sized = rule->w > 0 && rule->h > 0;
	out->mouse_x = sized ? clamp_into(system->mouse_x, rule->x, rule->w) : system->mouse_x;
	out->mouse_y = sized ? clamp_into(system->mouse_y, rule->y, rule->h) : system->mouse_y;
	if (rule->keys && rule->buttons) {
		memcpy(out->keys, system->keys, sizeof(out->keys));
	} else {
		for (size_t code = 0; code < FOMOS_INPUT_KEYS; code++) {
			out->keys[code] =
			    lets_through(rule, code) ? system->keys[code] : FOMOS_KEY_OFF;
		}
	}
	out->history_last_index = v->last;
	memcpy(out->history, v->ring, sizeof(out->history));
}
