/*
 * test_report.c - the board report (`caseaudit report board`), its
 * storing in `reports`, and the daemon's report job, on a hand-made
 * dataset whose figures are worked out below.  Every PDF is rendered by
 * the real program and read back with poppler's tools as a reader would
 * see it.
 *
 * The dataset (plan paused, so the daemon samples nothing of its own):
 *
 *   2025-01 run (seed 4242, population 400), assessments completed
 *   15/01/2025, every case drawn with probability 0.25 (equal weights):
 *     Alpha Care    a1..a12: outstanding 2, good 6, requires improvement
 *                   3, inadequate 1; a1..a9 audited by AU-1, the rest AU-2
 *     Beta Support  b1..b8: outstanding 1, good 4, requires improvement 1,
 *                   inadequate 2 (b6 returned by the moderator and
 *                   resubmitted good)
 *     Gamma Trust   g1..g3: good 2, requires improvement 1 (fewer than 5)
 *     LONG          a partner of 200 characters with quotes and accents:
 *                   l1..l5, good 3, requires improvement 2
 *     o1, o2 (Alpha) in progress, due 10/04/2025: overdue; o3 assigned,
 *     due 30/05/2025.  Due 15/03/2025; a3, a9 and b6 submitted late.
 *   So the quarter 2025-Q1: 28 audits completed: 3 outstanding, 15 good,
 *   7 requires improvement, 3 inadequate; good or outstanding 18 of 28
 *   (Wilson 95% from stats.h); holistic met 1 for good or better, 0.5
 *   otherwise; strengths 0.75 throughout.  31 drawn, 3 open, 2 overdue,
 *   3 late.
 *
 *   Moderation (PSW-1), all submitted in March 2025, done 20/04/2025:
 *   auditor's grade / moderator's: a1 o/o, a2 o/g, a3 g/g, a4 g/g, a5
 *   g/ri, a9 ri/ri, b2 g/g, b5 ri/ri, b6 ri/g (returned, regraded), b7 i/i:
 *   7 of 10 the same; AU-1 six moderated, AU-2 four (fewer than 5).
 *
 *   History: 2024-08 and 2024-11, Alpha Care, ten audits each, 6 and 7
 *   good.  2019-02: 500 partners of five audits each, for a table of 500
 *   rows.  Nothing in 2024-Q1.
 *
 *   The latest date the work recorded is the moderations' 20/04/2025: the
 *   data's as-of day.  People's names (staff, the person in the
 *   narratives, evidence, actions, an escalation's note) must never show.
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
#include <sys/stat.h>
#include <unistd.h>

#include "sha256.h"
#include "stats.h"
#include "support.h"

#define EN_DASH "\xe2\x80\x93"

static const char *const fixture[] = {
	"INSERT INTO organisations (name) VALUES ('Council');"
	"INSERT INTO staff (staff_ref, name, organisation_id, roles, max_open_audits)"
	" SELECT x.ref, x.name, o.id, x.roles::text[], 100"
	" FROM (VALUES ('AU-1', 'Siân Evans', '{auditor}'), ('AU-2', 'Łukasz Wójcik', '{auditor}'),"
	"  ('PSW-1', 'Margaret Oyelaran', '{psw}'), ('QA-1', 'Priya Ramaswamy', '{qa_lead}'))"
	"  AS x(ref, name, roles), organisations o WHERE o.name = 'Council';"
	"INSERT INTO sampling_plans (name, form_id, assessment_types, method, size_rule,"
	" size_value, every, first_period, created_by, paused)"
	" SELECT 'board-plan', id, '{care_act_assessment}', 'random', 'size', 40, 'month',"
	"  '2024-07', 'test', true FROM forms WHERE name = 'care-act-assessment';"
	"INSERT INTO sampling_runs (plan_id, period, period_start, period_end, method,"
	" parameters, seed, seed_source, population_size, population_sha256, sample_size,"
	" form_version_id, run_on, created_by)"
	" SELECT p.id, x.per, x.s::date, (x.s::date + interval '1 month' - interval '1 day')::date,"
	"  'random', '{}', x.seed, 'given', x.pop, repeat(x.hex, 32), x.size,"
	"  f.current_version_id, (x.s::date + interval '1 month')::date, 'test'"
	" FROM sampling_plans p JOIN forms f ON f.id = p.form_id,"
	"  (VALUES ('2019-02', '2019-02-01', 77, 9000, '19', 2500),"
	"   ('2024-08', '2024-08-01', 11, 300, 'a8', 10),"
	"   ('2024-11', '2024-11-01', 12, 300, 'b1', 10),"
	"   ('2025-01', '2025-01-01', 4242, 400, 'ab', 40)) AS x(per, s, seed, pop, hex, size);"
	"INSERT INTO sampling_run_strata (run_id, stratum, label, population, allocation,"
	" members) SELECT id, 0, 'all', 0, 0, '{}' FROM sampling_runs;",
	/* one row per audited assessment */
	"CREATE TEMPORARY TABLE fx (ref text, provider text, per text, done date, status text,"
	" grade text, strengths float8, due date, sub date, auditor text, age text, eth text,"
	" reason text);"
	"INSERT INTO fx SELECT 'a' || i, 'Alpha Care', '2025-01', '2025-01-15', 'closed',"
	"  (ARRAY['outstanding', 'outstanding', 'good', 'good', 'good', 'good', 'good', 'good',"
	"   'requires_improvement', 'requires_improvement', 'requires_improvement',"
	"   'inadequate'])[i], 0.75, '2025-03-15',"
	"  CASE WHEN i IN (3, 9) THEN '2025-03-20' ELSE '2025-03-10' END::date,"
	"  CASE WHEN i <= 9 THEN 'AU-1' ELSE 'AU-2' END FROM generate_series(1, 12) i;"
	"INSERT INTO fx SELECT 'b' || i, 'Beta Support', '2025-01', '2025-01-15', 'closed',"
	"  (ARRAY['outstanding', 'good', 'good', 'good', 'requires_improvement', 'good',"
	"   'inadequate', 'inadequate'])[i], 0.75, '2025-03-15',"
	"  CASE WHEN i = 6 THEN '2025-03-28' ELSE '2025-03-10' END::date, 'AU-2'"
	" FROM generate_series(1, 8) i;"
	"INSERT INTO fx SELECT 'g' || i, 'Gamma Trust (call 0114 496 0999)', '2025-01', '2025-01-15', 'closed',"
	"  (ARRAY['good', 'good', 'requires_improvement'])[i], 0.75, '2025-03-15', '2025-03-10',"
	"  'AU-2' FROM generate_series(1, 3) i;"
	"INSERT INTO fx SELECT 'l' || i, rpad('Café «Crème» \"Quoted\" O''Brien’s – Łódź & Ñandú"
	"  Care and Wellbeing Partnership of the Northern Valleys, Market Towns, Coastal Villages"
	"  and Hamlets, with its Friends, Volunteers and Neighbours', 199, '.') || 'Z',"
	"  '2025-01', '2025-01-15', 'closed',"
	"  CASE WHEN i <= 3 THEN 'good' ELSE 'requires_improvement' END, 0.75, '2025-03-15',"
	"  '2025-03-10', 'AU-2' FROM generate_series(1, 5) i;"
	"INSERT INTO fx VALUES"
	" ('o1', 'Alpha Care', '2025-01', '2025-01-15', 'in_progress', NULL, NULL, '2025-04-10',"
	"  NULL, 'AU-1'),"
	" ('o2', 'Alpha Care', '2025-01', '2025-01-15', 'in_progress', NULL, NULL, '2025-04-10',"
	"  NULL, 'AU-1'),"
	" ('o3', 'Alpha Care', '2025-01', '2025-01-15', 'assigned', NULL, NULL, '2025-05-30',"
	"  NULL, 'AU-2');"
	"INSERT INTO fx SELECT 'h' || m || '-' || i, 'Alpha Care', to_char(d, 'YYYY-MM'), d + 9,"
	"  'closed', CASE WHEN i <= 5 + m / 8 + m / 11 THEN 'good' ELSE 'requires_improvement' END, 0.75,"
	"  d + 75, d + 60, 'AU-1'"
	" FROM unnest('{2024-08-01,2024-11-01}'::date[]) AS d,"
	"  LATERAL (SELECT extract(month FROM d)::int AS m) mm, generate_series(1, 10) i;"
	"INSERT INTO fx SELECT 'z' || p || '-' || i, 'Partner ' || lpad(p::text, 3, '0'),"
	"  '2019-02', '2019-02-10', 'closed',"
	"  CASE WHEN i <= 2 + p % 4 THEN 'good' ELSE 'requires_improvement' END, 0.75,"
	"  '2019-04-15', '2019-04-01', 'AU-1'"
	" FROM generate_series(1, 500) p, generate_series(1, 5) i;"
	/* equity: ethnicity White British 20, Asian or Asian British 5, Mixed 3 */
	"UPDATE fx SET age = CASE WHEN provider = 'Alpha Care' THEN '85+'"
	"  WHEN provider = 'Beta Support' THEN '65-74' ELSE '18-64' END,"
	" eth = CASE WHEN ref IN ('b1', 'b2', 'b3', 'b4', 'b5') THEN 'Asian or Asian British'"
	"  WHEN provider LIKE 'Gamma%' THEN 'Mixed' ELSE 'White British' END,"
	" reason = CASE WHEN provider = 'Beta Support' THEN 'Mental health support'"
	"  ELSE 'Physical support' END"
	" WHERE per = '2025-01';",
	"INSERT INTO organisations (name) SELECT DISTINCT provider FROM fx;"
	"INSERT INTO assessments (assessment_ref, person_ref, assessment_type, provider_id,"
	" assessor_ref, requested_on, completed_on, summary, age_band, ethnicity,"
	" primary_support_reason)"
	" SELECT fx.ref, 'P-' || fx.ref, 'care_act_assessment', o.id, 'AS-1', fx.done - 20,"
	"  fx.done, 'Mrs Doris Kettlewell of 12 Acacia Avenue lives alone; her son Bartholomew"
	"  visits.', fx.age, fx.eth, fx.reason"
	" FROM fx JOIN organisations o ON o.name = fx.provider;"
	"INSERT INTO sampling_run_members"
	" SELECT r.id, a.id, 0, 'random', 0.25 FROM fx"
	" JOIN assessments a ON a.assessment_ref = fx.ref JOIN sampling_runs r ON r.period = fx.per;"
	"INSERT INTO audits (run_id, assessment_id, form_version_id, status, auditor_id, due_on)"
	" SELECT r.id, a.id, r.form_version_id,"
	"  CASE WHEN fx.status = 'assigned' THEN 'assigned' ELSE 'in_progress' END, s.id, fx.due"
	" FROM fx JOIN assessments a ON a.assessment_ref = fx.ref"
	" JOIN sampling_runs r ON r.period = fx.per JOIN staff s ON s.staff_ref = fx.auditor;"
	"INSERT INTO answers (audit_id, form_version_id, question_id, rating, evidence,"
	" answered_by, answered_on)"
	" SELECT au.id, au.form_version_id, 'beyond_presenting_issue',"
	"  CASE WHEN fx.grade IN ('outstanding', 'good') THEN 'met' ELSE 'not_met' END,"
	"  'Doris Kettlewell told Siân Evans about her son Bartholomew.', au.auditor_id,"
	"  fx.done + 30"
	" FROM fx JOIN assessments a ON a.assessment_ref = fx.ref"
	" JOIN audits au ON au.assessment_id = a.id WHERE fx.status <> 'assigned';"
	"UPDATE audits au SET status = 'submitted', grade = fx.grade, submitted_on = fx.sub,"
	"  started_on = fx.done + 30, submissions = 1,"
	"  strengths_noted = 'Siân Evans praised Doris Kettlewell''s son Bartholomew.',"
	"  learning_points = 'Call Doris Kettlewell on 07700 900123.'"
	" FROM fx JOIN assessments a ON a.assessment_ref = fx.ref"
	" WHERE au.assessment_id = a.id AND fx.status = 'closed';"
	"UPDATE audits SET status = 'closed', closed_on = submitted_on + 14"
	" WHERE status = 'submitted';"
	"INSERT INTO domain_scores (audit_id, domain, questions, applicable, met,"
	" partially_met, not_met, weight, score)"
	" SELECT au.id, d.domain, 1, (d.score IS NOT NULL)::int, 0, 0, 0, 1, d.score"
	" FROM fx JOIN assessments a ON a.assessment_ref = fx.ref"
	" JOIN audits au ON au.assessment_id = a.id"
	" CROSS JOIN LATERAL (VALUES"
	"  ('holistic', CASE WHEN fx.grade IN ('outstanding', 'good') THEN 1 ELSE 0.5 END),"
	"  ('strengths', fx.strengths), ('risk', NULL), ('carers', NULL), ('outcomes', NULL),"
	"  ('recording', NULL)) AS d(domain, score)"
	" WHERE fx.status = 'closed';",
	/* b6 went back to its auditor after moderation and came back good */
	"UPDATE audits au SET submissions = 2 FROM assessments a"
	" WHERE a.id = au.assessment_id AND a.assessment_ref = 'b6';"
	"INSERT INTO moderations (audit_id, submission, reason, moderator_id, status,"
	" selected_on, auditor_grade, grade, comment, returned, done_on)"
	" SELECT au.id, 1, 'sampled', (SELECT id FROM staff WHERE staff_ref = 'PSW-1'), 'done',"
	"  '2025-03-25', x.by_auditor, x.by_moderator,"
	"  'Discussed Doris Kettlewell with Łukasz Wójcik.', x.ref = 'b6', '2025-04-20'"
	" FROM (VALUES ('a1', 'outstanding', 'outstanding'), ('a2', 'outstanding', 'good'),"
	"  ('a3', 'good', 'good'), ('a4', 'good', 'good'), ('a5', 'good', 'requires_improvement'),"
	"  ('a9', 'requires_improvement', 'requires_improvement'), ('b2', 'good', 'good'),"
	"  ('b5', 'requires_improvement', 'requires_improvement'),"
	"  ('b6', 'requires_improvement', 'good'), ('b7', 'inadequate', 'inadequate'))"
	"  AS x(ref, by_auditor, by_moderator)"
	" JOIN assessments a ON a.assessment_ref = x.ref JOIN audits au ON au.assessment_id = a.id;"
	"INSERT INTO actions (audit_id, owner_organisation_id, owner_staff_id, text, due_on,"
	" created_by, created_on)"
	" SELECT au.id, o.id, st.id, 'Ask Doris Kettlewell about her son Bartholomew.',"
	"  x.due::date, (SELECT id FROM staff WHERE staff_ref = 'AU-1'), '2025-03-12'"
	" FROM (VALUES ('a5', 'Alpha Care', NULL, '2025-04-15'), ('b7', NULL, 'AU-2', '2025-05-15'))"
	"  AS x(ref, org, staff, due)"
	" JOIN assessments a ON a.assessment_ref = x.ref JOIN audits au ON au.assessment_id = a.id"
	" LEFT JOIN organisations o ON o.name = x.org LEFT JOIN staff st ON st.staff_ref = x.staff;"
	"INSERT INTO escalations (audit_id, source, note, raised_by, raised_on, acknowledged_by,"
	" acknowledged_on)"
	" SELECT au.id, 'flag', 'Doris Kettlewell may be at risk from Bartholomew.',"
	"  (SELECT id FROM staff WHERE staff_ref = 'AU-2'), '2025-03-20',"
	"  (SELECT id FROM staff WHERE staff_ref = 'QA-1'), '2025-04-08'"
	" FROM assessments a JOIN audits au ON au.assessment_id = a.id"
	" WHERE a.assessment_ref = 'b7';",
};

