/*
 * test_layout.c - the PDF layout layer (reports/) on a sample document
 * that uses all of it: Welsh and Polish names, "£" and "–" and an emoji,
 * a 200-character heading, a paragraph of 3,000 words, a table of 500
 * rows with a row taller than a page, each chart kind and the icons.
 * The document is rendered once for the group and read back with
 * poppler's tools (pdftotext, pdfinfo, pdffonts, pdftohtml), as a reader
 * would see it.  No database.
 *
 * What must hold: the text reads back exactly, emoji replaced; "Page n of
 * N" is right on every page and the marking is on every page twice; every
 * table row is there once and every page of the table starts with its
 * header; headings are bookmarks, level 2 under level 1, never alone at
 * the foot of a page, and the contents give their right pages; only the
 * two DejaVu fonts, embedded; the dates are the caller's; two renders
 * are byte-identical; a missing font is 66 with its path, an unwritable
 * file 74, a bad date 65, and an impossible block a sticky 70.
 *
 * Set CASEAUDIT_LAYOUT_PDF=FILE to keep a copy of the sample to look at.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chart.h"
#include "doc.h"
#include "heading.h"
#include "icons.h"
#include "paragraph.h"
#include "support.h"
#include "table.h"
#include "version.h"

#define NROWS 500
#define CREATED "2025-03-31T00:00:00Z"
#define MODIFIED "2025-04-01T09:30:00Z"
#define LONG_HEADING_WORDS 26

static const char *const partners[] = {
	"Cymorth Gofal Siân Cyf.", "Łukasz Wójcik Care Partnership", "Riverside Carers – North",
	"Hafod Community Interest Company", "St Ethelburga’s Trust",
};

/* --- the sample document ------------------------------------------- */

static ca_doc_info
sample_info(const char *font_dir)
{
	ca_doc_info info = { 0 };

	info.title = "Quality assurance board report – Quarter 4, 2024/25";
	info.subject = "Care Act assessments: audit findings for Siân and Łukasz’s board";
	info.author = "Quality Assurance Team";
	info.keywords = "audit, quality, £";
	info.created = CREATED;
	info.modified = MODIFIED;
	info.short_title = "QA board report – Q4 2024/25";
	info.footer = "Data as at 31 March 2025";
	info.font_dir = font_dir;
	return info;
}

/* 3,000 words from a small vocabulary, the same every time, with a word
 * far wider than a line in the middle. */
static char *
long_paragraph(void)
{
	static const char *const words[] = { "assessment", "strengths", "carer", "the", "of",
		"outcomes", "and", "wellbeing", "Siân", "risk", "plan", "a", "review", "£", "–",
		"recorded", "person", "needs", "eligibility", "Łódź", "advocacy", "to" };
	size_t cap = 3000 * 24 + 256, len = 0;
	char *s = malloc(cap);
	unsigned x = 12345;

	assert_non_null(s);
	for (int i = 0; i < 3000; i++) {
		const char *w;

		x = x * 1103515245u + 12345u;
		w = i == 1500 ? "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"
		    "LlanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogochEND" :
		    words[(x >> 16) % (sizeof words / sizeof words[0])];
		len += (size_t)snprintf(s + len, cap - len, "%s%s", i ? " " : "", w);
	}
	return s;
}

static void
sample_text(ca_doc *d)
{
	char heading[256];
	char *para = long_paragraph();
	const ca_run lead[] = { { "Asked to note: ", 1 },
		{ "the share of audits graded good or better rose for the third quarter.", 0 } };

	ca_heading(d, 1, "Summary");
	ca_para(d, "Auditors Siân Evans and Łukasz Wójcik moderated 24 audits; the cost per"
	    " review fell to £1,250 – within plan \xF0\x9F\x8E\x89 and ahead of last year.");
	ca_para_runs(d, lead, 2);
	ca_bullet(d, "Holistic needs were met in 18 of 24 audits (75%, 95% CI 55–88%).");
	ca_bullet(d, "Strengths-based practice is a signal of improvement: seven points above"
	    " the mean in a row, the latest 82%.");
	ca_para_bold(d, "No partner is below the lower 99.8% limit.");
	ca_note(d, "Source: caseaudit, audits completed 1 January to 31 March 2025. Groups"
	    " smaller than five are not shown.");

	/* a 200-character heading */
	snprintf(heading, sizeof heading, "%s", "A very long heading that keeps going");
	while (strlen(heading) < 200)
		strncat(heading, " and going", sizeof heading - strlen(heading) - 1);
	heading[200] = '\0';
	ca_heading(d, 1, heading);
	ca_heading(d, 2, "A paragraph of three thousand words");
	ca_para(d, para);
	free(para);
}

