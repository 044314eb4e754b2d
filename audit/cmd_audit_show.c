/*
 * cmd_audit_show.c - `caseaudit audit show ID`: everything about one audit
 * on one screen (or in one JSON document): the case with its pseudonymous
 * ref, the screening prompts beside the questions they concern, every
 * question with its answer, the grade and domain scores, actions,
 * escalations, feedback, moderation and the history.
 *
 * The narrative itself is never printed: the auditor reads it in the case
 * record.  Screening prompts are shown as rule names and counts.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "date.h"
#include "db.h"
#include "history.h"
#include "listing.h"
#include "strbuf.h"

int ca_cmd_audit_show(int argc, char **argv);

/* ---- the queries, one per part of the document ------------------------- */

static const ca_column head_cols[] = {
	{ "id", "AUDIT", CA_COL_NUMBER },
	{ "status", "STATUS", CA_COL_TEXT },
	{ "version", "VERSION", CA_COL_NUMBER },
	{ "assessment_ref", "CASE", CA_COL_TEXT },
	{ "assessment_type", "TYPE", CA_COL_TEXT },
	{ "provider", "PARTNER", CA_COL_TEXT },
	{ "assessor", "ASSESSOR", CA_COL_TEXT },
	{ "requested_on", "REQUESTED", CA_COL_DATE },
	{ "completed_on", "COMPLETED", CA_COL_DATE },
	{ "auditor", "AUDITOR", CA_COL_TEXT },
	{ "form", "CHECKLIST", CA_COL_TEXT },
	{ "form_version", "FORM VERSION", CA_COL_NUMBER },
	{ "due_on", "DUE", CA_COL_DATE },
	{ "grade", "GRADE", CA_COL_TEXT },
	{ "run", "RUN", CA_COL_NUMBER },
	{ "period", "PERIOD", CA_COL_TEXT },
	{ "targeted", "TARGETED", CA_COL_BOOL },
	{ "started_on", "STARTED", CA_COL_DATE },
	{ "submitted_on", "SUBMITTED", CA_COL_DATE },
	{ "closed_on", "CLOSED", CA_COL_DATE },
	{ "strengths_noted", "STRENGTHS NOTED", CA_COL_TEXT },
	{ "learning_points", "LEARNING POINTS", CA_COL_TEXT },
	{ "cancel_reason", "CANCELLED BECAUSE", CA_COL_TEXT },
	{ "domain_scores", "DOMAIN SCORES", CA_COL_JSON },
	{ "screening", "SCREENING", CA_COL_JSON },
	{ "escalations", "SAFEGUARDING", CA_COL_JSON },
	{ "feedback", "FEEDBACK", CA_COL_JSON },
	{ "moderation", "MODERATION", CA_COL_JSON },
	{ "unassigned_reason", "WHY UNASSIGNED", CA_COL_TEXT },
};
enum { H_ID, H_STATUS, H_VERSION, H_REF, H_TYPE, H_PROVIDER, H_ASSESSOR, H_REQUESTED,
	H_COMPLETED, H_AUDITOR, H_FORM, H_FORM_VERSION, H_DUE, H_GRADE, H_RUN, H_PERIOD,
	H_TARGETED, H_STARTED, H_SUBMITTED, H_CLOSED, H_STRENGTHS, H_LEARNING, H_CANCEL,
	H_SCORES, H_SCREENING, H_ESCALATIONS, H_FEEDBACK, H_MODERATION, H_UNASSIGNED, H_N };

