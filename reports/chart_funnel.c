/*
 * chart_funnel.c - funnel plots (chart.h): each partner's rate against
 * its number of audits, the overall rate, and the 95% and 99.8% limits
 * that narrow as numbers grow.  Points are labelled with the short
 * pseudonyms given, placed where they do not cover one another.
 */
#include "chart_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define AXIS_LABELS 14.0
#define CURVE_STEPS 160
#define MARK_R 3.3

/* How a point sits against the limits. */
typedef struct placed {
	int beyond;             /* 0 within 95%, 1 beyond 95%, 2 beyond 99.8% */
	int high;               /* above the overall rate's limits */
} placed;

typedef struct style {
	ca_marker marker;
	ca_colour colour;
	const char *name;
} style;

/* A point with a number of audits and a rate to plot. */
static int
usable(const ca_funnel_chart *c, size_t i)
{
	return isfinite(c->n[i]) && c->n[i] > 0 && c->n[i] < 1e15 && isfinite(c->rate[i]);
}

static placed
classify(const ca_funnel_chart *c, size_t i)
{
	ca_funnel_bounds l;
	placed p = { 0, 0 };
	double r = c->rate[i];

	c->limits(c->n[i], c->ctx, &l);
	if (r > l.hi998 || r < l.lo998)
		p.beyond = 2;
	else if (r > l.hi95 || r < l.lo95)
		p.beyond = 1;
	p.high = r > c->overall;
	return p;
}

static style
style_of(const ca_funnel_chart *c, placed p)
{
	static const style common = { CA_MARK_CIRCLE, CA_GREY, "Within the 95% limits" };
	static const style better = { CA_MARK_DIAMOND, CA_BLUE, "Improvement" };
	static const style worse = { CA_MARK_SQUARE, CA_ORANGE, "Concern" };
	static const style neutral = { CA_MARK_TRIANGLE, CA_PURPLE, "Outside the limits" };

	if (p.beyond == 0)
		return common;
	if (c->direction == 0)
		return neutral;
	return (c->direction > 0) == (p.high != 0) ? better : worse;
}

static size_t
legend_items(const ca_funnel_chart *c, legend_item *items, char names[4][64])
{
	int seen[2][2] = { { 0 } };      /* [high][beyond - 1] */
	size_t n = 0, k = 0;

	items[n++] = (legend_item){ "Overall rate", LEG_LINE, CA_INK, CA_DASH_SOLID, 0, 0, 0 };
	items[n++] = (legend_item){ "95% limits", LEG_LINE, CA_GREY, CA_DASH_DASHED, 0, 0, 0 };
	items[n++] = (legend_item){ "99.8% limits", LEG_LINE, CA_GREY, CA_DASH_DOTTED, 0, 0, 0 };
	items[n++] = (legend_item){ "Within the 95% limits", LEG_MARKER, CA_GREY, 0, CA_MARK_CIRCLE,
		0, 0 };
	for (size_t i = 0; i < c->npoints; i++) {
		placed p;
		style s;

		if (!usable(c, i))
			continue;
		p = classify(c, i);
		if (p.beyond == 0 || seen[p.high][p.beyond - 1])
			continue;
		seen[p.high][p.beyond - 1] = 1;
		s = style_of(c, p);
		snprintf(names[k], 64, "%s, beyond %s", s.name, p.beyond == 2 ? "99.8%" : "95%");
		items[n++] = (legend_item){ names[k++], LEG_MARKER, s.colour, 0, s.marker,
			p.beyond == 1, 0 };
	}
	return n;
}

