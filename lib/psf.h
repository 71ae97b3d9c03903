/*
 * lib/psf.h — PSF1/PSF2 console fonts, read in place.
 *
 * The kernel embeds Debian's Terminus console font (a PSF2 file, unpacked at
 * build time) and draws text with it before anything else works, so the
 * parser allocates nothing and copies nothing: struct psf_font points into
 * the caller's font data, which must stay alive and unchanged.
 *
 * File formats (as documented by the Linux kbd project):
 *   PSF1: 36 04, mode byte (1 = 512 glyphs, 2 = has table, 4 = has
 *         sequences), charsize byte (= height; width is 8); glyphs follow.
 *   PSF2: 72 b5 4a 86, then little-endian u32 version (0), headersize,
 *         flags (1 = has table), length (glyph count), charsize, height,
 *         width; glyphs start at headersize.
 *   Each glyph is `height` rows of (width + 7) / 8 bytes, most significant
 *   bit = leftmost pixel. The optional unicode table follows the glyphs: for
 *   each glyph in turn, its code points, then optional sequences (each
 *   introduced by a start marker), then a terminator. PSF1 uses 16-bit LE
 *   values (0xFFFE start, 0xFFFF end); PSF2 uses UTF-8 (0xFE start, 0xFF
 *   end). Sequences (a letter plus combining marks drawn as one glyph) are
 *   skipped: we map single code points only.
 *
 * psf_parse is the decode step: it checks every size and offset against
 * `len` (and walks the whole unicode table once), so psf_glyph can never
 * fail or read outside the data afterwards.
 *
 * Callers: the boot console and lib/canvas.c. No global state.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

enum psf_error {
	PSF_ETRUNC = -1,  /* data shorter than its header */
	PSF_EMAGIC = -2,  /* not a PSF1 or PSF2 file */
	PSF_EHEADER = -3, /* unknown version, flags, mode or header size */
	PSF_ESIZE = -4,	  /* width/height 0 or > PSF_MAX_DIM, or bad charsize */
	PSF_ECOUNT = -5,  /* no glyphs, or more than PSF_MAX_GLYPHS */
	PSF_EGLYPHS = -6, /* glyph bitmaps run past the end of the data */
	PSF_ETABLE = -7,  /* unicode table ends before its last glyph's entry */
};

#define PSF_MAX_DIM    64
#define PSF_MAX_GLYPHS 65536u

/* Code points below this are looked up in psf_font.direct (no search). */
#define PSF_DIRECT 256

/* What an unmappable code point is drawn as (if the font has it). */
#define PSF_REPLACEMENT 0xFFFDu

struct psf_font {
	const uint8_t *glyphs; /* glyph_count * glyph_size bytes */
	const uint8_t *table;  /* unicode table, or NULL if the font has none */
	size_t table_len;      /* validated: ends with the last glyph's entry */
	uint32_t glyph_count;
	uint32_t glyph_size;	     /* bytes per glyph = height * row_bytes */
	uint32_t width;		     /* pixels, 1..PSF_MAX_DIM */
	uint32_t height;	     /* pixels, 1..PSF_MAX_DIM */
	uint32_t row_bytes;	     /* (width + 7) / 8 */
	uint32_t fallback;	     /* glyph index for code points the font lacks */
	uint8_t version;	     /* 1 or 2 */
	uint16_t direct[PSF_DIRECT]; /* glyph index of each code point < 256 */
};

/* Decodes and checks a font file of len bytes at data into *f. Returns 0, or
 * a negative enum psf_error (then *f is unchanged). data must outlive f. */
int psf_parse(struct psf_font *f, const void *data, size_t len);

/* The bitmap for a Unicode code point: its glyph, else U+FFFD's, else
 * '?''s, else glyph 0. Without a unicode table the code point is the glyph
 * index. Never NULL for a successfully parsed font. */
const uint8_t *psf_glyph(const struct psf_font *f, uint32_t codepoint);

/* Decodes one UTF-8 sequence from s (n bytes available). Returns its length
 * (1..4) and sets *cp, or returns -1 if s does not start with a complete,
 * valid, shortest-form encoding of a scalar value (the caller then skips one
 * byte). Shared with lib/canvas.c, which draws UTF-8 text. */
int psf_utf8_decode(const uint8_t *s, size_t n, uint32_t *cp);
