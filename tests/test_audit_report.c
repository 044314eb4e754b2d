/*
 * test_audit_report.c - one audit's feedback report (reports/audit_report.h)
 * against the private PostgreSQL, read back as a reader sees it with
 * poppler's tools (pdftotext, pdfinfo, pdffonts).
 *
 * The world is small and built by hand, the audits through the workflow's
 * own functions (answer, note, submit, actions, comment, moderate, close):
 * a council with an auditor, a principal social worker and a QA lead; a
 * partner whose name has Welsh and Polish letters, "£" and "–"; the
 * standard Care Act checklist; one random sampling run.  Every staff
 * member has a distinctive name, and the assessments a narrative with a
 * distinctive name and sentence in it, none of which may reach a report.
 *
 * What must hold:
 *   - only submitted, feedback and closed audits have a report; others
 *     are refused with 65 and a sentence naming the status;
 *   - the report shows the grade, each question's rating and evidence,
 *     the stored domain scores, strengths, learning points, actions with
 *     owners and due dates, the comment window, comments, moderation,
 *     safeguarding and how the case was chosen (random or re-audit);
 *   - NHS numbers, phone numbers, emails, postcodes and dates of birth
 *     written into any free text come out masked; no staff name, person
 *     ref or narrative text is anywhere in the file;
 *   - no actions says so; sixty actions break across pages with the
 *     header repeated; 20,000 bytes of evidence wrap and break pages with
 *     every word kept; accents and symbols survive; both fonts embedded;
 *   - two renders are byte-identical, the as-of time is the latest day
 *     the audit's work recorded, and the page count is the file's.
 *
 * Set CASEAUDIT_AUDIT_REPORT_DIR=DIR to keep the rendered files there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions.h"
#include "audit_report.h"
#include "moderation.h"
#include "support.h"
#include "workflow.h"

#define PARTNER "Siân & Łukasz Care – North £"
#define TODAY "2026-03-02"

/* Names and narrative that must never appear in a report. */
static const char *const never[] = {
	"Ottoline", "Vasquez", "Percival", "Thistlewood", "Leofric", "Zebedee", "Quarrington",
	"Philippa", "Gwendolyn", "Featherstonehaugh", "keeps bees", "behind the chapel",
	"P-GWEN",
};

/* Personal data written into free text, and what must show instead. */
#define PII_EVIDENCE "Her NHS number 943 476 5919 and mobile 07700 900123 are on the front " \
	"sheet, with jo.bloggs@example.com and DOB 12/03/1941."
#define PII_STRENGTHS "Siân's own words are quoted throughout; she lives near SW1A 1AA."
static const char *const pii[] = {
	"943 476 5919", "07700 900123", "jo.bloggs@example.com", "12/03/1941", "SW1A 1AA",
	"01632 960123", "k.smith@example.org",
};
static const char *const masks[] = {
	"[NHS number]", "[phone]", "[email]", "[date of birth]", "[postcode]",
};

static struct {
	char *dir;
	char **questions;       /* the checklist's question ids, in order */
	int nquestions;
	int cases;
	long long actions[2];   /* full_audit's, the latest */
} w;

static const ca_actor auditor = { "AUD1", TODAY, 0 };

/* ---- the world --------------------------------------------------------------- */

