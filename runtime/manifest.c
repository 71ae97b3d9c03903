/*
 * runtime/manifest.c — parsing boot.manifest; see manifest.h for the format.
 *
 * One pass, line by line. Each line is cut at its first '#', trimmed, and
 * what remains must be empty or one valid name. Every index stays below
 * `len`, so the text needs no terminating NUL.
 */
#include "runtime/manifest.h"

#include <stdbool.h>

#include "lib/string.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* The line [start, end) without its comment and surrounding blanks. */
static void trim_line(const char *text, size_t *start, size_t *end)
{
	for (size_t i = *start; i < *end; i++) {
		if (text[i] == '#') {
			*end = i;
			break;
		}
	}
	while (*start < *end && is_blank(text[*start])) {
		(*start)++;
	}
	while (*end > *start && is_blank(text[*end - 1])) {
		(*end)--;
	}
}

/* Check the trimmed, non-empty line [start, end) and append its name. */
/* The length of the word at text[start..end): up to a blank or end. */
static size_t word_len(const char *text, size_t start, size_t end)
{
	size_t n = 0;
	while (start + n < end && !is_blank(text[start + n])) {
		n++;
	}
	return n;
}

static bool word_is(const char *text, size_t start, size_t n, const char *word)
{
	return n == strlen(word) && memcmp(text + start, word, n) == 0;
}

/* A caps= list's words, comma-separated: their bits in *caps. */
static int parse_caps(const char *text, size_t start, size_t end, uint32_t *caps)
{
	while (start <= end) {
		size_t n = 0;
		while (start + n < end && text[start + n] != ',') {
			n++;
		}
		if (word_is(text, start, n, "apps")) {
			*caps |= MANIFEST_CAP_APPS;
		} else if (word_is(text, start, n, "jobs")) {
			*caps |= MANIFEST_CAP_JOBS;
		} else {
			return MANIFEST_E_BAD_CAP;
		}
		start += n + 1;
	}
	return MANIFEST_OK;
}

/* The flag words a line may carry after its name, each at most once. */
enum { FLAG_ALWAYS, FLAG_SHELL, FLAG_TOP, FLAGS };
static const char *const flag_words[FLAGS] = {"always", "shell", "top"};

/* The words after the name: caps=LIST and the flag words, each at most once. */
static int parse_options(const char *text, size_t start, size_t end, uint32_t *caps,
			 bool flags[FLAGS])
{
	bool seen_caps = false;
	for (;;) {
		while (start < end && is_blank(text[start])) {
			start++;
		}
		if (start == end) {
			return MANIFEST_OK;
		}
		size_t n = word_len(text, start, end);
		bool *flag = NULL;
		for (unsigned f = 0; f < FLAGS; f++) {
			flag = word_is(text, start, n, flag_words[f]) ? &flags[f] : flag;
		}
		if (flag != NULL) {
			if (*flag) {
				return MANIFEST_E_TWICE;
			}
			*flag = true;
		} else if (n >= 5 && memcmp(text + start, "caps=", 5) == 0) {
			if (seen_caps) {
				return MANIFEST_E_TWO_CAPS;
			}
			seen_caps = true;
			int rc = parse_caps(text, start + 5, start + n, caps);
			if (rc != MANIFEST_OK) {
				return rc;
			}
		} else {
			return MANIFEST_E_TWO_NAMES;
		}
		start += n;
	}
}

static int add_name(const char *text, size_t start, size_t end, struct manifest *out)
{
	size_t n = word_len(text, start, end);
	uint32_t caps = 0;
	bool flags[FLAGS] = {false};

	for (size_t i = 0; i < n; i++) {
		if (!is_name_char(text[start + i])) {
			return MANIFEST_E_BAD_CHAR;
		}
	}
	int rc = parse_options(text, start + n, end, &caps, flags);
	if (rc != MANIFEST_OK) {
		return rc;
	}
	if (n > MANIFEST_NAME_MAX) {
		return MANIFEST_E_TOO_LONG;
	}
	if (out->count == MANIFEST_MAX_APPS) {
		return MANIFEST_E_TOO_MANY;
	}
	memcpy(out->names[out->count], text + start, n);
	out->names[out->count][n] = '\0';
	out->caps[out->count] = caps;
	out->always[out->count] = flags[FLAG_ALWAYS];
	out->shell[out->count] = flags[FLAG_SHELL];
	out->top[out->count] = flags[FLAG_TOP];
	out->count++;
	return MANIFEST_OK;
}

static size_t line_end(const char *text, size_t len, size_t start, bool *has_nul)
{
	size_t i = start;
	while (i < len && text[i] != '\n') {
		*has_nul = *has_nul || text[i] == '\0';
		i++;
	}
	return i;
}

int manifest_parse(const char *text, size_t len, struct manifest *out, size_t *error_line)
{
	size_t line = 1;
	int rc = MANIFEST_OK;

	out->count = 0;
	for (size_t start = 0; start < len; start++, line++) {
		bool has_nul = false;
		size_t end = line_end(text, len, start, &has_nul);
		size_t next = end; /* the '\n' (or len); the loop steps over it */
		if (has_nul) {
			rc = MANIFEST_E_NUL;
			break;
		}
		trim_line(text, &start, &end);
		if (start < end) {
			rc = add_name(text, start, end, out);
			if (rc != MANIFEST_OK) {
				break;
			}
		}
		start = next;
	}
	if (rc != MANIFEST_OK) {
		if (rc != MANIFEST_E_TOO_MANY) {
			out->count = 0; /* a wrong line: nothing at all */
		}
		if (error_line != NULL) {
			*error_line = line;
		}
	}
	return rc;
}

_Static_assert(MANIFEST_MAX_APPS == 256, "manifest_strerror names the limit");

const char *manifest_strerror(int error)
{
	switch (error) {
	case MANIFEST_OK:
		return "no error";
	case MANIFEST_E_TOO_MANY:
		return "too many apps (at most 256)";
	case MANIFEST_E_TOO_LONG:
		return "app name too long (at most 31 characters)";
	case MANIFEST_E_BAD_CHAR:
		return "app names use only a-z, 0-9, '_' and '-'";
	case MANIFEST_E_TWO_NAMES:
		return "one app name per line (then at most caps=LIST, always, shell and top)";
	case MANIFEST_E_BAD_CAP:
		return "unknown capability (caps= takes apps and jobs, comma-separated)";
	case MANIFEST_E_TWO_CAPS:
		return "caps= given twice";
	case MANIFEST_E_TWICE:
		return "always, shell or top given twice";
	case MANIFEST_E_NUL:
		return "NUL byte in the manifest";
	default:
		return "unknown error";
	}
}
