/*
 * icons.c - variation and assurance icons and their key (icons.h).
 */
#include "icons.h"

#include <stdlib.h>

static void
ring(HPDF_Page page, double cx, double cy, double r, ca_colour c)
{
	ca_dash_set(page, CA_DASH_SOLID);
	ca_fill(page, CA_WHITE);
	ca_stroke(page, c);
	HPDF_Page_SetLineWidth(page, (HPDF_REAL)(r * 0.16));
	HPDF_Page_Circle(page, (HPDF_REAL)cx, (HPDF_REAL)cy, (HPDF_REAL)(r * 0.92));
	HPDF_Page_FillStroke(page);
}

/* A capital letter (or "?") centred at (cx, cy). */
static void
letter(ca_doc *d, HPDF_Page page, const char *s, double cx, double cy, double size,
    ca_colour c)
{
	ca_text t = ca_text_plain(s, 1, size);
	double w = ca_text_width(ca_doc_fonts(d), &t, 0, t.len);

	ca_fill(page, c);
	ca_text_draw(page, ca_doc_fonts(d), &t, 0, t.len, cx - w / 2, cy - 0.365 * size);
}

/* Five small dots across the lower part of the icon: level for common
 * cause, the last two raised or lowered for a special cause. */
static void
dots(HPDF_Page page, double cx, double cy, double r, int trend, ca_colour c)
{
	static const double wiggle[5] = { 0.04, -0.04, 0.05, -0.03, 0.02 };

	ca_fill(page, c);
	for (int i = 0; i < 5; i++) {
		double x = cx + (i - 2) * r * 0.22, y = cy + wiggle[i] * r;

		if (trend != 0 && i >= 3)
			y += trend * r * (i == 3 ? 0.12 : 0.24);
		HPDF_Page_Circle(page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)(r * 0.075));
		HPDF_Page_Fill(page);
	}
}

void
ca_icon_variation(ca_doc *d, double cx, double cy, double r, ca_variation_icon v)
{
	static const struct { ca_colour colour; const char *letter; int trend; } look[] = {
		[CA_VARIATION_COMMON] = { CA_GREY, NULL, 0 },
		[CA_VARIATION_IMPROVEMENT_HIGH] = { CA_BLUE, "H", 1 },
		[CA_VARIATION_IMPROVEMENT_LOW] = { CA_BLUE, "L", -1 },
		[CA_VARIATION_CONCERN_HIGH] = { CA_ORANGE, "H", 1 },
		[CA_VARIATION_CONCERN_LOW] = { CA_ORANGE, "L", -1 },
		[CA_VARIATION_NEUTRAL_HIGH] = { CA_PURPLE, "H", 1 },
		[CA_VARIATION_NEUTRAL_LOW] = { CA_PURPLE, "L", -1 },
	};
	HPDF_Page page = ca_doc_page(d);

	if (page == NULL || (unsigned)v > CA_VARIATION_NEUTRAL_LOW)
		return;
	ring(page, cx, cy, r, look[v].colour);
	if (look[v].letter == NULL) {
		/* common cause: a flat line through the dots */
		ca_stroke(page, CA_GREY);
		HPDF_Page_SetLineWidth(page, (HPDF_REAL)(r * 0.06));
		HPDF_Page_MoveTo(page, (HPDF_REAL)(cx - r * 0.55), (HPDF_REAL)cy);
		HPDF_Page_LineTo(page, (HPDF_REAL)(cx + r * 0.55), (HPDF_REAL)cy);
		HPDF_Page_Stroke(page);
		dots(page, cx, cy, r, 0, CA_GREY);
		return;
	}
	letter(d, page, look[v].letter, cx, cy + r * 0.2, r * 0.85, look[v].colour);
	dots(page, cx, cy - r * 0.45, r, look[v].trend, look[v].colour);
}