static int
setup(void **state)
{
	const char *keep = getenv("CASEAUDIT_AUDIT_REPORT_DIR");
	PGresult *res;

	if (system("command -v pdftotext pdfinfo pdffonts >/dev/null") != 0) {
		fprintf(stderr, "test_audit_report: poppler-utils is not installed\n");
		return -1;
	}
	if (test_group_setup(state) != 0 ||
	    test_forms_load("forms/screening.yaml", "forms/care-act-assessment.yaml", NULL) != 0)
		return -1;
	test_db_exec(test_group.conn,
	    "INSERT INTO organisations (name) VALUES ('Council'), ('" PARTNER "');"
	    "INSERT INTO staff (staff_ref, name, organisation_id, roles, max_open_audits)"
	    " SELECT v.ref, v.name, o.id, v.roles::text[], 500 FROM (VALUES"
	    "  ('AUD1', 'Ottoline Vasquez', 'Council', '{auditor}'),"
	    "  ('PSW1', 'Percival Thistlewood', 'Council', '{psw}'),"
	    "  ('LEAD1', 'Leofric Ambersley', 'Council', '{qa_lead}'),"
	    "  ('PA1', 'Zebedee Quarrington', '" PARTNER "', '{assessor}'),"
	    "  ('PA2', 'Philippa Quarrington', '" PARTNER "', '{assessor}'))"
	    " AS v(ref, name, org, roles) JOIN organisations o ON o.name = v.org;"
	    "INSERT INTO sampling_plans (name, form_id, assessment_types, method, size_rule,"
	    "  size_value, every, first_period, created_by)"
	    " SELECT 'report-test', f.id, '{care_act_assessment}', 'random', 'size', 8, 'month',"
	    "  '2026-01', 'test' FROM forms f WHERE f.name = 'care-act-assessment';"
	    "INSERT INTO sampling_runs (plan_id, period, period_start, period_end, method,"
	    "  parameters, seed, seed_source, population_size, population_sha256, sample_size,"
	    "  form_version_id, run_on, created_by)"
	    " SELECT p.id, '2026-01', '2026-01-01', '2026-01-31', 'random', '{}', 7, 'given', 40,"
	    "  repeat('0', 64), 8, f.current_version_id, '2026-02-01', 'test'"
	    " FROM sampling_plans p JOIN forms f ON f.id = p.form_id;");
	res = PQexec(test_group.conn, "SELECT q.question_id FROM form_questions q"
	    " JOIN forms f ON f.current_version_id = q.form_version_id"
	    " WHERE f.name = 'care-act-assessment' ORDER BY q.position");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) < 20) {
		PQclear(res);
		return -1;
	}
	w.nquestions = PQntuples(res);
	w.questions = calloc((size_t)w.nquestions, sizeof *w.questions);
	for (int i = 0; i < w.nquestions; i++)
		w.questions[i] = strdup(PQgetvalue(res, i, 0));
	PQclear(res);
	w.dir = keep != NULL ? strdup(keep) : test_tempdir();
	return 0;
}

static int
teardown(void **state)
{
	char cmd[4200];

	if (getenv("CASEAUDIT_AUDIT_REPORT_DIR") == NULL && w.dir != NULL &&
	    strncmp(w.dir, "/tmp/caseaudit-test-", 20) == 0) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", w.dir);
		if (system(cmd) != 0)
			fprintf(stderr, "test_audit_report: could not remove %s\n", w.dir);
	}
	free(w.dir);
	for (int i = 0; i < w.nquestions; i++)
		free(w.questions[i]);
	free(w.questions);
	return test_group_teardown(state);
}

/* A new case by PA1 with the narrative that must never show, and its
 * audit assigned to AUD1; the audit's id. */
static long long
new_audit(void)
{
	char *id;
	long long n;

	w.cases++;
	id = test_db_value(test_group.conn, test_sqlf(
	    "WITH a AS (INSERT INTO assessments (assessment_ref, person_ref, assessment_type,"
	    "   provider_id, assessor_ref, requested_on, completed_on, summary)"
	    "   SELECT 'AR-%04d', 'P-GWEN-%04d', 'care_act_assessment', o.id, 'PA1',"
	    "   '2026-01-02', '2026-01-20', 'Gwendolyn Featherstonehaugh told us she keeps bees"
	    "   behind the chapel and wants to carry on.' FROM organisations o"
	    "   WHERE o.name = '" PARTNER "' RETURNING id)"
	    " INSERT INTO audits (run_id, assessment_id, form_version_id, status, auditor_id,"
	    "   due_on, assigned_at)"
	    " SELECT r.id, a.id, r.form_version_id, 'assigned', s.id, '2026-03-01', now()"
	    " FROM a, sampling_runs r, staff s WHERE r.period = '2026-01'"
	    "  AND s.staff_ref = 'AUD1' RETURNING id::text",
	    w.cases, w.cases));
	assert_non_null(id);
	n = strtoll(id, NULL, 10);
	free(id);
	return n;
}

