/*
 * apps/console/lineedit.h — the command line being typed, and the list of
 * earlier commands that Up and Down bring back.
 *
 * A fixed buffer of LEDIT_MAX printable ASCII bytes with a cursor; typing
 * past the end is ignored. The history is a ring of the last LEDIT_HISTORY
 * distinct non-empty lines. `version` changes whenever what the line
 * shows (text or cursor) changes, so the terminal re-renders it only then.
 *
 * Pure: no allocation, no I/O. Used by apps/console/main.c; the shell
 * reads the history for its `history` command.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LEDIT_MAX     240
#define LEDIT_HISTORY 16

struct ledit {
	char buf[LEDIT_MAX];
	size_t len;
	size_t cur; /* 0..len */
	uint32_t version;
	char hist[LEDIT_HISTORY][LEDIT_MAX];
	size_t hist_len[LEDIT_HISTORY];
	size_t hist_count; /* entries in use, <= LEDIT_HISTORY */
	size_t hist_next;  /* slot the next entry goes to */
	size_t browse;	   /* 0 = editing a new line, k = k-th newest entry */
};

void ledit_insert(struct ledit *e, char c);
void ledit_backspace(struct ledit *e);
void ledit_delete(struct ledit *e);
void ledit_left(struct ledit *e);
void ledit_right(struct ledit *e);
void ledit_home(struct ledit *e);
void ledit_end(struct ledit *e);
void ledit_kill(struct ledit *e);

/* Replaces the line with an older (Up) or newer (Down) history entry;
 * Down past the newest gives an empty line. */
void ledit_history_up(struct ledit *e);
void ledit_history_down(struct ledit *e);

/* History entry k (1 = the newest, up to hist_count): its text in *s (not
 * NUL-terminated), its length returned. */
size_t ledit_history_entry(const struct ledit *e, size_t k, const char **s);

/* Copies the line to out (out has room for LEDIT_MAX bytes), returns its
 * length, remembers it in the history and starts a new, empty line. */
size_t ledit_take(struct ledit *e, char *out);