void
ca_icon_assurance(ca_doc *d, double cx, double cy, double r, ca_assurance_icon a)
{
	static const struct { ca_colour colour; const char *letter; } look[] = {
		[CA_ASSURANCE_PASS] = { CA_BLUE, "P" },
		[CA_ASSURANCE_FAIL] = { CA_ORANGE, "F" },
		[CA_ASSURANCE_HIT_AND_MISS] = { CA_GREY, "?" },
	};
	HPDF_Page page = ca_doc_page(d);

	if (page == NULL || (unsigned)a > CA_ASSURANCE_HIT_AND_MISS)
		return;
	ring(page, cx, cy, r, look[a].colour);
	letter(d, page, look[a].letter, cx, cy + r * 0.12, r * 0.95, look[a].colour);
	/* the target, a line under the letter */
	ca_stroke(page, look[a].colour);
	HPDF_Page_SetLineWidth(page, (HPDF_REAL)(r * 0.08));
	HPDF_Page_MoveTo(page, (HPDF_REAL)(cx - r * 0.45), (HPDF_REAL)(cy - r * 0.5));
	HPDF_Page_LineTo(page, (HPDF_REAL)(cx + r * 0.45), (HPDF_REAL)(cy - r * 0.5));
	HPDF_Page_Stroke(page);
}

#define KEY_R 12.0
#define KEY_CAPTION 8.0
#define KEY_LEADING 10.0
#define KEY_ROW (14.0 + 2 * KEY_R + 6 + 3 * KEY_LEADING + 8)

/* A caption of up to three lines centred under an icon. */
static void
caption(ca_doc *d, const char *s, double x, double w, double top)
{
	ca_text t = ca_text_plain(s, 0, KEY_CAPTION);
	ca_line *lines;
	size_t n;

	if (ca_text_wrap(ca_doc_fonts(d), &t, w - 6, &lines, &n) != 0) {
		ca_doc_fail(d, CA_EX_SOFTWARE, "laying out the PDF: out of memory");
		return;
	}
	ca_fill(ca_doc_page(d), CA_INK);
	for (size_t i = 0; i < n && i < 3; i++)
		ca_text_draw(ca_doc_page(d), ca_doc_fonts(d), &t, lines[i].off,
		    lines[i].off + lines[i].len, x + (w - lines[i].width) / 2,
		    ca_text_baseline(top - (double)i * KEY_LEADING, KEY_LEADING, KEY_CAPTION));
	free(lines);
}

static void
row_title(ca_doc *d, const char *s, double x, double top)
{
	ca_text t = ca_text_plain(s, 1, 8.5);

	ca_fill(ca_doc_page(d), CA_MUTED);
	ca_text_draw(ca_doc_page(d), ca_doc_fonts(d), &t, 0, t.len, x, ca_text_baseline(top, 12,
	    8.5));
}

void
ca_icon_key(ca_doc *d)
{
	static const char *const var[] = { "Common cause: no significant change",
		"Special cause of improvement: high", "Special cause of improvement: low",
		"Special cause of concern: high", "Special cause of concern: low" };
	static const char *const assure[] = { "The process will consistently pass the target",
		"The process will consistently fail the target",
		"The process will hit and miss the target at random" };
	ca_box b = ca_doc_take(d, 2 * KEY_ROW);
	double col = b.w / 5, top = b.y + b.h;

	if (ca_doc_page(d) == NULL)
		return;
	row_title(d, "Variation", b.x, top);
	for (int i = 0; i < 5; i++) {
		double cx = b.x + col * (i + 0.5), cy = top - 14 - KEY_R;

		ca_icon_variation(d, cx, cy, KEY_R, (ca_variation_icon)i);
		caption(d, var[i], b.x + col * i, col, cy - KEY_R - 6);
	}
	top -= KEY_ROW;
	row_title(d, "Assurance", b.x, top);
	for (int i = 0; i < 3; i++) {
		double cx = b.x + col * (i + 0.5), cy = top - 14 - KEY_R;

		ca_icon_assurance(d, cx, cy, KEY_R, (ca_assurance_icon)i);
		caption(d, assure[i], b.x + col * i, col, cy - KEY_R - 6);
	}
	ca_doc_space(d, 6);
}