/* What must never appear in a report: the people of the dataset. */
static const char *const people[] = {
	"Siân", "Evans", "Łukasz", "Wójcik", "Margaret", "Oyelaran", "Priya", "Ramaswamy",
	"Doris", "Kettlewell", "Acacia", "Bartholomew", "07700", "P-a1", "0114 496",
};

static char *dir;

static int
setup(void **state)
{
	if (test_group_setup(state) != 0)
		return -1;
	if (system("command -v pdftotext pdffonts pdfinfo pdftohtml >/dev/null") != 0) {
		fprintf(stderr, "test_report: poppler-utils is not installed\n");
		return -1;
	}
	/* CASEAUDIT_REPORT_KEEP=DIR keeps the PDFs there to look at */
	dir = getenv("CASEAUDIT_REPORT_KEEP") != NULL ? strdup(getenv("CASEAUDIT_REPORT_KEEP")) :
	    test_tempdir();
	return test_fixture_load(fixture, sizeof fixture / sizeof fixture[0]);
}

static int
teardown(void **state)
{
	free(dir);
	return test_group_teardown(state);
}

/* ---- rendering and reading back ----------------------------------------- */

typedef struct rendered {
	char path[4200];
	char *out;              /* what the command printed */
	char *text;             /* pdftotext */
	char *flat;             /* the same with every run of white space one space */
	char *layout;           /* pdftotext -layout: a table row on one line */
	int pages;
} rendered;

