/*
 * chart_private.h - what the chart kinds share (chart.c): the chart's
 * frame (title, legend, axes, gridlines), scales, text and clipping.
 * Reports use chart.h.
 */
#ifndef CASEAUDIT_CHART_PRIVATE_H
#define CASEAUDIT_CHART_PRIVATE_H

#include "chart.h"

#define CHART_TITLE_SIZE 9.5
#define CHART_TEXT_SIZE 8.0
#define CHART_TICK_SIZE 7.5

typedef enum legend_kind { LEG_LINE, LEG_MARKER, LEG_SWATCH } legend_kind;

typedef struct legend_item {
	const char *text;
	legend_kind kind;
	ca_colour colour;
	ca_dash dash;           /* LEG_LINE */
	ca_marker marker;       /* LEG_MARKER */
	int hollow;             /* LEG_MARKER */
	int hatch;              /* LEG_SWATCH */
} legend_item;

typedef struct chart {
	ca_doc *d;
	HPDF_Page page;
	const ca_fonts *f;
	ca_box box;             /* all of it */
	double top;             /* below the title, legend and y title */
	ca_box plot;            /* the data area, once placed */
} chart;

/* Start drawing in box; -1 when the document has failed. */
int  chart_open(chart *ch, ca_doc *d, ca_box box);

/* Title, legend and the y axis's title across the top of the box. */
void chart_header(chart *ch, const char *title, const legend_item *items, size_t n,
    const char *y_title);

/* Text from the caller, cleaned; width of it. */
void chart_text(chart *ch, const char *s, int bold, double size, ca_colour c, double x,
    double y, double width, ca_align align);
double chart_text_width(chart *ch, const char *s, int bold, double size);

/* The ticks of an axis over data from lo to hi. */
void chart_fit(const ca_axis *a, double lo, double hi, int max_ticks, ca_ticks *t);
/* The widest tick label of t. */
double chart_tick_width(chart *ch, const ca_ticks *t, ca_numfmt fmt);

/* v's position between p0 and p1 on a scale lo..hi. */
double chart_map(double v, double lo, double hi, double p0, double p1);
double chart_x(const chart *ch, const ca_ticks *t, double v);
double chart_y(const chart *ch, const ca_ticks *t, double v);

/* Horizontal gridlines and labels up the left of the plot. */
void chart_y_axis(chart *ch, const ca_ticks *t, ca_numfmt fmt);
/* Vertical gridlines and labels along the bottom, then the title. */
void chart_x_axis(chart *ch, const ca_ticks *t, ca_numfmt fmt, const char *title);
/* The axis lines at the left and bottom of the plot. */
void chart_axes(chart *ch);

void chart_line(HPDF_Page page, double x0, double y0, double x1, double y1, ca_colour c,
    double width, ca_dash dash);
/* Keep drawing inside the plot until chart_unclip. */
void chart_clip(chart *ch);
void chart_unclip(chart *ch);

/* A filled rectangle, hatched in white (hatch 1 diagonal, 2 crossed). */
void chart_swatch(HPDF_Page page, ca_box b, ca_colour c, int hatch);

#endif
