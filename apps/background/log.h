/*
 * apps/background/log.h — printf-style log lines for the background app.
 *
 * ctx->log takes one finished line; this formats it first (lib/format.c,
 * no floating point) into a buffer on the stack. Lines longer than
 * BG_LOG_MAX - 1 bytes are cut.
 */
#pragma once

#include "fomos.h"

#define BG_LOG_MAX 160

void bg_logf(struct fomos_context *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
