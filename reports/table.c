/*
 * table.c - tables across pages (table.h).
 */
#include "table.h"

#include <math.h>
#include <stdlib.h>

#define SIZE 9.0
#define LEADING 12.0
#define PAD_Y 4.0
#define PAD_X 5.0

struct ca_table {
	ca_doc *d;
	const ca_table_col *cols;
	size_t ncols;
	double *x, *w;          /* each column's left edge and width */
	double header_h;
	HPDF_Page header_page;  /* the page the header was last drawn on */
	size_t rows;
	size_t keep;            /* ca_table_keep's rows, held back until all are made */
	size_t npending;
	struct row *pending;
};

/* One row, cleaned and broken into lines, cell by cell. */
typedef struct row {
	char **text;
	ca_line **lines;
	size_t *n;
	size_t nlines;          /* of the tallest cell */
	int bold;
} row;

static void
oom(ca_doc *d)
{
	ca_doc_fail(d, CA_EX_SOFTWARE, "laying out the PDF: out of memory");
}

static void
place_columns(ca_table *t)
{
	ca_box f = ca_doc_frame(t->d);
	double fixed = 0, shares = 0, rest, scale = 1, x = f.x;

	for (size_t c = 0; c < t->ncols; c++) {
		if (t->cols[c].width > 0)
			fixed += t->cols[c].width;
		else
			shares += t->cols[c].share > 0 ? t->cols[c].share : 1;
	}
	if (fixed > f.w)
		scale = f.w / fixed;
	rest = fmax(0, f.w - fixed * scale);
	for (size_t c = 0; c < t->ncols; c++) {
		const ca_table_col *col = &t->cols[c];

		t->w[c] = col->width > 0 ? col->width * scale :
		    rest * (col->share > 0 ? col->share : 1) / shares;
		t->x[c] = x;
		x += t->w[c];
	}
}

static void
row_free(row *r, size_t ncols)
{
	for (size_t c = 0; c < ncols; c++) {
		if (r->text != NULL)
			free(r->text[c]);
		if (r->lines != NULL)
			free(r->lines[c]);
	}
	free(r->text);
	free(r->lines);
	free(r->n);
}

/* Clean and break the cells; 0, or -1 when out of memory. */
static int
row_make(ca_table *t, const char *const *cells, int bold, row *r)
{
	r->bold = bold;
	r->nlines = 1;
	r->text = calloc(t->ncols, sizeof *r->text);
	r->lines = calloc(t->ncols, sizeof *r->lines);
	r->n = calloc(t->ncols, sizeof *r->n);
	if (r->text == NULL || r->lines == NULL || r->n == NULL)
		return -1;
	for (size_t c = 0; c < t->ncols; c++) {
		ca_text tx;

		if ((r->text[c] = ca_doc_clean(t->d, cells[c])) == NULL)
			return -1;
		tx = ca_text_plain(r->text[c], bold, SIZE);
		if (ca_text_wrap(ca_doc_fonts(t->d), &tx, fmax(1, t->w[c] - 2 * PAD_X), &r->lines[c],
		    &r->n[c]) != 0)
			return -1;
		if (r->n[c] > r->nlines)
			r->nlines = r->n[c];
	}
	return 0;
}

/* Lines [from, to) of every cell of r, in the box b. */
static void
draw_lines(ca_table *t, const row *r, size_t from, size_t to, ca_box b, ca_colour colour)
{
	HPDF_Page page = ca_doc_page(t->d);
	double top = b.y + b.h - PAD_Y;

	if (page == NULL)
		return;
	ca_fill(page, colour);
	for (size_t c = 0; c < t->ncols; c++) {
		ca_text tx = ca_text_plain(r->text[c], r->bold, SIZE);

		for (size_t i = from; i < to && i < r->n[c]; i++) {
			const ca_line *l = &r->lines[c][i];
			double x = t->x[c] + PAD_X, slack = t->w[c] - 2 * PAD_X - l->width;

			if (t->cols[c].align == CA_RIGHT)
				x += slack;
			else if (t->cols[c].align == CA_CENTRE)
				x += slack / 2;
			ca_text_draw(page, ca_doc_fonts(t->d), &tx, l->off, l->off + l->len, x,
			    ca_text_baseline(top - (double)(i - from) * LEADING, LEADING, SIZE));
		}
	}
}

