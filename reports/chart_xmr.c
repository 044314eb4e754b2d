/*
 * chart_xmr.c - XmR control charts (chart.h): the measure period by
 * period, its mean and process limits, a target, and each point marked
 * as common cause, improvement, concern or neutral special cause.  The
 * lines are named at the right-hand end, with their values.
 */
#include "chart_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define AXIS_LABELS 14.0
#define END_GAP 9.5             /* between end labels' baselines */

typedef struct end_label {
	char text[64];
	double y;
	ca_colour colour;
} end_label;

static const struct {
	ca_marker marker;
	ca_colour colour;
	double r;
	const char *name;
} kinds[] = {
	[CA_POINT_COMMON] = { CA_MARK_CIRCLE, CA_GREY, 2.4, "Common cause" },
	[CA_POINT_IMPROVEMENT] = { CA_MARK_DIAMOND, CA_BLUE, 3.3, "Improvement" },
	[CA_POINT_CONCERN] = { CA_MARK_SQUARE, CA_ORANGE, 3.3, "Concern" },
	[CA_POINT_NEUTRAL] = { CA_MARK_TRIANGLE, CA_PURPLE, 3.3, "Special cause" },
};

static ca_point_kind
kind_of(const ca_xmr_chart *c, size_t i)
{
	ca_point_kind k = c->kinds != NULL ? c->kinds[i] : CA_POINT_COMMON;

	return (unsigned)k <= CA_POINT_NEUTRAL ? k : CA_POINT_COMMON;
}

static size_t
legend_items(const ca_xmr_chart *c, legend_item *items)
{
	int present[4] = { 1, 0, 0, 0 };
	size_t n = 0;

	items[n++] = (legend_item){ "Mean", LEG_LINE, CA_INK, CA_DASH_SOLID, 0, 0, 0 };
	items[n++] = (legend_item){ "Process limits", LEG_LINE, CA_GREY, CA_DASH_DASHED, 0, 0, 0 };
	if (isfinite(c->target))
		items[n++] = (legend_item){ "Target", LEG_LINE, CA_VERMILLION, CA_DASH_DASHDOT, 0, 0,
			0 };
	for (size_t i = 0; i < c->n; i++)
		present[kind_of(c, i)] = 1;
	for (int k = 0; k < 4; k++)
		if (present[k])
			items[n++] = (legend_item){ kinds[k].name, LEG_MARKER, kinds[k].colour, 0,
				kinds[k].marker, 0, 0 };
	return n;
}

static void
range(const ca_xmr_chart *c, double *lo, double *hi)
{
	double extra[4] = { c->mean, c->lower, c->upper, c->target };

	*lo = INFINITY;
	*hi = -INFINITY;
	for (size_t i = 0; i < c->n + 4; i++) {
		double v = i < c->n ? c->values[i] : extra[i - c->n];

		if (isfinite(v)) {
			*lo = fmin(*lo, v);
			*hi = fmax(*hi, v);
		}
	}
	if (!isfinite(*lo)) {
		*lo = 0;
		*hi = 1;
	}
}

/* A line's name and value at the right-hand end.  A value off the axis
 * (a lower limit below 0% for a share, say) is drawn at the edge and
 * named without a value, which would not be a possible one. */
static size_t
end_label_add(end_label *l, size_t n, const char *name, double v, const ca_ticks *t,
    ca_numfmt fmt, ca_colour colour)
{
	char num[48];

	if (!isfinite(v))
		return n;
	if (v < t->lo - 1e-12 || v > t->hi + 1e-12)
		snprintf(l[n].text, sizeof l[n].text, "%s", name);
	else {
		ca_chart_format(v, fmt, t->decimals + 1, num, sizeof num);
		snprintf(l[n].text, sizeof l[n].text, "%s %s", name, num);
	}
	l[n].y = fmin(fmax(v, t->lo), t->hi);
	l[n].colour = colour;
	return n + 1;
}

static int
by_y_desc(const void *a, const void *b)
{
	const end_label *x = a, *y = b;

	return x->y < y->y ? 1 : x->y > y->y ? -1 : 0;
}

/* Turn values into page positions and push apart labels that would
 * overlap, keeping them inside the plot's height. */
static void
spread(chart *ch, const ca_ticks *t, end_label *l, size_t n)
{
	double bottom = ch->plot.y + 2, top = ch->plot.y + ch->plot.h;

	for (size_t i = 0; i < n; i++)
		l[i].y = chart_y(ch, t, l[i].y);
	qsort(l, n, sizeof *l, by_y_desc);
	for (size_t i = 0; i < n; i++) {
		if (l[i].y > top)
			l[i].y = top;
		if (i > 0 && l[i].y > l[i - 1].y - END_GAP)
			l[i].y = l[i - 1].y - END_GAP;
	}
	for (size_t i = n; i-- > 0;) {
		if (l[i].y < bottom)
			l[i].y = bottom;
		if (i + 1 < n && l[i].y < l[i + 1].y + END_GAP)
			l[i].y = l[i + 1].y + END_GAP;
	}
}

static double
point_x(const chart *ch, const ca_xmr_chart *c, size_t i)
{
	return ch->plot.x + ((double)i + 0.5) * ch->plot.w / (double)c->n;
}

/* Period labels under the points; every k-th when they would touch,
 * counting back from the latest, which is always labelled. */