#define CHECK(call)                                                     \
	do {                                                            \
		ca_err e_ = { 0 };                                      \
		ca_err *err = &e_;                                      \
		int rc_ = (call);                                       \
                                                                        \
		if (rc_ != 0)                                           \
			fail_msg("%s: %d %s", #call, rc_, e_.msg);      \
	} while (0)

/* The rating the main audits give question i: the carers' section does
 * not apply, safeguarding is not met (an escalation), a few are partly
 * met, the rest met. */
static const char *
rating_for(int i)
{
	const char *q = w.questions[i];

	if (strncmp(q, "carer", 5) == 0)
		return "not_applicable";
	if (strcmp(q, "safeguarding") == 0 || strcmp(q, "contingency_plan") == 0)
		return "not_met";
	if (i % 5 == 2)
		return "partially_met";
	return "met";
}

/* Answer every question; evidence from evidence(i) (NULL: a default). */
static void
answer_all(long long id, const char *(*evidence)(int))
{
	char ev[200];

	for (int i = 0; i < w.nquestions; i++) {
		const char *e = evidence != NULL ? evidence(i) : NULL;

		if (e == NULL) {
			snprintf(ev, sizeof ev, "Evidence for question %d: the record shows it.",
			    i + 1);
			e = ev;
		}
		CHECK(ca_audit_answer(test_group.conn, &auditor, id, w.questions[i],
		    rating_for(i), e, NULL, err));
	}
}

static const char *
evidence_with_pii(int i)
{
	return i == 0 ? PII_EVIDENCE : NULL;
}

/* A new audit, every question answered (answer_all) and submitted with
 * grade; its id. */
static long long
submitted_audit(const char *(*evidence)(int), const char *grade)
{
	long long id = new_audit();

	answer_all(id, evidence);
	CHECK(ca_audit_submit(test_group.conn, &auditor, id, grade, err));
	return id;
}

/* ---- reading a report back ------------------------------------------------------- */

typedef struct doc {
	ca_report_pdf pdf;
	char path[4400];
	char *text;             /* pdftotext */
	char *flat;             /* the same, each run of white space one space */
	char *info, *fonts;
	int pages;              /* pdfinfo's count */
} doc;

static void
doc_read(doc *o, long long id)
{
	const char *p;
	char *f;
	FILE *fp;

	snprintf(o->path, sizeof o->path, "%s/audit-%lld.pdf", w.dir, id);
	fp = fopen(o->path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(o->pdf.bytes, 1, o->pdf.len, fp), o->pdf.len);
	assert_int_equal(fclose(fp), 0);
	o->text = test_capture("pdftotext -enc UTF-8 '%s' - 2>/dev/null", o->path);
	o->info = test_capture("pdfinfo '%s' 2>/dev/null", o->path);
	o->fonts = test_capture("pdffonts '%s' 2>/dev/null", o->path);
	p = strstr(o->info, "Pages:");
	assert_non_null(p);
	o->pages = atoi(p + 6);
	o->flat = malloc(strlen(o->text) + 1);
	assert_non_null(o->flat);
	f = o->flat;
	for (p = o->text; *p != '\0'; p++) {
		if (isspace((unsigned char)*p)) {
			if (f > o->flat && f[-1] != ' ')
				*f++ = ' ';
		} else {
			*f++ = *p;
		}
	}
	*f = '\0';
}

static void
render(doc *o, long long id)
{
	ca_err err = { 0 };
	int rc;

	memset(o, 0, sizeof *o);
	rc = ca_report_audit_render(test_group.conn, id, &o->pdf, &err);
	if (rc != 0)
		fail_msg("rendering audit %lld: %d %s", id, rc, err.msg);
	assert_non_null(o->pdf.bytes);
	doc_read(o, id);
}

static void
doc_free(doc *o)
{
	ca_report_pdf_free(&o->pdf);
	free(o->text);
	free(o->flat);
	free(o->info);
	free(o->fonts);
}

/* The grade as the summary box shows it, beside "Overall grade". */
#define GRADE(o, g)                                                               \
	do {                                                                      \
		const char *at_ = strstr((o)->flat, "Overall grade"),             \
		    *end_ = strstr((o)->flat, "Scores by area"),                  \
		    *g_ = at_ != NULL ? strstr(at_, (g)) : NULL;                  \
                                                                                  \
		if (g_ == NULL || end_ == NULL || g_ > end_)                      \
			fail_msg("%s: the grade is not %s", (o)->path, (g));      \
	} while (0)
#define HAS(o, s)                                                                 \
	do {                                                                      \
		if (strstr((o)->flat, (s)) == NULL)                               \
			fail_msg("%s: missing \"%s\"", (o)->path, (s));           \
	} while (0)
#define LACKS(o, s)                                                               \
	do {                                                                      \
		if (strstr((o)->flat, (s)) != NULL)                               \
			fail_msg("%s: has \"%s\"", (o)->path, (s));               \
	} while (0)

/* Nothing personal anywhere in the file: not in the text, and not in the
 * bytes either (document information, bookmarks). */
static void
no_personal_data(const doc *o)
{
	for (size_t i = 0; i < sizeof never / sizeof never[0]; i++) {
		LACKS(o, never[i]);
		if (memmem(o->pdf.bytes, o->pdf.len, never[i], strlen(never[i])) != NULL)
			fail_msg("%s: the bytes have \"%s\"", o->path, never[i]);
	}
	for (size_t i = 0; i < sizeof pii / sizeof pii[0]; i++)
		LACKS(o, pii[i]);
	LACKS(o, "9434765919");
}

/* ---- refusals ----------------------------------------------------------------------- */

static void
refused(long long id, const char *says)
{
	ca_report_pdf pdf;
	ca_err err = { 0 };
	int rc = ca_report_audit_render(test_group.conn, id, &pdf, &err);

	if (rc != 65 || strstr(err.msg, says) == NULL)
		fail_msg("audit %lld: want 65 saying '%s', got %d: %s", id, says, rc, err.msg);
	assert_null(pdf.bytes);
	assert_int_equal(pdf.len, 0);
}

static void
test_refused_before_submission(void **state)
{
	long long id = new_audit();
	char want[160];

	(void)state;
	snprintf(want, sizeof want, "audit %lld is assigned; its feedback report exists once "
	    "it is submitted", id);
	refused(id, want);
	CHECK(ca_audit_answer(test_group.conn, &auditor, id, w.questions[0], "met", NULL, NULL,
	    err));
	snprintf(want, sizeof want, "audit %lld is in_progress; its feedback report exists "
	    "once it is submitted", id);
	refused(id, want);
	refused(99999999, "there is no audit 99999999");
	/* the refusal left no transaction open behind it */
	assert_int_equal(PQtransactionStatus(test_group.conn), PQTRANS_IDLE);
}

/* ---- the full report ------------------------------------------------------------------ */

static long long
full_audit(void)
{
	long long id = new_audit();

	answer_all(id, evidence_with_pii);
	CHECK(ca_audit_note(test_group.conn, &auditor, id, PII_STRENGTHS,
	    "Record the carer's view in their own words; ring 01632 960123 if unsure.", err));
	CHECK(ca_action_create(test_group.conn, &auditor, id, "PA1", "2026-04-30",
	    "Send the contingency plan to k.smith@example.org and the person.", &w.actions[0],
	    err));
	CHECK(ca_action_create(test_group.conn, &auditor, id, PARTNER, "2026-05-31",
	    "Refresh the team's safeguarding training.", &w.actions[1], err));
	CHECK(ca_audit_submit(test_group.conn, &auditor, id, "good", err));
	return id;
}

static void
test_full_report(void **state)
{
	long long id = full_audit();
	char want[400], *v;
	PGresult *res;
	doc o;

	(void)state;
	render(&o, id);
	no_personal_data(&o);
	HAS(&o, "Case-file audit: feedback");
	snprintf(want, sizeof want, "AR-%04d", w.cases);
	HAS(&o, want);
	HAS(&o, PARTNER);
	GRADE(&o, " Good ");
	HAS(&o, "PA1");
	HAS(&o, "AUD1");
	/* redaction: each kind masked, in evidence, strengths, learning and
	 * action text alike */
	for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++)
		HAS(&o, masks[i]);
	HAS(&o, "Her NHS number [NHS number] and mobile [phone] are on the front sheet, with "
	    "[email] and DOB [date of birth].");
	HAS(&o, "she lives near [postcode]");
	HAS(&o, "ring [phone] if unsure");
	HAS(&o, "Send the contingency plan to [email] and the person.");
	/* the order a practitioner reads it in */
	{
		const char *well = strstr(o.flat, "What was done well"),
		    *improve = strstr(o.flat, "What to improve"),
		    *actions = strstr(o.flat, "Actions agreed"),
		    *checklist = strstr(o.flat, "The checklist in full"),
		    *chosen = strstr(o.flat, "How this audit was chosen");

		assert_true(well != NULL && improve != NULL && actions != NULL);
		assert_true(checklist != NULL && chosen != NULL);
		assert_true(well < improve && improve < actions && actions < checklist &&
		    checklist < chosen);
	}
	/* ratings and evidence, question by question */
	HAS(&o, "Partially met");
	HAS(&o, "Not met");
	HAS(&o, "Not applicable");
	HAS(&o, "Evidence for question 2: the record shows it.");
	HAS(&o, "Not met: Were any safeguarding concerns recognised");
	/* the stored domain scores, as the section headings give them */
	res = PQexec(test_group.conn, test_sqlf("SELECT s.title, round(d.score * 100)"
	    " FROM domain_scores d JOIN audits au ON au.id = d.audit_id"
	    " JOIN form_sections s ON s.form_version_id = au.form_version_id"
	    "  AND s.domain = d.domain"
	    " WHERE d.audit_id = %lld AND d.score IS NOT NULL ORDER BY s.position", id));
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(res), 5);    /* carers did not apply */
	for (int i = 0; i < PQntuples(res); i++) {
		snprintf(want, sizeof want, "%s – %s%%", PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1));
		HAS(&o, want);
	}
	PQclear(res);
	HAS(&o, "no question applied");
	/* actions by their ids (what `action done` takes), with owners and
	 * due dates, by due date */
	snprintf(want, sizeof want, "%lld Send the contingency plan to [email]", w.actions[0]);
	HAS(&o, want);
	snprintf(want, sizeof want, "%lld Refresh the team's safeguarding training.",
	    w.actions[1]);
	HAS(&o, want);
	HAS(&o, "30/04/2026");
	HAS(&o, "31/05/2026");
	assert_true(strstr(o.flat, "30/04/2026") < strstr(o.flat, "31/05/2026"));
	/* the comment window: submitted 02/03/2026, fourteen days */
	snprintf(want, sizeof want, "until 16/03/2026 with `caseaudit audit comment %lld", id);
	HAS(&o, want);
	HAS(&o, "No comments have been received.");
	/* safeguarding, escalated by the not-met answer */
	HAS(&o, "Safeguarding");
	HAS(&o, "is waiting to be acknowledged");
	/* how it was chosen */
	HAS(&o, "drawn at random from the 40 assessments in the population for January 2026");
	v = test_db_value(test_group.conn, "SELECT id FROM sampling_runs");
	snprintf(want, sizeof want, "`caseaudit sample verify %s`", v);
	free(v);
	HAS(&o, want);
	/* fonts: both DejaVu faces, embedded */
	assert_non_null(strstr(o.fonts, "DejaVuSans-Bold"));
	assert_int_equal(test_count(o.fonts, "TrueType"), 2);
	assert_int_equal(test_count(o.fonts, " yes yes "), 2);
	/* pages and the as-of time */
	assert_int_equal(o.pdf.pages, o.pages);
	assert_true(o.pages >= 3);
	/* the latest day the audit's work recorded: here the day of its
	 * actions and submission, TODAY (not the clock) */
	v = test_db_value(test_group.conn, test_sqlf("SELECT to_char(greatest(submitted_on,"
	    " (SELECT max(created_on) FROM actions WHERE audit_id = %lld)), 'YYYY-MM-DD')"
	    " || 'T00:00:00Z' FROM audits WHERE id = %lld", id, id));
	assert_string_equal(o.pdf.as_of, v);
	free(v);
	doc_free(&o);
}

