/*
 * chart.c - what every chart is drawn with: nice ticks, number labels,
 * the title and legend, axes and gridlines, markers, clipping (chart.h,
 * chart_private.h).
 */
#include "chart_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEGEND_ROW 12.0
#define LEGEND_SAMPLE 16.0

/* --- ticks and numbers ---------------------------------------------- */

static int
decimals_for(double step, ca_numfmt format)
{
	double s = format == CA_PERCENT ? step * 100 : step;

	if (!(s > 0) || s >= 1 - 1e-9)
		return 0;
	return (int)ceil(-log10(s) - 1e-9);
}

void
ca_chart_ticks(double lo, double hi, int max_ticks, ca_numfmt format, ca_ticks *t)
{
	static const double mult[] = { 1, 2, 5, 10 };
	double raw, base;

	if (max_ticks < 2)
		max_ticks = 2;
	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = 1;
	}
	/* beyond any count or share a report shows, and keeps hi - lo finite */
	lo = fmin(fmax(lo, -1e15), 1e15);
	hi = fmin(fmax(hi, -1e15), 1e15);
	if (lo > hi) {
		double x = lo;

		lo = hi;
		hi = x;
	}
	if (hi - lo < 1e-12 * fmax(1, fabs(hi))) {
		double pad = lo == 0 ? 1 : fabs(lo) * 0.1;

		hi = lo + pad;
		lo = lo == 0 ? lo : lo - pad;
	}
	raw = (hi - lo) / (max_ticks - 1);
	base = pow(10, floor(log10(raw)));
	for (int e = 0; e < 4; e++) {
		for (size_t m = 0; m < sizeof mult / sizeof mult[0]; m++) {
			double step = mult[m] * base * pow(10, e);
			double a = floor(lo / step + 1e-9) * step, b = ceil(hi / step - 1e-9) * step;
			int n = (int)lround((b - a) / step) + 1;

			if (step < raw * (1 - 1e-9) || n > max_ticks)
				continue;
			t->lo = a;
			t->hi = b;
			t->step = step;
			t->n = n;
			t->decimals = decimals_for(step, format);
			return;
		}
	}
	/* not reached: ten times the raw step always fits */
	t->lo = lo;
	t->hi = hi;
	t->step = hi - lo;
	t->n = 2;
	t->decimals = decimals_for(t->step, format);
}

/* Commas between thousands in the digits of buf (a whole number). */
static void
group_thousands(char *buf, size_t size)
{
	char digits[64], *p = buf;
	size_t n, lead, o = 0;

	if (*p == '-')
		p++;
	n = strlen(p);
	if (n < 5 || n >= sizeof digits || n + n / 3 + 2 > size - (size_t)(p - buf))
		return;         /* four digits stay as they are: 1250 */
	memcpy(digits, p, n + 1);
	lead = n % 3 ? n % 3 : 3;
	for (size_t i = 0; i < n; i++) {
		if (i >= lead && (i - lead) % 3 == 0)
			p[o++] = ',';
		p[o++] = digits[i];
	}
	p[o] = '\0';
}

void
ca_chart_format(double v, ca_numfmt format, int decimals, char *buf, size_t size)
{
	double shown = format == CA_PERCENT ? v * 100 : v;

	if (!isfinite(v)) {
		snprintf(buf, size, "%s", "\xE2\x80\x93");      /* an en dash */
		return;
	}
	if (fabs(shown) < 0.5 * pow(10, -decimals))
		shown = 0;      /* no "-0" */
	snprintf(buf, size, "%.*f", decimals, shown);
	if (decimals == 0)
		group_thousands(buf, size);
	if (format == CA_PERCENT) {
		size_t len = strlen(buf);

		snprintf(buf + len, size - len, "%%");
	}
}

void
chart_fit(const ca_axis *a, double lo, double hi, int max_ticks, ca_ticks *t)
{
	if (a->fixed && a->max > a->min) {
		ca_chart_ticks(a->min, a->max, max_ticks, a->format, t);
		t->lo = a->min;
		t->hi = a->max;
		return;
	}
	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = 1;
	}
	if (a->zero) {
		lo = fmin(lo, 0);
		hi = fmax(hi, 0);
	}
	if (a->format == CA_PERCENT) {
		lo = fmax(lo, 0);
		hi = fmin(hi, 1);
	}
	ca_chart_ticks(lo, hi, max_ticks, a->format, t);
	if (a->format == CA_PERCENT) {
		t->lo = fmax(t->lo, 0);
		t->hi = fmin(t->hi, 1);
	}
}

