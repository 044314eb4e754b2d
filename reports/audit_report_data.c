/*
 * audit_report_data.c - reading one audit for its feedback report
 * (audit_report_data.h).
 *
 * Four queries in one read-only snapshot, so the scores, answers and
 * actions all belong to the same moment.  Dates come back as YYYY-MM-DD
 * whatever the session's DateStyle.  The narrative (assessments.summary)
 * and staff names are never selected: what is not read cannot be drawn.
 */
#include "audit_report_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "redact.h"
#include "strbuf.h"

#define D(x) "to_char(" x ", 'YYYY-MM-DD')"

/* The moderation of the current submission, when it was not withdrawn. */
#define CURRENT_MODERATION                                                        \
	" LEFT JOIN moderations md ON md.audit_id = au.id"                         \
	"  AND md.submission = au.submissions AND md.status <> 'withdrawn'"

static const char head_sql[] =
	"SELECT au.id, au.status, au.grade, a.assessment_ref, a.assessment_type, o.name,"
	"  a.assessor_ref, s.staff_ref, v.title, v.version, " D("a.completed_on") ","
	"  " D("au.submitted_on") ", " D("au.closed_on") ", au.submissions,"
	"  au.strengths_noted, au.learning_points,"
	"  r.id, r.period, r.method, r.parameters ->> 'strata', r.sample_size,"
	"  r.population_size, m.part,"
	"  rq.kind, rq.audit_id, " D("rq.requested_on") ", rq.reason,"
	"  " D("fb.sent_on") ", " D("fb.window_ends") ","
	"  md.status, md.reason, ms.staff_ref, md.auditor_grade, md.grade, md.comment,"
	"  md.returned, " D("md.done_on") ","
	"  (SELECT count(*) FROM moderation_ratings mr WHERE mr.moderation_id = md.id),"
	"  (SELECT count(*) FROM moderation_ratings mr WHERE mr.moderation_id = md.id"
	"    AND mr.moderator_rating <> mr.auditor_rating),"
	"  (SELECT value FROM settings WHERE key = 'organisation_name'),"
	"  to_char(asof.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	"  to_char(asof.at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
	" FROM audits au JOIN assessments a ON a.id = au.assessment_id"
	" JOIN organisations o ON o.id = a.provider_id"
	" JOIN form_versions v ON v.id = au.form_version_id"
	" JOIN sampling_runs r ON r.id = au.run_id"
	" LEFT JOIN staff s ON s.id = au.auditor_id"
	" LEFT JOIN sampling_run_members m ON m.run_id = au.run_id"
	"  AND m.assessment_id = au.assessment_id"
	" LEFT JOIN sampling_run_targeted t ON t.run_id = au.run_id"
	"  AND t.assessment_id = au.assessment_id"
	" LEFT JOIN reaudit_requests rq ON rq.id = t.request_id"
	" LEFT JOIN feedback fb ON fb.audit_id = au.id AND fb.submission = au.submissions"
	CURRENT_MODERATION
	" LEFT JOIN staff ms ON ms.id = md.moderator_id"
	/* "Data as at": the latest day the audit's own work recorded (the
	 * workflow's calendar dates, as the board report reads them), as the
	 * start of that day in UTC; never a wall-clock timestamp, which a
	 * daemon run with --today or a simulated year would not match */
	" CROSS JOIN LATERAL (SELECT greatest(au.started_on, au.submitted_on, au.closed_on,"
	"    (SELECT max(an.answered_on) FROM answers an WHERE an.audit_id = au.id),"
	"    (SELECT max(f.sent_on) FROM feedback f WHERE f.audit_id = au.id),"
	"    (SELECT max(c.made_on) FROM feedback f JOIN feedback_comments c"
	"       ON c.feedback_id = f.id WHERE f.audit_id = au.id),"
	"    (SELECT max(greatest(ac.created_on, ac.done_on)) FROM actions ac"
	"       WHERE ac.audit_id = au.id),"
	"    (SELECT max(greatest(mo.selected_on, mo.done_on)) FROM moderations mo"
	"       WHERE mo.audit_id = au.id),"
	"    (SELECT max(greatest(es.raised_on, es.acknowledged_on)) FROM escalations es"
	"       WHERE es.audit_id = au.id))::timestamp AT TIME ZONE 'UTC' AS at) asof"
	" WHERE au.id = $1";

static const char scores_sql[] =
	"SELECT ds.domain, (SELECT sec.title FROM form_sections sec"
	"    WHERE sec.form_version_id = au.form_version_id AND sec.domain = ds.domain"
	"    ORDER BY sec.position LIMIT 1),"
	"  ds.score, ds.applicable, ds.met, ds.partially_met, ds.not_met, ds.questions"
	" FROM domain_scores ds JOIN audits au ON au.id = ds.audit_id"
	" WHERE ds.audit_id = $1"
	" ORDER BY array_position(ARRAY['holistic', 'strengths', 'risk', 'carers', 'outcomes',"
	"  'recording'], ds.domain)";

/* A rating's label and score in the question's scale. */
#define RATING(alias, rating)                                                    \
	" LEFT JOIN LATERAL (SELECT x ->> 'label' AS label, x ->> 'score' AS score"  \
	"   FROM form_versions fv, jsonb_array_elements(fv.scale) sc,"               \
	"   jsonb_array_elements(sc -> 'ratings') x WHERE fv.id = q.form_version_id" \
	"   AND sc ->> 'id' = q.scale AND x ->> 'id' = " rating ") " alias " ON true"

static const char questions_sql[] =
	"SELECT row_number() OVER (ORDER BY q.position), sec.position, sec.title, sec.domain,"
	"  q.text, an.rating, coalesce(rt.label, an.rating), rt.score, an.evidence, q.required,"
	"  CASE WHEN mr.moderator_rating <> mr.auditor_rating"
	"    THEN coalesce(mt.label, mr.moderator_rating) END"
	" FROM audits au JOIN form_questions q ON q.form_version_id = au.form_version_id"
	" JOIN form_sections sec ON sec.form_version_id = q.form_version_id"
	"  AND sec.position = q.section_position"
	" LEFT JOIN answers an ON an.audit_id = au.id AND an.question_id = q.question_id"
	CURRENT_MODERATION " AND md.status = 'done'"
	" LEFT JOIN moderation_ratings mr ON mr.moderation_id = md.id"
	"  AND mr.question_id = q.question_id"
	RATING("rt", "an.rating")
	RATING("mt", "mr.moderator_rating")
	" WHERE au.id = $1 ORDER BY q.position";

static const char actions_sql[] =
	"SELECT ac.id, coalesce(s.staff_ref, o.name), " D("ac.due_on") ", ac.status,"
	"  " D("ac.done_on") ", ac.text"
	" FROM actions ac LEFT JOIN staff s ON s.id = ac.owner_staff_id"
	" LEFT JOIN organisations o ON o.id = ac.owner_organisation_id"
	" WHERE ac.audit_id = $1 ORDER BY ac.due_on, ac.id";

static const char comments_sql[] =
	"SELECT s.staff_ref, " D("c.made_on") ", c.text"
	" FROM audits au JOIN feedback fb ON fb.audit_id = au.id"
	"  AND fb.submission = au.submissions"
	" JOIN feedback_comments c ON c.feedback_id = fb.id"
	" JOIN staff s ON s.id = c.author_id"
	" WHERE au.id = $1 ORDER BY c.made_on, c.id";

static const char escalations_sql[] =
	"SELECT e.source, (SELECT row_number FROM (SELECT q.question_id,"
	"     row_number() OVER (ORDER BY q.position) FROM form_questions q"
	"     WHERE q.form_version_id = au.form_version_id) n"
	"   WHERE n.question_id = e.question_id),"
	"  " D("e.raised_on") ", " D("e.acknowledged_on") ", e.note"
	" FROM escalations e JOIN audits au ON au.id = e.audit_id"
	" WHERE e.audit_id = $1 ORDER BY e.raised_on, e.id";

/* The free-text columns of each query, to redact; each list ends with
 * -1. */
static const int head_text[] = { H_STRENGTHS, H_LEARNING, H_RQ_REASON, H_MOD_COMMENT, -1 };
static const int no_text[] = { -1 };
static const int questions_text[] = { Q_EVIDENCE, -1 };
static const int actions_text[] = { A_TEXT, -1 };
static const int comments_text[] = { C_TEXT, -1 };
static const int escalations_text[] = { E_NOTE, -1 };

static int
is_text(const int *cols, int c)
{
	for (; *cols >= 0; cols++)
		if (*cols == c)
			return 1;
	return 0;
}

/* ---- rows ------------------------------------------------------------------- */

const char *
ar_get(const ar_rows *t, int r, int c)
{
	if (r < 0 || r >= t->rows || c < 0 || c >= t->cols)
		return NULL;
	return t->cell[(size_t)r * (size_t)t->cols + (size_t)c];
}

const char *
ar_str(const ar_rows *t, int r, int c)
{
	const char *s = ar_get(t, r, c);

	return s != NULL ? s : "";
}

static void
rows_free(ar_rows *t)
{
	for (size_t i = 0; t->cell != NULL && i < (size_t)t->rows * (size_t)t->cols; i++)
		free(t->cell[i]);
	free(t->cell);
	memset(t, 0, sizeof *t);
}

/* s with personal data masked, malloc'd.  Text that cannot be checked
 * (not UTF-8, or a pattern hit its match limit) is withheld: shown
 * unchecked it might carry exactly what redaction is for.  NULL only
 * when out of memory. */
static char *
redacted(ca_redactor *rd, const char *s)
{
	ca_err ignored = { 0 };
	ca_strbuf b;
	char *out;

	ca_strbuf_init(&b);
	if (ca_redact(rd, s, strlen(s), &b, &ignored) != 0 || ca_strbuf_failed(&b)) {
		int oom = ca_strbuf_failed(&b);

		ca_strbuf_free(&b);
		return oom ? NULL : strdup(AR_WITHHELD);
	}
	out = b.data != NULL ? b.data : strdup("");
	return out;
}

/* Run sql for the audit and keep its rows, the columns listed in
 * `text` passed through the redaction function. */
static int
rows_read(PGconn *conn, ca_redactor *rd, const char *what, const char *sql,
    const char *id, const int *text, ar_rows *t, ca_err *err)
{
	const char *p[1] = { id };
	PGresult *res = ca_db_query(conn, err, what, sql, 1, p);
	size_t n;

	if (res == NULL)
		return err->code;
	t->rows = PQntuples(res);
	t->cols = PQnfields(res);
	n = (size_t)t->rows * (size_t)t->cols;
	if (n > 0 && (t->cell = calloc(n, sizeof *t->cell)) == NULL)
		goto oom;
	for (int r = 0; r < t->rows; r++)
		for (int c = 0; c < t->cols; c++) {
			const char *v = PQgetvalue(res, r, c);
			char **cell = &t->cell[(size_t)r * (size_t)t->cols + (size_t)c];

			if (PQgetisnull(res, r, c))
				continue;
			*cell = is_text(text, c) ? redacted(rd, v) : strdup(v);
			if (*cell == NULL)
				goto oom;
		}
	PQclear(res);
	return 0;
oom:
	PQclear(res);
	return ca_err_set(err, CA_EX_SOFTWARE, "%s: out of memory", what);
}

/* ---- the audit ------------------------------------------------------------- */

/* Only findings that have been sent have a report. */
static int
check_status(const ar_data *d, const char *id, ca_err *err)
{
	const char *st;

	if (d->head.rows == 0)
		return ca_err_set(err, CA_EX_DATAERR, "there is no audit %s", id);
	st = ar_str(&d->head, 0, H_STATUS);
	if (strcmp(st, "submitted") == 0 || strcmp(st, "feedback") == 0 ||
	    strcmp(st, "closed") == 0)
		return 0;
	if (strcmp(st, "cancelled") == 0)
		return ca_err_set(err, CA_EX_DATAERR, "audit %s is cancelled; it has no feedback "
		    "report", id);
	if (strcmp(st, "returned") == 0)
		return ca_err_set(err, CA_EX_DATAERR, "audit %s is returned; its feedback report "
		    "exists once it is submitted again", id);
	return ca_err_set(err, CA_EX_DATAERR, "audit %s is %s; its feedback report exists once "
	    "it is submitted", id, st);
}

static int
read_all(PGconn *conn, ca_redactor *rd, const char *id, ar_data *d, ca_err *err)
{
	int rc;

	if ((rc = rows_read(conn, rd, "reading the audit", head_sql, id, head_text, &d->head,
	    err)) != 0)
		return rc;
	if ((rc = check_status(d, id, err)) != 0)
		return rc;
	if ((rc = rows_read(conn, rd, "reading the domain scores", scores_sql, id, no_text,
	    &d->scores, err)) != 0 ||
	    (rc = rows_read(conn, rd, "reading the answers", questions_sql, id, questions_text,
	    &d->questions, err)) != 0 ||
	    (rc = rows_read(conn, rd, "reading the actions", actions_sql, id, actions_text,
	    &d->actions, err)) != 0 ||
	    (rc = rows_read(conn, rd, "reading the comments", comments_sql, id, comments_text,
	    &d->comments, err)) != 0 ||
	    (rc = rows_read(conn, rd, "reading the escalations", escalations_sql, id,
	    escalations_text, &d->escalations, err)) != 0)
		return rc;
	return 0;
}

int
ar_load(PGconn *conn, long long audit_id, ar_data *d, ca_err *err)
{
	ca_redactor *rd = NULL;
	char id[24];
	int own, rc;

	memset(d, 0, sizeof *d);
	snprintf(id, sizeof id, "%lld", audit_id);
	if ((rc = ca_redactor_new(&rd, err)) != 0)
		return rc;
	/* Our own snapshot, unless the caller has a transaction we belong
	 * to (storing the report with the data it was drawn from). */
	own = PQtransactionStatus(conn) == PQTRANS_IDLE;
	if (own && (rc = ca_db_exec(conn, err, "reading the audit",
	    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL)) != 0)
		goto done;
	rc = read_all(conn, rd, id, d, err);
	if (own) {
		if (rc == 0)
			rc = ca_db_commit(conn, err);
		else
			ca_db_rollback(conn);
	}
done:
	ca_redactor_free(rd);
	if (rc != 0)
		ar_free(d);
	return rc;
}

void
ar_free(ar_data *d)
{
	rows_free(&d->head);
	rows_free(&d->scores);
	rows_free(&d->questions);
	rows_free(&d->actions);
	rows_free(&d->comments);
	rows_free(&d->escalations);
}