static void
flatten(char *s)
{
	char *w = s;
	int space = 0;

	for (char *r = s; *r != '\0'; r++) {
		if (*r == ' ' || *r == '\n' || *r == '\f' || *r == '\t') {
			space = 1;
			continue;
		}
		if (space && w != s)
			*w++ = ' ';
		space = 0;
		*w++ = *r;
	}
	*w = '\0';
}

/* Read back the PDF a report command wrote to r->path, which must have
 * worked (st its exit status, run what it said). */
static void
read_back(rendered *r, int st, test_run *run)
{
	char *info, *p;

	if (st != 0)
		fail_msg("report %s: exit %d: %s%s", r->path, st, run->out, run->err);
	r->out = strdup(run->out);
	test_run_free(run);
	r->text = test_capture("pdftotext -enc UTF-8 '%s' - 2>/dev/null", r->path);
	r->flat = strdup(r->text);
	flatten(r->flat);
	r->layout = test_capture("pdftotext -layout -enc UTF-8 '%s' - 2>/dev/null", r->path);
	info = test_capture("pdfinfo '%s' 2>/dev/null", r->path);
	p = strstr(info, "Pages:");
	assert_non_null(p);
	r->pages = atoi(p + 6);
	free(info);
}

/* `caseaudit report board --period P --out DIR/NAME`, which must work. */
static void
render(const char *period, const char *name, rendered *r)
{
	test_run run;
	int st;

	memset(r, 0, sizeof *r);
	snprintf(r->path, sizeof r->path, "%s/%s", dir, name);
	st = test_cli(&run, "report", "board", "--period", period, "--out", r->path, NULL);
	read_back(r, st, &run);
}

