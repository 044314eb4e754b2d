/*
 * heading.c - title block, headings, bookmarks and contents (heading.h).
 */
#include "heading.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_private.h"

typedef struct heading_style {
	double size, leading, before, after, rule;
} heading_style;

static const heading_style styles[3] = {
	{ 15.0, 19.0, 20.0, 9.0, 0.8 },         /* level 1: a rule below */
	{ 15.0, 19.0, 20.0, 9.0, 0.8 },
	{ 11.5, 15.0, 12.0, 4.0, 0.0 },         /* level 2 */
};

#define CONTENTS_LEADING 17.0
/* A heading longer than this many lines is cut short with an ellipsis:
 * it could not stay with its text otherwise. */
#define HEADING_MAX_LINES 6

static int
level_of(int level)
{
	return level <= 1 ? 1 : 2;
}

/* The lines of a heading, or -1 (recorded) when out of memory. */
static int
heading_lines(ca_doc *d, const char *text, int level, ca_line **lines, size_t *n)
{
	ca_text t = ca_text_plain(text, 1, styles[level].size);

	if (ca_text_wrap(&d->fonts, &t, PAGE_W - 2 * MARGIN_X, lines, n) != 0) {
		ca_doc_fail(d, CA_EX_SOFTWARE, "laying out the PDF: out of memory");
		return -1;
	}
	if (*n > HEADING_MAX_LINES) {
		/* the last line shown holds the rest, cut to fit */
		(*lines)[HEADING_MAX_LINES - 1].len = t.len - (*lines)[HEADING_MAX_LINES - 1].off;
		*n = HEADING_MAX_LINES;
	}
	return 0;
}

static double
heading_height(ca_doc *d, size_t i, int at_top)
{
	const heading_style *st = &styles[d->pending_level[i]];
	ca_line *lines;
	size_t n;

	if (heading_lines(d, d->pending[i], d->pending_level[i], &lines, &n) != 0)
		return 0;
	free(lines);
	return (at_top && i == 0 ? 0 : st->before) + (double)n * st->leading + st->rule +
	    st->after;
}

double
heading_pending_height(ca_doc *d, int at_top)
{
	double h = 0;

	for (size_t i = 0; i < d->npending && d->err.code == 0; i++)
		h += heading_height(d, i, at_top);
	return h;
}

static void
bookmark(ca_doc *d, const char *text, int level, HPDF_Page page, double top)
{
	HPDF_Outline parent = level == 1 ? NULL : d->outline1;
	HPDF_Outline o = HPDF_CreateOutline(d->pdf, parent, text,
	    HPDF_GetEncoder(d->pdf, "UTF-8"));
	HPDF_Destination dst;

	if (o == NULL || (dst = HPDF_Page_CreateDestination(page)) == NULL)
		return;
	HPDF_Destination_SetFitH(dst, (HPDF_REAL)fmin(top + 12, PAGE_H));
	HPDF_Outline_SetDestination(o, dst);
	if (level == 1) {
		HPDF_Outline_SetOpened(o, HPDF_TRUE);
		d->outline1 = o;
	}
}

static void
record(ca_doc *d, char *text, int level, double top)
{
	if (d->nheads == d->cap_heads) {
		size_t cap = d->cap_heads ? 2 * d->cap_heads : 16;
		heading_rec *v = realloc(d->heads, cap * sizeof *v);

		if (v == NULL) {
			free(text);
			ca_doc_fail(d, CA_EX_SOFTWARE, "laying out the PDF: out of memory");
			return;
		}
		d->heads = v;
		d->cap_heads = cap;
	}
	d->heads[d->nheads].text = text;
	d->heads[d->nheads].level = level;
	d->heads[d->nheads].page = d->npages - 1;
	d->heads[d->nheads].top = top;
	d->nheads++;
}

/* Draw one heading at the cursor; takes ownership of text. */
static void
draw_heading(ca_doc *d, char *text, int level)
{
	const heading_style *st = &styles[level];
	HPDF_Page page = d->pages[d->npages - 1];
	ca_line *lines;
	size_t n;
	double top;

	if (heading_lines(d, text, level, &lines, &n) != 0) {
		free(text);
		return;
	}
	if (!d->fresh)
		d->y -= st->before;
	top = d->y;
	bookmark(d, text, level, page, top);
	ca_fill(page, CA_HEADING);
	for (size_t i = 0; i < n; i++) {
		ca_text line = ca_text_plain(text + lines[i].off, 1, st->size);

		line.len = lines[i].len;
		ca_text_draw_fit(page, &d->fonts, &line, MARGIN_X,
		    ca_text_baseline(d->y, st->leading, st->size), PAGE_W - 2 * MARGIN_X, CA_LEFT);
		d->y -= st->leading;
	}
	free(lines);
	if (st->rule > 0) {
		d->y -= 3;
		ca_stroke(page, CA_HEADING);
		HPDF_Page_SetLineWidth(page, (HPDF_REAL)st->rule);
		HPDF_Page_MoveTo(page, MARGIN_X, (HPDF_REAL)d->y);
		HPDF_Page_LineTo(page, (HPDF_REAL)(PAGE_W - MARGIN_X), (HPDF_REAL)d->y);
		HPDF_Page_Stroke(page);
		d->y -= st->rule - 3;
	}
	d->y -= st->after;
	d->fresh = 0;
	record(d, text, level, top);
}

