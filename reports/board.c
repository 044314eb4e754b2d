/*
 * board.c - the board report as a document (board.h): the cover, then
 * the sections in order, or the short report of a period with nothing
 * to show.
 */
#include "board_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heading.h"
#include "paragraph.h"
#include "version.h"
#include "words.h"

#define TITLE "Quality assurance board report"

static const struct measure {
	const char *title, *words;
} measures[CA_TRENDS_SERIES] = {
	{ "Audits graded good or outstanding", "audits graded good or outstanding" },
	{ "Holistic consideration of needs", "holistic needs" },
	{ "Strengths-based practice", "strengths-based practice" },
	{ "Risk", "risk" },
	{ "Carers", "carers" },
	{ "Outcomes and plan", "outcomes" },
	{ "Recording quality and timeliness", "recording" },
	{ "Audits overdue or submitted late", "audits overdue or late" },
};

const char *
board_measure_title(int series)
{
	return series >= 0 && series < CA_TRENDS_SERIES ? measures[series].title : "";
}

const char *
board_measure_words(int series)
{
	return series >= 0 && series < CA_TRENDS_SERIES ? measures[series].words : "";
}

int
ca_board_check(const ca_board_request *rq, ca_err *err)
{
	ca_period p;

	if (rq->period == NULL || ca_period_parse(rq->period, &p) != 0)
		return ca_err_set(err, CA_EX_USAGE, "--period must be a month (2025-03) or a "
		    "quarter (2025-Q1), not '%.40s'", rq->period != NULL ? rq->period : "");
	return 0;
}

void
board_cover(ca_doc *d, const board *b)
{
	char as_of[32], first[32], last[32], line[256];
	const ca_run period[] = { { "Period: ", 1 }, { b->words, 0 } };
	const ca_run data[] = { { "Data as at: ", 1 }, { as_of, 0 } };
	const ca_run marking[] = { { "Protective marking: ", 1 }, { CA_MARKING, 0 } };
	const ca_run made[] = { { "Produced by: ", 1 }, { line, 0 } };

	ca_words_date(b->as_of, as_of, sizeof as_of);
	ca_words_date(b->first, first, sizeof first);
	ca_words_date(b->last, last, sizeof last);
	ca_doc_space(d, 150);
	ca_doc_title(d, b->title, b->org);
	ca_doc_space(d, 24);
	if (b->partner != NULL) {
		const ca_run partner[] = { { "Partner organisation: ", 1 }, { b->partner, 0 } };

		ca_para_runs(d, partner, 2);
	}
	ca_para_runs(d, period, 2);
	snprintf(line, sizeof line, "Case-file audits of the Care Act assessments, carers’ "
	    "assessments and reviews %scompleted from %s to %s (%s).",
	    b->partner != NULL ? "the partner " : "", first, last, b->name);
	ca_para(d, line);
	ca_doc_space(d, 8);
	ca_para_runs(d, data, 2);
	ca_para_runs(d, marking, 2);
	snprintf(line, sizeof line, "caseaudit %s, from the audit records as they stood on "
	    "%s. The same records always give the same report.", CASEAUDIT_VERSION, as_of);
	ca_para_runs(d, made, 2);
	ca_doc_space(d, 24);
	ca_note(d, b->partner == NULL ? "This report names no one who receives care and no "
	    "member of staff: people appear only as pseudonymous references, and any group of "
	    "fewer than five audits is withheld. Partner organisations are named. Handle it as "
	    "OFFICIAL-SENSITIVE: share it only with the board and those who need it, and do not "
	    "leave it unattended." : "This report names no one who receives care and no member "
	    "of staff: people appear only as pseudonymous references, and any group of fewer "
	    "than five audits is withheld. Other partner organisations appear, unnamed, only "
	    "for comparison. Handle it as OFFICIAL-SENSITIVE: share it only with the partner, "
	    "the council's commissioners and those who need it, and do not leave it "
	    "unattended.");
	ca_doc_page_break(d);
}

