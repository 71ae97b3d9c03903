/*
 * include/fomos.h — the Fomos app ABI: everything an app and the kernel agree on.
 *
 * An app is one function, int32_t _start(struct fomos_context *ctx), called
 * once per frame; every effect it has goes through ctx. This header is that
 * contract and nothing else: self-contained C11, it includes only <stdint.h>,
 * <stddef.h> and <stdbool.h>, so an app needs no other file from this tree.
 *
 * The layouts are FIXED (docs/design.md §2): the first version is binary
 * compatible with the apps of the original (Rust) Fomos, so every field has
 * the offset the original gave it, and a _Static_assert below pins each one.
 * Fields are only ever appended; nothing is moved or reinterpreted.
 *
 * Sections: pixels, input, what the app-management and job functions
 * report, the context (struct fomos_context: version 1 = the original's
 * layout, then the fields appended by versions 2 to 7; the version
 * this header describes is FOMOS_ABI_VERSION), return values.
 * For app authors, docs/app-abi.md explains all of it with examples.
 *
 * Who uses it: apps; the kernel's app runtime and services (fill the
 * context) and drivers/input/ (produces the input state).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------- pixels ---- */

/* One pixel of the shared back buffer: bytes r, g, b, a in memory order. */
struct fomos_rgba {
	uint8_t r, g, b, a;
};

_Static_assert(sizeof(struct fomos_rgba) == 4, "fomos_rgba is 4 bytes");
_Static_assert(offsetof(struct fomos_rgba, r) == 0, "fomos_rgba.r");
_Static_assert(offsetof(struct fomos_rgba, g) == 1, "fomos_rgba.g");
_Static_assert(offsetof(struct fomos_rgba, b) == 2, "fomos_rgba.b");
_Static_assert(offsetof(struct fomos_rgba, a) == 3, "fomos_rgba.a");

/* -------------------------------------------------------------- input ---- */

/*
 * State of one key or button, as seen by an app during one frame. The
 * kernel steps it once per frame (after every app ran), so the transitional
 * values live for exactly one frame:
 *
 *   OFF               up now, up at the previous frame, no change between
 *   OFF_FROM_ON       up now, was down at the previous frame (released)
 *   OFF_TRANSIENT_ON  up now, was up at the previous frame, but went down
 *                     and up again in between (a click shorter than a frame)
 *   ON_FROM_OFF       down now, was up at the previous frame (pressed)
 *   ON_TRANSIENT_OFF  down now, was down at the previous frame, but went up
 *                     and down again in between
 *   ON                down now, down at the previous frame, no change between
 *
 * A key is down exactly when its value is >= 128 (fomos_key_is_down).
 */
enum fomos_key_state {
	FOMOS_KEY_OFF = 0,
	FOMOS_KEY_OFF_FROM_ON = 1,
	FOMOS_KEY_OFF_TRANSIENT_ON = 2,
	FOMOS_KEY_ON_FROM_OFF = 128,
	FOMOS_KEY_ON_TRANSIENT_OFF = 129,
	FOMOS_KEY_ON = 130,
};

/* Number of key slots (Linux evdev codes 0..1023) and history entries. */
#define FOMOS_INPUT_KEYS    1024
#define FOMOS_INPUT_HISTORY 64

/*
 * Key and button codes are Linux evdev codes (linux/input-event-codes.h);
 * mouse buttons live in the same keys[] array. A few that apps commonly
 * need; any other evdev code below 1024 works the same way.
 */
