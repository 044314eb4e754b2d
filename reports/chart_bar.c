/*
 * chart_bar.c - horizontal bar charts (chart.h): categories down the
 * left, so partner and domain names of any length read across, one bar
 * per series in each category, optional interval whiskers and value
 * labels, a target line.
 */
#include "chart_private.h"

#include <math.h>
#include <stdlib.h>

#define BAR_MAX 14.0
#define AXIS_LABELS 14.0

static double
band_height(const ca_bar_chart *c)
{
	return fmax(20, (double)c->nseries * 11 + 9);
}

double
ca_chart_bar_height(const ca_bar_chart *c)
{
	double h = (double)c->ncat * band_height(c) + AXIS_LABELS + 10;

	if (c->title != NULL)
		h += 16;
	if (c->nseries > 1 || isfinite(c->target))
		h += 16;
	if (c->axis.title != NULL)
		h += 12;
	return h;
}

/* The range of the values, their intervals and the target. */
static void
data_range(const ca_bar_chart *c, double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (size_t s = 0; s < c->nseries; s++)
		for (size_t i = 0; i < c->ncat; i++) {
			const ca_bar_series *se = &c->series[s];
			double v[3] = { se->values[i], se->lo ? se->lo[i] : NAN, se->hi ? se->hi[i] : NAN };

			for (int k = 0; k < 3; k++)
				if (isfinite(v[k])) {
					*lo = fmin(*lo, v[k]);
					*hi = fmax(*hi, v[k]);
				}
		}
	if (isfinite(c->target)) {
		*lo = fmin(*lo, c->target);
		*hi = fmax(*hi, c->target);
	}
}

static size_t
legend_items(const ca_bar_chart *c, legend_item *items)
{
	size_t n = 0;

	for (size_t s = 0; c->nseries > 1 && s < c->nseries; s++) {
		ca_series_style st = ca_series(s);
		legend_item it = { c->series[s].name ? c->series[s].name : "", LEG_SWATCH, st.colour,
			CA_DASH_SOLID, CA_MARK_CIRCLE, 0, st.hatch };

		items[n++] = it;
	}
	if (isfinite(c->target)) {
		legend_item it = { c->target_name ? c->target_name : "Target", LEG_LINE,
			CA_VERMILLION, CA_DASH_DASHDOT, CA_MARK_CIRCLE, 0, 0 };

		items[n++] = it;
	}
	return n;
}

/* The widest value label, or a little room for the last tick label. */
static double
value_room(chart *ch, const ca_bar_chart *c, const ca_ticks *t)
{
	double w = 8;

	for (size_t s = 0; c->value_labels && s < c->nseries; s++)
		for (size_t i = 0; i < c->ncat; i++) {
			char buf[48];

			ca_chart_format(c->series[s].values[i], c->axis.format, t->decimals, buf,
			    sizeof buf);
			w = fmax(w, chart_text_width(ch, buf, 0, CHART_TICK_SIZE) + 8);
		}
	return w;
}