static void
test_byte_identical(void **state)
{
	long long id = full_audit();
	doc a, b;

	(void)state;
	render(&a, id);
	render(&b, id);
	assert_int_equal(a.pdf.len, b.pdf.len);
	assert_memory_equal(a.pdf.bytes, b.pdf.bytes, a.pdf.len);
	assert_string_equal(a.pdf.as_of, b.pdf.as_of);
	doc_free(&a);
	doc_free(&b);
}

/* Through the command: `report audit ID --out FILE` keeps the report
 * once, by digest, and writes the same bytes as the render function. */
static void
test_command(void **state)
{
	long long id = full_audit();
	char ids[24], *dir = test_tempdir(), path[4200];
	test_run r;
	doc o;

	(void)state;
	snprintf(ids, sizeof ids, "%lld", id);
	snprintf(path, sizeof path, "%s/audit.pdf", dir);
	free(dir);
	assert_int_equal(test_cli(&r, "report", "audit", ids, "--out", path, NULL), 0);
	assert_non_null(strstr(r.out, "kept as report "));
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "report", "audit", ids, "--out", path, NULL), 0);
	assert_non_null(strstr(r.out, "already kept as report "));
	test_run_free(&r);
	render(&o, id);
	assert_int_equal(test_db_count(test_group.conn, test_sqlf("SELECT count(*) FROM reports"
	    " WHERE kind = 'audit' AND audit_id = %lld AND pages = %d AND length(bytes) = %zu",
	    id, o.pdf.pages, o.pdf.len)), 1);
	{
		FILE *f = fopen(path, "rb");
		unsigned char *buf = malloc(o.pdf.len + 1);
		size_t got;

		assert_non_null(f);
		assert_non_null(buf);
		got = fread(buf, 1, o.pdf.len + 1, f);
		fclose(f);
		assert_int_equal(got, o.pdf.len);
		assert_memory_equal(buf, o.pdf.bytes, o.pdf.len);
		free(buf);
	}
	doc_free(&o);
	TEST_REFUSED(64, "report audit takes no --period", "report", "audit", ids, "--period",
	    "2026-01");
	TEST_REFUSED(64, "ID must be an audit number, not 'x'", "report", "audit", "x");
	TEST_REFUSED(65, "there is no audit 999999", "report", "audit", "999999");
}

