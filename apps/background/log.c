/*
 * apps/background/log.c — see log.h.
 */
#include "apps/background/log.h"

#include <stdarg.h>

#include "lib/format.h"

void bg_logf(struct fomos_context *ctx, const char *fmt, ...)
{
	char line[BG_LOG_MAX];
	va_list ap;

	va_start(ap, fmt);
	int n = fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0) {
		return;
	}
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
	}
	ctx->log(line, (uint32_t)n);
}