static void
period_labels(chart *ch, const ca_xmr_chart *c)
{
	double lw = 0, slot = ch->plot.w / (double)c->n;
	size_t k;

	for (size_t i = 0; c->labels != NULL && i < c->n; i++)
		lw = fmax(lw, chart_text_width(ch, c->labels[i], 0, CHART_TICK_SIZE));
	k = (size_t)ceil((lw + 6) / slot);
	if (k < 1)
		k = 1;
	for (size_t i = 0; i < c->n; i++) {
		double x = point_x(ch, c, i);

		if ((c->n - 1 - i) % k != 0)
			continue;
		chart_line(ch->page, x, ch->plot.y, x, ch->plot.y - 3, CA_INK, 0.6, CA_DASH_SOLID);
		if (c->labels != NULL)
			chart_text(ch, c->labels[i], 0, CHART_TICK_SIZE, CA_MUTED, x - lw / 2 - 3,
			    ch->plot.y - 12, lw + 6, CA_CENTRE);
	}
	if (c->x_title != NULL)
		chart_text(ch, c->x_title, 0, CHART_TEXT_SIZE, CA_MUTED, ch->plot.x, ch->box.y + 2,
		    ch->plot.w, CA_CENTRE);
}

static void
hline(chart *ch, const ca_ticks *t, double v, ca_colour colour, double width, ca_dash dash)
{
	double y;

	if (!isfinite(v))
		return;
	y = chart_y(ch, t, fmin(fmax(v, t->lo), t->hi));
	chart_line(ch->page, ch->plot.x, y, ch->plot.x + ch->plot.w, y, colour, width, dash);
}

static void
data(chart *ch, const ca_xmr_chart *c, const ca_ticks *t)
{
	int started = 0;

	chart_clip(ch);
	hline(ch, t, c->upper, CA_GREY, 1.0, CA_DASH_DASHED);
	hline(ch, t, c->lower, CA_GREY, 1.0, CA_DASH_DASHED);
	hline(ch, t, c->mean, CA_INK, 1.0, CA_DASH_SOLID);
	hline(ch, t, c->target, CA_VERMILLION, 1.2, CA_DASH_DASHDOT);
	ca_stroke(ch->page, CA_GREY);
	ca_dash_set(ch->page, CA_DASH_SOLID);
	HPDF_Page_SetLineWidth(ch->page, 0.9);
	for (size_t i = 0; i < c->n; i++) {
		double x = point_x(ch, c, i), y = chart_y(ch, t, c->values[i]);

		if (!isfinite(c->values[i]))
			continue;
		if (started)
			HPDF_Page_LineTo(ch->page, (HPDF_REAL)x, (HPDF_REAL)y);
		else
			HPDF_Page_MoveTo(ch->page, (HPDF_REAL)x, (HPDF_REAL)y);
		started = 1;
	}
	if (started)
		HPDF_Page_Stroke(ch->page);
	for (size_t i = 0; i < c->n; i++) {
		ca_point_kind k = kind_of(c, i);

		if (isfinite(c->values[i]))
			ca_chart_marker(ch->page, kinds[k].marker, point_x(ch, c, i),
			    chart_y(ch, t, c->values[i]), kinds[k].r, kinds[k].colour, 0);
	}
	chart_unclip(ch);
}

void
ca_chart_xmr(ca_doc *d, ca_box box, const ca_xmr_chart *c)
{
	chart ch;
	legend_item items[8];
	end_label ends[4];
	ca_ticks t;
	double lo, hi, yw, rw = 0;
	size_t ne = 0;

	if (chart_open(&ch, d, box) != 0 || c->n == 0)
		return;
	chart_header(&ch, c->title, items, legend_items(c, items), c->y.title);
	range(c, &lo, &hi);
	chart_fit(&c->y, lo, hi, 6, &t);

	ne = end_label_add(ends, ne, "Upper limit", c->upper, &t, c->y.format, CA_MUTED);
	ne = end_label_add(ends, ne, "Mean", c->mean, &t, c->y.format, CA_INK);
	ne = end_label_add(ends, ne, "Lower limit", c->lower, &t, c->y.format, CA_MUTED);
	ne = end_label_add(ends, ne, "Target", c->target, &t, c->y.format, CA_VERMILLION);
	for (size_t i = 0; i < ne; i++)
		rw = fmax(rw, chart_text_width(&ch, ends[i].text, 0, CHART_TICK_SIZE));

	yw = chart_tick_width(&ch, &t, c->y.format);
	ch.plot.x = box.x + yw + 7;
	ch.plot.y = box.y + AXIS_LABELS + (c->x_title != NULL ? 12 : 0);
	ch.plot.w = box.w - yw - 7 - rw - 8;
	ch.plot.h = ch.top - ch.plot.y;
	if (ch.plot.w <= 0 || ch.plot.h <= 0)
		return;
	chart_y_axis(&ch, &t, c->y.format);
	period_labels(&ch, c);
	data(&ch, c, &t);
	chart_axes(&ch);

	spread(&ch, &t, ends, ne);
	for (size_t i = 0; i < ne; i++)
		chart_text(&ch, ends[i].text, 0, CHART_TICK_SIZE, ends[i].colour,
		    ch.plot.x + ch.plot.w + 5, ends[i].y - 0.365 * CHART_TICK_SIZE, rw + 2, CA_LEFT);
}
