/*
 * The built-in test pattern that stands in for apps until they exist: a
 * marker drawn where the pointer is, whose colour shows the buttons and
 * keys held, with a label naming them. End-to-end tests find it in
 * screenshots to prove input reaches the screen.
 *
 * Colours (exact, for tests): idle green (0x30, 0xd0, 0x60); any mouse
 * button held red (0xf0, 0x40, 0x40); otherwise any key held blue
 * (0x40, 0x80, 0xff). The marker is a MARKER_SIZE square centred on the
 * pointer. What was under it is saved and put back before anything else is
 * drawn in the next frame (testpattern_erase, then the other drawing, then
 * testpattern_draw).
 */
#pragma once

#include "include/fomos.h"
#include "lib/canvas.h"

#define TESTPATTERN_MARKER_SIZE 24

void testpattern_erase(struct canvas *c);
/* Drop the saved pixels: the screen was repainted (or resized) anyway. */
void testpattern_forget(void);
void testpattern_draw(struct canvas *c, const struct fomos_input *input);
