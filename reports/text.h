/*
 * text.h - UTF-8 text as libharu can draw it: cleaning, measuring,
 * breaking into lines and drawing one line, in regular or bold DejaVu
 * Sans or a mix of the two.
 *
 * libharu's own TextRect breaks lines only at ASCII spaces and cannot mix
 * weights, and its UTF-8 encoder turns characters above U+FFFF (emoji)
 * into spaces, so every string a report draws goes through
 * ca_text_clean first and is broken into lines here.
 */
#ifndef CASEAUDIT_TEXT_H
#define CASEAUDIT_TEXT_H

#include <stddef.h>

#include <hpdf.h>

/* The two weights of the body face. */
typedef struct ca_fonts {
	HPDF_Font face[2];      /* [0] regular, [1] bold */
} ca_fonts;

/* A piece of clean text and how to set it. */
typedef struct ca_text {
	const char *s;          /* clean UTF-8 (ca_text_clean) */
	size_t len;
	const unsigned char *bold;  /* per byte, 1 = bold; NULL: all `weight` */
	int weight;             /* 0 regular, 1 bold, when bold is NULL */
	double size;            /* points */
} ca_text;

/* One line of a broken text: bytes [off, off + len) and their width. */
typedef struct ca_line {
	size_t off, len;
	double width;
} ca_line;

typedef enum ca_align { CA_LEFT, CA_CENTRE, CA_RIGHT } ca_align;

/* The baseline that centres capitals of size points in a line box
 * leading points tall whose top is at top (cap height about 0.73 em). */
static inline double
ca_text_baseline(double top, double leading, double size)
{
	return top - leading / 2 - 0.365 * size;
}

#define CA_REPLACEMENT "\xEF\xBF\xBD"   /* U+FFFD */

/* A copy of s (n bytes) that libharu can draw: characters above U+FFFF
 * and malformed bytes become U+FFFD, tabs and other control characters
 * become spaces (line feeds stay: they are hard line breaks), and
 * variation selectors and joiners, which only make sense next to the
 * emoji just replaced, are dropped.  Caller frees; NULL when out of
 * memory. */
char *ca_text_clean(const char *s, size_t n);

/* A ca_text over s, all in one weight. */
ca_text ca_text_plain(const char *s, int weight, double size);

/* Width in points of bytes [a, b) of t. */
double ca_text_width(const ca_fonts *f, const ca_text *t, size_t a, size_t b);

/*
 * Break t into lines no wider than width: at spaces, at line feeds
 * (always), and inside a word only when the word alone is wider than the
 * line, between characters.  Runs of spaces count as one break and are
 * left out of the lines; an empty text is one empty line.  *lines is
 * malloc'd (caller frees).  Returns 0, or -1 when out of memory.
 */
int ca_text_wrap(const ca_fonts *f, const ca_text *t, double width, ca_line **lines,
    size_t *n);

/* Bytes of t, from off, that fit in width followed by an ellipsis
 * (whole characters only). */
size_t ca_text_fit(const ca_fonts *f, const ca_text *t, size_t off, double width);

/* Draw bytes [a, b) of t with its baseline at y, starting at x.  The
 * page's fill colour is the text colour.  Returns the width drawn. */
double ca_text_draw(HPDF_Page page, const ca_fonts *f, const ca_text *t, size_t a, size_t b,
    double x, double y);

/* Draw all of t on one line in the box [x, x + width], aligned, and cut
 * with an ellipsis if it is too wide. */
void ca_text_draw_fit(HPDF_Page page, const ca_fonts *f, const ca_text *t, double x, double y,
    double width, ca_align align);

#endif