static const char head_sql[] =
	"SELECT au.id, au.status, au.version, a.assessment_ref, a.assessment_type, o.name,"
	"  a.assessor_ref, a.requested_on, a.completed_on, s.staff_ref, f.name, v.version,"
	"  au.due_on, au.grade, au.run_id, r.period,"
	"  EXISTS (SELECT 1 FROM sampling_run_targeted t WHERE t.run_id = au.run_id"
	"    AND t.assessment_id = au.assessment_id),"
	"  au.started_on, au.submitted_on, au.closed_on, au.strengths_noted, au.learning_points,"
	"  au.cancel_reason,"
	"  (SELECT json_object_agg(d.domain, json_build_object('score', round(d.score::numeric, 4),"
	"     'applicable', d.applicable, 'met', d.met, 'partially_met', d.partially_met,"
	"     'not_met', d.not_met) ORDER BY d.domain) FROM domain_scores d"
	"   WHERE d.audit_id = au.id),"
	"  (SELECT json_build_object('flags', cs.flags, 'outcomes', cs.outcomes,"
	"     'outcome_count', cs.outcome_count, 'strengths_terms', cs.strengths_terms,"
	"     'deficit_terms', cs.deficit_terms, 'matches', cs.matches)"
	"   FROM current_screenings cs WHERE cs.assessment_id = a.id),"
	"  (SELECT coalesce(json_agg(json_build_object('id', e.id, 'source', e.source,"
	"     'question', e.question_id, 'raised_on', e.raised_on, 'raised_by', rb.staff_ref,"
	"     'acknowledged_on', e.acknowledged_on, 'acknowledged_by', ab.staff_ref)"
	"     ORDER BY e.id), '[]') FROM escalations e JOIN staff rb ON rb.id = e.raised_by"
	"   LEFT JOIN staff ab ON ab.id = e.acknowledged_by WHERE e.audit_id = au.id),"
	"  (SELECT json_build_object('submission', fb.submission, 'sent_on', fb.sent_on,"
	"     'window_ends', fb.window_ends, 'comments', (SELECT coalesce(json_agg("
	"       json_build_object('by', cs.staff_ref, 'on', c.made_on, 'text', c.text)"
	"       ORDER BY c.id), '[]') FROM feedback_comments c JOIN staff cs ON cs.id = c.author_id"
	"       WHERE c.feedback_id = fb.id))"
	"   FROM feedback fb WHERE fb.audit_id = au.id ORDER BY fb.submission DESC LIMIT 1),"
	"  (SELECT json_build_object('status', m.status, 'reason', m.reason,"
	"     'moderator', ms.staff_ref, 'grade', m.grade, 'returned', m.returned,"
	"     'done_on', m.done_on)"
	"   FROM moderations m LEFT JOIN staff ms ON ms.id = m.moderator_id"
	"   WHERE m.audit_id = au.id ORDER BY m.id DESC LIMIT 1),"
	"  au.unassigned_reason"
	" FROM audits au JOIN assessments a ON a.id = au.assessment_id"
	" JOIN organisations o ON o.id = a.provider_id"
	" JOIN sampling_runs r ON r.id = au.run_id"
	" JOIN form_versions v ON v.id = au.form_version_id JOIN forms f ON f.id = v.form_id"
	" LEFT JOIN staff s ON s.id = au.auditor_id"
	" WHERE au.id = $1";

/* The same parts in sentences, for people (table output only). */
enum { T_SCREENING, T_SCORES, T_ESCALATIONS, T_FEEDBACK, T_MODERATION };

