/*
 * audit_report.c - one audit's feedback report (audit_report.h), drawn
 * with the layout layer from what audit_report_data.c read.
 *
 * The reader is a practitioner receiving findings about their own work,
 * so the report leads with what went well and speaks plainly about the
 * rest: every claim it makes is the auditor's rating or words, and the
 * figures are the stored domain scores (scores.h), never worked out
 * again here.
 */
#include "audit_report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_report_data.h"
#include "chart.h"
#include "date.h"
#include "doc.h"
#include "heading.h"
#include "paragraph.h"
#include "period.h"
#include "scores.h"
#include "strbuf.h"
#include "table.h"
#include "version.h"
#include "words.h"

/* ---- words ------------------------------------------------------------------ */

static const char *
grade_words(const char *grade)
{
	static const char *const g[][2] = {
		{ "outstanding", "Outstanding" }, { "good", "Good" },
		{ "requires_improvement", "Requires improvement" },
		{ "inadequate", "Inadequate" },
	};

	for (size_t i = 0; grade != NULL && i < sizeof g / sizeof g[0]; i++)
		if (strcmp(grade, g[i][0]) == 0)
			return g[i][1];
	return grade != NULL ? grade : "not graded";
}

static const char *
type_words(const char *type)
{
	if (strcmp(type, "care_act_assessment") == 0)
		return "Care Act assessment";
	if (strcmp(type, "carers_assessment") == 0)
		return "carer's assessment";
	if (strcmp(type, "review") == 0)
		return "review";
	return type;
}

/* "March 2026" or "January to March 2026" for a period name (words.h). */
static void
period_words(const char *period, char *buf, size_t size)
{
	ca_period p;

	if (period != NULL && ca_period_parse(period, &p) == 0)
		ca_words_period(&p, buf, size);
	else
		snprintf(buf, size, "%s", period != NULL ? period : "");
}

/* A date as DD/MM/YYYY in a buffer of the caller's (11 bytes). */
static const char *
uk(const char *iso, char *buf)
{
	ca_date_uk(iso != NULL ? iso : "", buf);
	return buf;
}

/* How a rating counts: 1 met, 0.5 partly, 0 not, -1 not scored (not
 * applicable), -2 not answered. */
static double
rating_value(const ar_rows *q, int r)
{
	if (ar_get(q, r, Q_RATING) == NULL)
		return -2;
	if (ar_get(q, r, Q_SCORE) == NULL)
		return -1;
	return strtod(ar_get(q, r, Q_SCORE), NULL);
}

/* The same text for the paragraph calls, formatted.  Sizes are bounded:
 * every part is a ref, a date, a number or a short name. */