#define FOMOS_KEY_ESC	     1
#define FOMOS_KEY_1	     2 /* KEY_1..KEY_9 are 2..10, KEY_0 is 11 */
#define FOMOS_KEY_0	     11
#define FOMOS_KEY_BACKSPACE  14
#define FOMOS_KEY_TAB	     15
#define FOMOS_KEY_Q	     16
#define FOMOS_KEY_W	     17
#define FOMOS_KEY_E	     18
#define FOMOS_KEY_R	     19
#define FOMOS_KEY_T	     20
#define FOMOS_KEY_Y	     21
#define FOMOS_KEY_U	     22
#define FOMOS_KEY_I	     23
#define FOMOS_KEY_O	     24
#define FOMOS_KEY_P	     25
#define FOMOS_KEY_ENTER	     28
#define FOMOS_KEY_LEFTCTRL   29
#define FOMOS_KEY_A	     30
#define FOMOS_KEY_S	     31
#define FOMOS_KEY_D	     32
#define FOMOS_KEY_F	     33
#define FOMOS_KEY_G	     34
#define FOMOS_KEY_H	     35
#define FOMOS_KEY_J	     36
#define FOMOS_KEY_K	     37
#define FOMOS_KEY_L	     38
#define FOMOS_KEY_LEFTSHIFT  42
#define FOMOS_KEY_Z	     44
#define FOMOS_KEY_X	     45
#define FOMOS_KEY_C	     46
#define FOMOS_KEY_V	     47
#define FOMOS_KEY_B	     48
#define FOMOS_KEY_N	     49
#define FOMOS_KEY_M	     50
#define FOMOS_KEY_RIGHTSHIFT 54
#define FOMOS_KEY_LEFTALT    56
#define FOMOS_KEY_SPACE	     57
#define FOMOS_KEY_UP	     103
#define FOMOS_KEY_LEFT	     105
#define FOMOS_KEY_RIGHT	     106
#define FOMOS_KEY_DOWN	     108
#define FOMOS_BTN_LEFT	     0x110
#define FOMOS_BTN_RIGHT	     0x111
#define FOMOS_BTN_MIDDLE     0x112
/* A wheel notch away from the user is a press and release of WHEEL_UP, one
 * towards the user of WHEEL_DOWN (evdev BTN_GEAR_UP and BTN_GEAR_DOWN):
 * read them from the history, where each notch is two events. */
#define FOMOS_BTN_WHEEL_DOWN 0x150
#define FOMOS_BTN_WHEEL_UP   0x151

/*
 * One entry of the key history: `key` (an evdev code) went down
 * (trigger == true) or up (trigger == false). Autorepeat of a held key does
 * not add entries.
 */
struct fomos_key_event {
	bool trigger;
	/* 7 bytes of padding (zero) */
	size_t key;
};

/*
 * The input state an app sees during one frame. It does not change while
 * the frame runs: every windowless app of a frame sees the same snapshot
 * (with keys only while no window has the focus); an app with a window
 * (version 6) sees its window's own view of it, described at `window`.
 *
 * mouse_x, mouse_y: the pointer in pixels, always inside the screen
 *   (0 <= mouse_x < width, 0 <= mouse_y < height).
 * keys: one enum fomos_key_state value per evdev code.
 * history: a ring of the latest key events. history_last_index counts the
 *   events since boot: the newest event is history[history_last_index % 64],
 *   the one before it at (history_last_index - 1) % 64, and so on, 64 deep.
 *   The count is incremented *before* an event is written, so the first
 *   event ever is index 1 (slot 1) and history_last_index == 0 means "no
 *   event yet"; slot 0 stays zero until the ring wraps. An app that keeps
 *   the last index it handled, `seen`, reads the new events as indices
 *   seen + 1 .. history_last_index; if that span is longer than 64 it has
 *   missed the oldest ones.
 */
struct fomos_input {
	size_t mouse_x;
	size_t mouse_y;
	uint8_t keys[FOMOS_INPUT_KEYS];
	size_t history_last_index;
	struct fomos_key_event history[FOMOS_INPUT_HISTORY];
};

_Static_assert(sizeof(bool) == 1, "bool is one byte, as in the original ABI");
_Static_assert(sizeof(size_t) == 8, "the ABI is x86-64 LP64");
_Static_assert(offsetof(struct fomos_key_event, trigger) == 0, "fomos_key_event.trigger");
_Static_assert(offsetof(struct fomos_key_event, key) == 8, "fomos_key_event.key");
_Static_assert(sizeof(struct fomos_key_event) == 16, "fomos_key_event is 16 bytes");
_Static_assert(offsetof(struct fomos_input, mouse_x) == 0, "fomos_input.mouse_x");
_Static_assert(offsetof(struct fomos_input, mouse_y) == 8, "fomos_input.mouse_y");
_Static_assert(offsetof(struct fomos_input, keys) == 16, "fomos_input.keys");
_Static_assert(offsetof(struct fomos_input, history_last_index) == 1040,
	       "fomos_input.history_last_index");
