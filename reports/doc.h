/*
 * doc.h - a PDF document for caseaudit's reports: A4 pages that content
 * flows down, the protective marking and page numbers on every page,
 * document information, and the finished bytes.
 *
 * A report creates a document, adds content from top to bottom
 * (heading.h, paragraph.h, table.h, chart.h) and renders it.  Each piece
 * of content asks the document for room (ca_doc_keep, ca_doc_take); the
 * document starts a new page when the room is not there.  The running
 * header and footer ("OFFICIAL-SENSITIVE" centred in both, the title at
 * the left of the header, "Page n of N" at the right of the footer) are
 * drawn once everything is laid out, when N is known.
 *
 * Errors are sticky, like ca_strbuf's: the first failure (a libharu
 * error, running out of memory, a block too tall for a page) is kept,
 * every later call does nothing, and ca_doc_render returns it.  So a
 * report adds all its content and checks once.
 *
 * Deterministic: the same content and dates give the same bytes.  No
 * clock, no randomness: the dates come from the caller (the data's as-of
 * time) and, unencrypted, libharu 2.3.0 writes no document ID.
 */
#ifndef CASEAUDIT_DOC_H
#define CASEAUDIT_DOC_H

#include <stddef.h>

#include <hpdf.h>

#include "error.h"
#include "palette.h"
#include "text.h"

/* Where Debian's fonts-dejavu-core puts DejaVu Sans. */
#define CA_FONT_DIR "/usr/share/fonts/truetype/dejavu"
#define CA_FONT_REGULAR "DejaVuSans.ttf"
#define CA_FONT_BOLD "DejaVuSans-Bold.ttf"

/* The protective marking on every page (Government Security
 * Classifications): the reports carry case data about people. */
#define CA_MARKING "OFFICIAL-SENSITIVE"

/* Body text. */
#define CA_BODY_SIZE 10.0
#define CA_BODY_LEADING 14.0

typedef struct ca_doc ca_doc;

/* A rectangle in PDF points, (x, y) its bottom left corner. */
typedef struct ca_box {
	double x, y, w, h;
} ca_box;

typedef struct ca_doc_info {
	const char *title;      /* required: document information and header */
	const char *subject;    /* may be NULL */
	const char *author;     /* may be NULL, e.g. the council's QA team */
	const char *keywords;   /* may be NULL */
	/* Required: the data's as-of time, never the clock, as YYYY-MM-DD
	 * or YYYY-MM-DDTHH:MM:SSZ (UTC). */
	const char *created;
	const char *modified;   /* NULL: the same as created */
	const char *short_title;        /* in the running header; NULL: title */
	const char *footer;     /* left of the footer, may be NULL */
	/* NULL: $CASEAUDIT_FONT_DIR when set, else CA_FONT_DIR. */
	const char *font_dir;
} ca_doc_info;

/*
 * A new, empty document.  Returns 0, or CA_EX_NOINPUT when a font is
 * missing or unusable (the message names the file), CA_EX_DATAERR for a
 * date that is not one of the two forms, CA_EX_USAGE with no title,
 * CA_EX_SOFTWARE when libharu fails or memory runs out.  Free with
 * ca_doc_free, whatever happened later.
 */
int  ca_doc_new(ca_doc **out, const ca_doc_info *info, ca_err *err);
void ca_doc_free(ca_doc *d);

/* The font directory info->font_dir (may be NULL) stands for. */
const char *ca_doc_font_dir(const char *font_dir);

/* The code of the first failure so far (0: none); copied to err when
 * err is not NULL. */
int  ca_doc_error(const ca_doc *d, ca_err *err);

/* Record a failure (kept only if it is the first) and return its code. */
int  ca_doc_fail(ca_doc *d, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* --- the flow ------------------------------------------------------- */

/* The body of a page: inside the margins, between header and footer. */
ca_box ca_doc_frame(const ca_doc *d);

/* Points left between the cursor and the foot of the body. */
double ca_doc_room(const ca_doc *d);

/* True when nothing has been put on the current page yet. */
int  ca_doc_at_top(const ca_doc *d);

/* Make sure a block h points tall fits below the cursor, starting a new
 * page if not; a heading waiting for its first block is drawn first and
 * counted in, so a heading is never left alone at the foot of a page.
 * Does not move the cursor. */
void ca_doc_keep(ca_doc *d, double h);

/* ca_doc_keep(h), then hand out the full-width box h points tall below
 * the cursor and move the cursor past it.  A block taller than a whole
 * page body is a layout error (CA_EX_SOFTWARE). */
ca_box ca_doc_take(ca_doc *d, double h);

/* Vertical space between blocks; none at the top of a page. */
void ca_doc_space(ca_doc *d, double h);

/* The next block starts on a new page. */
void ca_doc_page_break(ca_doc *d);

/* For drawing inside a box from ca_doc_take: the current page (NULL
 * after a failure) and the fonts. */
HPDF_Page ca_doc_page(ca_doc *d);
const ca_fonts *ca_doc_fonts(const ca_doc *d);

/* A clean copy of s for drawing (ca_text_clean); NULL after a failure,
 * or when out of memory, which is then recorded.  Caller frees. */
char *ca_doc_clean(ca_doc *d, const char *s);

/* --- output --------------------------------------------------------- */

/*
 * Finish the document (contents, running header and footer, page
 * numbers) and return its bytes in *pdf (malloc'd, caller frees) and
 * *len.  Returns 0 or the first failure.  Content added afterwards is
 * refused; rendering again returns the same bytes.
 */
int  ca_doc_render(ca_doc *d, unsigned char **pdf, size_t *len, ca_err *err);

/* The number of pages; after ca_doc_render, the contents pages too (the
 * `pages` a stored report records). */
size_t ca_doc_page_count(const ca_doc *d);

/* Write bytes to path (replacing it).  Returns 0 or CA_EX_IOERR with the
 * path and the reason. */
int  ca_doc_write(const char *path, const unsigned char *pdf, size_t len, ca_err *err);

#endif