/* ---- sizes --------------------------------------------------------------------------- */

static void
test_no_actions(void **state)
{
	long long id = submitted_audit(NULL, "requires_improvement");
	doc o;

	(void)state;
	render(&o, id);
	GRADE(&o, " Requires improvement ");
	HAS(&o, "Actions agreed No actions were set from this audit.");
	HAS(&o, "questions that applied were met in full");
	no_personal_data(&o);
	doc_free(&o);
}

#define MANY_ACTIONS 60

static void
test_many_actions(void **state)
{
	long long id = new_audit(), act;
	char text[400], due[11], want[80];
	size_t header;
	doc o;

	(void)state;
	answer_all(id, NULL);
	for (int i = 0; i < MANY_ACTIONS; i++) {
		snprintf(text, sizeof text, "Action number %02d: %s", i,
		    i % 3 == 0 ? "review the plan with the person and their family, record what "
		    "matters to them in their own words, and agree the next review date with "
		    "everybody involved in their care." : "update the record.");
		snprintf(due, sizeof due, "2026-%02d-%02d", 4 + i / 28, 1 + i % 28);
		CHECK(ca_action_create(test_group.conn, &auditor, id, i % 2 ? "PA1" : PARTNER,
		    due, text, &act, err));
	}
	CHECK(ca_audit_submit(test_group.conn, &auditor, id, "good", err));
	render(&o, id);
	for (int i = 0; i < MANY_ACTIONS; i++) {
		snprintf(want, sizeof want, "Action number %02d:", i);
		if (test_count(o.flat, want) != 1)
			fail_msg("%s: \"%s\" %zu times", o.path, want, test_count(o.flat, want));
	}
	/* in due-date order, and across pages with the header repeated */
	assert_true(strstr(o.flat, "Action number 00:") < strstr(o.flat, "Action number 59:"));
	header = test_count(o.text, "What is to be done");
	if (header < 2)
		fail_msg("the actions table's header shows %zu times", header);
	assert_true(o.pages >= 5);
	doc_free(&o);
}