_Static_assert(offsetof(struct fomos_input, history) == 1048, "fomos_input.history");
_Static_assert(sizeof(struct fomos_input) == 2072, "fomos_input is 2072 bytes");
_Static_assert(_Alignof(struct fomos_input) == 8, "fomos_input is 8-byte aligned");

/* True when a key in state `state` is held down (states >= 128). */
static inline bool fomos_key_is_down(uint8_t state)
{
	return state >= FOMOS_KEY_ON_FROM_OFF;
}

/* True when evdev code `code` is held down; false for codes out of range. */
static inline bool fomos_input_key_down(const struct fomos_input *in, size_t code)
{
	return code < FOMOS_INPUT_KEYS && fomos_key_is_down(in->keys[code]);
}

/* ------------------------------------------------------------ context ---- */

/*
 * The screen an app draws into: the system's back buffer, shared by every
 * app of a frame (apps are called in z-order, so a later app draws over an
 * earlier one). Row y starts at pixels + y * w. In the original this was a
 * Rust slice (pixels, len) followed by w and h.
 */
struct fomos_framebuffer {
	struct fomos_rgba *pixels;
	size_t len; /* number of pixels, w * h */
	size_t w;
	size_t h;
};

/* What app_list (version 2) reports about one app. */
enum fomos_app_state {
	FOMOS_APP_RUNNING = 0,
	FOMOS_APP_SLEEPING = 1, /* returned FOMOS_SLEEP_MS(n); wakes later */
	FOMOS_APP_EXITED = 2,	/* returned FOMOS_EXIT or an error; about to go */
};

struct fomos_app_info {
	uint64_t pid;
	char name[32];	       /* NUL-terminated */
	uint32_t state;	       /* enum fomos_app_state */
	uint32_t flags;	       /* version 4: FOMOS_APP_FLAG_* (0 before) */
	uint64_t calls;	       /* times _start was called */
	uint64_t total_ns;     /* time spent inside _start, all calls */
	uint64_t memory_bytes; /* bytes allocated through calloc, live */
	uint64_t allocations;  /* live allocations */
};

/* fomos_app_info.flags (version 4). */
#define FOMOS_APP_FLAG_RESTORED 1u /* resumed from a snapshot, not started fresh */

/* What happens when an app crashes or runs over its time budget. */
enum fomos_policy {
	FOMOS_POLICY_STOP = 0,	  /* it goes (the default) */
	FOMOS_POLICY_RESTART = 1, /* started again, fresh: empty store */
	FOMOS_POLICY_KEEP = 2,	  /* started again with the store it had */
};

/* What app_stats (version 3) reports about one app: all `ps` shows. */
struct fomos_app_stats {
	uint64_t pid;
	char name[32];	   /* NUL-terminated */
	uint32_t state;	   /* enum fomos_app_state */
	uint32_t policy;   /* enum fomos_policy */
	uint64_t calls;	   /* calls of _start */
	uint64_t total_ns; /* time inside _start, all calls */
	uint64_t max_ns;   /* the longest call */
	uint64_t memory_bytes;
	uint64_t memory_limit; /* calloc returns NULL beyond it */
	uint64_t allocations;
	uint32_t budget_ms; /* a call longer than this is aborted */
	uint32_t faults;    /* crashes so far (before restarts) */
	uint32_t aborts;    /* calls aborted for running over budget */
	uint32_t restarts;
	uint32_t traced; /* 1 while its Context calls are traced */
	uint32_t denied; /* bit (1 << FOMOS_CAP_x) per denied capability */
};

/*
 * The capabilities app_control can deny (the context fields they gate). A
 * field the table below says is never NULL stays a function when denied:
 * a stub that refuses. Only fields marked "may be NULL" become NULL.
 */