static void
draw_bar(chart *ch, const ca_bar_chart *c, const ca_ticks *t, size_t s, size_t i, double mid,
    double th)
{
	const ca_bar_series *se = &c->series[s];
	ca_series_style st = ca_series(s);
	double v = se->values[i], base = chart_x(ch, t, fmin(fmax(0, t->lo), t->hi)), end;
	char buf[48];

	if (!isfinite(v)) {
		if (c->missing != NULL)
			chart_text(ch, c->missing, 0, CHART_TICK_SIZE, CA_MUTED, ch->plot.x + 4,
			    mid - 0.365 * CHART_TICK_SIZE, ch->plot.w - 8, CA_LEFT);
		return;
	}
	end = chart_x(ch, t, v);
	chart_clip(ch);
	{
		ca_box b = { fmin(base, end), mid - th / 2, fabs(end - base), th };

		chart_swatch(ch->page, b, st.colour, st.hatch);
	}
	if (se->lo != NULL && se->hi != NULL && isfinite(se->lo[i]) && isfinite(se->hi[i])) {
		double a = chart_x(ch, t, se->lo[i]), b = chart_x(ch, t, se->hi[i]);
		double cap = fmin(th / 2, 3.5);

		chart_line(ch->page, a, mid, b, mid, CA_INK, 0.8, CA_DASH_SOLID);
		chart_line(ch->page, a, mid - cap, a, mid + cap, CA_INK, 0.8, CA_DASH_SOLID);
		chart_line(ch->page, b, mid - cap, b, mid + cap, CA_INK, 0.8, CA_DASH_SOLID);
		end = fmax(end, b);
	}
	chart_unclip(ch);
	if (c->value_labels) {
		double x = fmin(end, ch->plot.x + ch->plot.w) + 3, w;

		ca_chart_format(v, c->axis.format, t->decimals, buf, sizeof buf);
		w = chart_text_width(ch, buf, 0, CHART_TICK_SIZE);
		/* on white, so a gridline or the target line never runs through it */
		{
			ca_box bg = { x, mid - 4.5, w + 3, 9 };

			chart_swatch(ch->page, bg, CA_WHITE, 0);
		}
		chart_text(ch, buf, 0, CHART_TICK_SIZE, CA_INK, x + 1.5,
		    mid - 0.365 * CHART_TICK_SIZE, ch->box.x + ch->box.w - x, CA_LEFT);
	}
}

void
ca_chart_bar(ca_doc *d, ca_box box, const ca_bar_chart *c)
{
	chart ch;
	legend_item *items;
	ca_ticks t;
	double lo, hi, lw = 0, band, th;

	if (chart_open(&ch, d, box) != 0 || c->ncat == 0 || c->nseries == 0)
		return;
	if ((items = calloc(c->nseries + 1, sizeof *items)) == NULL) {
		ca_doc_fail(d, CA_EX_SOFTWARE, "laying out the PDF: out of memory");
		return;
	}
	chart_header(&ch, c->title, items, legend_items(c, items), NULL);
	free(items);

	data_range(c, &lo, &hi);
	chart_fit(&c->axis, isfinite(lo) ? lo : 0, isfinite(hi) ? hi : 1, 7, &t);
	for (size_t i = 0; i < c->ncat; i++)
		lw = fmax(lw, chart_text_width(&ch, c->categories[i], 0, CHART_TEXT_SIZE));
	lw = fmin(lw, box.w * 0.38);
	ch.plot.x = box.x + lw + 10;
	ch.plot.y = box.y + AXIS_LABELS + (c->axis.title != NULL ? 12 : 0);
	ch.plot.w = box.w - lw - 10 - value_room(&ch, c, &t);
	ch.plot.h = ch.top - ch.plot.y;
	if (ch.plot.w <= 0 || ch.plot.h <= 0)
		return;
	chart_x_axis(&ch, &t, c->axis.format, c->axis.title);

	if (isfinite(c->target) && c->target >= t.lo && c->target <= t.hi) {
		double x = chart_x(&ch, &t, c->target);

		chart_line(ch.page, x, ch.plot.y, x, ch.plot.y + ch.plot.h, CA_VERMILLION, 1.2,
		    CA_DASH_DASHDOT);
	}
	band = ch.plot.h / (double)c->ncat;
	th = fmin(BAR_MAX, band * 0.72 / (double)c->nseries);
	for (size_t i = 0; i < c->ncat; i++) {
		double top = ch.plot.y + ch.plot.h - (double)i * band, mid = top - band / 2;

		chart_text(&ch, c->categories[i], 0, CHART_TEXT_SIZE, CA_INK, box.x,
		    mid - 0.365 * CHART_TEXT_SIZE, lw, CA_RIGHT);
		for (size_t s = 0; s < c->nseries; s++)
			draw_bar(&ch, c, &t, s, i,
			    mid + ((double)c->nseries / 2 - (double)s - 0.5) * th, th);
	}
	chart_axes(&ch);
}