void
heading_draw_pending(ca_doc *d)
{
	for (size_t i = 0; i < d->npending; i++) {
		if (d->err.code == 0)
			draw_heading(d, d->pending[i], d->pending_level[i]);
		else
			free(d->pending[i]);
		d->pending[i] = NULL;
	}
	d->npending = 0;
}

void
ca_heading(ca_doc *d, int level, const char *text)
{
	char *clean;

	if (d->err.code != 0)
		return;
	if (d->npending == PENDING_MAX)
		ca_doc_keep(d, 0);
	if ((clean = ca_doc_clean(d, text)) == NULL)
		return;
	d->pending[d->npending] = clean;
	d->pending_level[d->npending] = level_of(level);
	d->npending++;
}

void
ca_doc_title(ca_doc *d, const char *title, const char *subtitle)
{
	char *t = ca_doc_clean(d, title), *s = ca_doc_clean(d, subtitle);
	ca_text tt = ca_text_plain(t ? t : "", 1, 22), st = ca_text_plain(s ? s : "", 0, 12);
	ca_line *tl = NULL, *sl = NULL;
	size_t nt = 0, ns = 0;
	ca_box b;
	double y;

	if (d->err.code != 0 || ca_text_wrap(&d->fonts, &tt, PAGE_W - 2 * MARGIN_X, &tl, &nt) != 0 ||
	    ca_text_wrap(&d->fonts, &st, PAGE_W - 2 * MARGIN_X, &sl, &ns) != 0) {
		ca_doc_fail(d, CA_EX_SOFTWARE, "laying out the PDF: out of memory");
		goto done;
	}
	if (subtitle == NULL)
		ns = 0;
	b = ca_doc_take(d, (double)nt * 28 + (double)ns * 16 + 8);
	if (d->err.code != 0)
		goto done;
	y = b.y + b.h;
	ca_fill(d->pages[d->npages - 1], CA_HEADING);
	for (size_t i = 0; i < nt; i++, y -= 28)
		ca_text_draw(d->pages[d->npages - 1], &d->fonts, &tt, tl[i].off,
		    tl[i].off + tl[i].len, b.x, ca_text_baseline(y, 28, 22));
	y -= 8;
	ca_fill(d->pages[d->npages - 1], CA_MUTED);
	for (size_t i = 0; i < ns; i++, y -= 16)
		ca_text_draw(d->pages[d->npages - 1], &d->fonts, &st, sl[i].off,
		    sl[i].off + sl[i].len, b.x, ca_text_baseline(y, 16, 12));
	ca_doc_space(d, 24);
done:
	free(tl);
	free(sl);
	free(t);
	free(s);
}

void
ca_doc_contents(ca_doc *d, const char *title)
{
	if (d->err.code != 0)
		return;
	if (d->contents) {
		ca_doc_fail(d, CA_EX_SOFTWARE, "laying out the PDF: a second list of contents");
		return;
	}
	ca_doc_keep(d, 0);
	if ((d->contents_title = ca_doc_clean(d, title ? title : "Contents")) == NULL)
		return;
	ca_doc_page_break(d);
	d->contents = 1;
	/* an empty current page is where the contents go */
	d->contents_at = d->npages > 0 && d->fresh && !d->break_pending ? d->npages - 1 :
	    d->npages;
}

/* --- the contents pages, when the document is rendered --------------- */

#define CONTENTS_TITLE_H (styles[1].leading + styles[1].rule + styles[1].after + 3)

static size_t
contents_pages(size_t entries)
{
	size_t first = (size_t)((BODY_TOP - BODY_BOTTOM - CONTENTS_TITLE_H) / CONTENTS_LEADING);
	size_t rest = (size_t)((BODY_TOP - BODY_BOTTOM) / CONTENTS_LEADING);

	if (entries <= first)
		return 1;
	return 1 + (entries - first + rest - 1) / rest;
}