enum fomos_capability {
	FOMOS_CAP_LOG = 0,	 /* log: a stub that drops the line */
	FOMOS_CAP_MEMORY = 1,	 /* calloc/cdalloc: calloc returns NULL */
	FOMOS_CAP_TIME = 2,	 /* time_ns, utc_ns: stubs that return 0 */
	FOMOS_CAP_MEM_INFO = 3,	 /* mem_info: a stub that fills in zeros */
	FOMOS_CAP_APPS = 4,	 /* app_start/list/kill/stats/control, job_*: NULL */
	FOMOS_CAP_CLIPBOARD = 5, /* clipboard_put/get (version 7): NULL */
};

/*
 * Why app_start, app_kill or app_control refused: their negative results.
 * fomos_error_text gives the words for a shell to print.
 */
#define FOMOS_ENOAPP   (-1) /* no app of that name in the boot archive, or no app with that pid */
#define FOMOS_ENOMEM   (-2) /* not enough memory for it */
#define FOMOS_EINVAL   (-3) /* a value out of range: a name, capability, budget or policy */
#define FOMOS_ENOCTL   (-4) /* app_control: no such control */
#define FOMOS_EBADAPP  (-5) /* the file is no app this kernel runs (the kernel log says why) */
#define FOMOS_ENOFOCUS (-6) /* clipboard: the caller is not what the user types into */

static inline const char *fomos_error_text(int64_t error)
{
	switch (error) {
	case FOMOS_ENOAPP:
		return "no such app";
	case FOMOS_ENOMEM:
		return "not enough memory";
	case FOMOS_EINVAL:
		return "value out of range";
	case FOMOS_ENOCTL:
		return "no such control";
	case FOMOS_EBADAPP:
		return "not an app this kernel runs (the log says why)";
	case FOMOS_ENOFOCUS:
		return "only the app with the keyboard focus may";
	default:
		return "unknown error";
	}
}

/* What app_control changes; value is explained per item. */
enum fomos_control {
	FOMOS_CONTROL_TRACE = 1,	/* value 1: log every Context call; 0: stop */
	FOMOS_CONTROL_DENY = 2,		/* value: an enum fomos_capability */
	FOMOS_CONTROL_ALLOW = 3,	/* value: an enum fomos_capability */
	FOMOS_CONTROL_BUDGET_MS = 4,	/* value: milliseconds per call, >= 1 */
	FOMOS_CONTROL_MEMORY_LIMIT = 5, /* value: bytes */
	FOMOS_CONTROL_POLICY = 6,	/* value: an enum fomos_policy */
};

/*
 * Jobs (version 4): work that takes longer than one call — anything on the
 * disk — is started with job_start and its outcome collected with
 * job_poll at later calls, so the caller never waits. The argument is
 * text (`arg`, arg_len bytes) or a number (`num`), per operation:
 */
enum fomos_job_op {
	FOMOS_JOB_LIST = 1,	/* arg: directory. out: "name size\n" lines, "name/\n" for
				   directories; value: entries */
	FOMOS_JOB_REMOVE = 2,	/* arg: path of a file or an empty directory */
	FOMOS_JOB_RUN = 3,	/* arg: path of an app's ELF file; value: its pid */
	FOMOS_JOB_SAVE = 4,	/* num: pid; snapshot that app (it keeps running); value: bytes */
	FOMOS_JOB_LOAD = 5,	/* arg: app name; start it from its latest snapshot (a running
				   app of that name is replaced); value: pid */
	FOMOS_JOB_REBOOT = 6,	/* save every app, then restart the machine; num: 0, or
				   FOMOS_JOB_UNSAVED */
	FOMOS_JOB_SHUTDOWN = 7, /* save every app, then power the machine off; num as for
				   FOMOS_JOB_REBOOT */
	/* version 5 */
	FOMOS_JOB_READ = 8,   /* arg: path of a file; num: offset. out: its bytes from there
				 (as many as fit); value: the file's size */
	FOMOS_JOB_COPY = 9,   /* arg: "SRC\nDST" (DST may be a directory); value: bytes */
	FOMOS_JOB_MOVE = 10,  /* arg and value as for FOMOS_JOB_COPY; SRC is removed after */
	FOMOS_JOB_MKDIR = 11, /* arg: path of the new directory */
	FOMOS_JOB_RMDIR = 12, /* arg: path of an empty directory */
	FOMOS_JOB_SPACE = 13, /* out: "F KiB free of T KiB ..."; value: free bytes */
};

