/*
 * The virtio-input driver; see input.h. Protocol from the virtio 1.x
 * specification, "Input Device": the device fills 8-byte evdev-style events
 * ({le16 type, le16 code, le32 value}) into buffers we keep posted on the
 * event queue; an EV_SYN ends a group that belongs together (x and y of
 * one motion). The status queue (LEDs) is not used.
 *
 * The kind of device (keyboard, mouse, tablet) comes from the event types
 * it announces in its configuration: absolute axes make a tablet, relative
 * ones a mouse, keys alone a keyboard.
 */
#include "drivers/virtio/input.h"

#include <stdbool.h>
#include <stddef.h>

#include "drivers/input/input_core.h"
#include "drivers/pci/pci.h"
#include "drivers/virtio/transport.h"
#include "kernel/log.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define EVENT_SLOTS 64

/* Configuration space layout and selectors. */
#define CFG_SELECT	0
#define CFG_SUBSEL	1
#define CFG_SIZE	2
#define CFG_DATA	8
#define CFG_DATA_MAX	128
#define SELECT_ID_NAME	0x01
#define SELECT_EV_BITS	0x11
#define SELECT_ABS_INFO 0x12
#define ABS_INFO_MAX	4 /* offset of `max` in struct virtio_input_absinfo */

/* evdev event types and codes (Linux input-event-codes.h values). */
#define EV_SYN	  0
#define EV_KEY	  1
#define EV_REL	  2
#define REL_WHEEL 8
#define EV_ABS	  3
#define AXIS_X	  0
#define AXIS_Y	  1

struct input_event {
	uint16_t type;
	uint16_t code;
	uint32_t value;
};
_Static_assert(sizeof(struct input_event) == 8, "virtio-input event layout");

enum input_kind { KIND_KEYBOARD, KIND_MOUSE, KIND_TABLET };
static const char *const kind_names[] = {"keyboard", "mouse", "tablet"};

struct virtio_input {
	struct virtio_device vd;
	struct virtqueue eventq;
	struct input_event *slots; /* EVENT_SLOTS events, device-writable */
	uint64_t slots_phys;
	struct task task;
	enum input_kind kind;
	char product[CFG_DATA_MAX + 1];
	uint32_t abs_max[2];
	uint32_t abs[2];
	int32_t rel[2];
	bool motion; /* rel or abs changed since the last EV_SYN */
};

/* Select a configuration item; returns its size (0: the device has none). */
static uint8_t config_select(struct virtio_input *in, uint8_t select, uint8_t subsel)
{
	virtio_config_write8(&in->vd, CFG_SELECT, select);
	virtio_config_write8(&in->vd, CFG_SUBSEL, subsel);
	uint8_t size = virtio_config_read8(&in->vd, CFG_SIZE);
	return size > CFG_DATA_MAX ? CFG_DATA_MAX : size;
}

static bool announces(struct virtio_input *in, uint8_t event_type)
{
	uint8_t size = config_select(in, SELECT_EV_BITS, event_type);
	for (uint8_t i = 0; i < size; i++) {
		if (virtio_config_read8(&in->vd, CFG_DATA + i) != 0) {
			return true;
		}
	}
	return false;
}

static void read_identity(struct virtio_input *in)
{
	uint8_t len = config_select(in, SELECT_ID_NAME, 0);
	uint8_t n = 0;
	for (char c; n < len && (c = (char)virtio_config_read8(&in->vd, CFG_DATA + n)) != '\0';
	     n++) {
		in->product[n] = (c >= 0x20 && c < 0x7f) ? c : '?';
	}
	in->product[n] = '\0';
	in->kind = announces(in, EV_ABS)   ? KIND_TABLET
		   : announces(in, EV_REL) ? KIND_MOUSE
					   : KIND_KEYBOARD;
	for (uint8_t axis = 0; axis < 2 && in->kind == KIND_TABLET; axis++) {
		if (config_select(in, SELECT_ABS_INFO, axis) >= ABS_INFO_MAX + 4) {
			in->abs_max[axis] = virtio_config_read32(&in->vd, CFG_DATA + ABS_INFO_MAX);
		}
	}
}