/* --- the frame ------------------------------------------------------ */

int
chart_open(chart *ch, ca_doc *d, ca_box box)
{
	memset(ch, 0, sizeof *ch);
	ch->d = d;
	ch->page = ca_doc_page(d);
	ch->f = ca_doc_fonts(d);
	ch->box = box;
	ch->top = box.y + box.h;
	ch->plot = box;
	return ch->page != NULL && ca_doc_error(d, NULL) == 0 ? 0 : -1;
}

double
chart_text_width(chart *ch, const char *s, int bold, double size)
{
	char *c = ca_doc_clean(ch->d, s);
	ca_text t;
	double w;

	if (c == NULL)
		return 0;
	t = ca_text_plain(c, bold, size);
	w = ca_text_width(ch->f, &t, 0, t.len);
	free(c);
	return w;
}

void
chart_text(chart *ch, const char *s, int bold, double size, ca_colour colour, double x,
    double y, double width, ca_align align)
{
	char *c = ca_doc_clean(ch->d, s);
	ca_text t;

	if (c == NULL)
		return;
	t = ca_text_plain(c, bold, size);
	ca_fill(ch->page, colour);
	ca_text_draw_fit(ch->page, ch->f, &t, x, y, width, align);
	free(c);
}

static double
legend_item_width(chart *ch, const legend_item *it)
{
	return LEGEND_SAMPLE + 4 + chart_text_width(ch, it->text, 0, CHART_TEXT_SIZE) + 14;
}

static void
legend_sample(chart *ch, const legend_item *it, double x, double mid)
{
	switch (it->kind) {
	case LEG_LINE:
		chart_line(ch->page, x, mid, x + LEGEND_SAMPLE, mid, it->colour, 1.2, it->dash);
		break;
	case LEG_MARKER:
		ca_chart_marker(ch->page, it->marker, x + LEGEND_SAMPLE / 2, mid, 3.2, it->colour,
		    it->hollow);
		break;
	case LEG_SWATCH: {
		ca_box b = { x + 2, mid - 4.5, LEGEND_SAMPLE - 4, 9 };

		chart_swatch(ch->page, b, it->colour, it->hatch);
		break;
	}
	}
}

/* Lay the legend out in rows across the box; returns the rows used, and
 * draws them when draw is set. */
static int
legend(chart *ch, const legend_item *items, size_t n, double top, int draw)
{
	double x = ch->box.x, right = ch->box.x + ch->box.w;
	int rows = n > 0;

	for (size_t i = 0; i < n; i++) {
		double w = legend_item_width(ch, &items[i]);

		if (x > ch->box.x && x + w - 14 > right) {
			x = ch->box.x;
			rows++;
		}
		if (draw) {
			double mid = top - (rows - 0.5) * LEGEND_ROW;

			legend_sample(ch, &items[i], x, mid);
			chart_text(ch, items[i].text, 0, CHART_TEXT_SIZE, CA_INK, x + LEGEND_SAMPLE + 4,
			    mid - 0.365 * CHART_TEXT_SIZE, right - x - LEGEND_SAMPLE - 4, CA_LEFT);
		}
		x += w;
	}
	return rows;
}

void
chart_header(chart *ch, const char *title, const legend_item *items, size_t n,
    const char *y_title)
{
	double y = ch->top;

	if (title != NULL && *title != '\0') {
		chart_text(ch, title, 1, CHART_TITLE_SIZE, CA_INK, ch->box.x,
		    ca_text_baseline(y, 14, CHART_TITLE_SIZE), ch->box.w, CA_LEFT);
		y -= 16;
	}
	if (n > 0) {
		int rows = legend(ch, items, n, y, 1);

		y -= rows * LEGEND_ROW + 4;
	}
	if (y_title != NULL && *y_title != '\0') {
		chart_text(ch, y_title, 0, CHART_TEXT_SIZE, CA_MUTED, ch->box.x,
		    ca_text_baseline(y, 12, CHART_TEXT_SIZE), ch->box.w, CA_LEFT);
		y -= 12;
	}
	ch->top = y - 6;        /* room for the top tick label's upper half */
}

/* --- scales and axes ------------------------------------------------ */

double
chart_map(double v, double lo, double hi, double p0, double p1)
{
	if (!(hi > lo) || isnan(v))
		return p0;
	/* far off the scale is off the page, and libharu writes only
	 * numbers of modest size correctly */
	v = fmin(fmax(v, lo - (hi - lo)), hi + (hi - lo));
	return p0 + (v - lo) / (hi - lo) * (p1 - p0);
}