static const char summary_sql[] =
	"SELECT"
	"  (SELECT 'flags: ' || coalesce(nullif(array_to_string(cs.flags, ', '), ''), 'none')"
	"     || '; eligibility outcomes found: ' || cs.outcome_count || ' of 10'"
	"     || coalesce(' (' || nullif(array_to_string(cs.outcomes, ', '), '') || ')', '')"
	"     || '; strengths terms ' || cs.strengths_terms || ', deficit terms '"
	"     || cs.deficit_terms FROM current_screenings cs WHERE cs.assessment_id = au.assessment_id),"
	"  (SELECT string_agg(d.domain || ' ' || coalesce(round(d.score * 100) || '%',"
	"     'not applicable'), ', ' ORDER BY array_position(ARRAY['holistic', 'strengths',"
	"     'risk', 'carers', 'outcomes', 'recording'], d.domain))"
	"   FROM domain_scores d WHERE d.audit_id = au.id),"
	"  (SELECT string_agg(CASE e.source WHEN 'question' THEN 'question ' || e.question_id"
	"     ELSE 'flagged' END || ' by ' || rb.staff_ref || ' on '"
	"     || to_char(e.raised_on, 'DD/MM/YYYY') || coalesce(', acknowledged by '"
	"     || ab.staff_ref || ' on ' || to_char(e.acknowledged_on, 'DD/MM/YYYY'),"
	"     ', NOT YET ACKNOWLEDGED'), '; ' ORDER BY e.id)"
	"   FROM escalations e JOIN staff rb ON rb.id = e.raised_by"
	"   LEFT JOIN staff ab ON ab.id = e.acknowledged_by WHERE e.audit_id = au.id),"
	"  (SELECT 'sent ' || to_char(fb.sent_on, 'DD/MM/YYYY') || ' to the partner and '"
	"     || fb.assessor_ref || '; comments until ' || to_char(fb.window_ends, 'DD/MM/YYYY')"
	"     || '; ' || (SELECT CASE count(*) WHEN 0 THEN 'no comments' WHEN 1 THEN '1 comment'"
	"       ELSE count(*) || ' comments' END FROM feedback_comments c"
	"       WHERE c.feedback_id = fb.id)"
	"   FROM feedback fb WHERE fb.audit_id = au.id ORDER BY fb.submission DESC LIMIT 1),"
	"  (SELECT m.status || ' (' || m.reason || ')' || coalesce(', moderator '"
	"     || ms.staff_ref, ', waiting for a moderator') || coalesce(', graded ' || m.grade, '')"
	"     || CASE WHEN m.returned THEN ', returned' ELSE '' END"
	"   FROM moderations m LEFT JOIN staff ms ON ms.id = m.moderator_id"
	"   WHERE m.audit_id = au.id ORDER BY m.id DESC LIMIT 1)"
	" FROM audits au WHERE au.id = $1";

static const ca_column question_cols[] = {
	{ "id", "QUESTION", CA_COL_TEXT },
	{ "section", "SECTION", CA_COL_TEXT },
	{ "domain", "DOMAIN", CA_COL_TEXT },
	{ "text", "TEXT", CA_COL_TEXT },
	{ "scale", "SCALE", CA_COL_JSON },
	{ "rating", "RATING", CA_COL_TEXT },
	{ "evidence", "EVIDENCE", CA_COL_TEXT },
	{ "required", "REQUIRED", CA_COL_BOOL },
	{ "evidence_required_for", "EVIDENCE FOR", CA_COL_JSON },
	{ "weight", "WEIGHT", CA_COL_NUMBER },
	{ "answered_on", "ANSWERED", CA_COL_DATE },
	{ "prompts", "PROMPTS", CA_COL_JSON },
};
enum { Q_ID, Q_SECTION, Q_DOMAIN, Q_TEXT, Q_SCALE, Q_RATING, Q_EVIDENCE, Q_REQUIRED,
	Q_EVIDENCE_FOR, Q_WEIGHT, Q_ANSWERED, Q_PROMPTS, Q_N,
	Q_SCALE_TEXT = Q_N, Q_EVIDENCE_FOR_TEXT, Q_PROMPTS_TEXT };

/* A question's prompts are screening rule ids; beside each, how often the
 * rule matched this case's narrative (current screening only). */
