/*
 * lib/psf.c — PSF1/PSF2 parsing and code point to glyph mapping.
 *
 * Design: the header decoders (psf1_header, psf2_header) turn either format
 * into the same struct psf_font; from then on the formats differ only in how
 * a unicode table entry is encoded, which one iterator (psf_next) hides. The
 * parser walks the table once with that iterator, which both validates it
 * (every glyph's entry must be complete within the data) and fills the
 * direct table for code points < 256, the ones text mostly consists of.
 * Larger code points are found by walking the table again: a few KiB for a
 * console font, and rare in kernel text, so not worth a hash table that
 * would need memory we do not want to allocate.
 *
 * Invariants after a successful psf_parse: glyphs + glyph_count * glyph_size
 * and table + table_len lie within the caller's data; every entry of direct
 * and fallback is < glyph_count; the iterator, bounded by table_len, always
 * finds glyph_count terminators.
 *
 * Callers: see lib/psf.h.
 */
#include "lib/psf.h"

#include <stdbool.h>

#define PSF1_MAGIC0	 0x36
#define PSF1_MAGIC1	 0x04
#define PSF1_MODE512	 0x01
#define PSF1_MODEHASTAB	 0x02
#define PSF1_MODEHASSEQ	 0x04
#define PSF1_HEADER_SIZE 4
#define PSF1_SEPARATOR	 0xFFFFu
#define PSF1_STARTSEQ	 0xFFFEu

#define PSF2_MAGIC	       0x864ab572u
#define PSF2_HAS_UNICODE_TABLE 0x01u
#define PSF2_HEADER_SIZE       32
#define PSF2_SEPARATOR	       0xFF
#define PSF2_STARTSEQ	       0xFE

/* Where a table walk stands: p is the next byte, glyph the glyph whose
 * entry p is in, in_seq whether we are past its first start marker. */
struct psf_iter {
	const uint8_t *p;
	const uint8_t *end;
	uint32_t glyph;
	bool in_seq;
};

static uint32_t psf_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int psf_utf8_decode(const uint8_t *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	uint32_t min;
	size_t len;

	if (n == 0) {
		return -1;
	}
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xE0) == 0xC0) {
		len = 2;
		c = s[0] & 0x1Fu;
		min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3;
		c = s[0] & 0x0Fu;
		min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4;
		c = s[0] & 0x07u;
		min = 0x10000;
	} else {
		return -1; /* a continuation byte, or 0xF8..0xFF */
	}
	if (n < len) {
		return -1;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			return -1;
		}
		c = c << 6 | (s[i] & 0x3Fu);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are not text. */
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		return -1;
	}
	*cp = c;
	return (int)len;
}

/* One step of a PSF2 walk. Returns 1 with a code point, 0 if the byte was
 * structure (or an invalid byte, skipped), PSF_ETABLE at the end. */
static int psf2_step(struct psf_iter *it, uint32_t *cp)
{
	uint8_t b = *it->p;
	int n;

	if (b == PSF2_SEPARATOR) {
		it->p++;
		it->glyph++;
		it->in_seq = false;
		return 0;
	}
	if (b == PSF2_STARTSEQ) {
		it->p++;
		it->in_seq = true;
		return 0;
	}
	n = psf_utf8_decode(it->p, (size_t)(it->end - it->p), cp);
	if (n < 0) {
		it->p++;
		return 0;
	}
	it->p += n;
	return it->in_seq ? 0 : 1;
}

/* The same for PSF1's 16-bit entries. */
static int psf1_step(struct psf_iter *it, uint32_t *cp)
{
	uint32_t v;

	if (it->end - it->p < 2) {
		return PSF_ETABLE; /* a lone trailing byte */
	}
	v = (uint32_t)it->p[0] | (uint32_t)it->p[1] << 8;
	it->p += 2;
	if (v == PSF1_SEPARATOR) {
		it->glyph++;
		it->in_seq = false;
		return 0;
	}
	if (v == PSF1_STARTSEQ) {
		it->in_seq = true;
		return 0;
	}
	*cp = v;
	return it->in_seq ? 0 : 1;
}

/* Advances to the next single-code-point entry. Returns 1 with *cp set
 * (it->glyph is its glyph), 0 after the last glyph's terminator, or
 * PSF_ETABLE if the data ends first. */
static int psf_next(const struct psf_font *f, struct psf_iter *it, uint32_t *cp)
{
	while (it->glyph < f->glyph_count) {
		int r;

		if (it->p >= it->end) {
			return PSF_ETABLE;
		}
		r = f->version == 2 ? psf2_step(it, cp) : psf1_step(it, cp);
		if (r != 0) {
			return r;
		}
	}
	return 0;
}

static struct psf_iter psf_iter_start(const struct psf_font *f)
{
	struct psf_iter it = {
	    .p = f->table,
	    .end = f->table + f->table_len,
	    .glyph = 0,
	    .in_seq = false,
	};

	return it;
}

/* First glyph listing cp in the table, or miss. */
static uint32_t psf_search(const struct psf_font *f, uint32_t cp, uint32_t miss)
{
	struct psf_iter it = psf_iter_start(f);
	uint32_t c;

	while (psf_next(f, &it, &c) == 1) {
		if (c == cp) {
			return it.glyph;
		}
	}
	return miss;
}