double
chart_x(const chart *ch, const ca_ticks *t, double v)
{
	return chart_map(v, t->lo, t->hi, ch->plot.x, ch->plot.x + ch->plot.w);
}

double
chart_y(const chart *ch, const ca_ticks *t, double v)
{
	return chart_map(v, t->lo, t->hi, ch->plot.y, ch->plot.y + ch->plot.h);
}

/* The k-th tick, or NaN past the last.  Counted, not summed, so that a
 * step too small to change a large value cannot loop for ever. */
static double
tick(const ca_ticks *t, int k)
{
	double v = (ceil(t->lo / t->step - 1e-9) + k) * t->step;

	return k <= t->n && v <= t->hi + t->step * 1e-6 ? v : NAN;
}

double
chart_tick_width(chart *ch, const ca_ticks *t, ca_numfmt fmt)
{
	double w = 0;
	int k = 0;

	for (double v; !isnan(v = tick(t, k)); k++) {
		char buf[48];

		ca_chart_format(v, fmt, t->decimals, buf, sizeof buf);
		w = fmax(w, chart_text_width(ch, buf, 0, CHART_TICK_SIZE));
	}
	return w;
}

void
chart_y_axis(chart *ch, const ca_ticks *t, ca_numfmt fmt)
{
	int k = 0;

	for (double v; !isnan(v = tick(t, k)); k++) {
		char buf[48];
		double y = chart_y(ch, t, v);

		chart_line(ch->page, ch->plot.x, y, ch->plot.x + ch->plot.w, y, CA_RULE, 0.4,
		    CA_DASH_SOLID);
		ca_chart_format(v, fmt, t->decimals, buf, sizeof buf);
		chart_text(ch, buf, 0, CHART_TICK_SIZE, CA_MUTED, ch->box.x, y - 0.365 *
		    CHART_TICK_SIZE, ch->plot.x - 5 - ch->box.x, CA_RIGHT);
	}
}

void
chart_x_axis(chart *ch, const ca_ticks *t, ca_numfmt fmt, const char *title)
{
	int k = 0;

	for (double v; !isnan(v = tick(t, k)); k++) {
		char buf[48];
		double x = chart_x(ch, t, v), w;

		chart_line(ch->page, x, ch->plot.y, x, ch->plot.y + ch->plot.h, CA_RULE, 0.4,
		    CA_DASH_SOLID);
		chart_line(ch->page, x, ch->plot.y, x, ch->plot.y - 3, CA_INK, 0.6, CA_DASH_SOLID);
		ca_chart_format(v, fmt, t->decimals, buf, sizeof buf);
		w = chart_text_width(ch, buf, 0, CHART_TICK_SIZE);
		chart_text(ch, buf, 0, CHART_TICK_SIZE, CA_MUTED, x - w / 2 - 1, ch->plot.y - 12,
		    w + 2, CA_CENTRE);
	}
	if (title != NULL && *title != '\0')
		chart_text(ch, title, 0, CHART_TEXT_SIZE, CA_MUTED, ch->plot.x, ch->box.y + 2,
		    ch->plot.w, CA_CENTRE);
}

void
chart_axes(chart *ch)
{
	chart_line(ch->page, ch->plot.x, ch->plot.y, ch->plot.x + ch->plot.w, ch->plot.y, CA_INK,
	    0.7, CA_DASH_SOLID);
	chart_line(ch->page, ch->plot.x, ch->plot.y, ch->plot.x, ch->plot.y + ch->plot.h, CA_INK,
	    0.7, CA_DASH_SOLID);
}

/* --- primitives ----------------------------------------------------- */

void
chart_line(HPDF_Page page, double x0, double y0, double x1, double y1, ca_colour c, double width,
    ca_dash dash)
{
	ca_stroke(page, c);
	ca_dash_set(page, dash);
	HPDF_Page_SetLineWidth(page, (HPDF_REAL)width);
	HPDF_Page_MoveTo(page, (HPDF_REAL)x0, (HPDF_REAL)y0);
	HPDF_Page_LineTo(page, (HPDF_REAL)x1, (HPDF_REAL)y1);
	HPDF_Page_Stroke(page);
	if (dash != CA_DASH_SOLID)
		ca_dash_set(page, CA_DASH_SOLID);
}

