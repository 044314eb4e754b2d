/*
 * palette.c - the report colours and series styles (palette.h).
 */
#include "palette.h"

static const unsigned colours[CA_COLOUR_COUNT] = {
	[CA_BLUE] = 0x0072B2,
	[CA_ORANGE] = 0xE69F00,
	[CA_VERMILLION] = 0xD55E00,
	[CA_SKY] = 0x56B4E9,
	[CA_PURPLE] = 0xCC79A7,
	[CA_GREY] = 0x7F7F7F,
	[CA_INK] = 0x1A1A1A,
	[CA_MUTED] = 0x595959,
	[CA_HEADING] = 0x1F3A5F,
	[CA_RULE] = 0xBFBFBF,
	[CA_TINT] = 0xE3EAF2,
	[CA_ZEBRA] = 0xF4F6F8,
	[CA_WHITE] = 0xFFFFFF,
};

/* Blue and orange first: the pair furthest apart in greyscale too. */
static const ca_series_style series[] = {
	{ CA_BLUE, CA_MARK_CIRCLE, CA_DASH_SOLID, 0 },
	{ CA_ORANGE, CA_MARK_SQUARE, CA_DASH_DASHED, 0 },
	{ CA_SKY, CA_MARK_TRIANGLE, CA_DASH_DOTTED, 1 },
	{ CA_VERMILLION, CA_MARK_DIAMOND, CA_DASH_DASHDOT, 2 },
	{ CA_GREY, CA_MARK_CROSS, CA_DASH_LONG, 1 },
};

ca_rgb
ca_palette(ca_colour c)
{
	unsigned v = (unsigned)c < CA_COLOUR_COUNT ? colours[c] : 0;
	ca_rgb rgb = { (float)(v >> 16 & 0xFF) / 255.0f, (float)(v >> 8 & 0xFF) / 255.0f,
		(float)(v & 0xFF) / 255.0f };

	return rgb;
}

ca_series_style
ca_series(size_t i)
{
	return series[i % (sizeof series / sizeof series[0])];
}

void
ca_fill(HPDF_Page page, ca_colour c)
{
	ca_rgb rgb = ca_palette(c);

	HPDF_Page_SetRGBFill(page, rgb.r, rgb.g, rgb.b);
}

void
ca_stroke(HPDF_Page page, ca_colour c)
{
	ca_rgb rgb = ca_palette(c);

	HPDF_Page_SetRGBStroke(page, rgb.r, rgb.g, rgb.b);
}

void
ca_dash_set(HPDF_Page page, ca_dash dash)
{
	static const HPDF_UINT16 dashed[] = { 5, 3 }, dotted[] = { 1, 2 },
	    dashdot[] = { 6, 2, 1, 2 }, longdash[] = { 9, 3 };

	switch (dash) {
	case CA_DASH_DASHED:
		HPDF_Page_SetDash(page, dashed, 2, 0);
		break;
	case CA_DASH_DOTTED:
		HPDF_Page_SetDash(page, dotted, 2, 0);
		break;
	case CA_DASH_DASHDOT:
		HPDF_Page_SetDash(page, dashdot, 4, 0);
		break;
	case CA_DASH_LONG:
		HPDF_Page_SetDash(page, longdash, 2, 0);
		break;
	default:
		HPDF_Page_SetDash(page, NULL, 0, 0);
	}
}
