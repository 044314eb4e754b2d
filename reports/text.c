/*
 * text.c - cleaning, measuring, breaking and drawing UTF-8 text
 * (text.h).
 */
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ELLIPSIS "\xE2\x80\xA6"         /* U+2026 */

/* The length of the well-formed UTF-8 sequence at s[0..n), with its code
 * point in *cp, or 0 when the bytes there are not one. */
static size_t
decode(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0], min;
	size_t len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2; c &= 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3; c &= 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4; c &= 0x07; min = 0x10000;
	} else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* Zero-width characters that belong to emoji sequences. */
static int
is_emoji_glue(unsigned cp)
{
	return cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F);
}

char *
ca_text_clean(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out, *o;
	size_t i = 0;

	/* Every input byte becomes at most three output bytes (U+FFFD). */
	if (n > (SIZE_MAX - 1) / 3 || (out = malloc(3 * n + 1)) == NULL)
		return NULL;
	o = out;
	while (i < n) {
		unsigned cp;
		size_t len = decode(p + i, n - i, &cp);

		if (len == 0 || cp > 0xFFFF) {
			memcpy(o, CA_REPLACEMENT, 3);
			o += 3;
			i += len ? len : 1;
			continue;
		}
		if (is_emoji_glue(cp))
			;
		else if (cp == '\n')
			*o++ = '\n';
		else if (cp < 0x20 || cp == 0x7F)
			*o++ = ' ';
		else {
			memcpy(o, p + i, len);
			o += len;
		}
		i += len;
	}
	*o = '\0';
	return out;
}

ca_text
ca_text_plain(const char *s, int weight, double size)
{
	ca_text t = { s, strlen(s), NULL, weight != 0, size };

	return t;
}

static int
weight_at(const ca_text *t, size_t i)
{
	return t->bold != NULL ? t->bold[i] != 0 : t->weight;
}

/* The end of the run of one weight that starts at a, before b. */
static size_t
run_end(const ca_text *t, size_t a, size_t b)
{
	size_t e = a + 1;

	if (t->bold == NULL)
		return b;
	while (e < b && (t->bold[e] != 0) == (t->bold[a] != 0))
		e++;
	return e;
}

double
ca_text_width(const ca_fonts *f, const ca_text *t, size_t a, size_t b)
{
	double w = 0;

	while (a < b) {
		size_t e = run_end(t, a, b);
		HPDF_TextWidth tw = HPDF_Font_TextWidth(f->face[weight_at(t, a)],
		    (const HPDF_BYTE *)t->s + a, (HPDF_UINT)(e - a));

		w += tw.width * t->size / 1000.0;
		a = e;
	}
	return w;
}

/* The length of the character at t->s[i] (clean text: always valid). */
static size_t
char_len(const ca_text *t, size_t i)
{
	unsigned cp;
	size_t len = decode((const unsigned char *)t->s + i, t->len - i, &cp);

	return len ? len : 1;
}

typedef struct lines {
	ca_line *v;
	size_t n, cap;
	int failed;
} lines;

static void
emit(lines *l, size_t off, size_t end, double width)
{
	if (l->failed)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		ca_line *v = realloc(l->v, cap * sizeof *v);

		if (v == NULL) {
			l->failed = 1;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].off = off;
	l->v[l->n].len = end - off;
	l->v[l->n].width = width;
	l->n++;
}

/* Start a line with the word [ws, we) of width ww: a word wider than the
 * line is broken between characters, each full piece a line of its own.
 * Leaves the last piece as the open line [*ls, we), *lw wide. */
static void
start_line(lines *l, const ca_fonts *f, const ca_text *t, double width, size_t ws,
    size_t we, double ww, size_t *ls, double *lw)
{
	while (ww > width + 1e-9) {
		size_t p = ws, clen = char_len(t, p);
		double pw = ca_text_width(f, t, p, p + clen);

		/* at least one character a line, however narrow the column */
		for (p += clen; p < we; p += clen) {
			double cw;

			clen = char_len(t, p);
			cw = ca_text_width(f, t, p, p + clen);
			if (pw + cw > width + 1e-9)
				break;
			pw += cw;
		}
		if (p >= we)
			break;
		emit(l, ws, p, pw);
		ww -= pw;
		ws = p;
	}
	*ls = ws;
	*lw = ww;
}