static void
sample_table(ca_doc *d)
{
	static const ca_table_col cols[] = {
		{ "Reference", 64, 0, CA_LEFT },
		{ "Partner organisation", 0, 2, CA_LEFT },
		{ "Finding", 0, 3, CA_LEFT },
		{ "Grade", 0, 1.3, CA_LEFT },
		{ "Score", 44, 0, CA_RIGHT },
	};
	static const char *const grades[] = { "Outstanding", "Good", "Requires improvement",
		"Inadequate" };
	char ref[32], score[16], *tall;
	ca_table *t;

	ca_heading(d, 1, "Audits this quarter");
	ca_para(d, "Every audit completed this quarter, by reference.");
	t = ca_table_begin(d, cols, 5);
	tall = malloc(9000);
	assert_non_null(tall);
	tall[0] = '\0';
	for (int i = 0; i < 900; i++)
		strcat(tall, "evidence ");
	strcat(tall, "ENDOFTALLROW");
	for (int i = 1; i <= NROWS; i++) {
		const char *cells[5];

		snprintf(ref, sizeof ref, "REF-%04d", i);
		snprintf(score, sizeof score, "%d.%d", 40 + i % 60, i % 10);
		cells[0] = ref;
		cells[1] = partners[i % 5];
		cells[2] = i == 250 ? tall : i % 7 == 0 ?
		    "Risk identified but no plan recorded; carer not offered an assessment." :
		    "Holistic and strengths-based.";
		cells[3] = grades[i % 4];
		cells[4] = score;
		ca_table_row(t, cells);
	}
	{
		const char *total[5] = { "All", "", "", "", "71.4" };

		ca_table_row_bold(t, total);
	}
	ca_table_end(t);
	free(tall);

	ca_heading(d, 2, "Escalations");
	t = ca_table_begin(d, cols, 5);
	ca_table_end(t);
}

static void
limits(double n, void *ctx, ca_funnel_bounds *out)
{
	double p = *(const double *)ctx, se = sqrt(p * (1 - p) / n);

	out->lo95 = p - 1.96 * se;
	out->hi95 = p + 1.96 * se;
	out->lo998 = p - 3.09 * se;
	out->hi998 = p + 3.09 * se;
}

static void
sample_charts(ca_doc *d)
{
	static const char *const domains[] = { "Holistic needs", "Strengths-based practice",
		"Risk", "Carers", "Outcomes", "Recording" };
	static const double q3[] = { 0.71, 0.58, 0.66, 0.49, 0.74, 0.81 };
	static const double q4[] = { 0.75, 0.64, NAN, 0.55, 0.78, 0.86 };
	static const double q4lo[] = { 0.55, 0.47, NAN, 0.37, 0.60, 0.70 };
	static const double q4hi[] = { 0.88, 0.78, NAN, 0.71, 0.89, 0.94 };
	const ca_bar_series series[] = { { "Quarter 3", q3, NULL, NULL },
		{ "Quarter 4", q4, q4lo, q4hi } };
	ca_bar_chart bar = { "Share of audits meeting the standard, by domain", domains, 6,
		series, 2, { "Share meeting the standard", CA_PERCENT, 1, 0, 1, 1 }, 1,
		"fewer than 5 audits", 0.8, "Target 80%" };
	static const char *const months[] = { "Apr 23", "May 23", "Jun 23", "Jul 23", "Aug 23",
		"Sep 23", "Oct 23", "Nov 23", "Dec 23", "Jan 24", "Feb 24", "Mar 24", "Apr 24",
		"May 24", "Jun 24", "Jul 24", "Aug 24", "Sep 24", "Oct 24", "Nov 24", "Dec 24",
		"Jan 25", "Feb 25", "Mar 25" };
	static const double v[] = { 0.62, 0.66, 0.61, 0.64, 0.68, 0.63, 0.65, 0.60, 0.67, 0.64,
		0.69, 0.66, 0.70, 0.71, 0.72, 0.74, 0.73, 0.75, 0.77, 0.76, 0.80, 0.79, 0.82, 0.91 };
	ca_point_kind kinds[24];
	ca_xmr_chart xmr = { "Audits graded good or better, by month", months, v, kinds, 24,
		0.6925, 0.5325, 0.8525, 0.75, { "Share graded good or better", CA_PERCENT, 0, 0, 0,
		0 }, "Month completed" };
	static const char *const labels[] = { "A", "B", "C", "D", "E", "F", "G", "H" };
	static const double n[] = { 12, 45, 88, 130, 64, 23, 150, 96 };
	static const double rate[] = { 0.58, 0.71, 0.52, 0.78, 0.69, 0.91, 0.74, 0.72 };
	double overall = 0.70;
	ca_funnel_chart fun = { "Audits graded good or better, by partner", labels, n, rate, 8,
		overall, limits, &overall, 1, NULL, { "Share graded good or better", CA_PERCENT, 0, 0,
		0, 0 }, 0 };

	for (int i = 0; i < 24; i++)
		kinds[i] = i >= 17 ? CA_POINT_IMPROVEMENT : CA_POINT_COMMON;
	kinds[7] = CA_POINT_CONCERN;
	ca_heading(d, 1, "Charts");
	ca_heading(d, 2, "By domain");
	ca_chart_bar(d, ca_doc_take(d, ca_chart_bar_height(&bar)), &bar);
	ca_note(d, "Bars show each quarter’s share; whiskers the 95% confidence interval.");
	ca_heading(d, 2, "Over time");
	ca_chart_xmr(d, ca_doc_take(d, 250), &xmr);
	ca_heading(d, 2, "By partner");
	ca_chart_funnel(d, ca_doc_take(d, 280), &fun);
	ca_heading(d, 2, "How to read the icons");
	ca_icon_key(d);
}