static const char question_sql[] =
	"SELECT q.question_id, sec.title, sec.domain, q.text,"
	"  (SELECT json_agg(x.r ->> 'id' ORDER BY x.ord) FROM form_versions v,"
	"     jsonb_array_elements(v.scale) sc,"
	"     jsonb_array_elements(sc -> 'ratings') WITH ORDINALITY x(r, ord)"
	"   WHERE v.id = q.form_version_id AND sc ->> 'id' = q.scale),"
	"  an.rating, an.evidence, q.required, to_json(q.evidence_required_for), q.weight,"
	"  an.answered_on,"
	"  (SELECT coalesce(json_agg(json_build_object('rule', p.rule, 'matches',"
	"     (SELECT count(*) FROM current_screenings cs, jsonb_array_elements(cs.matches) m"
	"      WHERE cs.assessment_id = au.assessment_id AND m ->> 'rule' = p.rule))"
	"     ORDER BY p.ord), '[]') FROM unnest(q.prompts) WITH ORDINALITY p(rule, ord)),"
	"  (SELECT string_agg(x.r ->> 'id', ' / ' ORDER BY x.ord) FROM form_versions v,"
	"     jsonb_array_elements(v.scale) sc,"
	"     jsonb_array_elements(sc -> 'ratings') WITH ORDINALITY x(r, ord)"
	"   WHERE v.id = q.form_version_id AND sc ->> 'id' = q.scale),"
	"  coalesce(nullif(array_to_string(q.evidence_required_for, ', '), ''), 'none'),"
	"  (SELECT string_agg(h.rule || ' x' || h.n, ', ' ORDER BY h.ord) FROM ("
	"     SELECT p.rule, p.ord, (SELECT count(*) FROM current_screenings cs,"
	"       jsonb_array_elements(cs.matches) m WHERE cs.assessment_id = au.assessment_id"
	"       AND m ->> 'rule' = p.rule) AS n"
	"     FROM unnest(q.prompts) WITH ORDINALITY p(rule, ord)) h WHERE h.n > 0)"
	" FROM audits au JOIN form_questions q ON q.form_version_id = au.form_version_id"
	" JOIN form_sections sec ON sec.form_version_id = q.form_version_id"
	"  AND sec.position = q.section_position"
	" LEFT JOIN answers an ON an.audit_id = au.id AND an.question_id = q.question_id"
	" WHERE au.id = $1 ORDER BY q.position";

static const ca_column action_cols[] = {
	{ "id", "ACTION", CA_COL_NUMBER },
	{ "owner", "OWNER", CA_COL_TEXT },
	{ "due_on", "DUE", CA_COL_DATE },
	{ "status", "STATUS", CA_COL_TEXT },
	{ "text", "TEXT", CA_COL_TEXT },
	{ "done_on", "DONE", CA_COL_DATE },
};

static const char action_sql[] =
	"SELECT ac.id, coalesce(s.staff_ref, o.name), ac.due_on, ac.status, ac.text, ac.done_on"
	" FROM actions ac LEFT JOIN staff s ON s.id = ac.owner_staff_id"
	" LEFT JOIN organisations o ON o.id = ac.owner_organisation_id"
	" WHERE ac.audit_id = $1 ORDER BY ac.id";

/* ---- JSON --------------------------------------------------------------- */

static void
json_array(ca_strbuf *b, const char *key, const PGresult *res, const ca_column *cols, int n)
{
	ca_strbuf_addf(b, ", \"%s\": [", key);
	for (int r = 0; r < PQntuples(res); r++) {
		if (r > 0)
			ca_strbuf_adds(b, ", ");
		ca_listing_json_object(b, res, r, cols, n);
	}
	ca_strbuf_adds(b, "]");
}

static int
print_json(const PGresult *head, const PGresult *qs, const PGresult *acts,
    const PGresult *hist)
{
	ca_strbuf b;
	int rc = 0;

	ca_strbuf_init(&b);
	ca_listing_json_object(&b, head, 0, head_cols, H_N);
	if (!ca_strbuf_failed(&b))
		b.len--;                /* reopen the object: the arrays follow */
	json_array(&b, "questions", qs, question_cols, Q_N);
	json_array(&b, "actions", acts, action_cols, 6);
	json_array(&b, "history", hist, ca_history_columns, CA_HISTORY_COLUMNS);
	ca_strbuf_adds(&b, "}\n");
	if (ca_strbuf_failed(&b))
		rc = 70;
	else
		fputs(b.data, stdout);
	ca_strbuf_free(&b);
	return rc;
}

/* ---- for people ----------------------------------------------------------- */

static const char *
val(const PGresult *res, int r, int c)
{
	return PQgetisnull(res, r, c) ? "" : PQgetvalue(res, r, c);
}

static const char *
uk(const PGresult *res, int r, int c, char *buf)
{
	ca_date_uk(val(res, r, c), buf);
	return buf[0] ? buf : "-";
}

/* Text wrapped at 78 columns, the first line after `lead` (already
 * printed, lead_width columns), the rest indented by `indent`.  Breaks at
 * spaces; a word longer than a line stands on its own. */