static void
curve(chart *ch, const ca_funnel_chart *c, const ca_ticks *x, const ca_ticks *y, int which,
    ca_dash dash)
{
	double n0 = fmax(1, x->hi / 400), n1 = x->hi;
	int started = 0, any = 0;

	ca_stroke(ch->page, CA_GREY);
	ca_dash_set(ch->page, dash);
	HPDF_Page_SetLineWidth(ch->page, 1.0);
	for (int k = 0; k <= CURVE_STEPS; k++) {
		double n = n0 * pow(n1 / n0, (double)k / CURVE_STEPS), v, px, py;
		ca_funnel_bounds l;

		c->limits(n, c->ctx, &l);
		v = which == 0 ? l.lo95 : which == 1 ? l.hi95 : which == 2 ? l.lo998 : l.hi998;
		if (!isfinite(v)) {
			started = 0;
			continue;
		}
		/* far off the plot only: the clip does the rest */
		v = fmin(fmax(v, y->lo - (y->hi - y->lo)), y->hi + (y->hi - y->lo));
		px = chart_x(ch, x, n);
		py = chart_y(ch, y, v);
		if (started)
			HPDF_Page_LineTo(ch->page, (HPDF_REAL)px, (HPDF_REAL)py);
		else
			HPDF_Page_MoveTo(ch->page, (HPDF_REAL)px, (HPDF_REAL)py);
		started = any = 1;
	}
	if (any)        /* stroking no path at all is an error to libharu */
		HPDF_Page_Stroke(ch->page);
	ca_dash_set(ch->page, CA_DASH_SOLID);
}

typedef struct rect {
	double x0, y0, x1, y1;
} rect;