static int
render_sample(const char *font_dir, const char *created, unsigned char **pdf, size_t *len,
    ca_err *err)
{
	ca_doc_info info = sample_info(font_dir);
	ca_doc *d;
	int rc;

	info.created = created;
	if ((rc = ca_doc_new(&d, &info, err)) != 0)
		return rc;
	ca_doc_title(d, "Quality assurance board report", "Adult social care assessments"
	    " – Quarter 4, 2024/25");
	ca_doc_contents(d, "Contents");
	sample_text(d);
	sample_table(d);
	sample_charts(d);
	rc = ca_doc_render(d, pdf, len, err);
	ca_doc_free(d);
	return rc;
}

/* --- reading it back ------------------------------------------------ */

static struct {
	char *dir, *path;
	unsigned char *pdf;
	size_t len;
	char *text;             /* pdftotext */
	char *flat;             /* the same, line breaks as spaces */
	char *paged;            /* the same, cut into pages at its form feeds */
	char **pages;
	char *contents;         /* pdftotext -layout of page 2 */
	size_t npages;
	char *info, *fonts, *outline;
} s;

static int
group_setup(void **state)
{
	ca_err err = { 0 };
	const char *keep = getenv("CASEAUDIT_LAYOUT_PDF");
	char *p;

	(void)state;
	if (system("command -v pdftotext pdfinfo pdffonts pdftohtml >/dev/null") != 0) {
		fprintf(stderr, "test_layout: poppler-utils is not installed (scripts/setup"
		    " installs it)\n");
		return -1;
	}
	if (render_sample(NULL, CREATED, &s.pdf, &s.len, &err) != 0) {
		fprintf(stderr, "test_layout: %s\n", err.msg);
		return -1;
	}
	s.dir = test_tempdir();
	s.path = malloc(strlen(s.dir) + 16);
	sprintf(s.path, "%s/sample.pdf", s.dir);
	if (ca_doc_write(s.path, s.pdf, s.len, &err) != 0 ||
	    (keep != NULL && ca_doc_write(keep, s.pdf, s.len, &err) != 0)) {
		fprintf(stderr, "test_layout: %s\n", err.msg);
		return -1;
	}
	s.text = test_capture("pdftotext -enc UTF-8 %s - 2>/dev/null", s.path);
	s.info = test_capture("pdfinfo %s 2>/dev/null", s.path);
	s.fonts = test_capture("pdffonts %s 2>/dev/null", s.path);
	s.outline = test_capture("pdftohtml -xml -i -q -stdout %s 2>/dev/null", s.path);
	s.contents = test_capture("pdftotext -enc UTF-8 -layout -f 2 -l 2 %s - 2>/dev/null",
	    s.path);
	/* pages: pdftotext ends each with a form feed */
	s.flat = strdup(s.text);
	for (p = s.flat; *p != '\0'; p++)
		if (*p == '\n')
			*p = ' ';
	s.paged = strdup(s.text);
	s.pages = calloc(test_count(s.text, "\f") + 1, sizeof *s.pages);
	for (p = s.paged; *p != '\0';) {
		char *ff = strchr(p, '\f');

		if (ff == NULL)
			break;
		*ff = '\0';
		s.pages[s.npages++] = p;
		p = ff + 1;
	}
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	if (s.path != NULL)
		unlink(s.path);
	if (s.dir != NULL)
		rmdir(s.dir);
	free(s.dir);
	free(s.path);
	free(s.pdf);
	free(s.text);
	free(s.paged);
	free(s.flat);
	free(s.contents);
	free(s.pages);
	free(s.info);
	free(s.fonts);
	free(s.outline);
	return 0;
}

/* pdfinfo's "Pages:" */
static size_t
info_pages(void)
{
	const char *p = strstr(s.info, "\nPages:");

	assert_non_null(p);
	return (size_t)strtoul(p + 7, NULL, 10);
}

/* The page (1-based) whose text holds needle first, after the contents
 * (page 2), 0 if none. */
static size_t
page_of(const char *needle)
{
	for (size_t i = 2; i < s.npages; i++)
		if (strstr(s.pages[i], needle) != NULL)
			return i + 1;
	return 0;
}

/* --- the tests ------------------------------------------------------ */

/* Each of the NULL-terminated needles is in hay; the message names the
 * first that is not. */
static void
expect_all(const char *hay, ...)
{
	va_list ap;
	const char *needle;

	va_start(ap, hay);
	while ((needle = va_arg(ap, const char *)) != NULL)
		if (strstr(hay, needle) == NULL)
			fail_msg("\"%s\" is missing", needle);
	va_end(ap);
}

static void
text_reads_back(void **state)
{
	(void)state;
	expect_all(s.flat, "Siân Evans and Łukasz Wójcik", "£1,250 – within plan", "Łódź",
	    "95% CI 55–88%", "Asked to note: the share",
	    /* the emoji is replaced, not dropped and not a space */
	    "within plan \xEF\xBF\xBD and ahead",
	    /* the word wider than a line is all there, broken between letters */
	    "Llanfairpwll", "gogogochEND", NULL);
	assert_null(strstr(s.flat, "\xF0\x9F"));
}