#define LONG_EVIDENCE 20000

static char long_evidence[LONG_EVIDENCE + 1];

static const char *
evidence_long(int i)
{
	return i == 1 ? long_evidence : NULL;
}

static void
test_long_evidence(void **state)
{
	long long id;
	size_t len = 0, words = 0, seen_n = 0;
	unsigned char *seen;
	doc o;

	(void)state;
	/* "w00001 w00002 ...": every word numbered, so a lost line shows */
	while (len + 7 <= LONG_EVIDENCE) {
		len += (size_t)snprintf(long_evidence + len, sizeof long_evidence - len, "%sw%05zu",
		    len ? " " : "", words + 1);
		words++;
	}
	assert_true(len <= LONG_EVIDENCE && len > LONG_EVIDENCE - 8);
	id = submitted_audit(evidence_long, "good");
	render(&o, id);
	seen = calloc(words + 1, 1);
	assert_non_null(seen);
	for (const char *p = o.flat; (p = strchr(p, 'w')) != NULL; p++) {
		size_t n = 0, k;

		for (k = 1; k <= 5 && isdigit((unsigned char)p[k]); k++)
			n = n * 10 + (size_t)(p[k] - '0');
		if (k == 6 && n >= 1 && n <= words && !seen[n]) {
			seen[n] = 1;
			seen_n++;
		}
	}
	free(seen);
	if (seen_n != words)
		fail_msg("%zu of the %zu words of the long evidence are in the PDF", seen_n, words);
	assert_non_null(strstr(o.text, "(continued)"));
	assert_true(o.pages >= 6);
	doc_free(&o);
}