/* `caseaudit report provider PARTNER --period P --out DIR/NAME`. */
static void
render_provider(const char *partner, const char *period, const char *name, rendered *r)
{
	test_run run;
	int st;

	memset(r, 0, sizeof *r);
	snprintf(r->path, sizeof r->path, "%s/%s", dir, name);
	st = test_cli(&run, "report", "provider", partner, "--period", period, "--out", r->path,
	    NULL);
	read_back(r, st, &run);
}

static void
rendered_free(rendered *r)
{
	free(r->out);
	free(r->text);
	free(r->flat);
	free(r->layout);
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

static void
contains(const rendered *r, const char *s)
{
	if (strstr(r->flat, s) == NULL)
		fail_msg("the report does not say \"%s\"", s);
}

/* A table row (a line of the layout text) that starts with first and holds
 * each of the cells that follow, in order, up to NULL. */
static void
row(const rendered *r, const char *first, ...)
{
	const char *line = r->layout, *cell;
	char buf[1024];
	va_list ap;

	for (; line != NULL && *line != '\0'; line = strchr(line, '\n'), line += line != NULL) {
		const char *end = strchr(line, '\n'), *at = buf;
		size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
		size_t lead = strspn(line, " ");
		int all = 1;

		if (strncmp(line + lead, first, strlen(first)) != 0)
			continue;
		snprintf(buf, sizeof buf, "%.*s", (int)len, line);
		va_start(ap, first);
		while (all && (cell = va_arg(ap, const char *)) != NULL)
			if ((at = strstr(at, cell)) == NULL)
				all = 0;
			else
				at += strlen(cell);
		va_end(ap);
		if (all)
			return;
	}
	fail_msg("no table row starts with \"%s\" and holds the cells asked for", first);
}

/* After the contents page, each of the titles in order. */
static void
in_order(const rendered *r, const char *const *titles, size_t n)
{
	const char *at = strstr(r->flat, "Page 2 of");

	assert_non_null(at);
	for (size_t i = 0; i < n; i++) {
		const char *next = strstr(at, titles[i]);

		if (next == NULL)
			fail_msg("\"%s\" is missing or out of order", titles[i]);
		at = next + strlen(titles[i]);
	}
}

static void
no_people(const rendered *r)
{
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
		if (strstr(r->text, people[i]) != NULL)
			fail_msg("the report names \"%s\"", people[i]);
}

/* "64% (95% CI 45–79%)" for x of n, as the report words it. */
static void
share_words(long x, long n, char *buf, size_t size)
{
	double lo, hi;

	assert_int_equal(ca_wilson(x, n, 0.95, &lo, &hi), 0);
	snprintf(buf, size, "%.0f%% (95%% CI %.0f" EN_DASH "%.0f%%)", 100.0 * x / n, lo * 100,
	    hi * 100);
}

/* ---- the tests ---------------------------------------------------------- */

static void
sections_in_order(void **state)
{
	static const char *const titles[] = { "Contents", "Executive summary",
		"The board is asked to note that", "Domain measures", "How to read the control charts",
		"Audits graded good or outstanding", "Holistic consideration of needs",
		"Partner comparison", "Every partner this period", "Recurring themes",
		"Screening flags and what auditors found", "Moderation", "What moderation changed",
		"By auditor", "Actions and escalations", "Safeguarding escalations",
		"Waiting and timeliness", "Waiting for an assessment", "Audits done on time", "Equity",
		"By age band", "By ethnicity", "By primary support reason", "Methodology",
		"Sampling runs of the period", "What the measures mean" };
	rendered r;

	(void)state;
	render("2025-Q1", "q1.pdf", &r);
	/* the cover, and the marking on every page (header and footer) */
	contains(&r, "Quality assurance board report Eastshire County Council");
	contains(&r, "Period: January to March 2025");
	contains(&r, "Data as at: 20 April 2025");
	contains(&r, "Protective marking: OFFICIAL-SENSITIVE");
	contains(&r, "Produced by: caseaudit ");
	{
		size_t marks = 0;

		for (const char *p = r.text; (p = strstr(p, "OFFICIAL-SENSITIVE")) != NULL; p++)
			marks++;
		assert_true(marks >= (size_t)(2 * r.pages));
	}
	/* after the contents page, each title in order */
	in_order(&r, titles + 1, sizeof titles / sizeof titles[0] - 1);
	assert_true(r.pages >= 8 && r.pages <= 20);
	/* every section a bookmark, in order; the dates the data's, not the clock's */
	{
		static const char *const sections[] = { "Executive summary", "Domain measures",
			"Partner comparison", "Recurring themes", "Moderation",
			"Actions and escalations", "Waiting and timeliness", "Equity", "Methodology" };
		char *outline = test_capture("pdftohtml -xml -i -q -stdout '%s' 2>/dev/null",
		    r.path), *info = test_capture("pdfinfo -isodates '%s' 2>/dev/null", r.path);
		const char *o = outline;

		for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
			char item[96];

			snprintf(item, sizeof item, "\">%s</item>", sections[i]);
			if ((o = strstr(o, item)) == NULL)
				fail_msg("no bookmark %s, or out of order", sections[i]);
		}
		assert_non_null(strstr(info, "CreationDate:    2025-04-20T00:00:00Z"));
		assert_non_null(strstr(info, "Title:           Quality assurance board report "
		    EN_DASH " January to March 2025"));
		free(outline);
		free(info);
	}
	no_people(&r);
	rendered_free(&r);
}