static void
print_wrapped(int lead_width, int indent, const char *text)
{
	int col = lead_width, first = 1;

	for (;;) {
		const char *end;
		int w = 0;

		while (*text == ' ' || *text == '\n')
			text++;
		for (end = text; *end != '\0' && *end != ' ' && *end != '\n'; end++)
			w += ((unsigned char)*end & 0xC0) != 0x80;
		if (end == text)
			break;
		if (!first && col + 1 + w > 78) {
			printf("\n%*s", indent, "");
			col = indent;
		} else if (!first) {
			putchar(' ');
			col++;
		}
		fwrite(text, 1, (size_t)(end - text), stdout);
		col += w;
		first = 0;
		text = end;
	}
	putchar('\n');
}

/* A labelled line, its text wrapped under itself; nothing when NULL. */
static void
print_line(const char *label, const PGresult *res, int c)
{
	if (PQgetisnull(res, 0, c))
		return;
	printf("  %-13s", label);
	print_wrapped(15, 15, val(res, 0, c));
}

static void
print_head(const PGresult *h, const PGresult *t)
{
	char d1[11], d2[11], d3[11];

	printf("Audit %s: %s (version %s)\n", val(h, 0, H_ID), val(h, 0, H_STATUS),
	    val(h, 0, H_VERSION));
	printf("  Case         %s, %s, by %s for %s\n", val(h, 0, H_REF), val(h, 0, H_TYPE),
	    val(h, 0, H_ASSESSOR), val(h, 0, H_PROVIDER));
	printf("  Dates        requested %s, completed %s\n", uk(h, 0, H_REQUESTED, d1),
	    uk(h, 0, H_COMPLETED, d2));
	printf("  Sample       run %s, period %s%s\n", val(h, 0, H_RUN), val(h, 0, H_PERIOD),
	    val(h, 0, H_TARGETED)[0] == 't' ? " (targeted re-audit, not part of the random draw)"
	    : "");
	printf("  Checklist    %s version %s\n", val(h, 0, H_FORM), val(h, 0, H_FORM_VERSION));
	printf("  Auditor      %s, due %s\n", PQgetisnull(h, 0, H_AUDITOR) ? "none yet" :
	    val(h, 0, H_AUDITOR), uk(h, 0, H_DUE, d1));
	print_line("Waiting", h, H_UNASSIGNED);
	if (!PQgetisnull(h, 0, H_STARTED) || !PQgetisnull(h, 0, H_SUBMITTED))
		printf("  Progress     started %s, submitted %s%s%s\n", uk(h, 0, H_STARTED, d1),
		    uk(h, 0, H_SUBMITTED, d2), PQgetisnull(h, 0, H_CLOSED) ? "" : ", closed ",
		    PQgetisnull(h, 0, H_CLOSED) ? "" : uk(h, 0, H_CLOSED, d3));
	printf("  Grade        %s\n", PQgetisnull(h, 0, H_GRADE) ? "-" : val(h, 0, H_GRADE));
	print_line("Scores", t, T_SCORES);
	print_line("Cancelled", h, H_CANCEL);
	if (PQgetisnull(t, 0, T_SCREENING))
		printf("  Screening    not screened yet\n");
	print_line("Screening", t, T_SCREENING);
	print_line("Safeguarding", t, T_ESCALATIONS);
	print_line("Feedback", t, T_FEEDBACK);
	print_line("Moderation", t, T_MODERATION);
	print_line("Strengths", h, H_STRENGTHS);
	print_line("Learning", h, H_LEARNING);
}

