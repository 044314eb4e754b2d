/*
 * doc_private.h - the document's insides, shared by the files that lay
 * out the flow (doc.c, heading.c, running.c).  Reports use doc.h.
 */
#ifndef CASEAUDIT_DOC_PRIVATE_H
#define CASEAUDIT_DOC_PRIVATE_H

#include "doc.h"

/* A4 portrait and its margins, in points. */
#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN_X 56.693         /* 20 mm */
#define BODY_TOP (PAGE_H - 66.0)
#define BODY_BOTTOM 60.0

/* Headings that may follow one another straight away (a section's
 * heading and its first subsection's). */
#define PENDING_MAX 4

/* A heading as laid out: for the outline and the contents. */
typedef struct heading_rec {
	char *text;             /* clean */
	int level;              /* 1 or 2 */
	size_t page;            /* index into ca_doc.pages */
	double top;             /* y of the heading's top on that page */
} heading_rec;

struct ca_doc {
	HPDF_Doc pdf;
	ca_fonts fonts;
	ca_err err;             /* the first failure, sticky */
	char *title, *footer;   /* for the header and footer, clean */

	HPDF_Page *pages;
	size_t npages, cap_pages;
	double y;               /* the cursor: top of the free space */
	int fresh;              /* nothing on the current page yet */
	int break_pending;      /* the next block starts a new page */

	/* Headings waiting for their first block, to go on its page. */
	char *pending[PENDING_MAX];
	int pending_level[PENDING_MAX];
	size_t npending;
	heading_rec *heads;
	size_t nheads, cap_heads;
	HPDF_Outline outline1;  /* the last level-1 bookmark, parent of level 2 */

	int contents;           /* a contents list was asked for */
	size_t contents_at;     /* ... to go before this page */
	char *contents_title;

	int finished;
	unsigned char *bytes;   /* the rendered document */
	size_t nbytes;
};

/* A new page at the end of the document, cursor at its top. */
void doc_new_page(ca_doc *d);

/* heading.c: the height of the waiting heading and drawing it; the
 * contents pages at the end. */
double heading_pending_height(ca_doc *d, int at_top);
void heading_draw_pending(ca_doc *d);
void heading_contents(ca_doc *d);

/* running.c: header and footer on every page. */
void running_draw(ca_doc *d);

#endif