/* ---- accents, comments, moderation, closing, re-audit --------------------------------- */

static const char *
evidence_unicode(int i)
{
	return i == 0 ? "Siân's wish to stay at home is recorded – with the £250 weekly "
	    "budget Łukasz agreed." : NULL;
}

static void
test_unicode(void **state)
{
	long long id = submitted_audit(evidence_unicode, "outstanding");
	doc o;

	(void)state;
	render(&o, id);
	HAS(&o, "Siân's wish to stay at home is recorded – with the £250 weekly budget Łukasz "
	    "agreed.");
	HAS(&o, "Siân & Łukasz Care – North £");
	GRADE(&o, " Outstanding ");
	doc_free(&o);
}

static void
test_comment_and_moderation(void **state)
{
	const ca_actor partner = { "PA2", "2026-03-05", 0 };
	const ca_actor psw = { "PSW1", "2026-03-06", 0 };
	ca_moderation_request rq = { 0 };
	long long id = full_audit();
	doc o;

	(void)state;
	CHECK(ca_audit_comment(test_group.conn, &partner, id, "The carer was offered an "
	    "assessment by telephone on 07700 900123.", err));
	rq.grade = "requires_improvement";
	rq.disagree = "beyond_presenting_issue:partially_met";
	rq.agree_rest = 1;
	rq.comment = "A careful audit; the first question is only partly met.";
	CHECK(ca_moderate(test_group.conn, &psw, id, &rq, NULL, err));
	render(&o, id);
	no_personal_data(&o);
	HAS(&o, "The carer was offered an assessment by telephone on [phone].");
	HAS(&o, "05/03/2026");
	HAS(&o, "The moderator (PSW1) reviewed this audit on 06/03/2026");
	HAS(&o, "The moderator graded the audit Requires improvement; the auditor's grade was "
	    "Good.");
	HAS(&o, "Moderator: Partially met");
	HAS(&o, "A careful audit; the first question is only partly met.");
	HAS(&o, "Moderator's grade: Requires improvement");
	doc_free(&o);

	/* the window ends, the daemon closes it: the report says so */
	test_db_exec(test_group.conn, "BEGIN");
	CHECK(ca_audits_close_due(test_group.conn, "2026-03-20", "test", NULL, err));
	test_db_exec(test_group.conn, "COMMIT");
	render(&o, id);
	HAS(&o, "open until 16/03/2026; the audit was closed on 20/03/2026.");
	LACKS(&o, "caseaudit audit comment");
	doc_free(&o);
}

