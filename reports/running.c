/*
 * running.c - the running header and footer of every page: the
 * protective marking centred in both, the title at the left of the
 * header, the caller's footer text at the left of the footer and
 * "Page n of N" at its right.  Drawn when the document is finished, the
 * only time N is known.
 */
#include <stdio.h>

#include "doc_private.h"

#define HEADER_BASE (PAGE_H - 34.0)
#define FOOTER_BASE 30.0
#define RUN_SIZE 8.5
#define MARK_SIZE 9.0

static void
hairline(HPDF_Page page, double y)
{
	ca_stroke(page, CA_RULE);
	HPDF_Page_SetLineWidth(page, 0.5);
	ca_dash_set(page, CA_DASH_SOLID);
	HPDF_Page_MoveTo(page, MARGIN_X, (HPDF_REAL)y);
	HPDF_Page_LineTo(page, (HPDF_REAL)(PAGE_W - MARGIN_X), (HPDF_REAL)y);
	HPDF_Page_Stroke(page);
}

/* The marking centred at baseline y; returns its half width. */
static double
marking(ca_doc *d, HPDF_Page page, double y)
{
	ca_text m = ca_text_plain(CA_MARKING, 1, MARK_SIZE);
	double w = ca_text_width(&d->fonts, &m, 0, m.len);

	ca_fill(page, CA_INK);
	ca_text_draw(page, &d->fonts, &m, 0, m.len, (PAGE_W - w) / 2, y);
	return w / 2;
}

static void
draw_page(ca_doc *d, size_t i)
{
	HPDF_Page page = d->pages[i];
	ca_text title = ca_text_plain(d->title, 0, RUN_SIZE);
	ca_text footer = ca_text_plain(d->footer, 0, RUN_SIZE);
	char num[64];
	ca_text pn;
	double half, side;

	snprintf(num, sizeof num, "Page %zu of %zu", i + 1, d->npages);
	pn = ca_text_plain(num, 0, RUN_SIZE);

	half = marking(d, page, HEADER_BASE);
	side = PAGE_W / 2 - half - 16 - MARGIN_X;       /* room either side of it */
	ca_fill(page, CA_MUTED);
	ca_text_draw_fit(page, &d->fonts, &title, MARGIN_X, HEADER_BASE, side, CA_LEFT);
	hairline(page, HEADER_BASE - 8);

	hairline(page, FOOTER_BASE + 12);
	marking(d, page, FOOTER_BASE);
	ca_fill(page, CA_MUTED);
	ca_text_draw_fit(page, &d->fonts, &footer, MARGIN_X, FOOTER_BASE, side, CA_LEFT);
	ca_text_draw_fit(page, &d->fonts, &pn, PAGE_W - MARGIN_X - side, FOOTER_BASE, side,
	    CA_RIGHT);
}

void
running_draw(ca_doc *d)
{
	if (d->err.code == 0 && d->npages == 0)
		doc_new_page(d);
	for (size_t i = 0; i < d->npages && d->err.code == 0; i++)
		draw_page(d, i);
}