static void
band(HPDF_Page page, ca_box b, ca_colour c)
{
	ca_fill(page, c);
	HPDF_Page_Rectangle(page, (HPDF_REAL)b.x, (HPDF_REAL)b.y, (HPDF_REAL)b.w, (HPDF_REAL)b.h);
	HPDF_Page_Fill(page);
}

static void
rule(HPDF_Page page, double x, double y, double w, ca_colour c, double width)
{
	ca_stroke(page, c);
	ca_dash_set(page, CA_DASH_SOLID);
	HPDF_Page_SetLineWidth(page, (HPDF_REAL)width);
	HPDF_Page_MoveTo(page, (HPDF_REAL)x, (HPDF_REAL)y);
	HPDF_Page_LineTo(page, (HPDF_REAL)(x + w), (HPDF_REAL)y);
	HPDF_Page_Stroke(page);
}

static void
draw_header(ca_table *t, const row *h)
{
	ca_box b = ca_doc_take(t->d, t->header_h);
	HPDF_Page page = ca_doc_page(t->d);

	if (page == NULL)
		return;
	band(page, b, CA_TINT);
	draw_lines(t, h, 0, h->nlines, b, CA_INK);
	rule(page, b.x, b.y, b.w, CA_INK, 0.6);
	t->header_page = page;
}

/* The header is on the page the next row goes on. */
static int
header_here(ca_table *t)
{
	return t->header_page != NULL && ca_doc_page(t->d) == t->header_page &&
	    !ca_doc_at_top(t->d);
}

/* Draw lines [from, to) of r as one piece, with the header above it if
 * this page does not have it yet. */
static void
draw_piece(ca_table *t, const row *hdr, const row *r, size_t from, size_t to)
{
	double h = (double)(to - from) * LEADING + 2 * PAD_Y;
	ca_box b;

	if (!header_here(t)) {
		ca_doc_keep(t->d, t->header_h + h);
		draw_header(t, hdr);
	}
	b = ca_doc_take(t->d, h);
	if (ca_doc_page(t->d) == NULL)
		return;
	if (t->rows % 2 == 1)
		band(ca_doc_page(t->d), b, CA_ZEBRA);
	draw_lines(t, r, from, to, b, CA_INK);
	if (from > 0 && r->n[0] <= from) {
		/* the rest of a row split at the foot of the last page */
		ca_text more = ca_text_plain("(continued)", 0, SIZE);

		ca_fill(ca_doc_page(t->d), CA_MUTED);
		ca_text_draw_fit(ca_doc_page(t->d), ca_doc_fonts(t->d), &more, t->x[0] + PAD_X,
		    ca_text_baseline(b.y + b.h - PAD_Y, LEADING, SIZE), t->w[0] - 2 * PAD_X, CA_LEFT);
	}
}

static int
header_row(ca_table *t, row *h)
{
	const char **titles = calloc(t->ncols, sizeof *titles);
	int rc;

	if (titles == NULL)
		return -1;
	for (size_t c = 0; c < t->ncols; c++)
		titles[c] = t->cols[c].title;
	rc = row_make(t, titles, 1, h);
	free(titles);
	return rc;
}

/* Draw a made row: on this page if it fits, else on the next, a row
 * taller than a page split between its lines. */
static void
place_row(ca_table *t, const row *r)
{
	ca_box f = ca_doc_frame(t->d);
	row h = { 0 };
	size_t i = 0;

	if (header_row(t, &h) != 0) {
		oom(t->d);
		goto done;
	}
	while (i < r->nlines && ca_doc_error(t->d, NULL) == 0) {
		double avail = ca_doc_room(t->d) - (header_here(t) ? 0 : t->header_h) - 2 * PAD_Y;
		double page_lines = floor((f.h - t->header_h - 2 * PAD_Y) / LEADING);
		size_t fit = avail > 0 ? (size_t)floor(avail / LEADING + 1e-9) : 0, rem = r->nlines - i;

		if (rem <= fit) {
			draw_piece(t, &h, r, i, r->nlines);
			break;
		}
		/* A row that fits on a page waits for the next; a taller one
		 * is split, starting here if a few lines fit. */
		if (((double)rem <= page_lines || fit < 3) && !ca_doc_at_top(t->d)) {
			/* Asking for the room it needs, rather than breaking the
			 * page, takes a heading waiting for the table along. */
			ca_doc_keep(t->d, (header_here(t) ? 0 : t->header_h) + 2 * PAD_Y +
			    LEADING * fmin((double)rem, page_lines));
			continue;
		}
		if (fit == 0)
			fit = 1;
		draw_piece(t, &h, r, i, i + fit);
		i += fit;
		ca_doc_page_break(t->d);
	}
	t->rows++;
done:
	row_free(&h, t->ncols);
}