/*
 * num of FOMOS_JOB_REBOOT and FOMOS_JOB_SHUTDOWN: save nothing, restart or
 * power off now, without the disk. For when saving cannot work (the disk
 * is full, failed or unreadable); the next boot starts afresh.
 */
#define FOMOS_JOB_UNSAVED 1

/*
 * What job_start and job_poll return besides a job id or a success value
 * (>= 0). When a job ends, job_poll writes a NUL-terminated text into out
 * (truncated to out_cap): the listing, or a sentence saying what was done
 * or why it failed; after that the job id is free again.
 */
#define FOMOS_JOB_PENDING (-1) /* job_poll: not finished yet, ask again later */
#define FOMOS_JOB_EINVAL  (-2) /* unknown operation, bad argument, or no such job */
#define FOMOS_JOB_EBUSY	  (-3) /* job_start: too many jobs unfinished */
#define FOMOS_JOB_EFAILED (-4) /* job_poll: it failed; out says why */

/* What mem_info (version 2) reports about the whole system. */
struct fomos_mem_info {
	uint64_t total_bytes; /* RAM the kernel manages */
	uint64_t free_bytes;  /* not handed out to anyone */
	uint64_t kernel_heap_bytes;
	uint64_t apps_bytes; /* all app arenas and images */
};

/*
 * The context: the only argument of _start, and every service an app has.
 *
 * Version 1 (the original Fomos layout) ends with `input`. The very first
 * Fomos apps knew only the prefix version..fb; they run unchanged because
 * fields never move. Pointers to functions may be NULL where marked: an app
 * must check a "may be NULL" field before calling it (a NULL field is a
 * capability the app was not given; see docs/app-abi.md).
 *
 * Since    field          may be NULL
 *   1      version        -     ABI version of this context (1, 2, ...)
 *   1      start_time     -     milliseconds since boot at this call
 *   1      log            -     write one log line (s need not end in NUL)
 *   1      pid            -     this app's id
 *   1      fb             -     the screen (see struct fomos_framebuffer)
 *   1      calloc         -     zeroed memory of `size` bytes aligned to
 *                               `align` (a power of two), or NULL when the
 *                               app is out of memory
 *   1      cdalloc        -     free what calloc gave (same size and align)
 *   1      store          -     the app's slot: what it left in *store at its
 *                               last call, NULL at the first one
 *   1      input          -     the input state for this frame
 *   2      time_ns        -     nanoseconds since boot, read now (a
 *                               high-resolution clock, unlike start_time)
 *   2      mem_info       -     fill in the system's memory figures
 *   2      app_start      yes   start the app called name (name_len bytes)
 *                               from the boot archive: its pid, or a
 *                               FOMOS_E* refusal (< 0)
 *   2      app_list       yes   fill up to max entries; returns how many
 *                               apps there are (may exceed max)
 *   2      app_kill       yes   stop app pid: 0, or FOMOS_ENOAPP
 *   3      app_stats      yes   like app_list, with everything `ps` shows
 *                               (struct fomos_app_stats)
 *   3      app_control    yes   change how app pid is run: trace it, deny
 *                               it a capability, its time budget, memory
 *                               limit, or what happens when it fails
 *                               (enum fomos_control): 0, or a FOMOS_E*
 *                               refusal (< 0)
 *   4      job_start      yes   start a job (enum fomos_job_op): its id
 *                               (>= 0), or FOMOS_JOB_EINVAL/EBUSY
 *   4      job_poll       yes   FOMOS_JOB_PENDING, or the job's outcome
 *                               (see the FOMOS_JOB_* values above)
 *   5      utc_ns         -     the wall-clock time, read now: nanoseconds
 *                               since 1970-01-01 00:00 UTC (the real-time
 *                               clock read at boot, kept since); 0 when
 *                               the machine told none
 *   6      window         -     open a window of w x h pixels (16 up to
 *                               the screen's size): from
 *                               the next call on, fb is the window's own
 *                               surface, which no other app can write,
 *                               placed and decorated (title, close box)
 *                               by the desktop, and input is the
 *                               window's view: the pointer relative to
 *                               the surface and clamped into it, keys and
 *                               their history only while the window has
 *                               the focus, mouse buttons only while the
 *                               pointer is over it (or a press there is
 *                               still held). 0; again with the same size,
 *                               0 and nothing changes; FOMOS_EINVAL for
 *                               a size out of range or another size than
 *                               the open window's; FOMOS_ENOMEM. An app
 *                               that never calls it draws into the shared
 *                               screen below every window, and gets keys
 *                               only while no window has the focus
 *   7      clipboard_put  yes   the clipboard holds these len bytes (up to
 *                               FOMOS_CLIPBOARD_MAX; any bytes, text by
 *                               custom) from now on, for every app: 0, or
 *                               FOMOS_EINVAL (too long), FOMOS_ENOFOCUS
 *   7      clipboard_get  yes   copy the clipboard's first cap bytes (or
 *                               all, if fewer) to out: the clipboard's
 *                               length (which may exceed cap), or
 *                               FOMOS_ENOFOCUS. Both clipboard calls are
 *                               refused with FOMOS_ENOFOCUS unless the
 *                               caller's window has the keyboard focus
 *                               this frame (so never for a windowless
 *                               app): an app the user is not typing into
 *                               can neither read what was copied nor
 *                               replace it
 *
 * The app_* functions are given only to an app the boot manifest grants
 * `caps=apps`, the job_* functions only with `caps=jobs` (the default
 * manifest grants both to the console it starts at boot); any other app,
 * whatever its name, finds them NULL.
 */