static void
test_reaudit(void **state)
{
	long long first = full_audit(), id;
	char want[200];
	doc o;

	(void)state;
	id = new_audit();
	test_db_exec(test_group.conn, test_sqlf(
	    "WITH rq AS (INSERT INTO reaudit_requests (audit_id, kind, assessment_id, reason,"
	    "   requested_by, requested_on) SELECT %lld, 'case', au.assessment_id,"
	    "   'Safeguarding not evidenced; call 07700 900123 for the file.', s.id, '2026-02-10'"
	    "   FROM audits au, staff s WHERE au.id = %lld AND s.staff_ref = 'AUD1' RETURNING id)"
	    " INSERT INTO sampling_run_targeted (run_id, assessment_id, request_id)"
	    " SELECT au.run_id, au.assessment_id, rq.id FROM audits au, rq WHERE au.id = %lld",
	    first, id, id));
	answer_all(id, NULL);
	CHECK(ca_audit_submit(test_group.conn, &auditor, id, "good", err));
	render(&o, id);
	snprintf(want, sizeof want, "as a re-audit of the same case, asked for on 10/02/2026 "
	    "after audit %lld.", first);
	HAS(&o, want);
	HAS(&o, "Safeguarding not evidenced; call [phone] for the file.");
	LACKS(&o, "drawn at random from");
	doc_free(&o);
}

/* A case drawn in the risk-weighted part of a risk sample is told so,
 * and that being drawn that way is no finding. */
static void
test_risk_sample(void **state)
{
	long long id = new_audit();
	doc o;

	(void)state;
	test_db_exec(test_group.conn, test_sqlf(
	    "INSERT INTO sampling_runs (plan_id, period, period_start, period_end, method,"
	    "  parameters, seed, seed_source, population_size, population_sha256, sample_size,"
	    "  form_version_id, run_on, created_by)"
	    " SELECT plan_id, '2026-02', '2026-02-01', '2026-02-28', 'risk', '{}', 9, 'given',"
	    "  25, repeat('0', 64), 6, form_version_id, '2026-03-01', 'test'"
	    " FROM sampling_runs WHERE period = '2026-01';"
	    "INSERT INTO sampling_run_strata (run_id, stratum, label, population, allocation,"
	    "  members)"
	    " SELECT r.id, 0, 'all', 1, 1, ARRAY[au.assessment_id] FROM sampling_runs r, audits au"
	    " WHERE r.period = '2026-02' AND au.id = %lld;"
	    "INSERT INTO sampling_run_members (run_id, assessment_id, stratum, part,"
	    "  inclusion_probability)"
	    " SELECT r.id, au.assessment_id, 0, 'oversample', 0.5 FROM sampling_runs r, audits au"
	    " WHERE r.period = '2026-02' AND au.id = %lld;"
	    "UPDATE audits SET run_id = (SELECT id FROM sampling_runs WHERE period = '2026-02')"
	    " WHERE id = %lld", id, id, id));
	answer_all(id, NULL);
	CHECK(ca_audit_submit(test_group.conn, &auditor, id, "good", err));
	render(&o, id);
	HAS(&o, "drawn from the 25 assessments in the population for February 2026, in the "
	    "risk-weighted part of a sample of 6.");
	HAS(&o, "Being drawn this way is not itself a finding about the assessment.");
	doc_free(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused_before_submission),
		cmocka_unit_test(test_full_report),
		cmocka_unit_test(test_byte_identical),
		cmocka_unit_test(test_command),
		cmocka_unit_test(test_no_actions),
		cmocka_unit_test(test_many_actions),
		cmocka_unit_test(test_long_evidence),
		cmocka_unit_test(test_unicode),
		cmocka_unit_test(test_reaudit),
		cmocka_unit_test(test_risk_sample),
		/* last: it closes every audit whose window has ended */
		cmocka_unit_test(test_comment_and_moderation),
	};

	return cmocka_run_group_tests_name("audit_report", tests, setup, teardown);
}