static int
overlaps(rect a, rect b)
{
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/* The first of eight places around the point where the label covers no
 * other label or point and stays in the plot; the first place if none. */
static rect
place_label(chart *ch, double px, double py, double w, double h, const rect *taken, size_t nt)
{
	static const double dx[] = { 1, 1, -1, -1, 0, 0, 1, -1 };
	static const double dy[] = { 1, -1, 1, -1, 1, -1, 0, 0 };
	rect first = { 0, 0, 0, 0 };

	for (size_t k = 0; k < sizeof dx / sizeof dx[0]; k++) {
		double x = px + dx[k] * (MARK_R + 2) - (dx[k] < 0 ? w : dx[k] == 0 ? w / 2 : 0);
		double y = py + dy[k] * (MARK_R + 1) - (dy[k] < 0 ? h : dy[k] == 0 ? h / 2 : 0);
		rect r = { x, y, x + w, y + h };
		int ok = r.x0 >= ch->plot.x && r.x1 <= ch->plot.x + ch->plot.w && r.y0 >= ch->plot.y &&
		    r.y1 <= ch->plot.y + ch->plot.h;

		for (size_t i = 0; ok && i < nt; i++)
			ok = !overlaps(r, taken[i]);
		if (k == 0)
			first = r;
		if (ok)
			return r;
	}
	return first;
}

static void
points(chart *ch, const ca_funnel_chart *c, const ca_ticks *x, const ca_ticks *y)
{
	rect *taken = calloc(2 * c->npoints + 1, sizeof *taken);
	size_t nt = 0;

	if (taken == NULL) {
		ca_doc_fail(ch->d, CA_EX_SOFTWARE, "laying out the PDF: out of memory");
		return;
	}
	for (size_t i = 0; i < c->npoints; i++) {
		double px = chart_x(ch, x, c->n[i]), py = chart_y(ch, y, c->rate[i]);
		style s;

		if (!usable(c, i))
			continue;
		s = style_of(c, classify(c, i));
		ca_chart_marker(ch->page, s.marker, px, py, MARK_R, s.colour,
		    classify(c, i).beyond == 1);
		taken[nt++] = (rect){ px - MARK_R, py - MARK_R, px + MARK_R, py + MARK_R };
		if (c->ringed == i + 1) {
			ca_stroke(ch->page, CA_INK);
			HPDF_Page_SetLineWidth(ch->page, 1.0);
			ca_dash_set(ch->page, CA_DASH_SOLID);
			HPDF_Page_Circle(ch->page, (HPDF_REAL)px, (HPDF_REAL)py,
			    (HPDF_REAL)(2.2 * MARK_R));
			HPDF_Page_Stroke(ch->page);
			taken[nt - 1] = (rect){ px - 2.2 * MARK_R, py - 2.2 * MARK_R,
				px + 2.2 * MARK_R, py + 2.2 * MARK_R };
		}
	}
	for (size_t i = 0; c->labels != NULL && i < c->npoints; i++) {
		double px = chart_x(ch, x, c->n[i]), py = chart_y(ch, y, c->rate[i]), w, h = 7;
		rect r;

		if (!usable(c, i))
			continue;
		w = chart_text_width(ch, c->labels[i], 1, CHART_TICK_SIZE);
		r = place_label(ch, px, py, w, h, taken, nt);

		chart_text(ch, c->labels[i], 1, CHART_TICK_SIZE, CA_INK, r.x0, r.y0 + 1, w + 1,
		    CA_LEFT);
		taken[nt++] = r;
	}
	free(taken);
}

static void
ranges(const ca_funnel_chart *c, double *nmax, double *lo, double *hi)
{
	double nmin = INFINITY;

	*nmax = 1;
	*lo = *hi = c->overall;
	for (size_t i = 0; i < c->npoints; i++) {
		if (!usable(c, i))
			continue;
		*nmax = fmax(*nmax, c->n[i]);
		nmin = fmin(nmin, c->n[i]);
		*lo = fmin(*lo, c->rate[i]);
		*hi = fmax(*hi, c->rate[i]);
	}
	/* the funnel's mouth where the smallest partner sits */
	if (isfinite(nmin) && nmin > 0) {
		ca_funnel_bounds l;

		c->limits(nmin, c->ctx, &l);
		if (isfinite(l.lo998))
			*lo = fmin(*lo, l.lo998);
		if (isfinite(l.hi998))
			*hi = fmax(*hi, l.hi998);
	}
}

void
ca_chart_funnel(ca_doc *d, ca_box box, const ca_funnel_chart *c)
{
	chart ch;
	legend_item items[10];
	char names[4][64];
	ca_axis xa = { NULL, CA_NUMBER, 0, 0, 0, 1 };
	const char *x_title = c->x_title != NULL ? c->x_title : "Number of audits";
	ca_ticks x, y;
	double nmax, lo, hi, yw;

	if (chart_open(&ch, d, box) != 0 || c->npoints == 0 || c->limits == NULL)
		return;
	chart_header(&ch, c->title, items, legend_items(c, items, names), c->y.title);
	ranges(c, &nmax, &lo, &hi);
	chart_fit(&xa, 0, nmax * 1.02, 9, &x);
	chart_fit(&c->y, lo, hi, 6, &y);

	yw = chart_tick_width(&ch, &y, c->y.format);
	ch.plot.x = box.x + yw + 7;
	ch.plot.y = box.y + AXIS_LABELS + 12;
	ch.plot.w = box.w - yw - 7 - 10;
	ch.plot.h = ch.top - ch.plot.y;
	if (ch.plot.w <= 0 || ch.plot.h <= 0)
		return;
	chart_y_axis(&ch, &y, c->y.format);
	chart_x_axis(&ch, &x, CA_NUMBER, x_title);

	chart_clip(&ch);
	curve(&ch, c, &x, &y, 2, CA_DASH_DOTTED);
	curve(&ch, c, &x, &y, 3, CA_DASH_DOTTED);
	curve(&ch, c, &x, &y, 0, CA_DASH_DASHED);
	curve(&ch, c, &x, &y, 1, CA_DASH_DASHED);
	if (isfinite(c->overall)) {
		double oy = chart_y(&ch, &y, c->overall);

		chart_line(ch.page, ch.plot.x, oy, ch.plot.x + ch.plot.w, oy, CA_INK, 1.0,
		    CA_DASH_SOLID);
	}
	chart_unclip(&ch);
	chart_axes(&ch);
	points(&ch, c, &x, &y);
}