static void
key_figures(void **state)
{
	const long table[16] = {
		1, 1, 0, 0,     /* outstanding: a1 kept, a2 to good */
		0, 3, 1, 0,     /* good: a3, a4, b2 kept, a5 to requires improvement */
		0, 1, 2, 0,     /* requires improvement: a9, b5 kept, b6 to good */
		0, 0, 0, 1,     /* inadequate: b7 */
	};
	char want[512], share[64];
	ca_kappa k;
	ca_err err = { 0 };
	rendered r;

	(void)state;
	render("2025-Q1", "figures.pdf", &r);
	contains(&r, "31 audits were drawn for the period: 28 completed and 3 still open, of "
	    "which 2 are overdue. Of those completed, 3 were submitted after their due date.");
	contains(&r, "Of the 28 audits of the random sample completed, 3 were graded "
	    "outstanding, 15 good, 7 requires improvement and 3 inadequate.");
	share_words(18, 28, share, sizeof share);
	snprintf(want, sizeof want, "Weighted to the cases they were drawn from, %s were good "
	    "or outstanding.", share);
	contains(&r, want);
	/* the strengths domain: 0.75 on every one of the 28 */
	share_words(21, 28, share, sizeof share);
	snprintf(want, sizeof want, "This period: %s of 28 audits.", share);
	contains(&r, want);
	/* moderation: weighted kappa on the grades, as stats.h has it */
	assert_int_equal(ca_kappa_compute(table, 4, 1, 0.95, &k, &err), 0);
	snprintf(want, sizeof want, "10 audits submitted from 1 January 2025 to 31 March 2025 "
	    "were moderated. The moderator gave the auditor's grade in 7 of them; weighted kappa "
	    "on the grades was %.2f (95%% CI %.2f" EN_DASH "%.2f).", k.kappa, k.lo, k.hi);
	contains(&r, want);
	contains(&r, "The moderator returned 1 audit to its auditor for another look; 1 was "
	    "resubmitted with a different grade.");
	/* AU-1 by reference; AU-2 with four is not measured */
	snprintf(want, sizeof want, "%.2f", k.kappa);
	row(&r, "AU-1 ", " 6 ", " 4 ", NULL);
	/* AU-2 only as the owner of an action, never in the agreement table */
	row(&r, "AU-2 (member of staff)", " 1 ", " 0 ", " 0", NULL);
	{
		size_t lines = 0;

		for (const char *p = r.layout; (p = strstr(p, "AU-2")) != NULL; p++)
			lines++;
		assert_int_equal(lines, 1);
	}
	contains(&r, "1 other auditor had fewer than 5 audits moderated each");
	/* the small partner withheld; the run and how to check it */
	row(&r, "Gamma Trust (call [phone])", "fewer than", "not shown", "Not compared", NULL);
	row(&r, "A ", "Alpha Care", " 12 ", "67%", "Within the limits", NULL);
	/* recurring themes: not met in 10 of 28, against 7 of 20 before */
	share_words(10, 28, share, sizeof share);
	snprintf(want, sizeof want, "The question most often not met was \u201cDoes the "
	    "assessment look beyond the presenting issue or the service asked for (a shower, a "
	    "meal, a package of care) to the person's whole situation?\u201d: %s of answers", share);
	*strstr(want, " (95% CI") = '\0';
	contains(&r, want);
	row(&r, "Q1", "28", "36%", "35%", "No clear", NULL);
	/* safeguarding: raised in March, acknowledged in April, never withheld */
	contains(&r, "1 safeguarding concern found in audits was escalated in the period; none "
	    "acknowledged by 31 March 2025. 1 escalation still waited to be acknowledged on 31 "
	    "March 2025.");
	contains(&r, "1 safeguarding escalation was still waiting to be acknowledged at the end "
	    "of the period");
	row(&r, "Alpha Care", " 1 ", " 0 ", " 0", NULL);
	/* waits: every assessment completed in the quarter waited 20 days */
	row(&r, "All partners", "31", "20", "20", NULL);
	/* equity: Mixed (3) withheld, and Asian or Asian British (5) with it */
	row(&r, "White British", "20", NULL);
	row(&r, "Mixed", "fewer than 5", "not shown", NULL);
	row(&r, "Asian or Asian British", "withheld*", "not shown", NULL);
	row(&r, "Mental health support", " 8 ", NULL);
	contains(&r, "Run 4: abababab");
	contains(&r, "caseaudit sample verify 4");
	contains(&r, "4242");
	no_people(&r);
	rendered_free(&r);
}

/* Fonts embedded; the same data twice, the same bytes; the reports row
 * holds them and their digest. */