static void
every_page_numbered_and_marked(void **state)
{
	size_t n = info_pages();
	char want[64];

	(void)state;
	assert_true(n >= 10);
	assert_int_equal(s.npages, n);
	for (size_t i = 0; i < n; i++) {
		snprintf(want, sizeof want, "Page %zu of %zu", i + 1, n);
		if (strstr(s.pages[i], want) == NULL)
			fail_msg("page %zu lacks \"%s\"", i + 1, want);
		/* header and footer */
		if (test_count(s.pages[i], CA_MARKING) != 2)
			fail_msg("page %zu has the marking %zu times", i + 1,
			    test_count(s.pages[i], CA_MARKING));
		assert_non_null(strstr(s.pages[i], "Data as at 31 March 2025"));
	}
	assert_int_equal(test_count(s.text, CA_MARKING), 2 * n);
	snprintf(want, sizeof want, "Page %zu of %zu", n + 1, n);
	assert_null(strstr(s.text, want));
}

static void
table_rows_once_with_header_on_each_page(void **state)
{
	char ref[32];
	size_t first = 0, last = 0;

	(void)state;
	for (int i = 1; i <= NROWS; i++) {
		size_t pg;

		snprintf(ref, sizeof ref, "REF-%04d", i);
		if (test_count(s.text, ref) != 1)
			fail_msg("%s appears %zu times", ref, test_count(s.text, ref));
		pg = page_of(ref);
		if (first == 0)
			first = pg;
		assert_true(pg >= last);        /* in order */
		last = pg;
	}
	assert_true(last - first >= 5);
	for (size_t p = first; p <= last; p++)
		if (strstr(s.pages[p - 1], "Partner organisation") == NULL)
			fail_msg("table page %zu has no header row", p);
	/* the row taller than a page is split, none of it lost */
	assert_int_equal(test_count(s.text, "ENDOFTALLROW"), 1);
	assert_true(page_of("ENDOFTALLROW") > page_of("REF-0250"));
	assert_non_null(strstr(s.text, "All"));
	/* a table with no rows says so */
	assert_true(page_of("None") >= page_of("Escalations"));
}

static void
headings_are_bookmarks(void **state)
{
	const char *sum, *para, *charts, *bydomain, *end;

	(void)state;
	/* the viewer opens with the bookmarks shown */
	assert_non_null(memmem(s.pdf, s.len, "/PageMode /UseOutlines", 22));
	sum = strstr(s.outline, ">Summary</item>");
	para = strstr(s.outline, ">A paragraph of three thousand words</item>");
	charts = strstr(s.outline, ">Charts</item>");
	bydomain = strstr(s.outline, ">By domain</item>");
	assert_non_null(sum);
	assert_non_null(para);
	assert_non_null(charts);
	assert_non_null(bydomain);
	assert_non_null(strstr(s.outline, ">A very long heading that keeps going and going"));
	/* level 2 nests under its level 1: an <outline> opens after Charts and
	 * holds By domain */
	end = strstr(charts, "<outline>");
	assert_non_null(end);
	assert_true(end < bydomain);
	assert_true(test_count(s.outline, "<item") >= 10);
}

static void
contents_give_the_right_pages(void **state)
{
	static const char *const heads[] = { "Summary", "A paragraph of three thousand words",
		"Audits this quarter", "Escalations", "Charts", "By partner",
		"How to read the icons" };

	(void)state;
	assert_non_null(strstr(s.pages[1], "Contents"));
	for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
		const char *e = strstr(s.contents, heads[i]), *eol;
		size_t want;

		if (e == NULL)
			fail_msg("\"%s\" is not in the contents", heads[i]);
		/* the entry's page number ends its line */
		eol = strchr(e, '\n');
		assert_non_null(eol);
		while (eol > e && eol[-1] >= '0' && eol[-1] <= '9')
			eol--;
		want = strtoul(eol, NULL, 10);
		if (want != page_of(heads[i]))
			fail_msg("the contents say \"%s\" is on page %zu; it is on %zu", heads[i],
			    want, page_of(heads[i]));
	}
}

static void
headings_never_end_a_page(void **state)
{
	(void)state;
	/* each heading shares its page with the first words after it */
	assert_int_equal(page_of("Audits this quarter\n"), page_of("Every audit completed"));
	assert_int_equal(page_of("How to read the icons\n"), page_of("Variation"));
	assert_int_equal(page_of("By partner\n"), page_of("Audits graded good or better, by partner"));
	assert_int_equal(page_of("A paragraph of three thousand words\n"), page_of("three thousand words\n"));
}

static void
only_dejavu_embedded(void **state)
{
	size_t lines = 0, regular = 0, bold = 0;

	(void)state;
	for (char *l = strtok(s.fonts, "\n"); l != NULL; l = strtok(NULL, "\n")) {
		char name[128], type[32], type2[32], enc[32], emb[8];

		if (strncmp(l, "name", 4) == 0 || strncmp(l, "----", 4) == 0)
			continue;
		lines++;
		assert_int_equal(sscanf(l, "%127s %31s %31s %31s %7s", name, type, type2, enc, emb), 5);
		assert_string_equal(emb, "yes");
		if (strstr(name, "+DejaVuSans,Book") != NULL)
			regular++;
		else if (strstr(name, "+DejaVuSans-Bold") != NULL)
			bold++;
		else
			fail_msg("unexpected font %s", name);
	}
	assert_int_equal(lines, 2);
	assert_int_equal(regular, 1);
	assert_int_equal(bold, 1);
}

