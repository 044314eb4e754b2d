/*
 * chart.h - the charts of a board report, drawn from primitives (axes,
 * ticks, gridlines, legend, markers) into a box on the page: a bar
 * chart, an XmR control chart and a funnel plot.
 *
 * Each chart takes plain arrays, so this layer knows nothing of how the
 * figures were worked out (xmr.h, stats.h): the report passes values,
 * labels and per-point kinds.  Colours come from palette.h, and every
 * distinction a colour makes is also made by a marker shape, a dash or a
 * hatching, so a chart printed in greyscale still reads.
 *
 * Get the box from the flow (`ca_doc_take(d, ca_chart_bar_height(&c))`
 * or any height), then draw.  Inside the box, from the top: the title,
 * the legend (never over the data), the y axis's title, the plot with
 * its axes.  Data outside a fixed axis range is clipped at the plot's
 * edge, never drawn over the labels.
 */
#ifndef CASEAUDIT_CHART_H
#define CASEAUDIT_CHART_H

#include <stddef.h>

#include "doc.h"

typedef enum ca_numfmt {
	CA_NUMBER,              /* 1,250 or 3.5 */
	CA_PERCENT              /* a share: 0.725 shows as 72.5% */
} ca_numfmt;

typedef struct ca_axis {
	const char *title;      /* may be NULL */
	ca_numfmt format;
	int fixed;              /* 1: exactly [min, max]; 0: fit the data */
	double min, max;
	int zero;               /* fitting: take in 0 as well */
} ca_axis;

/* Tick marks at a nice step (1, 2 or 5 times a power of ten) from lo to
 * hi, both multiples of the step, covering the range asked for, with at
 * most max_ticks ticks (at least 2).  decimals is what a label needs. */
typedef struct ca_ticks {
	double lo, hi, step;
	int n;
	int decimals;
} ca_ticks;

void ca_chart_ticks(double lo, double hi, int max_ticks, ca_numfmt format, ca_ticks *out);

/* v as an axis or value label: "1,250", "3.5", "72%". */
void ca_chart_format(double v, ca_numfmt format, int decimals, char *buf, size_t size);

/* --- bar chart: horizontal bars, categories down the side ------------ */

typedef struct ca_bar_series {
	const char *name;       /* in the legend (shown when there are two or more) */
	const double *values;   /* one per category; NaN: not shown (e.g. suppressed) */
	const double *lo, *hi;  /* an interval per category to whisker, or NULL */
} ca_bar_series;

typedef struct ca_bar_chart {
	const char *title;      /* may be NULL */
	const char *const *categories;
	size_t ncat;
	const ca_bar_series *series;
	size_t nseries;
	ca_axis axis;           /* the value axis, along the bottom */
	int value_labels;       /* each value printed beyond its bar */
	const char *missing;    /* printed for a NaN value, e.g. "fewer than 5"; may be NULL */
	double target;          /* NaN: none */
	const char *target_name;        /* the legend's word for it, default "Target" */
} ca_bar_chart;

/* A height that gives each bar room. */
double ca_chart_bar_height(const ca_bar_chart *c);
void ca_chart_bar(ca_doc *d, ca_box box, const ca_bar_chart *c);

/* --- XmR control chart ---------------------------------------------- */

typedef enum ca_point_kind {
	CA_POINT_COMMON,        /* common-cause variation: grey circle */
	CA_POINT_IMPROVEMENT,   /* blue diamond */
	CA_POINT_CONCERN,       /* orange square */
	CA_POINT_NEUTRAL        /* special cause, no better direction: purple triangle */
} ca_point_kind;

typedef struct ca_xmr_chart {
	const char *title;
	const char *const *labels;      /* one per point: the period */
	const double *values;
	const ca_point_kind *kinds;     /* one per point, or NULL: all common cause */
	size_t n;
	double mean, lower, upper;      /* the process limits */
	double target;                  /* NaN: none */
	ca_axis y;
	const char *x_title;            /* may be NULL */
} ca_xmr_chart;

void ca_chart_xmr(ca_doc *d, ca_box box, const ca_xmr_chart *c);

/* --- funnel plot ---------------------------------------------------- */

typedef struct ca_funnel_bounds {
	double lo95, hi95, lo998, hi998;
} ca_funnel_bounds;

/* The control limits around the overall rate for a unit of n audits. */
typedef void (*ca_funnel_limits_fn)(double n, void *ctx, ca_funnel_bounds *out);

typedef struct ca_funnel_chart {
	const char *title;
	const char *const *labels;      /* one per point: short pseudonyms (A, B, ...) */
	const double *n;                /* audits, one per point */
	const double *rate;             /* the proportion, one per point */
	size_t npoints;
	double overall;                 /* the overall rate */
	ca_funnel_limits_fn limits;
	void *ctx;
	int direction;                  /* 1 higher is better, -1 lower, 0 neither */
	const char *x_title;            /* default "Number of audits" */
	ca_axis y;                      /* format CA_PERCENT, usually */
	size_t ringed;                  /* 1 + the point to ring (the reader's own); 0 none */
} ca_funnel_chart;

/* Points beyond the 95% limits are drawn hollow in the colour of
 * improvement or concern, beyond 99.8% filled; within, grey.  A ringed
 * point has a black circle round it, whatever its colour. */
void ca_chart_funnel(ca_doc *d, ca_box box, const ca_funnel_chart *c);

/* A marker centred at (x, y), r its half size. */
void ca_chart_marker(HPDF_Page page, ca_marker m, double x, double y, double r, ca_colour c,
    int hollow);

#endif