static void
print_questions(const PGresult *q)
{
	const char *section = NULL;
	char d[11];

	for (int r = 0; r < PQntuples(q); r++) {
		if (section == NULL || strcmp(section, val(q, r, Q_SECTION)) != 0) {
			section = val(q, r, Q_SECTION);
			printf("\n%s (%s)\n", section, val(q, r, Q_DOMAIN));
		}
		printf("\n  %s%s\n    ", val(q, r, Q_ID),
		    val(q, r, Q_REQUIRED)[0] == 't' ? "" : " (optional)");
		print_wrapped(4, 4, val(q, r, Q_TEXT));
		printf("    ratings: %s\n    evidence needed for: %s\n", val(q, r, Q_SCALE_TEXT),
		    val(q, r, Q_EVIDENCE_FOR_TEXT));
		if (!PQgetisnull(q, r, Q_PROMPTS_TEXT)) {
			printf("    screening found: ");
			print_wrapped(21, 6, val(q, r, Q_PROMPTS_TEXT));
		}
		if (PQgetisnull(q, r, Q_RATING)) {
			printf("    => not answered\n");
		} else {
			printf("    => %s on %s", val(q, r, Q_RATING), uk(q, r, Q_ANSWERED, d));
			if (!PQgetisnull(q, r, Q_EVIDENCE)) {
				printf(": ");
				print_wrapped(40, 7, val(q, r, Q_EVIDENCE));
			} else {
				putchar('\n');
			}
		}
	}
}

static void
print_table(const PGresult *head, const PGresult *text, const PGresult *qs,
    const PGresult *acts, const PGresult *hist)
{
	print_head(head, text);
	print_questions(qs);
	printf("\nActions\n");
	ca_listing_print(stdout, acts, action_cols, 6, CA_FORMAT_TABLE, "  none");
	printf("\nHistory\n");
	ca_listing_print(stdout, hist, ca_history_columns, 4, CA_FORMAT_TABLE, "  nothing yet");
}

int
ca_cmd_audit_show(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	PGresult *head = NULL, *text = NULL, *qs = NULL, *acts = NULL, *hist = NULL;
	ca_format fmt = CA_FORMAT_TABLE;
	const char *db = NULL, *p[1];
	ca_err err = { 0 };
	PGconn *conn;
	uint64_t id;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (ch == 'f') {
			if ((rc = ca_format_parse("audit", optarg, &fmt)) != 0)
				return rc;
			if (fmt == CA_FORMAT_CSV)
				return ca_cli_usage("audit", "audit show prints a table or json");
		} else if (ch == 'd') {
			db = optarg;
		} else {
			return ca_cli_usage("audit", "unknown option for audit show");
		}
	}
	if (optind + 1 != argc)
		return ca_cli_usage("audit", "audit show takes one audit ID");
	if (ca_cli_parse_u64(argv[optind], INT64_MAX, &id) != 0 || id == 0)
		return ca_cli_usage("audit", "ID must be an audit number, not '%s'", argv[optind]);
	if ((rc = ca_cli_connect(db, &conn)) != 0)
		return rc;
	p[0] = argv[optind];
	/* One snapshot, so the parts agree with each other. */
	rc = ca_db_exec(conn, &err, "reading the audit",
	    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL);
	if (rc == 0 && (head = ca_db_query(conn, &err, "reading the audit", head_sql, 1, p))
	    == NULL)
		rc = err.code;
	if (rc == 0 && PQntuples(head) == 0)
		rc = ca_err_set(&err, CA_EX_DATAERR, "there is no audit %s", p[0]);
	if (rc == 0 && ((qs = ca_db_query(conn, &err, "reading the questions", question_sql, 1,
	    p)) == NULL || (acts = ca_db_query(conn, &err, "reading the actions", action_sql, 1,
	    p)) == NULL || (hist = ca_history_query(conn, p[0], &err)) == NULL ||
	    (fmt == CA_FORMAT_TABLE && (text = ca_db_query(conn, &err, "reading the audit",
	    summary_sql, 1, p)) == NULL)))
		rc = err.code;
	ca_db_rollback(conn);
	if (rc == 0) {
		if (fmt == CA_FORMAT_JSON)
			rc = print_json(head, qs, acts, hist);
		else
			print_table(head, text, qs, acts, hist);
	}
	PQclear(head);
	PQclear(qs);
	PQclear(acts);
	PQclear(hist);
	PQclear(text);
	ca_db_close(conn);
	return rc != 0 && err.code != 0 ? ca_cli_fail(&err) : rc;
}