static void
info_from_the_caller(void **state)
{
	(void)state;
	expect_all(s.info,
	    "Title:           Quality assurance board report – Quarter 4, 2024/25\n",
	    "Author:          Quality Assurance Team\n",
	    "Subject:         Care Act assessments: audit findings for Siân and Łukasz’s board\n",
	    "Keywords:        audit, quality, £\n",
	    "Creator:         caseaudit " CASEAUDIT_VERSION "\n",
	    "CreationDate:    Mon Mar 31 00:00:00 2025 UTC\n",
	    "ModDate:         Tue Apr  1 09:30:00 2025 UTC\n",
	    "Page size:       595.276 x 841.89 pts (A4)", NULL);
	/* compressed: a sample this size is far larger uncompressed */
	assert_true(s.len < 400000);
	assert_null(strstr((const char *)s.pdf, "/ID"));
}

static void
renders_are_identical(void **state)
{
	unsigned char *a = NULL, *b = NULL;
	size_t alen, blen;
	ca_err err = { 0 };

	(void)state;
	assert_int_equal(render_sample(NULL, CREATED, &a, &alen, &err), 0);
	assert_int_equal(alen, s.len);
	assert_memory_equal(a, s.pdf, s.len);
	/* and the date is in the bytes: another gives others */
	assert_int_equal(render_sample(NULL, "2025-06-30", &b, &blen, &err), 0);
	assert_true(blen != alen || memcmp(a, b, alen) != 0);
	free(a);
	free(b);
}

/* --- errors --------------------------------------------------------- */

static void
missing_fonts_are_66_with_the_path(void **state)
{
	ca_doc_info info = sample_info("/nonexistent/fonts");
	ca_doc *d = (ca_doc *)1;
	ca_err err = { 0 };

	(void)state;
	assert_int_equal(ca_doc_new(&d, &info, &err), CA_EX_NOINPUT);
	assert_null(d);
	assert_non_null(strstr(err.msg, "/nonexistent/fonts/DejaVuSans.ttf"));
	assert_non_null(strstr(err.msg, "No such file or directory"));

	/* the environment names the directory when the caller does not */
	setenv("CASEAUDIT_FONT_DIR", "/nowhere/dejavu", 1);
	info.font_dir = NULL;
	memset(&err, 0, sizeof err);
	assert_int_equal(ca_doc_new(&d, &info, &err), CA_EX_NOINPUT);
	assert_non_null(strstr(err.msg, "/nowhere/dejavu/DejaVuSans.ttf"));
	unsetenv("CASEAUDIT_FONT_DIR");
	assert_string_equal(ca_doc_font_dir(NULL), CA_FONT_DIR);
}

static void
a_broken_font_is_66_with_the_path(void **state)
{
	char *path = test_write_file("DejaVuSans.ttf", "not a font at all", 17);
	char *dir = strdup(path), *slash = strrchr(dir, '/');
	ca_doc_info info;
	ca_doc *d = NULL;
	ca_err err = { 0 };

	(void)state;
	*slash = '\0';
	info = sample_info(dir);
	assert_int_equal(ca_doc_new(&d, &info, &err), CA_EX_NOINPUT);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "not a TrueType font"));
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

static void
unwritable_output_is_74(void **state)
{
	ca_err err = { 0 };

	(void)state;
	assert_int_equal(ca_doc_write("/nonexistent-dir/board.pdf", s.pdf, s.len, &err),
	    CA_EX_IOERR);
	assert_string_equal(err.msg, "writing /nonexistent-dir/board.pdf: No such file or directory");
	memset(&err, 0, sizeof err);
	assert_int_equal(ca_doc_write(s.dir, s.pdf, s.len, &err), CA_EX_IOERR);
	assert_non_null(strstr(err.msg, "Is a directory"));
	if (access("/dev/full", W_OK) == 0) {
		memset(&err, 0, sizeof err);
		assert_int_equal(ca_doc_write("/dev/full", s.pdf, s.len, &err), CA_EX_IOERR);
		assert_non_null(strstr(err.msg, "No space left on device"));
	}
}

static void
bad_dates_are_65(void **state)
{
	static const char *const bad[] = { "2025-02-29", "31/03/2025", "2025-13-01", "yesterday",
		"2025-03-31T24:00:00Z", "2025-03-31 00:00:00", "", "+025-03-31", "2025-3-31" };
	ca_err err;
	ca_doc *d;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ca_doc_info info = sample_info(NULL);

		memset(&err, 0, sizeof err);
		info.created = bad[i];
		if (ca_doc_new(&d, &info, &err) != CA_EX_DATAERR)
			fail_msg("\"%s\" was taken as a date", bad[i]);
		assert_non_null(strstr(err.msg, "is not YYYY-MM-DD"));
	}
	{
		ca_doc_info info = sample_info(NULL);

		info.created = "2024-02-29";            /* a leap day is fine */
		info.modified = "2024-02-30";
		memset(&err, 0, sizeof err);
		assert_int_equal(ca_doc_new(&d, &info, &err), CA_EX_DATAERR);
		assert_non_null(strstr(err.msg, "2024-02-30"));
		info.title = "";
		assert_int_equal(ca_doc_new(&d, &info, &err), CA_EX_USAGE);
	}
}

