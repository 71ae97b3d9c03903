/*
 * The system font: Debian's Terminus console font, embedded at build time
 * (see the Makefile) and parsed once by lib/psf.c.
 */
#pragma once

#include "lib/psf.h"

/* The parsed font, or NULL (logged once) if the embedded file is unusable. */
const struct psf_font *system_font(void);