/* A period with no completed audit: say what there is, and stop. */
static void
short_report(ca_doc *d, const board *b)
{
	const ca_trends_work *w = &b->now->all.work;
	char line[1280], n[48];	/* a partner's name may be 200 characters of 4 bytes */

	ca_heading(d, 1, "Executive summary");
	if (b->partner != NULL)
		snprintf(line, sizeof line, "No audit of the assessments %s completed in %s "
		    "has been completed, so this report has no findings to show.", b->partner,
		    b->words);
	else
		snprintf(line, sizeof line, "No audit of %s has been completed, so this report "
		    "has no findings to show.", b->words);
	ca_para_bold(d, line);
	if (w->suppressed)
		snprintf(line, sizeof line, "Fewer than 5 audits were drawn for the period; to "
		    "protect the people concerned, their numbers are not shown.");
	else if (w->audits > 0) {
		ca_words_n(w->audits, "audit was", "audits were", n, sizeof n);
		snprintf(line, sizeof line, "%s drawn for the period and %ld %s still open "
		    "(%ld overdue).", n, w->open, w->open == 1 ? "is" : "are", w->overdue);
	} else if (b->nruns > 0)
		snprintf(line, sizeof line, "The period was sampled, but no audit was drawn.");
	else
		snprintf(line, sizeof line, "No sample has been drawn for the period.");
	ca_para(d, line);
	if (!b->ended) {
		char last[32];

		ca_words_date(b->last, last, sizeof last);
		snprintf(line, sizeof line, "The period runs to %s and has not yet ended: its "
		    "cases are sampled once it has.", last);
		ca_para(d, line);
	}
	board_runs(d, b);
}

static int
board_render(const board *b, const char *font_dir, const char *short_title,
    const board_section *sections, size_t nsections, ca_report_pdf *pdf, ca_err *err)
{
	char title[1024], footer[64], as_of[32];	/* a partner name: 800 bytes */
	ca_doc_info info = { 0 };
	ca_doc *d;
	int rc;

	ca_words_date(b->as_of, as_of, sizeof as_of);
	if (b->partner != NULL)
		snprintf(title, sizeof title, "%s – %s – %s", b->title, b->partner, b->words);
	else
		snprintf(title, sizeof title, "%s – %s", b->title, b->words);
	snprintf(footer, sizeof footer, "Data as at %s", as_of);
	info.title = title;
	info.short_title = short_title;
	info.subject = "Case-file audits of adult social care assessments";
	info.author = b->org;
	info.created = b->as_of;
	info.footer = footer;
	info.font_dir = font_dir;
	if ((rc = ca_doc_new(&d, &info, err)) != 0)
		return rc;
	board_cover(d, b);
	if (board_empty(b))
		short_report(d, b);
	else {
		/* each section on pages of its own, as a board pack is read */
		ca_doc_contents(d, "Contents");
		for (size_t i = 0; i < nsections; i++) {
			ca_doc_page_break(d);
			sections[i](d, b);
		}
	}
	rc = ca_doc_render(d, &pdf->bytes, &pdf->len, err);
	pdf->pages = (int)ca_doc_page_count(d);
	ca_doc_free(d);
	return rc;
}

int
board_report(PGconn *conn, const board_kind *k, const char *period, const char *partner,
    const char *font_dir, ca_report_pdf *pdf, long long *partner_id, ca_err *err)
{
	char short_title[96], brief[32];
	ca_period p;
	board b;
	int rc;

	ca_period_parse(period, &p);
	ca_report_timing_start(&pdf->timing);
	if ((rc = board_load(conn, &p, partner, &b, err)) != 0)
		return rc;
	ca_report_timing_read(&pdf->timing);
	b.title = k->title;
	if (partner_id != NULL)
		*partner_id = b.partner_id;
	snprintf(pdf->as_of, sizeof pdf->as_of, "%sT00:00:00Z", b.as_of);
	/* the header's left third holds only a short title */
	ca_words_period_short(&b.period, brief, sizeof brief);
	snprintf(short_title, sizeof short_title, "%s – %s", k->short_title, brief);
	rc = board_render(&b, font_dir, short_title, k->sections, k->nsections, pdf, err);
	ca_report_timing_drawn(&pdf->timing);
	board_free(&b);
	if (rc != 0)
		ca_report_pdf_free(pdf);
	return rc;
}

int
ca_board_render(PGconn *conn, const ca_board_request *rq, ca_report_pdf *pdf, ca_err *err)
{
	static const board_section sections[] = { board_summary, board_measures,
		board_partners, board_themes, board_moderation, board_actions, board_waits,
		board_equity, board_appendix };
	static const board_kind kind = { TITLE, "QA board report", sections,
		sizeof sections / sizeof sections[0] };
	int rc;

	memset(pdf, 0, sizeof *pdf);
	if ((rc = ca_board_check(rq, err)) != 0)
		return rc;
	return board_report(conn, &kind, rq->period, NULL, rq->font_dir, pdf, NULL, err);
}