static void
errors_are_sticky(void **state)
{
	ca_doc_info info = sample_info(NULL);
	unsigned char *pdf = (unsigned char *)1;
	size_t len = 1;
	ca_err err = { 0 };
	ca_doc *d;

	(void)state;
	assert_int_equal(ca_doc_new(&d, &info, &err), 0);
	ca_para(d, "Before.");
	ca_doc_take(d, 2000);           /* taller than any page */
	ca_heading(d, 1, "After");      /* ignored, and nothing crashes */
	ca_para(d, "After.");
	ca_table_end(ca_table_begin(d, NULL, 0));
	ca_icon_key(d);
	assert_int_equal(ca_doc_error(d, NULL), CA_EX_SOFTWARE);
	assert_int_equal(ca_doc_render(d, &pdf, &len, &err), CA_EX_SOFTWARE);
	assert_null(pdf);
	assert_int_equal(len, 0);
	assert_non_null(strstr(err.msg, "a block 2000 pt tall does not fit on a page"));
	ca_doc_free(d);
}

static void
an_empty_document_is_one_marked_page(void **state)
{
	ca_doc_info info = sample_info(NULL);
	unsigned char *pdf, *again;
	size_t len, len2;
	ca_err err = { 0 };
	ca_doc *d;

	(void)state;
	assert_int_equal(ca_doc_new(&d, &info, &err), 0);
	assert_int_equal(ca_doc_render(d, &pdf, &len, &err), 0);
	assert_int_equal(ca_doc_render(d, &again, &len2, &err), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(pdf, again, len);
	/* content after rendering is refused */
	ca_para(d, "Too late.");
	assert_int_equal(ca_doc_error(d, NULL), CA_EX_SOFTWARE);
	assert_memory_equal(pdf, "%PDF-1.", 7);
	assert_non_null(strstr((const char *)pdf, "/Count 1"));
	free(pdf);
	free(again);
	ca_doc_free(d);
}

/* The text of page `page` (1-based) of pdf, from pdftotext; 0: every page. */
static char *
page_text(const unsigned char *pdf, size_t len, int page)
{
	char *path = test_write_file("page.pdf", pdf, len), *text;

	if (page == 0)
		text = test_capture("pdftotext -enc UTF-8 %s - 2>/dev/null", path);
	else
		text = test_capture("pdftotext -enc UTF-8 -f %d -l %d %s - 2>/dev/null", page, page,
		    path);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	free(path);
	return text;
}

/* Fill the first page until less than room is left: a heading (with a
 * subheading) then needs the next page, and must take its block along,
 * be it text, a chart or a table whose first row goes to the next page. */
static void
a_heading_moves_with_its_block(void **state)
{
	ca_doc_info info = sample_info(NULL);
	ca_xmr_chart x = { "Chart title", NULL, (const double[]){ 1, 2, 3 }, NULL, 3, 2, 0, 4, NAN,
		{ NULL, CA_NUMBER, 0, 0, 0, 0 }, NULL };
	static const ca_table_col cols[] = { { "Kept column", 0, 1, CA_LEFT } };
	const double rooms[] = { 40, 150, 90 };
	ca_err err = { 0 };

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		unsigned char *pdf;
		size_t len;
		char *p1, *p2;
		ca_doc *d;

		assert_int_equal(ca_doc_new(&d, &info, &err), 0);
		while (ca_doc_room(d) >= rooms[k])
			ca_para(d, "Filler.");
		ca_heading(d, 1, "Kept section");
		ca_heading(d, 2, "Kept subsection");
		if (k == 0) {
			ca_para(d, "Kept text.");
		} else if (k == 1) {
			ca_chart_xmr(d, ca_doc_take(d, 220), &x);
		} else {
			/* a first row too tall for the room left, not for a page */
			ca_table *t = ca_table_begin(d, cols, 1);

			ca_table_row(t, (const char *[]){ "Kept row\n2\n3\n4\n5\n6\n7\n8" });
			ca_table_end(t);
		}
		assert_int_equal(ca_doc_render(d, &pdf, &len, &err), 0);
		ca_doc_free(d);
		p1 = page_text(pdf, len, 1);
		p2 = page_text(pdf, len, 2);
		assert_null(strstr(p1, "Kept"));
		expect_all(p2, "Kept section", "Kept subsection", k == 0 ? "Kept text." :
		    k == 1 ? "Chart title" : "Kept row", NULL);
		free(p1);
		free(p2);
		free(pdf);
	}
}

/* A short table kept together (ca_table_keep) whose rows, wrapped, do not
 * fit in the room left starts on the next page whole, its heading with
 * it; one too long for any page flows from where it is, every row once. */