int
ca_text_wrap(const ca_fonts *f, const ca_text *t, double width, ca_line **out, size_t *n)
{
	lines l = { 0 };
	size_t i = 0, ls = 0, le = 0;
	double lw = 0;
	int open = 0;

	while (i < t->len) {
		size_t gs = i, ws, we;
		double ww;

		while (i < t->len && t->s[i] == ' ')
			i++;
		if (i >= t->len)
			break;
		if (t->s[i] == '\n') {
			if (open)
				emit(&l, ls, le, lw);
			else
				emit(&l, i, i, 0);
			open = 0;
			i++;
			continue;
		}
		ws = i;
		while (i < t->len && t->s[i] != ' ' && t->s[i] != '\n')
			i++;
		we = i;
		ww = ca_text_width(f, t, ws, we);
		if (open) {
			double gw = ca_text_width(f, t, gs, ws);

			if (lw + gw + ww <= width + 1e-9) {
				le = we;
				lw += gw + ww;
				continue;
			}
			emit(&l, ls, le, lw);
		}
		start_line(&l, f, t, width, ws, we, ww, &ls, &lw);
		le = we;
		open = 1;
	}
	if (open || l.n == 0)
		emit(&l, open ? ls : t->len, open ? le : t->len, open ? lw : 0);
	if (l.failed) {
		free(l.v);
		return -1;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}

size_t
ca_text_fit(const ca_fonts *f, const ca_text *t, size_t off, double width)
{
	ca_text ell = ca_text_plain(ELLIPSIS, weight_at(t, off < t->len ? off : 0), t->size);
	double w = ca_text_width(f, &ell, 0, ell.len);
	size_t p = off;

	while (p < t->len) {
		size_t clen = char_len(t, p);
		double cw = ca_text_width(f, t, p, p + clen);

		if (w + cw > width + 1e-9)
			break;
		w += cw;
		p += clen;
	}
	return p - off;
}

double
ca_text_draw(HPDF_Page page, const ca_fonts *f, const ca_text *t, size_t a, size_t b,
    double x, double y)
{
	char small[256], *buf;
	double x0 = x;

	while (a < b) {
		size_t e = run_end(t, a, b), len = e - a;

		buf = len < sizeof small ? small : malloc(len + 1);
		if (buf == NULL)
			return x - x0;  /* out of memory: the text is left out */
		memcpy(buf, t->s + a, len);
		buf[len] = '\0';
		HPDF_Page_BeginText(page);
		HPDF_Page_SetFontAndSize(page, f->face[weight_at(t, a)], (HPDF_REAL)t->size);
		HPDF_Page_TextOut(page, (HPDF_REAL)x, (HPDF_REAL)y, buf);
		HPDF_Page_EndText(page);
		if (buf != small)
			free(buf);
		x += ca_text_width(f, t, a, e);
		a = e;
	}
	return x - x0;
}

void
ca_text_draw_fit(HPDF_Page page, const ca_fonts *f, const ca_text *t, double x, double y,
    double width, ca_align align)
{
	double w = ca_text_width(f, t, 0, t->len);
	size_t keep;
	ca_text ell;

	if (t->len == 0)
		return;
	if (w <= width + 1e-9) {
		if (align == CA_RIGHT)
			x += width - w;
		else if (align == CA_CENTRE)
			x += (width - w) / 2;
		ca_text_draw(page, f, t, 0, t->len, x, y);
		return;
	}
	keep = ca_text_fit(f, t, 0, width);
	x += ca_text_draw(page, f, t, 0, keep, x, y);
	ell = ca_text_plain(ELLIPSIS, weight_at(t, keep ? keep - 1 : 0), t->size);
	ca_text_draw(page, f, &ell, 0, ell.len, x, y);
}