static void
fonts_bytes_and_row(void **state)
{
	rendered a, b;
	unsigned char *x, *y;
	size_t nx, ny;
	char digest[CA_SHA256_HEX_LEN + 1], sql[512], *fonts, *v;

	(void)state;
	render("2025-Q1", "one.pdf", &a);
	render("2025-Q1", "two.pdf", &b);
	x = slurp(a.path, &nx);
	y = slurp(b.path, &ny);
	assert_int_equal(nx, ny);
	assert_memory_equal(x, y, nx);
	ca_sha256_hex(x, nx, digest);
	assert_non_null(strstr(a.out, digest));
	assert_non_null(strstr(b.out, "already kept as report"));

	/* both faces, embedded (the first yes), subset, and nothing else */
	fonts = test_capture("pdffonts '%s' 2>/dev/null | tail -n +3 | sort", a.path);
	{
		char *bold = strstr(fonts, "+DejaVuSans-Bold,Bold "), *book = strstr(fonts,
		    "+DejaVuSans,Book ");

		assert_non_null(bold);
		assert_non_null(book);
		assert_non_null(strstr(bold, " yes yes yes "));
		assert_non_null(strstr(book, " yes yes yes "));
		assert_non_null(strchr(fonts, '\n'));
		assert_non_null(strchr(strchr(fonts, '\n') + 1, '\n'));
		assert_string_equal(strchr(strchr(fonts, '\n') + 1, '\n') + 1, "");
	}
	free(fonts);

	snprintf(sql, sizeof sql, "SELECT count(*) FROM reports WHERE kind = 'board'"
	    " AND period = '2025-Q1' AND sha256 = '%s' AND encode(sha256(bytes), 'hex') = sha256"
	    " AND length(bytes) = %zu AND pages = %d AND as_of = '2025-04-20 00:00Z'"
	    " AND provider_id IS NULL AND audit_id IS NULL AND generated_by <> ''", digest, nx,
	    a.pages);
	assert_int_equal(test_db_count(test_group.conn, sql), 1);
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM reports"
	    " WHERE period = '2025-Q1'"), 1);
	/* every render is an event, the second one finding the first's row */
	v = test_db_value(test_group.conn, "SELECT count(*) FILTER (WHERE after->>'existed' ="
	    " 'false') || ' ' || count(*) FILTER (WHERE after->>'existed' = 'true')"
	    " FROM events WHERE action = 'report.rendered' AND after->>'period' = '2025-Q1'");
	assert_non_null(v);
	assert_int_equal(atoi(v), 1);
	assert_true(atoi(strchr(v, ' ') + 1) >= 3);
	free(v);
	free(x);
	free(y);
	rendered_free(&a);
	rendered_free(&b);
}

static void
empty_and_partial(void **state)
{
	rendered r;

	(void)state;
	render("2024-Q1", "empty.pdf", &r);
	contains(&r, "No audit of January to March 2024 has been completed, so this report has "
	    "no findings to show.");
	contains(&r, "No sample has been drawn for the period.");
	contains(&r, "No sampling run covers this period.");
	assert_null(strstr(r.flat, "Domain measures"));
	assert_int_equal(r.pages, 2);
	rendered_free(&r);

	render("2025-Q2", "partial.pdf", &r);
	contains(&r, "The period runs to 30 June 2025 and has not yet ended");
	assert_true(r.pages <= 4);
	rendered_free(&r);
}

/* The long partner's name whole in the table; 500 partners' table across
 * pages with its header again on each. */
static void
long_names_and_many_partners(void **state)
{
	char *name = test_db_value(test_group.conn,
	    "SELECT name FROM organisations WHERE name LIKE 'Café%'");
	char *words;
	rendered r;
	size_t headers = 0;

	(void)state;
	assert_non_null(name);
	assert_int_equal(test_db_count(test_group.conn, "SELECT char_length(name)"
	    " FROM organisations WHERE name LIKE 'Café%'"), 200);
	render("2025-Q1", "long.pdf", &r);
	words = strdup(name);
	flatten(words);
	contains(&r, words);
	free(words);
	free(name);
	rendered_free(&r);

	render("2019-Q1", "many.pdf", &r);
	for (int p = 1; p <= 500; p++) {
		char want[32];

		snprintf(want, sizeof want, "Partner %03d ", p);
		contains(&r, want);
	}
	for (const char *p = r.layout; (p = strstr(p, "Partner organisation")) != NULL; p++)
		headers++;
	/* the header row again on every page of the table */
	assert_true(headers >= 12);
	/* two tables of 500 (partners, waits), about 45 rows a page */
	assert_true(r.pages >= 25 && r.pages <= 60);
	no_people(&r);
	rendered_free(&r);
}

/* --verbose says where the time went, one key=value line a step naming
 * the report and nothing in it, and changes nothing in the PDF; without
 * it, standard error stays empty.  The audit report says the same. */
static void
verbose_steps(void **state)
{
	char plain[4300], loud[4300], want[64], *line, *id;
	double read, queries, draw, store;
	unsigned char *x, *y;
	size_t nx, ny, bytes;
	long statements;
	int pages, lines = 0;
	test_run r;

	(void)state;
	snprintf(plain, sizeof plain, "%s/plain.pdf", dir);
	snprintf(loud, sizeof loud, "%s/verbose.pdf", dir);
	assert_int_equal(test_cli(&r, "report", "board", "--period", "2025-Q1", "--out", plain,
	    NULL), 0);
	assert_string_equal(r.err, "");
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "report", "board", "--period", "2025-Q1", "--out", loud,
	    "--verbose", NULL), 0);
	for (const char *c = r.err; *c != '\0'; c++)
		lines += *c == '\n';
	assert_int_equal(lines, 3);
	line = strstr(r.err, "report kind=board period=2025-Q1 step=read ");
	assert_non_null(line);
	assert_int_equal(sscanf(line, "report kind=board period=2025-Q1 step=read seconds=%lf "
	    "queries=%lf statements=%ld\n", &read, &queries, &statements), 3);
	assert_true(queries > 0 && queries <= read);
	assert_true(statements >= 10);
	line = strstr(r.err, "report kind=board period=2025-Q1 step=draw ");
	assert_non_null(line);
	assert_int_equal(sscanf(line, "report kind=board period=2025-Q1 step=draw seconds=%lf "
	    "pages=%d bytes=%zu\n", &draw, &pages, &bytes), 3);
	assert_true(draw > 0);
	line = strstr(r.err, "report kind=board period=2025-Q1 step=store ");
	assert_non_null(line);
	assert_int_equal(sscanf(line, "report kind=board period=2025-Q1 step=store seconds=%lf ",
	    &store), 1);
	assert_non_null(strstr(line, " existed=yes\n"));
	assert_null(strstr(r.err, "Alpha"));
	snprintf(want, sizeof want, ", %d pages, ", pages);
	assert_non_null(strstr(r.out, want));
	test_run_free(&r);
	x = slurp(plain, &nx);
	y = slurp(loud, &ny);
	assert_int_equal(nx, ny);
	assert_int_equal(bytes, ny);
	assert_memory_equal(x, y, nx);
	free(x);
	free(y);

	id = test_db_value(test_group.conn, "SELECT min(id) FROM audits WHERE status = 'closed'");
	assert_non_null(id);
	assert_int_equal(test_cli(&r, "report", "audit", id, "--verbose", NULL), 0);
	snprintf(want, sizeof want, "report kind=audit audit=%s step=read seconds=", id);
	assert_non_null(strstr(r.err, want));
	snprintf(want, sizeof want, "report kind=audit audit=%s step=draw seconds=", id);
	assert_non_null(strstr(r.err, want));
	snprintf(want, sizeof want, "report kind=audit audit=%s step=store seconds=", id);
	assert_non_null(strstr(r.err, want));
	test_run_free(&r);
	free(id);
}