struct fomos_context {
	uint8_t version;
	uint64_t start_time;
	void (*log)(const char *s, uint32_t len);
	uint64_t pid;
	struct fomos_framebuffer fb;
	void *(*calloc)(size_t size, size_t align);
	void (*cdalloc)(void *ptr, size_t size, size_t align);
	void **store;
	const struct fomos_input *input;
	/* version 2 */
	uint64_t (*time_ns)(void);
	void (*mem_info)(struct fomos_mem_info *out);
	int64_t (*app_start)(const char *name, uint32_t name_len);
	uint32_t (*app_list)(struct fomos_app_info *out, uint32_t max);
	int32_t (*app_kill)(uint64_t pid);
	/* version 3 */
	uint32_t (*app_stats)(struct fomos_app_stats *out, uint32_t max);
	int32_t (*app_control)(uint64_t pid, uint32_t what, uint64_t value);
	/* version 4 */
	int32_t (*job_start)(uint32_t op, const char *arg, uint32_t arg_len, uint64_t num);
	int64_t (*job_poll)(int32_t job, char *out, uint32_t out_cap);
	/* version 5 */
	uint64_t (*utc_ns)(void);
	/* version 6 */
	int32_t (*window)(uint32_t w, uint32_t h);
	/* version 7 */
	int32_t (*clipboard_put)(const char *text, uint32_t len);
	int64_t (*clipboard_get)(char *out, uint32_t cap);
};

#define FOMOS_ABI_VERSION   7
#define FOMOS_CLIPBOARD_MAX 65536 /* bytes the clipboard holds at most */