static int post_slot(struct virtio_input *in, struct input_event *slot)
{
	struct vq_buffer buf = {
	    .phys = in->slots_phys + (uint64_t)((uint8_t *)slot - (uint8_t *)in->slots),
	    .len = sizeof(*slot),
	    .device_writable = true,
	};
	return vq_add(&in->eventq, &buf, 1, slot);
}

static void handle_key(struct virtio_input *in, uint16_t code, uint32_t value)
{
	if (value <= 1) { /* debug only: at info, what is typed (a password) would be logged */
		log_debug("input", "%s key %u %s", kind_names[in->kind], code,
			  value ? "down" : "up");
	}
	input_report_key(code, value);
}

static void handle_event(struct virtio_input *in, const struct input_event *e)
{
	switch (e->type) {
	case EV_KEY:
		handle_key(in, e->code, e->value);
		break;
	case EV_REL:
		if (e->code <= AXIS_Y) {
			in->rel[e->code] += (int32_t)e->value;
			in->motion = true;
		} else if (e->code == REL_WHEEL) {
			input_report_wheel((int32_t)e->value);
		}
		break;
	case EV_ABS:
		if (e->code <= AXIS_Y) {
			in->abs[e->code] = e->value;
			in->motion = true;
		}
		break;
	case EV_SYN:
		if (in->motion && in->kind == KIND_TABLET) {
			input_report_abs(in->abs[0], in->abs[1], in->abs_max[0], in->abs_max[1]);
		} else if (in->motion) {
			input_report_rel(in->rel[0], in->rel[1]);
		}
		in->rel[0] = in->rel[1] = 0;
		in->motion = false;
		break;
	default:
		break; /* LEDs, misc: nothing to do */
	}
}

static void input_poll(struct task *task)
{
	struct virtio_input *in = task->data;
	void *token;
	uint32_t written;
	int got;

	while (!in->vd.failed && (got = vq_get_used(&in->eventq, &token, &written)) == 1) {
		struct input_event *slot = token;
		if (written == sizeof(*slot)) {
			handle_event(in, slot);
		}
		if (post_slot(in, slot) != 0) {
			virtio_fail(&in->vd, "cannot re-post an event buffer");
		}
	}
	if (got < 0) {
		virtio_fail(&in->vd, vq_broken_reason(&in->eventq));
	}
	virtio_notify(&in->vd, 0, &in->eventq);
}

static int setup_queue(struct virtio_input *in)
{
	uint64_t frame = pmm_alloc_frame();
	if (frame == PMM_NO_MEMORY) {
		return -1;
	}
	in->slots = phys_to_virt(frame);
	in->slots_phys = frame;
	if (virtio_queue_setup(&in->vd, 0, &in->eventq, EVENT_SLOTS) != 0) {
		return -1;
	}
	unsigned slots = vq_size(&in->eventq);
	for (unsigned i = 0; i < slots; i++) {
		if (post_slot(in, &in->slots[i]) != 0) {
			return -1;
		}
	}
	return 0;
}

int virtio_input_probe(struct pci_device *pci)
{
	struct virtio_input *in = kzalloc(sizeof(*in));
	if (in == NULL || virtio_start(&in->vd, pci, "virtio-input") != 0 ||
	    virtio_negotiate(&in->vd, 0) != 0) {
		return -1; /* the device stays allocated: it is not ours to reuse */
	}
	read_identity(in);
	in->task.name = "virtio-input";
	in->task.poll = input_poll;
	in->task.data = in;
	if (setup_queue(in) != 0 || virtio_finish(&in->vd, &in->task) != 0) {
		virtio_fail(&in->vd, "setup failed");
		return -1;
	}
	task_add(&in->task);
	log_info("input", "%s: %s \"%s\"%s", in->vd.name, kind_names[in->kind], in->product,
		 in->kind == KIND_TABLET ? ", absolute axes" : "");
	virtio_notify(&in->vd, 0, &in->eventq);
	return 0;
}