/* Insert n pages before page index at (or at the end). */
static int
insert_pages(ca_doc *d, size_t at, size_t n)
{
	HPDF_Page target = at < d->npages ? d->pages[at] : NULL, *v;

	if ((v = realloc(d->pages, (d->npages + n) * sizeof *v)) == NULL)
		return ca_doc_fail(d, CA_EX_SOFTWARE, "laying out the PDF: out of memory");
	d->pages = v;
	d->cap_pages = d->npages + n;
	memmove(v + at + n, v + at, (d->npages - at) * sizeof *v);
	for (size_t k = 0; k < n; k++) {
		v[at + k] = target ? HPDF_InsertPage(d->pdf, target) : HPDF_AddPage(d->pdf);
		if (v[at + k] == NULL)
			return ca_doc_fail(d, CA_EX_SOFTWARE, "laying out the PDF: adding a page");
		HPDF_Page_SetSize(v[at + k], HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	}
	d->npages += n;
	for (size_t i = 0; i < d->nheads; i++)
		if (d->heads[i].page >= at)
			d->heads[i].page += n;
	return 0;
}

/* One line of the contents: the heading, dotted leaders, the page
 * number, all of it a link to the heading. */
static void
contents_entry(ca_doc *d, HPDF_Page page, const heading_rec *h, double top)
{
	char num[24];
	double indent = h->level == 1 ? 0 : 16, right = PAGE_W - MARGIN_X;
	ca_text t = ca_text_plain(h->text, h->level == 1, CA_BODY_SIZE), nt;
	double base = ca_text_baseline(top, CONTENTS_LEADING, CA_BODY_SIZE), nw, tw;
	HPDF_Rect r = { MARGIN_X, top - CONTENTS_LEADING, right, top };
	HPDF_Destination dst;
	HPDF_Annotation link;

	snprintf(num, sizeof num, "%zu", h->page + 1);
	nt = ca_text_plain(num, 0, CA_BODY_SIZE);
	nw = ca_text_width(&d->fonts, &nt, 0, nt.len);
	ca_fill(page, CA_INK);
	ca_text_draw_fit(page, &d->fonts, &t, MARGIN_X + indent, base,
	    right - nw - 24 - MARGIN_X - indent, CA_LEFT);
	ca_text_draw(page, &d->fonts, &nt, 0, nt.len, right - nw, base);
	tw = fmin(ca_text_width(&d->fonts, &t, 0, t.len), right - nw - 24 - MARGIN_X - indent);
	ca_stroke(page, CA_RULE);
	HPDF_Page_SetLineWidth(page, 0.8);
	ca_dash_set(page, CA_DASH_DOTTED);
	HPDF_Page_MoveTo(page, (HPDF_REAL)(MARGIN_X + indent + tw + 6), (HPDF_REAL)base);
	HPDF_Page_LineTo(page, (HPDF_REAL)(right - nw - 6), (HPDF_REAL)base);
	HPDF_Page_Stroke(page);
	ca_dash_set(page, CA_DASH_SOLID);
	if ((dst = HPDF_Page_CreateDestination(d->pages[h->page])) == NULL)
		return;
	HPDF_Destination_SetFitH(dst, (HPDF_REAL)fmin(h->top + 40, PAGE_H));
	if ((link = HPDF_Page_CreateLinkAnnot(page, r, dst)) != NULL)
		HPDF_LinkAnnot_SetBorderStyle(link, 0, 0, 0);
}

void
heading_contents(ca_doc *d)
{
	size_t npc, at = d->contents_at, e = 0;

	if (!d->contents || d->err.code != 0)
		return;
	npc = contents_pages(d->nheads);
	if (insert_pages(d, at, npc) != 0)
		return;
	for (size_t p = 0; p < npc && d->err.code == 0; p++) {
		HPDF_Page page = d->pages[at + p];
		double y = BODY_TOP;

		if (p == 0) {
			ca_text t = ca_text_plain(d->contents_title, 1, styles[1].size);

			ca_fill(page, CA_HEADING);
			ca_text_draw(page, &d->fonts, &t, 0, t.len, MARGIN_X,
			    ca_text_baseline(y, styles[1].leading, styles[1].size));
			y -= styles[1].leading + 3;
			ca_stroke(page, CA_HEADING);
			HPDF_Page_SetLineWidth(page, (HPDF_REAL)styles[1].rule);
			HPDF_Page_MoveTo(page, MARGIN_X, (HPDF_REAL)y);
			HPDF_Page_LineTo(page, (HPDF_REAL)(PAGE_W - MARGIN_X), (HPDF_REAL)y);
			HPDF_Page_Stroke(page);
			y -= styles[1].rule + styles[1].after;
		}
		for (; e < d->nheads && y - CONTENTS_LEADING >= BODY_BOTTOM - 1e-6; e++) {
			contents_entry(d, page, &d->heads[e], y);
			y -= CONTENTS_LEADING;
		}
	}
}