_Static_assert(offsetof(struct fomos_framebuffer, pixels) == 0, "fb.pixels");
_Static_assert(offsetof(struct fomos_framebuffer, len) == 8, "fb.len");
_Static_assert(offsetof(struct fomos_framebuffer, w) == 16, "fb.w");
_Static_assert(offsetof(struct fomos_framebuffer, h) == 24, "fb.h");
_Static_assert(sizeof(struct fomos_framebuffer) == 32, "fomos_framebuffer is 32 bytes");
_Static_assert(offsetof(struct fomos_context, version) == 0, "ctx.version");
_Static_assert(offsetof(struct fomos_context, start_time) == 8, "ctx.start_time");
_Static_assert(offsetof(struct fomos_context, log) == 16, "ctx.log");
_Static_assert(offsetof(struct fomos_context, pid) == 24, "ctx.pid");
_Static_assert(offsetof(struct fomos_context, fb) == 32, "ctx.fb");
_Static_assert(offsetof(struct fomos_context, fb.pixels) == 32, "ctx.fb.pixels");
_Static_assert(offsetof(struct fomos_context, fb.len) == 40, "ctx.fb.len");
_Static_assert(offsetof(struct fomos_context, fb.w) == 48, "ctx.fb.w");
_Static_assert(offsetof(struct fomos_context, fb.h) == 56, "ctx.fb.h");
_Static_assert(offsetof(struct fomos_context, calloc) == 64, "ctx.calloc");
_Static_assert(offsetof(struct fomos_context, cdalloc) == 72, "ctx.cdalloc");
_Static_assert(offsetof(struct fomos_context, store) == 80, "ctx.store");
_Static_assert(offsetof(struct fomos_context, input) == 88, "ctx.input");
_Static_assert(offsetof(struct fomos_context, time_ns) == 96, "ctx.time_ns (v2)");
_Static_assert(offsetof(struct fomos_context, mem_info) == 104, "ctx.mem_info (v2)");
_Static_assert(offsetof(struct fomos_context, app_start) == 112, "ctx.app_start (v2)");
_Static_assert(offsetof(struct fomos_context, app_list) == 120, "ctx.app_list (v2)");
_Static_assert(offsetof(struct fomos_context, app_kill) == 128, "ctx.app_kill (v2)");
_Static_assert(offsetof(struct fomos_context, app_stats) == 136, "ctx.app_stats (v3)");
_Static_assert(offsetof(struct fomos_context, app_control) == 144, "ctx.app_control (v3)");
_Static_assert(offsetof(struct fomos_context, job_start) == 152, "ctx.job_start (v4)");
_Static_assert(offsetof(struct fomos_context, job_poll) == 160, "ctx.job_poll (v4)");
_Static_assert(offsetof(struct fomos_context, utc_ns) == 168, "ctx.utc_ns (v5)");
_Static_assert(offsetof(struct fomos_context, window) == 176, "ctx.window (v6)");
_Static_assert(offsetof(struct fomos_context, clipboard_put) == 184, "ctx.clipboard_put (v7)");
_Static_assert(offsetof(struct fomos_context, clipboard_get) == 192, "ctx.clipboard_get (v7)");
_Static_assert(sizeof(struct fomos_context) == 200, "fomos_context v7 is 200 bytes");
_Static_assert(sizeof(struct fomos_app_stats) == 120, "fomos_app_stats is 120 bytes");
_Static_assert(offsetof(struct fomos_app_stats, budget_ms) == 96, "fomos_app_stats.budget_ms");
_Static_assert(sizeof(struct fomos_app_info) == 80, "fomos_app_info is 80 bytes");
_Static_assert(offsetof(struct fomos_app_info, calls) == 48, "fomos_app_info.calls");
_Static_assert(sizeof(struct fomos_mem_info) == 32, "fomos_mem_info is 32 bytes");

/* ----------------------------------------------------- return values ---- */

/*
 * What _start returns tells the kernel what to do next:
 *   FOMOS_CONTINUE (0)     call me again next frame (all original apps)
 *   FOMOS_EXIT (1)         I am done: stop me, free my memory
 *   FOMOS_SLEEP_MS(ms)     do not call me for ms milliseconds (1..2^24-1)
 *   negative               I failed with this error code: stop me
 * Any other value is treated as a failure too (logged with the value).
 */
#define FOMOS_CONTINUE	   0
#define FOMOS_EXIT	   1
#define FOMOS_SLEEP_FLAG   0x10000000
#define FOMOS_SLEEP_MS(ms) ((int32_t)(FOMOS_SLEEP_FLAG | ((ms)&0xffffff)))

/* The entry point every app defines. */
int32_t _start(struct fomos_context *ctx);
