/*
 * palette.h - the colours, line dashes and marker shapes every report
 * draws with, in one place so that all charts speak the same language.
 *
 * The hues are Okabe and Ito's set, chosen to stay apart for the common
 * kinds of colour blindness.  Many board packs are printed in greyscale,
 * where blue and vermillion, or orange and sky, come out as nearly the
 * same grey: so nothing is told by colour alone.  Each series also has
 * its own marker shape and line dash (and bars their own hatching), and
 * the point kinds of a control chart have their own markers.
 */
#ifndef CASEAUDIT_PALETTE_H
#define CASEAUDIT_PALETTE_H

#include <stddef.h>

#include <hpdf.h>

typedef struct ca_rgb {
	float r, g, b;          /* 0..1 */
} ca_rgb;

typedef enum ca_colour {
	CA_BLUE,                /* #0072B2: improvement, first series */
	CA_ORANGE,              /* #E69F00: concern, second series */
	CA_VERMILLION,          /* #D55E00: targets */
	CA_SKY,                 /* #56B4E9 */
	CA_PURPLE,              /* #CC79A7: special cause with no better direction */
	CA_GREY,                /* #7F7F7F: common cause, limits */
	CA_INK,                 /* #1A1A1A: text and axes */
	CA_MUTED,               /* #595959: secondary text (still 7:1 on white) */
	CA_HEADING,             /* #1F3A5F: headings, a dark blue */
	CA_RULE,                /* #BFBFBF: hairlines and gridlines */
	CA_TINT,                /* #E3EAF2: table header background */
	CA_ZEBRA,               /* #F4F6F8: every other table row */
	CA_WHITE,
	CA_COLOUR_COUNT
} ca_colour;

ca_rgb ca_palette(ca_colour c);

/* Marker shapes, drawn by ca_chart_marker (chart.h). */
typedef enum ca_marker {
	CA_MARK_CIRCLE,
	CA_MARK_SQUARE,
	CA_MARK_TRIANGLE,
	CA_MARK_DIAMOND,
	CA_MARK_CROSS
} ca_marker;

/* Line dashes, as on-off lengths in points; CA_DASH_SOLID draws solid. */
typedef enum ca_dash {
	CA_DASH_SOLID,
	CA_DASH_DASHED,         /* 5 on, 3 off: process limits, 95% limits */
	CA_DASH_DOTTED,         /* 1 on, 2 off: 99.8% limits */
	CA_DASH_DASHDOT,        /* targets */
	CA_DASH_LONG
} ca_dash;

/* How the n-th series of a chart is drawn.  Series beyond the table
 * repeat it. */
typedef struct ca_series_style {
	ca_colour colour;
	ca_marker marker;
	ca_dash dash;
	int hatch;              /* bars: 0 plain, 1 diagonal lines, 2 crossed */
} ca_series_style;

ca_series_style ca_series(size_t i);

/* Set a page's fill colour (also the colour of text), stroke colour, and
 * line dash. */
void ca_fill(HPDF_Page page, ca_colour c);
void ca_stroke(HPDF_Page page, ca_colour c);
void ca_dash_set(HPDF_Page page, ca_dash dash);

#endif