static void
a_kept_table_is_not_split(void **state)
{
	ca_doc_info info = sample_info(NULL);
	static const ca_table_col cols[] = { { "Kept column", 0, 1, CA_LEFT },
		{ "Figure", 60, 0, CA_RIGHT } };
	ca_err err = { 0 };

	(void)state;
	for (int k = 0; k < 2; k++) {
		size_t rows = k == 0 ? 6 : 120, seen = 0;
		unsigned char *pdf;
		size_t len;
		char *p1, *p2, *all;
		ca_table *t;
		ca_doc *d;

		assert_int_equal(ca_doc_new(&d, &info, &err), 0);
		/* room for about four rows of two lines: not for six */
		while (ca_doc_room(d) >= 150)
			ca_para(d, "Filler.");
		ca_heading(d, 2, "Kept heading");
		t = ca_table_begin(d, cols, 2);
		ca_table_keep(t, rows);
		for (size_t i = 0; i < rows; i++) {
			char cell[32];

			snprintf(cell, sizeof cell, "Row %03zu\nsecond line", i);
			ca_table_row(t, (const char *[]){ cell, "1" });
		}
		ca_table_end(t);
		assert_int_equal(ca_doc_render(d, &pdf, &len, &err), 0);
		ca_doc_free(d);
		p1 = page_text(pdf, len, 1);
		p2 = page_text(pdf, len, 2);
		all = page_text(pdf, len, 0);
		if (k == 0) {
			assert_null(strstr(p1, "Kept heading"));
			assert_null(strstr(p1, "Row 000"));
			expect_all(p2, "Kept heading", "Row 000", "Row 005", NULL);
		} else {
			expect_all(p1, "Kept heading", "Row 000", NULL);
		}
		for (const char *p = all; (p = strstr(p, "Row ")) != NULL; p++)
			seen++;
		assert_int_equal(seen, rows);
		free(p1);
		free(p2);
		free(all);
		free(pdf);
	}
}

/* NaN, infinities, huge and negative numbers, empty and one-point
 * series, a heading of 5,000 characters: drawn without crashing into a
 * PDF that poppler reads and renders without an error. */
static void
hostile_data_still_makes_a_readable_pdf(void **state)
{
	static const char *const cats[] = { NULL, "", "x" };
	static const double weird[] = { NAN, INFINITY, -1e300 };
	static const double huge[] = { 1e300, -5, 0 };
	const ca_bar_series bs[] = { { NULL, weird, huge, weird }, { "b", huge, NULL, NULL } };
	ca_bar_chart bar = { NULL, cats, 3, bs, 2, { NULL, CA_NUMBER, 0, 0, 0, 1 }, 1, "n/a", NAN,
		NULL };
	ca_bar_chart none = { "No categories", cats, 0, bs, 2, { NULL, CA_PERCENT, 1, 5, 1, 0 },
		0, NULL, 0.5, NULL };
	static const char *const labels[] = { "only" };
	static const double one[] = { 0.5 };
	ca_xmr_chart x1 = { "One point", labels, one, NULL, 1, NAN, NAN, NAN, NAN,
		{ NULL, CA_PERCENT, 0, 0, 0, 0 }, NULL };
	ca_xmr_chart x3 = { NULL, NULL, weird, NULL, 3, 1e300, -1e300, INFINITY, 2,
		{ "y", CA_NUMBER, 1, 0, 1, 0 }, "x" };
	static const double n[] = { 0, -3, NAN, 1e300, 10 };
	static const double r[] = { 0.5, 0.5, 0.5, 0.5, NAN };
	double overall = NAN;
	ca_funnel_chart f = { "Funnel", NULL, n, r, 5, overall, limits, &overall, 0, NULL,
		{ NULL, CA_PERCENT, 0, 0, 0, 0 }, 0 };
	ca_doc_info info = sample_info(NULL);
	char *big = malloc(5001), *path, *err_out;
	unsigned char *pdf;
	size_t len;
	ca_err err = { 0 };
	ca_doc *d;

	(void)state;
	memset(big, 'W', 5000);
	big[5000] = '\0';
	big[100] = '\n';
	assert_int_equal(ca_doc_new(&d, &info, &err), 0);
	ca_heading(d, 1, big);
	ca_para(d, big);
	ca_chart_bar(d, ca_doc_take(d, 200), &bar);
	ca_chart_bar(d, ca_doc_take(d, 100), &none);
	ca_chart_xmr(d, ca_doc_take(d, 200), &x1);
	ca_chart_xmr(d, ca_doc_take(d, 200), &x3);
	ca_chart_funnel(d, ca_doc_take(d, 200), &f);
	ca_chart_xmr(d, ca_doc_take(d, 20), &x1);       /* too small to plot */
	ca_icon_variation(d, 100, 100, 10, (ca_variation_icon)99);
	if (ca_doc_render(d, &pdf, &len, &err) != 0)
		fail_msg("%s", err.msg);
	ca_doc_free(d);
	path = test_write_file("hostile.pdf", pdf, len);
	err_out = test_capture("pdftoppm -r 20 %s 2>&1 >/dev/null | grep -v begincidrange || true",
	    path);
	assert_string_equal(err_out, "");
	free(err_out);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	free(path);
	free(pdf);
	free(big);
}

/* --- the pieces ----------------------------------------------------- */

