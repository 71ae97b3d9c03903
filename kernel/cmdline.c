/*
 * Command-line lookup; see cmdline.h. Linear scans of a short string: the
 * command line is read a handful of times at boot.
 */
#include "kernel/cmdline.h"

#include "lib/string.h"

static size_t word_length(const char *s)
{
	size_t n = 0;
	while (s[n] != '\0' && s[n] != ' ') {
		n++;
	}
	return n;
}

bool cmdline_find(const char *cmdline, const char *key, const char **value, size_t *len)
{
	size_t key_len = strlen(key);

	for (const char *w = cmdline; *w != '\0';) {
		size_t n = word_length(w);
		if (n >= key_len && strncmp(w, key, key_len) == 0 &&
		    (n == key_len || w[key_len] == '=')) {
			*value = n == key_len ? w + n : w + key_len + 1;
			*len = n == key_len ? 0 : n - key_len - 1;
			return true;
		}
		w += n;
		while (*w == ' ') {
			w++;
		}
	}
	return false;
}

bool cmdline_is(const char *cmdline, const char *key, const char *value)
{
	const char *v;
	size_t len;

	return cmdline_find(cmdline, key, &v, &len) && len == strlen(value) &&
	       strncmp(v, value, len) == 0;
}