/* Draw the rows held back for ca_table_keep: all together on the next
 * page when they fit on a page but not below the cursor. */
static void
flush_pending(ca_table *t)
{
	double h = t->header_h;

	for (size_t i = 0; i < t->npending; i++)
		h += (double)t->pending[i].nlines * LEADING + 2 * PAD_Y;
	if (t->npending > 0 && h <= ca_doc_frame(t->d).h)
		ca_doc_keep(t->d, h);
	for (size_t i = 0; i < t->npending; i++) {
		if (ca_doc_error(t->d, NULL) == 0)
			place_row(t, &t->pending[i]);
		row_free(&t->pending[i], t->ncols);
	}
	free(t->pending);
	t->pending = NULL;
	t->npending = t->keep = 0;
}

static void
add_row(ca_table *t, const char *const *cells, int bold)
{
	row r = { 0 };

	if (ca_doc_error(t->d, NULL) != 0)
		return;
	if (row_make(t, cells, bold, &r) != 0) {
		row_free(&r, t->ncols);
		oom(t->d);
		return;
	}
	if (t->keep > 0) {
		t->pending[t->npending++] = r;
		if (t->npending == t->keep)
			flush_pending(t);
		return;
	}
	place_row(t, &r);
	row_free(&r, t->ncols);
}

ca_table *
ca_table_begin(ca_doc *d, const ca_table_col *cols, size_t ncols)
{
	ca_table *t;
	row h = { 0 };

	if (ca_doc_error(d, NULL) != 0)
		return NULL;
	if (ncols == 0) {
		ca_doc_fail(d, CA_EX_SOFTWARE, "laying out the PDF: a table with no columns");
		return NULL;
	}
	if ((t = calloc(1, sizeof *t)) == NULL || (t->x = calloc(ncols, sizeof *t->x)) == NULL ||
	    (t->w = calloc(ncols, sizeof *t->w)) == NULL) {
		if (t != NULL)
			free(t->x);
		free(t);
		oom(d);
		return NULL;
	}
	t->d = d;
	t->cols = cols;
	t->ncols = ncols;
	place_columns(t);
	if (header_row(t, &h) != 0)
		oom(d);
	t->header_h = (double)h.nlines * LEADING + 2 * PAD_Y;
	row_free(&h, ncols);
	return t;
}

void
ca_table_keep(ca_table *t, size_t nrows)
{
	/* a table taller than a page at one line a row flows as it comes */
	if (t == NULL || t->rows > 0 || t->keep > 0 || nrows == 0 ||
	    t->header_h + (double)nrows * (LEADING + 2 * PAD_Y) > ca_doc_frame(t->d).h)
		return;
	if ((t->pending = calloc(nrows, sizeof *t->pending)) == NULL) {
		oom(t->d);
		return;
	}
	t->keep = nrows;
}

void
ca_table_row(ca_table *t, const char *const *cells)
{
	if (t != NULL)
		add_row(t, cells, 0);
}

void
ca_table_row_bold(ca_table *t, const char *const *cells)
{
	if (t != NULL)
		add_row(t, cells, 1);
}

void
ca_table_end(ca_table *t)
{
	ca_box b;

	if (t == NULL)
		return;
	flush_pending(t);
	if (t->rows == 0) {
		const char **none = calloc(t->ncols, sizeof *none);

		if (none == NULL)
			oom(t->d);
		else {
			none[0] = "None";
			add_row(t, none, 0);
			free(none);
		}
	}
	if (header_here(t)) {
		b = ca_doc_take(t->d, 0);
		rule(ca_doc_page(t->d), b.x, b.y, b.w, CA_RULE, 0.6);
	}
	ca_doc_space(t->d, 12);
	free(t->x);
	free(t->w);
	free(t);
}