static void
refusals(void **state)
{
	char path[4300];

	(void)state;
	TEST_REFUSED(64, "--period must be a month (2025-03) or a quarter (2025-Q1), not "
	    "'2025-13'", "report", "board", "--period", "2025-13");
	TEST_REFUSED(64, "needs --period", "report", "board");
	TEST_REFUSED(64, "unknown report 'nonsense'", "report", "nonsense");
	snprintf(path, sizeof path, "%s/no/such/dir/board.pdf", dir);
	TEST_REFUSED(74, path, "report", "board", "--period", "2025-Q1", "--out", path);
	TEST_REFUSED(74, "No such file or directory", "report", "board", "--period", "2025-Q1",
	    "--out", path);
}

static void
help_lists_report(void **state)
{
	test_run r;

	(void)state;
	assert_int_equal(test_cli(&r, "help", NULL), 0);
	assert_non_null(strstr(r.out, "\n  report "));
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "report", "--help", NULL), 0);
	assert_non_null(strstr(r.out, "caseaudit report board --period P"));
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "report", "list", "--format", "csv", NULL), 0);
	assert_non_null(strstr(r.out, ",board,2025-Q1,"));
	test_run_free(&r);
}

/* ---- the provider report ------------------------------------------------ */

/* Alpha Care's quarter: its figures, the whole beside them, the others
 * unnamed, its actions and none of Beta's escalation or action. */
static void
provider_figures(void **state)
{
	static const char *const titles[] = { "Executive summary",
		"For the contract meeting: points to discuss", "Domain measures",
		"How to read the control charts", "Audits graded good or outstanding",
		"Among the partners", "This partner and all partners", "Recurring themes",
		"Actions and escalations", "Waiting and timeliness", "Equity", "By age band",
		"Methodology", "Sampling runs of the period", "What the measures mean" };
	static const char *const others[] = { "Beta", "Gamma", "Café", "Partner 001",
		"AU-2", "Moderation", "kappa", "By auditor" };
	char want[512], share[64], all[64], *info;
	rendered r;

	(void)state;
	render_provider("Alpha Care", "2025-Q1", "alpha.pdf", &r);
	contains(&r, "Partner quality report Eastshire County Council");
	contains(&r, "Partner organisation: Alpha Care");
	contains(&r, "Period: January to March 2025");
	contains(&r, "Data as at: 20 April 2025");
	in_order(&r, titles, sizeof titles / sizeof titles[0]);
	/* a1..a12 closed (a3, a9 late), o1 and o2 overdue, o3 open */
	contains(&r, "This report covers the audits of the assessments Alpha Care completed "
	    "in January to March 2025, set against all partners'");
	contains(&r, "15 audits were drawn for the period: 12 completed and 3 still open, of "
	    "which 2 are overdue. Of those completed, 2 were submitted after their due date.");
	contains(&r, "Of the 12 audits of the random sample completed, 2 were graded "
	    "outstanding, 6 good, 3 requires improvement and 1 inadequate.");
	share_words(8, 12, share, sizeof share);
	share_words(18, 28, all, sizeof all);
	snprintf(want, sizeof want, "Weighted to the cases they were drawn from, %s were good "
	    "or outstanding. For all partners it was %s.", share, all);
	contains(&r, want);
	contains(&r, "Among all partners, Alpha Care is within the funnel plot's 95% limits");
	contains(&r, "The ringed point labelled \u201cThis partner\u201d is Alpha Care");
	/* holistic: 1 for good or better, 0.5 otherwise: 10 of 12 here, 23 of 28 in all */
	row(&r, "Holistic consideration of needs", " 12 ", "83%", "82%", "Common cause", NULL);
	row(&r, "Alpha Care", " 12 ", "67%", "Within the limits", NULL);
	row(&r, "All partners", " 28 ", "64%", NULL);
	/* the action Alpha Care owns, open on 31 March and not yet due */
	row(&r, "Alpha Care", " 1 ", " 0 ", " 0", NULL);
	contains(&r, "No safeguarding concern found in an audit was escalated in the period.");
	/* waits: its 15 assessments and all 31, 20 days each */
	row(&r, "Alpha Care", " 15 ", " 20 ", " 20 ", NULL);
	row(&r, "All partners", " 31 ", " 20 ", " 20 ", NULL);
	row(&r, "85+", " 12 ", NULL);
	contains(&r, "Run 4: abababab");
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		if (strstr(r.text, others[i]) != NULL)
			fail_msg("Alpha Care's report shows \"%s\"", others[i]);
	no_people(&r);
	info = test_capture("pdfinfo '%s' 2>/dev/null", r.path);
	assert_non_null(strstr(info, "Title:           Partner quality report " EN_DASH
	    " Alpha Care " EN_DASH " January to March 2025"));
	free(info);
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM reports r"
	    " JOIN organisations o ON o.id = r.provider_id WHERE r.kind = 'provider'"
	    " AND r.period = '2025-Q1' AND o.name = 'Alpha Care' AND r.audit_id IS NULL"
	    " AND r.sha256 = encode(sha256(r.bytes), 'hex')"), 1);
	rendered_free(&r);

	/* the same data, the same bytes: already kept */
	render_provider("Alpha Care", "2025-Q1", "alpha2.pdf", &r);
	assert_non_null(strstr(r.out, "already kept as report"));
	rendered_free(&r);
	{
		test_run run;

		assert_int_equal(test_cli(&run, "report", "list", "--kind", "provider", "--format",
		    "csv", NULL), 0);
		assert_non_null(strstr(run.out, ",provider,2025-Q1,Alpha Care,"));
		assert_null(strstr(run.out, ",board,"));
		test_run_free(&run);
	}
}