void
chart_clip(chart *ch)
{
	HPDF_Page_GSave(ch->page);
	HPDF_Page_Rectangle(ch->page, (HPDF_REAL)ch->plot.x, (HPDF_REAL)ch->plot.y,
	    (HPDF_REAL)ch->plot.w, (HPDF_REAL)ch->plot.h);
	HPDF_Page_Clip(ch->page);
	HPDF_Page_EndPath(ch->page);
}

void
chart_unclip(chart *ch)
{
	HPDF_Page_GRestore(ch->page);
}

void
chart_swatch(HPDF_Page page, ca_box b, ca_colour c, int hatch)
{
	ca_fill(page, c);
	HPDF_Page_Rectangle(page, (HPDF_REAL)b.x, (HPDF_REAL)b.y, (HPDF_REAL)b.w, (HPDF_REAL)b.h);
	HPDF_Page_Fill(page);
	if (hatch == 0 || b.w <= 0 || b.h <= 0)
		return;
	HPDF_Page_GSave(page);
	HPDF_Page_Rectangle(page, (HPDF_REAL)b.x, (HPDF_REAL)b.y, (HPDF_REAL)b.w, (HPDF_REAL)b.h);
	HPDF_Page_Clip(page);
	HPDF_Page_EndPath(page);
	ca_stroke(page, CA_WHITE);
	HPDF_Page_SetLineWidth(page, 0.9);
	for (double o = -b.h; o < b.w; o += 4) {
		HPDF_Page_MoveTo(page, (HPDF_REAL)(b.x + o), (HPDF_REAL)b.y);
		HPDF_Page_LineTo(page, (HPDF_REAL)(b.x + o + b.h), (HPDF_REAL)(b.y + b.h));
		if (hatch == 2) {
			HPDF_Page_MoveTo(page, (HPDF_REAL)(b.x + o), (HPDF_REAL)(b.y + b.h));
			HPDF_Page_LineTo(page, (HPDF_REAL)(b.x + o + b.h), (HPDF_REAL)b.y);
		}
	}
	HPDF_Page_Stroke(page);
	HPDF_Page_GRestore(page);
}

void
ca_chart_marker(HPDF_Page page, ca_marker m, double x, double y, double r, ca_colour c,
    int hollow)
{
	ca_dash_set(page, CA_DASH_SOLID);
	ca_fill(page, hollow ? CA_WHITE : c);
	ca_stroke(page, hollow ? c : CA_WHITE);
	HPDF_Page_SetLineWidth(page, hollow ? 1.2 : 0.5);
	switch (m) {
	case CA_MARK_SQUARE:
		r *= 0.9;
		HPDF_Page_Rectangle(page, (HPDF_REAL)(x - r), (HPDF_REAL)(y - r), (HPDF_REAL)(2 * r),
		    (HPDF_REAL)(2 * r));
		break;
	case CA_MARK_TRIANGLE:
		r *= 1.15;
		HPDF_Page_MoveTo(page, (HPDF_REAL)x, (HPDF_REAL)(y + r));
		HPDF_Page_LineTo(page, (HPDF_REAL)(x + r * 0.95), (HPDF_REAL)(y - r * 0.7));
		HPDF_Page_LineTo(page, (HPDF_REAL)(x - r * 0.95), (HPDF_REAL)(y - r * 0.7));
		HPDF_Page_ClosePath(page);
		break;
	case CA_MARK_DIAMOND:
		r *= 1.2;
		HPDF_Page_MoveTo(page, (HPDF_REAL)x, (HPDF_REAL)(y + r));
		HPDF_Page_LineTo(page, (HPDF_REAL)(x + r), (HPDF_REAL)y);
		HPDF_Page_LineTo(page, (HPDF_REAL)x, (HPDF_REAL)(y - r));
		HPDF_Page_LineTo(page, (HPDF_REAL)(x - r), (HPDF_REAL)y);
		HPDF_Page_ClosePath(page);
		break;
	case CA_MARK_CROSS:
		ca_stroke(page, c);
		HPDF_Page_SetLineWidth(page, 1.3);
		HPDF_Page_MoveTo(page, (HPDF_REAL)(x - r), (HPDF_REAL)(y - r));
		HPDF_Page_LineTo(page, (HPDF_REAL)(x + r), (HPDF_REAL)(y + r));
		HPDF_Page_MoveTo(page, (HPDF_REAL)(x - r), (HPDF_REAL)(y + r));
		HPDF_Page_LineTo(page, (HPDF_REAL)(x + r), (HPDF_REAL)(y - r));
		HPDF_Page_Stroke(page);
		return;
	default:
		HPDF_Page_Circle(page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)r);
	}
	HPDF_Page_FillStroke(page);
}