static void
ticks_are_nice(void **state)
{
	ca_ticks t;
	char buf[32];

	(void)state;
	ca_chart_ticks(0, 0.87, 6, CA_PERCENT, &t);
	assert_true(fabs(t.step - 0.2) < 1e-12 && t.lo == 0 && fabs(t.hi - 1) < 1e-12);
	assert_int_equal(t.n, 6);
	assert_int_equal(t.decimals, 0);
	ca_chart_ticks(3, 97, 6, CA_NUMBER, &t);
	assert_true(t.step == 20 && t.lo == 0 && t.hi == 100 && t.n == 6);
	ca_chart_ticks(0.62, 0.91, 6, CA_PERCENT, &t);
	assert_true(fabs(t.step - 0.1) < 1e-12 && fabs(t.lo - 0.6) < 1e-12);
	ca_chart_ticks(0.0012, 0.0049, 5, CA_NUMBER, &t);
	assert_true(fabs(t.step - 0.001) < 1e-15);
	assert_int_equal(t.decimals, 3);
	ca_chart_ticks(-7, 7, 8, CA_NUMBER, &t);     /* step 2 would need 9 ticks */
	assert_true(t.step == 5 && t.lo == -10 && t.hi == 10 && t.n == 5);
	ca_chart_ticks(-7, 7, 9, CA_NUMBER, &t);
	assert_true(t.step == 2 && t.lo == -8 && t.hi == 8 && t.n == 9);
	ca_chart_ticks(5, 5, 6, CA_NUMBER, &t);         /* a flat series */
	assert_true(t.lo < 5 && t.hi > 5);
	ca_chart_ticks(NAN, INFINITY, 6, CA_NUMBER, &t);
	assert_true(t.lo == 0 && t.hi == 1);
	for (double hi = 0.3; hi < 5e6; hi *= 1.37) {
		ca_chart_ticks(0, hi, 7, CA_NUMBER, &t);
		assert_true(t.n >= 2 && t.n <= 7 && t.hi >= hi && t.lo <= 0);
	}

	ca_chart_format(1250, CA_NUMBER, 0, buf, sizeof buf);
	assert_string_equal(buf, "1250");
	ca_chart_format(12500, CA_NUMBER, 0, buf, sizeof buf);
	assert_string_equal(buf, "12,500");
	ca_chart_format(-1234567, CA_NUMBER, 0, buf, sizeof buf);
	assert_string_equal(buf, "-1,234,567");
	ca_chart_format(0.725, CA_PERCENT, 1, buf, sizeof buf);
	assert_string_equal(buf, "72.5%");
	ca_chart_format(-0.0001, CA_NUMBER, 2, buf, sizeof buf);
	assert_string_equal(buf, "0.00");
	ca_chart_format(NAN, CA_PERCENT, 0, buf, sizeof buf);
	assert_string_equal(buf, "–");
}

static void
text_is_cleaned(void **state)
{
	static const char in[] = "a\tb\x01" "c\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD" "d"
	    "\xE2\x80\x8D\xEF\xB8\x8F" "e\xFF\xC3" "f\nSiân";
	char *out = ca_text_clean(in, sizeof in - 1);

	(void)state;
	assert_string_equal(out, "a b c\xEF\xBF\xBD\xEF\xBF\xBD" "de\xEF\xBF\xBD\xEF\xBF\xBD"
	    "f\nSiân");
	free(out);
}

static void
wrapping_fits_and_keeps_every_word(void **state)
{
	ca_doc_info info = sample_info(NULL);
	ca_err err = { 0 };
	ca_doc *d;
	ca_line *l;
	size_t n;
	const char *s = "Siân  Łukasz £12 – a longerwordthanthelineisallowedtobe\nnext";
	ca_text t = ca_text_plain(s, 0, 10);

	(void)state;
	assert_int_equal(ca_doc_new(&d, &info, &err), 0);
	assert_int_equal(ca_text_wrap(ca_doc_fonts(d), &t, 80, &l, &n), 0);
	for (size_t i = 0; i < n; i++) {
		assert_true(l[i].width <= 80 + 1e-9);
		assert_true(fabs(l[i].width - ca_text_width(ca_doc_fonts(d), &t, l[i].off,
		    l[i].off + l[i].len)) < 1e-9);
	}
	assert_true(n >= 4);
	assert_memory_equal(s + l[0].off, "Siân  Łukasz", l[0].len);
	assert_int_equal(l[0].len, strlen("Siân  Łukasz"));
	assert_memory_equal(s + l[n - 1].off, "next", 4);
	free(l);
	/* an empty text is one empty line */
	t = ca_text_plain("", 0, 10);
	assert_int_equal(ca_text_wrap(ca_doc_fonts(d), &t, 60, &l, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(l[0].len, 0);
	free(l);
	ca_doc_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_reads_back),
		cmocka_unit_test(every_page_numbered_and_marked),
		cmocka_unit_test(table_rows_once_with_header_on_each_page),
		cmocka_unit_test(a_kept_table_is_not_split),
		cmocka_unit_test(headings_are_bookmarks),
		cmocka_unit_test(contents_give_the_right_pages),
		cmocka_unit_test(headings_never_end_a_page),
		cmocka_unit_test(only_dejavu_embedded),
		cmocka_unit_test(info_from_the_caller),
		cmocka_unit_test(renders_are_identical),
		cmocka_unit_test(missing_fonts_are_66_with_the_path),
		cmocka_unit_test(a_broken_font_is_66_with_the_path),
		cmocka_unit_test(unwritable_output_is_74),
		cmocka_unit_test(bad_dates_are_65),
		cmocka_unit_test(errors_are_sticky),
		cmocka_unit_test(an_empty_document_is_one_marked_page),
		cmocka_unit_test(a_heading_moves_with_its_block),
		cmocka_unit_test(hostile_data_still_makes_a_readable_pdf),
		cmocka_unit_test(ticks_are_nice),
		cmocka_unit_test(text_is_cleaned),
		cmocka_unit_test(wrapping_fits_and_keeps_every_word),
	};

	return cmocka_run_group_tests_name("layout", tests, group_setup, group_teardown);
}