static int psf1_header(struct psf_font *f, const uint8_t *d, size_t len, size_t *glyph_off,
		       bool *has_table)
{
	uint8_t mode;

	if (len < PSF1_HEADER_SIZE) {
		return PSF_ETRUNC;
	}
	mode = d[2];
	if ((mode & ~(PSF1_MODE512 | PSF1_MODEHASTAB | PSF1_MODEHASSEQ)) != 0) {
		return PSF_EHEADER;
	}
	if (d[3] == 0 || d[3] > PSF_MAX_DIM) {
		return PSF_ESIZE;
	}
	f->version = 1;
	f->width = 8;
	f->height = d[3];
	f->glyph_count = (mode & PSF1_MODE512) ? 512 : 256;
	*glyph_off = PSF1_HEADER_SIZE;
	*has_table = (mode & (PSF1_MODEHASTAB | PSF1_MODEHASSEQ)) != 0;
	return 0;
}

static int psf2_header(struct psf_font *f, const uint8_t *d, size_t len, size_t *glyph_off,
		       bool *has_table)
{
	uint32_t header_size;
	uint32_t flags;
	uint32_t charsize;

	if (len < PSF2_HEADER_SIZE) {
		return PSF_ETRUNC;
	}
	header_size = psf_le32(d + 8);
	flags = psf_le32(d + 12);
	if (psf_le32(d + 4) != 0 || header_size < PSF2_HEADER_SIZE ||
	    (flags & ~PSF2_HAS_UNICODE_TABLE) != 0) {
		return PSF_EHEADER;
	}
	if (header_size > len) {
		return PSF_ETRUNC;
	}
	f->version = 2;
	f->glyph_count = psf_le32(d + 16);
	charsize = psf_le32(d + 20);
	f->height = psf_le32(d + 24);
	f->width = psf_le32(d + 28);
	if (f->width == 0 || f->width > PSF_MAX_DIM || f->height == 0 || f->height > PSF_MAX_DIM ||
	    charsize != f->height * ((f->width + 7) / 8)) {
		return PSF_ESIZE;
	}
	*glyph_off = header_size;
	*has_table = (flags & PSF2_HAS_UNICODE_TABLE) != 0;
	return 0;
}

/* Fills direct[] and fallback for a font without a table: identity map. */
static void psf_index_identity(struct psf_font *f)
{
	f->fallback = '?' < f->glyph_count ? '?' : 0;
	for (uint32_t cp = 0; cp < PSF_DIRECT; cp++) {
		f->direct[cp] = (uint16_t)(cp < f->glyph_count ? cp : f->fallback);
	}
}

/* Walks the whole table once: validates it, trims table_len to the entries
 * of glyph_count glyphs, fills direct[] and fallback. */
static int psf_index_table(struct psf_font *f)
{
	uint8_t seen[PSF_DIRECT / 8] = {0};
	struct psf_iter it = psf_iter_start(f);
	uint32_t cp;
	int r;

	while ((r = psf_next(f, &it, &cp)) == 1) {
		/* The first glyph listing a code point wins, as in psf_search. */
		if (cp < PSF_DIRECT && !(seen[cp / 8] & (1u << (cp % 8)))) {
			seen[cp / 8] |= (uint8_t)(1u << (cp % 8));
			f->direct[cp] = (uint16_t)it.glyph;
		}
	}
	if (r < 0) {
		return r;
	}
	f->table_len = (size_t)(it.p - f->table);
	f->fallback = psf_search(f, PSF_REPLACEMENT, UINT32_MAX);
	if (f->fallback == UINT32_MAX) {
		f->fallback = (seen['?' / 8] & (1u << ('?' % 8))) ? f->direct['?'] : 0;
	}
	for (uint32_t c = 0; c < PSF_DIRECT; c++) {
		if (!(seen[c / 8] & (1u << (c % 8)))) {
			f->direct[c] = (uint16_t)f->fallback;
		}
	}
	return 0;
}

int psf_parse(struct psf_font *f, const void *data, size_t len)
{
	const uint8_t *d = data;
	struct psf_font font = {0};
	size_t glyph_off = 0;
	size_t glyph_bytes;
	bool has_table = false;
	int r;

	if (len >= 2 && d[0] == PSF1_MAGIC0 && d[1] == PSF1_MAGIC1) {
		r = psf1_header(&font, d, len, &glyph_off, &has_table);
	} else if (len >= 4 && psf_le32(d) == PSF2_MAGIC) {
		r = psf2_header(&font, d, len, &glyph_off, &has_table);
	} else {
		r = PSF_EMAGIC;
	}
	if (r < 0) {
		return r;
	}
	if (font.glyph_count == 0 || font.glyph_count > PSF_MAX_GLYPHS) {
		return PSF_ECOUNT;
	}
	font.row_bytes = (font.width + 7) / 8;
	font.glyph_size = font.height * font.row_bytes;
	/* Both factors are bounded above, so this cannot overflow. */
	glyph_bytes = (size_t)font.glyph_count * font.glyph_size;
	if (glyph_bytes > len - glyph_off) {
		return PSF_EGLYPHS;
	}
	font.glyphs = d + glyph_off;
	if (has_table) {
		font.table = font.glyphs + glyph_bytes;
		font.table_len = len - glyph_off - glyph_bytes;
		r = psf_index_table(&font);
	} else {
		psf_index_identity(&font);
	}
	if (r == 0) {
		*f = font;
	}
	return r;
}

const uint8_t *psf_glyph(const struct psf_font *f, uint32_t codepoint)
{
	uint32_t index;

	if (codepoint < PSF_DIRECT) {
		index = f->direct[codepoint];
	} else if (f->table == NULL) {
		index = codepoint < f->glyph_count ? codepoint : f->fallback;
	} else {
		index = psf_search(f, codepoint, f->fallback);
	}
	return f->glyphs + (size_t)index * f->glyph_size;
}
