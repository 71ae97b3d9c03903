/*
 * Tracing by wrapping the Context: a traced app's context points at these
 * wrappers instead of the services; each calls the real service and logs
 * the call with its arguments, result and cost in TSC cycles:
 *     trace pid 4 hello: calloc(64, 8) = 0xffff900040000010 (812 cycles)
 * No service knows about tracing, and an untraced app's context points at
 * the services directly: it pays nothing, by construction.
 */
#pragma once

#include "include/fomos.h"

/* Replace the functions of ctx (already filled with the services) by wrappers. */
void app_trace_wrap(struct fomos_context *ctx);