static void
paraf(ca_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
paraf(ca_doc *d, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	ca_para(d, buf);
}

/* ---- the summary box ---------------------------------------------------------- */

#define BOX_PAD 12.0
#define BOX_ACCENT 4.0
#define BOX_LABEL_W 124.0
#define BOX_GRADE_W 156.0
#define BOX_SIZE 9.5
#define BOX_LEADING 13.0
#define BOX_ROW_GAP 3.0
#define GRADE_SIZE 22.0
#define GRADE_LEADING 1.2          /* times the size */
#define NOTES_MAX 4

#define FACTS_MAX 8

typedef struct fact {
	const char *label;
	char value[600];
} fact;

typedef struct box_text {
	char *s;                /* clean */
	ca_text t;
	ca_line *lines;
	size_t n;
} box_text;

static int
box_text_wrap(ca_doc *d, box_text *b, const char *s, int weight, double size, double width)
{
	memset(b, 0, sizeof *b);
	if ((b->s = ca_doc_clean(d, s)) == NULL)
		return -1;
	b->t = ca_text_plain(b->s, weight, size);
	if (ca_text_wrap(ca_doc_fonts(d), &b->t, width, &b->lines, &b->n) != 0) {
		ca_doc_fail(d, CA_EX_SOFTWARE, "laying out the PDF: out of memory");
		return -1;
	}
	return 0;
}

static void
box_text_free(box_text *b)
{
	free(b->s);
	free(b->lines);
}

/* Draw b's lines from top down at x; returns the y below them. */
static double
box_text_draw(ca_doc *d, const box_text *b, double x, double top, double leading)
{
	HPDF_Page page = ca_doc_page(d);

	for (size_t i = 0; page != NULL && i < b->n; i++) {
		ca_text_draw(page, ca_doc_fonts(d), &b->t, b->lines[i].off,
		    b->lines[i].off + b->lines[i].len, x,
		    ca_text_baseline(top, leading, b->t.size));
		top -= leading;
	}
	return top;
}

/* The size the grade is set in: GRADE_SIZE, or smaller until its longest
 * word fits the panel ("Requires improvement" breaks between its words,
 * never inside one). */
static double
grade_size(ca_doc *d, const char *grade, double width)
{
	double size = GRADE_SIZE;
	char *g = ca_doc_clean(d, grade);

	for (size_t a = 0; g != NULL && g[a] != '\0';) {
		size_t b = a + strcspn(g + a, " ");
		ca_text t = ca_text_plain(g, 1, size);
		double w = ca_text_width(ca_doc_fonts(d), &t, a, b);

		if (w > width)
			size = fmax(BOX_SIZE, size * width / w);
		a = b + strspn(g + b, " ");
	}
	free(g);
	return size;
}

/* The facts of the case on the left, the grade on the right, on a
 * tinted panel with an accent down its left edge. */
static void
summary_box(ca_doc *d, const fact *facts, size_t nfacts, const char *grade,
    const char *const *notes, size_t nnotes)
{
	ca_box f = ca_doc_frame(d), b;
	double value_w = f.w - 2 * BOX_PAD - BOX_ACCENT - BOX_LABEL_W - BOX_GRADE_W - 12;
	double text_w = BOX_GRADE_W - 2 * BOX_PAD, left_h = 0, right_h, y, x, gsize;
	box_text lab[FACTS_MAX], val[FACTS_MAX], note[NOTES_MAX], cap, g;
	HPDF_Page page;

	memset(lab, 0, sizeof lab);
	memset(val, 0, sizeof val);
	memset(note, 0, sizeof note);
	memset(&cap, 0, sizeof cap);
	memset(&g, 0, sizeof g);
	nfacts = nfacts < FACTS_MAX ? nfacts : FACTS_MAX;
	nnotes = nnotes < NOTES_MAX ? nnotes : NOTES_MAX;
	for (size_t i = 0; i < nfacts; i++) {
		if (box_text_wrap(d, &lab[i], facts[i].label, 1, BOX_SIZE, BOX_LABEL_W - 8) != 0 ||
		    box_text_wrap(d, &val[i], facts[i].value, 0, BOX_SIZE, value_w) != 0)
			goto done;
		left_h += (double)(val[i].n > lab[i].n ? val[i].n : lab[i].n) * BOX_LEADING +
		    BOX_ROW_GAP;
	}
	gsize = grade_size(d, grade, text_w);
	if (box_text_wrap(d, &cap, "Overall grade", 0, BOX_SIZE, text_w) != 0 ||
	    box_text_wrap(d, &g, grade, 1, gsize, text_w) != 0)
		goto done;
	right_h = BOX_LEADING + 2 + (double)g.n * gsize * GRADE_LEADING + 6;
	for (size_t i = 0; i < nnotes; i++) {
		if (box_text_wrap(d, &note[i], notes[i], 0, BOX_SIZE, text_w) != 0)
			goto done;
		right_h += (double)note[i].n * BOX_LEADING + 4;
	}
	b = ca_doc_take(d, fmax(left_h, right_h) + 2 * BOX_PAD);
	if ((page = ca_doc_page(d)) == NULL)
		goto done;

	ca_fill(page, CA_ZEBRA);
	HPDF_Page_Rectangle(page, (HPDF_REAL)b.x, (HPDF_REAL)b.y, (HPDF_REAL)b.w, (HPDF_REAL)b.h);
	HPDF_Page_Fill(page);
	ca_fill(page, CA_HEADING);
	HPDF_Page_Rectangle(page, (HPDF_REAL)b.x, (HPDF_REAL)b.y, BOX_ACCENT, (HPDF_REAL)b.h);
	HPDF_Page_Fill(page);
	ca_stroke(page, CA_RULE);
	ca_dash_set(page, CA_DASH_SOLID);
	HPDF_Page_SetLineWidth(page, 0.6f);
	x = b.x + b.w - BOX_GRADE_W;
	HPDF_Page_MoveTo(page, (HPDF_REAL)x, (HPDF_REAL)(b.y + BOX_PAD));
	HPDF_Page_LineTo(page, (HPDF_REAL)x, (HPDF_REAL)(b.y + b.h - BOX_PAD));
	HPDF_Page_Stroke(page);

	y = b.y + b.h - BOX_PAD;
	for (size_t i = 0; i < nfacts; i++) {
		double l, v;

		ca_fill(page, CA_MUTED);
		l = box_text_draw(d, &lab[i], b.x + BOX_ACCENT + BOX_PAD, y, BOX_LEADING);
		ca_fill(page, CA_INK);
		v = box_text_draw(d, &val[i], b.x + BOX_ACCENT + BOX_PAD + BOX_LABEL_W, y,
		    BOX_LEADING);
		y = fmin(l, v) - BOX_ROW_GAP;
	}
	x += BOX_PAD;
	y = b.y + b.h - BOX_PAD;
	ca_fill(page, CA_MUTED);
	y = box_text_draw(d, &cap, x, y, BOX_LEADING) - 2;
	ca_fill(page, CA_HEADING);
	y = box_text_draw(d, &g, x, y, gsize * GRADE_LEADING) - 6;
	ca_fill(page, CA_INK);
	for (size_t i = 0; i < nnotes; i++)
		y = box_text_draw(d, &note[i], x, y, BOX_LEADING) - 4;
	ca_doc_space(d, 4);
done:
	for (size_t i = 0; i < FACTS_MAX; i++) {
		box_text_free(&lab[i]);
		box_text_free(&val[i]);
	}
	for (size_t i = 0; i < NOTES_MAX; i++)
		box_text_free(&note[i]);
	box_text_free(&cap);
	box_text_free(&g);
}

/* ---- the report ------------------------------------------------------------ */

typedef struct report {
	ca_doc *d;
	const ar_data *a;
	const char *id;
	int met, partly, not_met, not_applicable, unanswered;
} report;

#define HEAD(c) ar_str(&r->a->head, 0, (c))
#define HEADN(c) ar_get(&r->a->head, 0, (c))

static void
count_ratings(report *r)
{
	const ar_rows *q = &r->a->questions;

	for (int i = 0; i < q->rows; i++) {
		double v = rating_value(q, i);

		if (v == -2)
			r->unanswered++;
		else if (v < 0)
			r->not_applicable++;
		else if (v >= 1)
			r->met++;
		else if (v > 0)
			r->partly++;
		else
			r->not_met++;
	}
}

static int
closed(const report *r)
{
	return strcmp(HEAD(H_STATUS), "closed") == 0;
}

static int
moderated(const report *r)
{
	return strcmp(HEAD(H_MOD_STATUS), "done") == 0;
}

static void
part_summary(report *r)
{
	fact facts[FACTS_MAX];
	const char *notes[NOTES_MAX];
	char d1[11], d2[11], met[96], mod[160];
	size_t n = 0, nn = 0;
	int applicable = r->met + r->partly + r->not_met;

	memset(facts, 0, sizeof facts);
	facts[n].label = "Case";
	if (HEADN(H_COMPLETED) != NULL)
		snprintf(facts[n++].value, sizeof facts[0].value, "%s, a %s completed on %s",
		    HEAD(H_CASE), type_words(HEAD(H_TYPE)), uk(HEADN(H_COMPLETED), d1));
	else
		snprintf(facts[n++].value, sizeof facts[0].value, "%s, a %s", HEAD(H_CASE),
		    type_words(HEAD(H_TYPE)));
	facts[n].label = "Partner organisation";
	snprintf(facts[n++].value, sizeof facts[0].value, "%s", HEAD(H_PARTNER));
	facts[n].label = "Practitioner";
	snprintf(facts[n++].value, sizeof facts[0].value, "%s", HEAD(H_ASSESSOR));
	facts[n].label = "Auditor";
	snprintf(facts[n++].value, sizeof facts[0].value, "%s", HEAD(H_AUDITOR));
	facts[n].label = "Checklist";
	snprintf(facts[n++].value, sizeof facts[0].value, "%s, version %s", HEAD(H_FORM),
	    HEAD(H_FORM_VERSION));
	facts[n].label = "Findings sent";
	snprintf(facts[n++].value, sizeof facts[0].value, "%s",
	    uk(HEADN(H_FB_SENT) != NULL ? HEADN(H_FB_SENT) : HEADN(H_SUBMITTED), d1));
	if (HEADN(H_FB_ENDS) != NULL) {
		facts[n].label = "Comments";
		snprintf(facts[n++].value, sizeof facts[0].value, closed(r) ? "were open until %s" :
		    "welcome until %s", uk(HEADN(H_FB_ENDS), d1));
	}
	if (closed(r)) {
		facts[n].label = "Audit closed";
		snprintf(facts[n++].value, sizeof facts[0].value, "%s", uk(HEADN(H_CLOSED), d2));
	}

	snprintf(met, sizeof met, "%d of the %d questions that applied met in full", r->met,
	    applicable);
	if (applicable > 0)
		notes[nn++] = met;
	if (moderated(r)) {
		if (strcmp(HEAD(H_MOD_GRADE), HEAD(H_MOD_AUDITOR_GRADE)) == 0)
			snprintf(mod, sizeof mod, "Moderation agreed with the grade");
		else
			snprintf(mod, sizeof mod, "Moderator's grade: %s",
			    grade_words(HEAD(H_MOD_GRADE)));
		notes[nn++] = mod;
	} else if (strcmp(HEAD(H_MOD_STATUS), "pending") == 0) {
		notes[nn++] = "Selected for moderation";
	}
	if (r->a->escalations.rows > 0)
		notes[nn++] = "A safeguarding concern was escalated";
	summary_box(r->d, facts, n, grade_words(HEADN(H_GRADE)), notes, nn);
}

/* The stored domain scores as a bar chart, one bar per area of the
 * checklist; an area where nothing applied says so instead of a bar. */
static void
part_scores(report *r)
{
	const ar_rows *s = &r->a->scores;
	const char *cats[CA_DOMAINS];
	double vals[CA_DOMAINS];
	ca_bar_series series = { "Score", vals, NULL, NULL };
	ca_bar_chart c;
	size_t n = 0;

	ca_heading(r->d, 1, "Scores by area");
	for (int i = 0; i < s->rows && n < CA_DOMAINS; i++, n++) {
		cats[n] = ar_get(s, i, S_TITLE) != NULL ? ar_get(s, i, S_TITLE) :
		    ar_str(s, i, S_DOMAIN);
		vals[n] = ar_get(s, i, S_SCORE) != NULL ? strtod(ar_get(s, i, S_SCORE), NULL) :
		    NAN;
	}
	if (n == 0) {
		ca_para(r->d, "No area of the checklist has a score for this audit.");
		return;
	}
	memset(&c, 0, sizeof c);
	c.categories = cats;
	c.ncat = n;
	c.series = &series;
	c.nseries = 1;
	c.axis.format = CA_PERCENT;
	c.axis.fixed = 1;
	c.axis.min = 0;
	c.axis.max = 1;
	c.value_labels = 1;
	c.missing = "no question applied";
	c.target = NAN;
	ca_chart_bar(r->d, ca_doc_take(r->d, ca_chart_bar_height(&c)), &c);
	ca_doc_space(r->d, 6);
	ca_note(r->d, "An area's score is the share of its questions met, each weighted as the "
	    "checklist sets; a question partially met counts half, and a question that did not "
	    "apply is left out.");
}

/* Free text in paragraphs: a blank line starts a new one. */
static void
free_text(ca_doc *d, const char *text)
{
	const char *p = text;

	while (*p != '\0') {
		const char *end = strstr(p, "\n\n"), *stop = end != NULL ? end : p + strlen(p);
		char *para = strndup(p, (size_t)(stop - p));

		if (para == NULL) {
			ca_doc_fail(d, CA_EX_SOFTWARE, "laying out the PDF: out of memory");
			return;
		}
		if (strspn(para, " \t\r\n") < strlen(para))
			ca_para(d, para);
		free(para);
		p = stop;
		while (*p == '\n')
			p++;
	}
}

static void
part_strengths(report *r)
{
	const ar_rows *s = &r->a->scores;
	char areas[700] = "";
	size_t full = 0;

	ca_heading(r->d, 1, "What was done well");
	if (HEADN(H_STRENGTHS) != NULL)
		free_text(r->d, HEAD(H_STRENGTHS));
	for (int i = 0; i < s->rows; i++) {
		const char *v = ar_get(s, i, S_SCORE);

		if (v != NULL && strtod(v, NULL) >= 1) {
			size_t len = strlen(areas);

			snprintf(areas + len, sizeof areas - len, "%s%s", full ? "; " : "",
			    ar_get(s, i, S_TITLE) != NULL ? ar_get(s, i, S_TITLE) :
			    ar_str(s, i, S_DOMAIN));
			full++;
		}
	}
	if (r->met > 0)
		paraf(r->d, "%d of the %d questions that applied were met in full%s%s%s", r->met,
		    r->met + r->partly + r->not_met, full ? ", including every question on " : ".",
		    areas, full ? "." : "");
	if (HEADN(H_STRENGTHS) == NULL && r->met == 0)
		ca_para(r->d, "The auditor did not record particular strengths in this audit.");
}

static void
part_improve(report *r)
{
	const ar_rows *q = &r->a->questions;
	char num[48];

	ca_heading(r->d, 1, "What to improve");
	if (HEADN(H_LEARNING) != NULL)
		free_text(r->d, HEAD(H_LEARNING));
	if (r->partly + r->not_met == 0) {
		ca_para(r->d, "Every question that applied was met in full: the checklist itself "
		    "asks for nothing more from this assessment.");
		return;
	}
	/* the lead-in and the first of its list on the same page */
	ca_doc_keep(r->d, 5 * CA_BODY_LEADING);
	paraf(r->d, "%s to look at again, with the auditor's evidence in the checklist below:",
	    r->partly + r->not_met == 1 ? "The question" : "The questions");
	for (int i = 0; i < q->rows; i++) {
		double v = rating_value(q, i);
		ca_run runs[3];

		if (v < 0 || v >= 1)
			continue;
		snprintf(num, sizeof num, " (question %s)", ar_str(q, i, Q_NUMBER));
		runs[0].text = v > 0 ? "Partially met: " : "Not met: ";
		runs[0].bold = 1;
		runs[1].text = ar_str(q, i, Q_TEXT);
		runs[1].bold = 0;
		runs[2].text = num;
		runs[2].bold = 0;
		ca_bullet_runs(r->d, runs, 3);
	}
	ca_doc_space(r->d, 6);
}

static void
part_actions(report *r)
{
	static const ca_table_col cols[] = {
		{ "Ref", 34, 0, CA_RIGHT },
		{ "What is to be done", 0, 1, CA_LEFT },
		{ "Owner", 96, 0, CA_LEFT },
		{ "Due", 62, 0, CA_LEFT },
		{ "Status", 62, 0, CA_LEFT },
	};
	const ar_rows *ac = &r->a->actions;
	ca_table *t;

	ca_heading(r->d, 1, "Actions agreed");
	if (ac->rows == 0) {
		ca_para(r->d, "No actions were set from this audit.");
		return;
	}
	paraf(r->d, "%s agreed from this audit. The owner marks an action done with "
	    "`caseaudit action done REF` once it is; open actions are followed up after their "
	    "due date.", ac->rows == 1 ? "One action was" : "These actions were");
	t = ca_table_begin(r->d, cols, sizeof cols / sizeof cols[0]);
	for (int i = 0; i < ac->rows; i++) {
		char due[11], done[11], status[32];
		const char *cells[5];

		if (strcmp(ar_str(ac, i, A_STATUS), "done") == 0)
			snprintf(status, sizeof status, "Done %s", uk(ar_get(ac, i, A_DONE), done));
		else
			snprintf(status, sizeof status, "Open");
		cells[0] = ar_str(ac, i, A_REF);
		cells[1] = ar_str(ac, i, A_TEXT);
		cells[2] = ar_str(ac, i, A_OWNER);
		cells[3] = uk(ar_get(ac, i, A_DUE), due);
		cells[4] = status;
		ca_table_row(t, cells);
	}
	ca_table_end(t);
	ca_doc_space(r->d, 8);
}

static void
part_comments(report *r)
{
	static const ca_table_col cols[] = {
		{ "From", 80, 0, CA_LEFT },
		{ "Date", 62, 0, CA_LEFT },
		{ "Comment", 0, 1, CA_LEFT },
	};
	const ar_rows *c = &r->a->comments;
	char d1[11], d2[11];
	ca_table *t;

	ca_heading(r->d, 1, "Factual accuracy");
	if (closed(r))
		paraf(r->d, "Comments on the factual accuracy of these findings were open until "
		    "%s; the audit was closed on %s.", uk(HEADN(H_FB_ENDS), d1),
		    uk(HEADN(H_CLOSED), d2));
	else if (HEADN(H_FB_ENDS) != NULL)
		paraf(r->d, "If anything in these findings is factually wrong, the practitioner "
		    "or %s may say so until %s with `caseaudit audit comment %s --text \"...\"`. "
		    "Comments are kept with the audit and read by the auditor before it is closed.",
		    HEAD(H_PARTNER), uk(HEADN(H_FB_ENDS), d1), r->id);
	if (c->rows == 0) {
		ca_para(r->d, "No comments have been received.");
		return;
	}
	t = ca_table_begin(r->d, cols, sizeof cols / sizeof cols[0]);
	for (int i = 0; i < c->rows; i++) {
		const char *cells[3] = { ar_str(c, i, C_BY), uk(ar_get(c, i, C_ON), d1),
			ar_str(c, i, C_TEXT) };

		ca_table_row(t, cells);
	}
	ca_table_end(t);
	ca_doc_space(r->d, 8);
}

static const char *
moderation_why(const char *reason)
{
	if (strcmp(reason, "sampled") == 0)
		return "It was one of the share of audits chosen at random for a second, "
		    "independent view.";
	if (strcmp(reason, "quarter_minimum") == 0)
		return "It was chosen at random so that every auditor has at least one audit "
		    "moderated each quarter.";
	return "It was moderated at the moderator's own request.";
}

static void
part_moderation(report *r)
{
	char d1[11];
	long rated, differ;

	if (HEADN(H_MOD_STATUS) == NULL)
		return;
	ca_heading(r->d, 1, "Moderation");
	if (!moderated(r)) {
		paraf(r->d, "This audit has been selected for moderation. %s The audit stays open "
		    "until the moderator has reviewed it, and the outcome will appear in this "
		    "report.", moderation_why(HEAD(H_MOD_REASON)));
		return;
	}
	paraf(r->d, "The moderator (%s) reviewed this audit on %s. %s", HEAD(H_MODERATOR),
	    uk(HEADN(H_MOD_DONE), d1), moderation_why(HEAD(H_MOD_REASON)));
	if (strcmp(HEAD(H_MOD_GRADE), HEAD(H_MOD_AUDITOR_GRADE)) == 0)
		paraf(r->d, "The moderator agreed with the auditor's grade, %s.",
		    grade_words(HEAD(H_MOD_GRADE)));
	else
		paraf(r->d, "The moderator graded the audit %s; the auditor's grade was %s.",
		    grade_words(HEAD(H_MOD_GRADE)), grade_words(HEAD(H_MOD_AUDITOR_GRADE)));
	rated = strtol(HEAD(H_MOD_RATED), NULL, 10);
	differ = strtol(HEAD(H_MOD_DIFFER), NULL, 10);
	if (rated > 0 && differ == 0)
		paraf(r->d, "They agreed with the auditor's rating of all %ld questions they "
		    "reviewed.", rated);
	else if (rated > 0)
		paraf(r->d, "They rated %ld of the %ld questions they reviewed differently; their "
		    "rating is shown under the auditor's in the checklist below.", differ, rated);
	if (HEADN(H_MOD_COMMENT) != NULL) {
		ca_para_bold(r->d, "The moderator's comment");
		free_text(r->d, HEAD(H_MOD_COMMENT));
	}
}

static void
part_safeguarding(report *r)
{
	const ar_rows *e = &r->a->escalations;
	char d1[11], d2[11], from[48];

	if (e->rows == 0)
		return;
	ca_heading(r->d, 1, "Safeguarding");
	ca_para(r->d, "Safeguarding concerns found in an audit are escalated to the council at "
	    "once, not left to the end of the audit.");
	for (int i = 0; i < e->rows; i++) {
		if (ar_get(e, i, E_QUESTION) != NULL)
			snprintf(from, sizeof from, "from question %s", ar_str(e, i, E_QUESTION));
		else
			snprintf(from, sizeof from, "flagged by the auditor");
		if (ar_get(e, i, E_ACKNOWLEDGED) != NULL)
			paraf(r->d, "A concern %s was escalated on %s and acknowledged on %s.", from,
			    uk(ar_get(e, i, E_RAISED), d1), uk(ar_get(e, i, E_ACKNOWLEDGED), d2));
		else
			paraf(r->d, "A concern %s was escalated on %s and is waiting to be "
			    "acknowledged by the council.", from, uk(ar_get(e, i, E_RAISED), d1));
		if (ar_get(e, i, E_NOTE) != NULL)
			free_text(r->d, ar_str(e, i, E_NOTE));
	}
}

/* The score and counts of a section's domain, for its heading. */
static void
section_heading(report *r, const char *title, const char *domain)
{
	const ar_rows *s = &r->a->scores;
	char h[700];

	snprintf(h, sizeof h, "%s", title);
	for (int i = 0; i < s->rows; i++)
		if (strcmp(ar_str(s, i, S_DOMAIN), domain) == 0 && ar_get(s, i, S_SCORE) != NULL) {
			snprintf(h, sizeof h, "%s – %.0f%%", title,
			    100 * strtod(ar_get(s, i, S_SCORE), NULL));
			break;
		}
	ca_heading(r->d, 2, h);
}

static void
part_checklist(report *r)
{
	/* The question's number goes with its text, not in a column of its
	 * own: the first column is where a row split across pages says
	 * "(continued)", and a narrow one would cut that short. */
	static const ca_table_col cols[] = {
		{ "Question", 0, 1, CA_LEFT },
		{ "Rating", 76, 0, CA_LEFT },
		{ "Auditor's evidence", 0, 1.25, CA_LEFT },
	};
	const ar_rows *q = &r->a->questions;
	const char *section = NULL;
	ca_table *t = NULL;
	ca_strbuf question;

	ca_strbuf_init(&question);
	ca_heading(r->d, 1, "The checklist in full");
	ca_para(r->d, "Every question of the checklist with the auditor's rating and the "
	    "evidence they gave: their summary of what the record shows.");
	for (int i = 0; i < q->rows; i++) {
		char rating[300];
		const char *cells[3], *ev = ar_get(q, i, Q_EVIDENCE);

		if (section == NULL || strcmp(section, ar_str(q, i, Q_SECTION)) != 0) {
			if (t != NULL) {
				ca_table_end(t);
				ca_doc_space(r->d, 6);
			}
			section = ar_str(q, i, Q_SECTION);
			section_heading(r, ar_str(q, i, Q_SECTION_TITLE), ar_str(q, i, Q_DOMAIN));
			t = ca_table_begin(r->d, cols, sizeof cols / sizeof cols[0]);
		}
		if (ar_get(q, i, Q_RATING) == NULL)
			snprintf(rating, sizeof rating, "Not answered%s",
			    ar_str(q, i, Q_REQUIRED)[0] == 't' ? "" : " (optional)");
		else if (ar_get(q, i, Q_MOD_LABEL) != NULL)
			snprintf(rating, sizeof rating, "%s\nModerator: %s", ar_str(q, i, Q_LABEL),
			    ar_str(q, i, Q_MOD_LABEL));
		else
			snprintf(rating, sizeof rating, "%s", ar_str(q, i, Q_LABEL));
		ca_strbuf_reset(&question);
		ca_strbuf_addf(&question, "%s. %s", ar_str(q, i, Q_NUMBER), ar_str(q, i, Q_TEXT));
		if (ca_strbuf_failed(&question)) {
			ca_doc_fail(r->d, CA_EX_SOFTWARE, "laying out the PDF: out of memory");
			break;
		}
		cells[0] = question.data;
		cells[1] = rating;
		cells[2] = ev != NULL && strspn(ev, " \t\r\n") < strlen(ev) ? ev : "–";
		ca_table_row(t, cells);
	}
	ca_strbuf_free(&question);
	if (t != NULL)
		ca_table_end(t);
	ca_doc_space(r->d, 8);
}

static void
part_sampling(report *r)
{
	char period[48], d1[11];
	const char *method = HEAD(H_METHOD), *part = HEAD(H_PART);

	ca_heading(r->d, 1, "How this audit was chosen");
	period_words(HEAD(H_PERIOD), period, sizeof period);
	if (HEADN(H_RQ_KIND) != NULL) {
		if (strcmp(HEAD(H_RQ_KIND), "case") == 0)
			paraf(r->d, "This case was not drawn at random: it was added on purpose to "
			    "the sample for %s as a re-audit of the same case, asked for on %s after "
			    "audit %s.", period, uk(HEADN(H_RQ_ON), d1), HEAD(H_RQ_AUDIT));
		else
			paraf(r->d, "This case was not drawn at random: it was added on purpose to "
			    "the sample for %s as the practitioner's next case after audit %s, which "
			    "asked on %s for a re-audit.", period, HEAD(H_RQ_AUDIT),
			    uk(HEADN(H_RQ_ON), d1));
		if (HEADN(H_RQ_REASON) != NULL) {
			ca_para_bold(r->d, "Why a re-audit was asked for");
			free_text(r->d, HEAD(H_RQ_REASON));
		}
		ca_para(r->d, "Re-audits are kept apart from the random sample, so they do not "
		    "change the council's overall figures.");
		return;
	}
	if (strcmp(method, "stratified") == 0)
		paraf(r->d, "This case was drawn at random from the %s assessments in the "
		    "population for %s, in a sample of %s stratified by partner organisation%s: "
		    "each partner's cases were sampled separately, so that every partner is "
		    "fairly represented.", HEAD(H_POPULATION), period, HEAD(H_SAMPLE),
		    strcmp(HEAD(H_STRATA), "provider_type") == 0 ? " and type of assessment" : "");
	else if (strcmp(method, "risk") == 0 && strcmp(part, "oversample") == 0)
		paraf(r->d, "This case was drawn from the %s assessments in the population for %s, "
		    "in the risk-weighted part of a sample of %s. That part still draws at random, "
		    "but more often from cases whose screening raised prompts, that were urgent or "
		    "whose wait was long. Being drawn this way is not itself a finding about the "
		    "assessment.", HEAD(H_POPULATION), period, HEAD(H_SAMPLE));
	else if (strcmp(method, "risk") == 0)
		paraf(r->d, "This case was drawn at random from the %s assessments in the "
		    "population for %s, in the simple random part of a sample of %s.",
		    HEAD(H_POPULATION), period, HEAD(H_SAMPLE));
	else
		paraf(r->d, "This case was drawn at random from the %s assessments in the "
		    "population for %s, one of a simple random sample of %s.", HEAD(H_POPULATION),
		    period, HEAD(H_SAMPLE));
	paraf(r->d, "Nobody chose it by hand. The draw is recorded as sampling run %s, with its "
	    "seed and population, and anybody can check it by drawing it again with "
	    "`caseaudit sample verify %s`.", HEAD(H_RUN), HEAD(H_RUN));
}

static void
part_about(report *r)
{
	char d1[11], line[300];

	ca_heading(r->d, 1, "About this report");
	ca_bullet(r->d, "Each question is rated met, partially met, not met or not applicable "
	    "from what the record shows: work that was done but not recorded cannot be "
	    "evidenced.");
	ca_bullet(r->d, "The overall grade uses the words the Care Quality Commission uses: "
	    "outstanding, good, requires improvement and inadequate.");
	ca_bullet(r->d, "People appear by reference only: the case by its case reference, "
	    "staff by their staff references. The assessment's narrative is not included.");
	ca_bullet(r->d, "Text the auditor, the moderator and the partner wrote has been checked "
	    "for personal data: NHS numbers, telephone numbers, email addresses, postcodes and "
	    "dates of birth are shown as [NHS number], [phone], [email], [postcode] and "
	    "[date of birth].");
	snprintf(line, sizeof line, "Data as at %s, from caseaudit %s (audit %s).",
	    uk(HEADN(H_AS_OF_DATE), d1), CASEAUDIT_VERSION, r->id);
	ca_note(r->d, line);
}

static void
draw(report *r)
{
	char subtitle[400], d1[11];

	snprintf(subtitle, sizeof subtitle, "Audit %s of case %s · %s · sent %s", r->id,
	    HEAD(H_CASE), HEAD(H_PARTNER),
	    uk(HEADN(H_FB_SENT) != NULL ? HEADN(H_FB_SENT) : HEADN(H_SUBMITTED), d1));
	ca_doc_title(r->d, "Case-file audit: feedback", subtitle);
	paraf(r->d, "These are the findings of a case-file audit of case %s, for the "
	    "practitioner (%s) and %s. They are here to recognise good practice and to support "
	    "learning: what was done well comes first, then what could be better and the "
	    "actions agreed, then every question of the checklist with the auditor's evidence.",
	    HEAD(H_CASE), HEAD(H_ASSESSOR), HEAD(H_PARTNER));
	part_summary(r);
	part_scores(r);
	part_strengths(r);
	part_improve(r);
	part_actions(r);
	part_comments(r);
	part_moderation(r);
	part_safeguarding(r);
	part_checklist(r);
	part_sampling(r);
	part_about(r);
}

int
ca_report_audit_render(PGconn *conn, long long audit_id, ca_report_pdf *out, ca_err *err)
{
	char id[24], title[200], short_title[160], footer[200], author[300], d1[11];
	ca_doc_info info;
	ar_data a;
	report rep, *r = &rep;
	ca_doc *d = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	snprintf(id, sizeof id, "%lld", audit_id);
	ca_report_timing_start(&out->timing);
	if ((rc = ar_load(conn, audit_id, &a, err)) != 0)
		return rc;
	ca_report_timing_read(&out->timing);
	memset(r, 0, sizeof *r);
	r->a = &a;
	r->id = id;
	count_ratings(r);

	snprintf(title, sizeof title, "Case-file audit feedback – audit %s, case %.64s", id,
	    HEAD(H_CASE));
	snprintf(short_title, sizeof short_title, "Audit feedback – audit %s, case %.64s", id,
	    HEAD(H_CASE));
	snprintf(footer, sizeof footer, "Data as at %s", uk(HEADN(H_AS_OF_DATE), d1));
	snprintf(author, sizeof author, "%.200s, quality assurance",
	    HEADN(H_ORGANISATION) != NULL ? HEAD(H_ORGANISATION) : "caseaudit");
	memset(&info, 0, sizeof info);
	info.title = title;
	info.short_title = short_title;
	info.subject = "Findings of a case-file audit, for the practitioner and their "
	    "organisation";
	info.author = author;
	info.keywords = "case-file audit, feedback";
	info.created = HEAD(H_AS_OF);
	info.footer = footer;
	if ((rc = ca_doc_new(&d, &info, err)) != 0)
		goto done;
	r->d = d;
	draw(r);
	if ((rc = ca_doc_render(d, &out->bytes, &out->len, err)) != 0)
		goto done;
	ca_report_timing_drawn(&out->timing);
	out->pages = (int)ca_doc_page_count(d);
	snprintf(out->as_of, sizeof out->as_of, "%s", HEAD(H_AS_OF));
done:
	if (d != NULL)
		ca_doc_free(d);
	ar_free(&a);
	return rc;
}