/* A partner too small to show, one whose name holds a telephone number,
 * one of 200 characters, an empty period, and names nobody has. */
static void
provider_edges(void **state)
{
	char *name = test_db_value(test_group.conn,
	    "SELECT name FROM organisations WHERE name LIKE 'Café%'");
	rendered r;

	(void)state;
	render_provider("Gamma Trust (call 0114 496 0999)", "2025-Q1", "gamma.pdf", &r);
	contains(&r, "Partner organisation: Gamma Trust (call [phone])");
	contains(&r, "Fewer than 5 audits of the random sample were completed");
	contains(&r, "Gamma Trust (call [phone]) had fewer than five completed audits of the "
	    "random sample, so it is not compared with the other partners.");
	no_people(&r);
	rendered_free(&r);

	assert_non_null(name);
	render_provider(name, "2025-Q1", "long-partner.pdf", &r);
	flatten(name);
	contains(&r, name);
	row(&r, "All partners", " 28 ", "64%", NULL);
	rendered_free(&r);
	free(name);

	render_provider("Alpha Care", "2024-Q1", "alpha-empty.pdf", &r);
	contains(&r, "No audit of the assessments Alpha Care completed in January to March "
	    "2024 has been completed, so this report has no findings to show.");
	assert_int_equal(r.pages, 2);
	rendered_free(&r);

	TEST_REFUSED(65, "no partner organisation is called 'Nobody Care'", "report",
	    "provider", "Nobody Care", "--period", "2025-Q1");
	TEST_REFUSED(65, "no partner organisation is called", "report", "provider",
	    "x'; DROP TABLE reports; --", "--period", "2025-Q1");
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM reports"
	    " WHERE kind = 'provider' AND period = '2025-Q1'") > 0, 1);
	TEST_REFUSED(64, "needs the partner's NAME", "report", "provider", "--period", "2025-Q1");
	TEST_REFUSED(64, "needs the partner's NAME", "report", "provider", "Alpha Care");
	TEST_REFUSED(64, "not '2025-Q5'", "report", "provider", "Alpha Care", "--period",
	    "2025-Q5");
	TEST_REFUSED(64, "say which partner organisation", "report", "provider", "",
	    "--period", "2025-Q1");
	TEST_REFUSED(65, "not UTF-8", "report", "provider", "Alpha \xff Care", "--period",
	    "2025-Q1");
}

/* The daemon renders each sampled period's report once its audits are
 * due, not before, and only once; the CLI rendering the same data finds
 * the daemon's row. */
static void
daemon_job(void **state)
{
	char *conf = test_write_file("caseauditd.conf", "report_after_days = 30\n", 22);
	test_run r;
	int st;

	(void)state;
	/* o3 is due 30/05/2025: 2025-01 is not due until 30 days after */
	st = test_cli(&r, "--once", "--today", "2025-06-10", "--config", conf, NULL);
	if (st != 0)
		fail_msg("caseauditd: %d %s", st, r.err);
	test_run_free(&r);
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM jobs"
	    " WHERE kind = 'report' AND key = 'report:board:2025-01'"), 0);
	/* the periods long due are rendered, by the daemon */
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM reports"
	    " WHERE kind = 'board' AND period IN ('2019-02', '2024-08', '2024-11')"
	    " AND generated_by = 'caseauditd'"), 3);

	TEST_OK("--once", "--today", "2025-07-01");
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM reports"
	    " WHERE kind = 'board' AND period = '2025-01' AND generated_by = 'caseauditd'"), 1);
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM jobs"
	    " WHERE kind = 'report' AND state <> 'done'"), 0);
	/* the CLI on the same data: the same bytes, already kept */
	assert_int_equal(test_cli(&r, "report", "board", "--period", "2025-01", NULL), 0);
	assert_non_null(strstr(r.out, "already kept as report"));
	test_run_free(&r);
	/* again: nothing new */
	TEST_OK("--once", "--today", "2025-07-02");
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM jobs"
	    " WHERE kind = 'report'"), 4);
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM reports"
	    " WHERE kind = 'board' AND period = '2025-01'"), 1);
	unlink(conf);
	*strrchr(conf, '/') = '\0';
	rmdir(conf);
	free(conf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sections_in_order),
		cmocka_unit_test(key_figures),
		cmocka_unit_test(fonts_bytes_and_row),
		cmocka_unit_test(empty_and_partial),
		cmocka_unit_test(long_names_and_many_partners),
		cmocka_unit_test(verbose_steps),
		cmocka_unit_test(refusals),
		cmocka_unit_test(help_lists_report),
		cmocka_unit_test(provider_figures),
		cmocka_unit_test(provider_edges),
		cmocka_unit_test(daemon_job),
	};

	return cmocka_run_group_tests_name("report", tests, setup, teardown);
}
