/*
 * workflow.c - the audit workflow after assignment (workflow.h).
 *
 * Each public function is one unit of work: ca_wf_open locks the audit and
 * reads who is acting; the function checks the rules, makes its change and
 * writes its events; ca_wf_close commits or rolls back.
 */
#include "workflow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "scores.h"
#include "strbuf.h"
#include "utf8.h"

/* Free text an auditor or partner writes: evidence, notes, comments.  A
 * page or two is plenty; a pasted case file is a mistake. */
#define TEXT_MAX 20000

static const char *const open_statuses[] = { "assigned", "in_progress", "returned", NULL };

/* ---- the unit of work --------------------------------------------------- */

int
ca_wf_open(ca_wf *w, PGconn *conn, const ca_actor *actor, long long audit_id, ca_err *err)
{
	const char *p[2];
	int rc;

	memset(w, 0, sizeof *w);
	w->conn = conn;
	w->actor = actor;
	snprintf(w->audit, sizeof w->audit, "%lld", audit_id);
	if (actor->as == NULL || actor->as[0] == '\0')
		return ca_err_set(err, CA_EX_USAGE, "--as STAFF is required: who is acting");
	if ((rc = ca_db_begin(conn, err)) != 0)
		return rc;
	p[0] = actor->as; p[1] = actor->today;
	w->who = ca_db_query(conn, err, "reading who is acting",
	    "SELECT id, organisation_id, roles::text, coalesce($2::date, current_date)"
	    " FROM staff WHERE staff_ref = $1 AND active", 2, p);
	if (w->who == NULL)
		goto fail;
	if (PQntuples(w->who) == 0) {
		ca_err_set(err, CA_EX_DATAERR, "there is no active member of staff '%.64s' (--as)",
		    actor->as);
		goto fail;
	}
	w->staff_id = strtoll(PQgetvalue(w->who, 0, 0), NULL, 10);
	w->staff_org = strtoll(PQgetvalue(w->who, 0, 1), NULL, 10);
	w->roles = PQgetvalue(w->who, 0, 2);
	snprintf(w->today, sizeof w->today, "%s", PQgetvalue(w->who, 0, 3));

	p[0] = w->audit;
	w->au = ca_db_query(conn, err, "reading the audit",
	    "SELECT au.status, coalesce(au.auditor_id, 0), coalesce(s.staff_ref, ''),"
	    "  a.provider_id, a.assessor_ref, au.form_version_id, au.version, au.submissions"
	    " FROM audits au JOIN assessments a ON a.id = au.assessment_id"
	    " LEFT JOIN staff s ON s.id = au.auditor_id"
	    " WHERE au.id = $1 FOR UPDATE OF au", 1, p);
	if (w->au == NULL)
		goto fail;
	if (PQntuples(w->au) == 0) {
		ca_err_set(err, CA_EX_DATAERR, "there is no audit %s", w->audit);
		goto fail;
	}
	w->status = PQgetvalue(w->au, 0, 0);
	w->auditor_id = strtoll(PQgetvalue(w->au, 0, 1), NULL, 10);
	w->auditor_ref = PQgetvalue(w->au, 0, 2);
	w->provider_id = strtoll(PQgetvalue(w->au, 0, 3), NULL, 10);
	w->assessor_ref = PQgetvalue(w->au, 0, 4);
	w->form_version_id = strtoll(PQgetvalue(w->au, 0, 5), NULL, 10);
	w->version = strtol(PQgetvalue(w->au, 0, 6), NULL, 10);
	w->submissions = atoi(PQgetvalue(w->au, 0, 7));
	if (actor->expect_version != 0 && actor->expect_version != w->version) {
		ca_err_set(err, CA_EX_TEMPFAIL, "audit %s has changed since you read it (you read "
		    "version %ld; it is now version %ld): show it again with `caseaudit audit show "
		    "%s` and retry", w->audit, actor->expect_version, w->version, w->audit);
		goto fail;
	}
	return 0;
fail:
	return ca_wf_close(w, err->code, err);
}

int
ca_wf_close(ca_wf *w, int rc, ca_err *err)
{
	if (rc == 0)
		rc = ca_db_commit(w->conn, err);
	if (rc != 0)
		ca_db_rollback(w->conn);
	PQclear(w->who);
	PQclear(w->au);
	w->who = w->au = NULL;
	return rc;
}

int
ca_wf_has_role(const ca_wf *w, const char *role)
{
	size_t n = strlen(role);

	/* roles is PostgreSQL's array text, "{auditor,psw}": the names hold no
	 * commas or quotes, so a role is a whole element between delimiters. */
	for (const char *r = w->roles; r != NULL && (r = strstr(r, role)) != NULL; r += n)
		if ((r[-1] == '{' || r[-1] == ',') && (r[n] == '}' || r[n] == ','))
			return 1;
	return 0;
}

int
ca_wf_is_auditor(const ca_wf *w)
{
	return w->auditor_id != 0 && w->auditor_id == w->staff_id;
}

int
ca_wf_status_in(const ca_wf *w, const char *const *statuses)
{
	for (; *statuses != NULL; statuses++)
		if (strcmp(w->status, *statuses) == 0)
			return 1;
	return 0;
}

int
ca_wf_refuse(const ca_wf *w, ca_err *err, const char *fmt, ...)
{
	char why[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return ca_err_set(err, CA_EX_DATAERR, "audit %s is %s; %s", w->audit, w->status, why);
}

int
ca_wf_event(ca_wf *w, const char *action, const char *entity, const char *entity_id,
    const char *before, const char *after, ca_err *err)
{
	const char *p[6] = { w->actor->as, action, entity ? entity : "audit",
		entity_id ? entity_id : w->audit, before, after };

	return ca_db_exec(w->conn, err, "recording the event",
	    "INSERT INTO events (actor, action, entity, entity_id, before, after)"
	    " VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)", 6, p);
}

int
ca_wf_touch(ca_wf *w, const char *status, ca_err *err)
{
	const char *p[2] = { w->audit, status };

	return ca_db_exec(w->conn, err, "updating the audit",
	    "UPDATE audits SET status = coalesce($2, status), version = version + 1,"
	    " updated_at = now() WHERE id = $1", 2, p);
}

int
ca_wf_check_text(const char *text, const char *what, int required, ca_err *err)
{
	size_t n, where;
	const char *s;

	if (text == NULL || text[0] == '\0') {
		if (required)
			return ca_err_set(err, CA_EX_DATAERR, "%s is required", what);
		return 0;
	}
	n = strlen(text);
	if (n > TEXT_MAX)
		return ca_err_set(err, CA_EX_DATAERR, "%s is %zu bytes; at most %d are kept "
		    "(summarise, and point to the record for the rest)", what, n, TEXT_MAX);
	if (ca_utf8_check((const unsigned char *)text, n, &where) != CA_UTF8_OK)
		return ca_err_set(err, CA_EX_DATAERR, "%s is not valid UTF-8 (byte %zu)", what,
		    where + 1);
	for (s = text; *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'; s++)
		;
	if (*s == '\0' && required)
		return ca_err_set(err, CA_EX_DATAERR, "%s is blank", what);
	return 0;
}

/* Refuse unless the actor is the audit's auditor and it is with them;
 * `doing` completes "only its auditor can ...": "answer it". */
static int
require_auditor_open(const ca_wf *w, const char *doing, ca_err *err)
{
	if (strcmp(w->status, "unassigned") == 0)
		return ca_wf_refuse(w, err, "nobody can %s until an auditor is assigned", doing);
	if (!ca_wf_status_in(w, open_statuses)) {
		if (strcmp(w->status, "cancelled") == 0 || strcmp(w->status, "closed") == 0)
			return ca_wf_refuse(w, err, "nobody can %s any more", doing);
		return ca_wf_refuse(w, err, "its answers are frozen since submission; only a "
		    "moderator can return it to its auditor");
	}
	if (!ca_wf_is_auditor(w))
		return ca_err_set(err, CA_EX_DATAERR, "audit %s is assigned to %s; only its auditor "
		    "can %s", w->audit, w->auditor_ref, doing);
	return 0;
}

/* ---- safeguarding ------------------------------------------------------- */

/* Raise a safeguarding escalation (once per question; every flag), with
 * its event and reminders to every QA lead and to the partner.  *raised
 * says whether a new escalation was made. */
static int
escalate(ca_wf *w, const char *question, const char *note, int *raised, ca_err *err)
{
	char staff[24], provider[24];
	const char *p[6];
	PGresult *res;
	int rc;

	snprintf(staff, sizeof staff, "%lld", w->staff_id);
	snprintf(provider, sizeof provider, "%lld", w->provider_id);
	p[0] = w->audit; p[1] = question; p[2] = note; p[3] = staff; p[4] = w->today;
	res = ca_db_query(w->conn, err, "raising the safeguarding escalation",
	    "INSERT INTO escalations (audit_id, source, question_id, note, raised_by, raised_on)"
	    " VALUES ($1, CASE WHEN $2::text IS NULL THEN 'flag' ELSE 'question' END, $2, $3, $4,"
	    "  $5::date) ON CONFLICT DO NOTHING RETURNING id", 5, p);
	if (res == NULL)
		return err->code;
	*raised = PQntuples(res) == 1;
	if (*raised) {
		char after[200];

		snprintf(after, sizeof after, "{\"audit\": %s, \"escalation\": %s, \"source\": \"%s\"}",
		    w->audit, PQgetvalue(res, 0, 0), question ? "question" : "flag");
		rc = ca_wf_event(w, "audit.safeguarding_escalated", NULL, NULL, NULL, after, err);
		p[0] = w->audit; p[1] = w->today; p[2] = provider;
		if (rc == 0)
			rc = ca_db_exec(w->conn, err, "telling the QA leads and the partner",
			    "WITH leads AS (INSERT INTO reminders (audit_id, kind, recipient_id, due_on,"
			    "   created_on) SELECT $1, 'safeguarding', s.id, $2::date, $2::date"
			    "   FROM staff s WHERE s.active AND 'qa_lead' = ANY (s.roles)"
			    "   ON CONFLICT DO NOTHING RETURNING 1)"
			    " INSERT INTO reminders (audit_id, kind, organisation_id, due_on, created_on)"
			    " VALUES ($1, 'safeguarding', $3, $2::date, $2::date) ON CONFLICT DO NOTHING",
			    3, p);
		PQclear(res);
		return rc;
	}
	PQclear(res);
	return 0;
}

/* ---- questions ---------------------------------------------------------- */

int
ca_wf_question(ca_wf *w, const char *question, const char *rating, PGresult **q,
    ca_err *err)
{
	char fv[24];
	const char *p[3];

	snprintf(fv, sizeof fv, "%lld", w->form_version_id);
	p[0] = fv; p[1] = question; p[2] = rating;
	*q = ca_db_query(w->conn, err, "reading the question",
	    "WITH r AS (SELECT x.r ->> 'id' AS id, x.r -> 'score' AS score, x.ord"
	    "   FROM form_questions q JOIN form_versions v ON v.id = q.form_version_id,"
	    "   jsonb_array_elements(v.scale) s,"
	    "   jsonb_array_elements(s -> 'ratings') WITH ORDINALITY AS x(r, ord)"
	    "   WHERE q.form_version_id = $1 AND q.question_id = $2 AND s ->> 'id' = q.scale)"
	    " SELECT EXISTS (SELECT 1 FROM r WHERE id = $3),"
	    "  (SELECT string_agg(id, ', ' ORDER BY ord) FROM r),"
	    "  $3 = ANY (q.evidence_required_for),"
	    "  'safeguarding_concern' = ANY (q.prompts)"
	    "    AND (SELECT score FROM r WHERE id = $3) = '0'::jsonb,"
	    "  f.name || ' v' || v.version"
	    " FROM form_questions q JOIN form_versions v ON v.id = q.form_version_id"
	    " JOIN forms f ON f.id = v.form_id"
	    " WHERE q.form_version_id = $1 AND q.question_id = $2", 3, p);
	if (*q == NULL)
		return err->code;
	if (PQntuples(*q) == 0) {
		PQclear(*q);
		*q = NULL;
		return ca_err_set(err, CA_EX_DATAERR, "the checklist of audit %s has no question "
		    "'%.64s' (`caseaudit audit show %s` lists them)", w->audit, question, w->audit);
	}
	if (rating != NULL && PQgetvalue(*q, 0, 0)[0] != 't') {
		int rc = ca_err_set(err, CA_EX_DATAERR, "'%.64s' is not a rating of question %s; "
		    "use one of: %s", rating, question, PQgetvalue(*q, 0, 1));

		PQclear(*q);
		*q = NULL;
		return rc;
	}
	return 0;
}

/* ---- answers ------------------------------------------------------------ */

int
ca_audit_answer(PGconn *conn, const ca_actor *actor, long long audit_id,
    const char *question, const char *rating, const char *evidence, int *replaced,
    ca_err *err)
{
	char fv[24], staff[24], before_status[16];
	const char *p[7];
	PGresult *q = NULL, *up = NULL;
	ca_wf w;
	int rc, raised = 0;

	if ((rc = ca_wf_open(&w, conn, actor, audit_id, err)) != 0)
		return rc;
	if ((rc = require_auditor_open(&w, "answer it", err)) != 0)
		goto done;
	if ((rc = ca_wf_check_text(evidence, "--evidence", 0, err)) != 0)
		goto done;
	if ((rc = ca_wf_question(&w, question, rating, &q, err)) != 0)
		goto done;
	if (PQgetvalue(q, 0, 2)[0] == 't' && (rc = ca_wf_check_text(evidence, "--evidence", 1, err))
	    != 0) {
		rc = ca_err_set(err, CA_EX_DATAERR, "question %s rated %s needs evidence: say what "
		    "in the record led to the rating (--evidence TEXT)", question, rating);
		goto done;
	}
	snprintf(fv, sizeof fv, "%lld", w.form_version_id);
	snprintf(staff, sizeof staff, "%lld", w.staff_id);
	snprintf(before_status, sizeof before_status, "%s", w.status);
	p[0] = w.audit; p[1] = fv; p[2] = question; p[3] = rating; p[4] = evidence;
	p[5] = staff; p[6] = w.today;
	up = ca_db_query(conn, err, "recording the answer",
	    "WITH old AS (SELECT rating, evidence FROM answers"
	    "   WHERE audit_id = $1 AND question_id = $3),"
	    " new AS (INSERT INTO answers (audit_id, form_version_id, question_id, rating,"
	    "   evidence, answered_by, answered_on) VALUES ($1, $2, $3, $4, $5, $6, $7::date)"
	    "   ON CONFLICT (audit_id, question_id) DO UPDATE SET rating = EXCLUDED.rating,"
	    "   evidence = EXCLUDED.evidence, answered_by = EXCLUDED.answered_by,"
	    "   answered_on = EXCLUDED.answered_on, answered_at = now() RETURNING 1)"
	    " SELECT (SELECT jsonb_build_object('question', $3::text, 'rating', rating,"
	    "   'evidence', evidence) FROM old),"
	    "  jsonb_build_object('question', $3::text, 'rating', $4::text, 'evidence', $5::text)"
	    " FROM new", 7, p);
	if (up == NULL) {
		rc = err->code;
		goto done;
	}
	if (replaced != NULL)
		*replaced = !PQgetisnull(up, 0, 0);
	rc = ca_wf_event(&w, "audit.answered", NULL, NULL,
	    PQgetisnull(up, 0, 0) ? NULL : PQgetvalue(up, 0, 0), PQgetvalue(up, 0, 1), err);
	if (rc == 0 && strcmp(before_status, "in_progress") != 0) {
		p[0] = w.audit; p[1] = w.today;
		rc = ca_db_exec(conn, err, "starting the audit",
		    "UPDATE audits SET started_on = coalesce(started_on, $2::date) WHERE id = $1",
		    2, p);
	}
	if (rc == 0)
		rc = ca_wf_touch(&w, "in_progress", err);
	if (rc == 0 && PQgetvalue(q, 0, 3)[0] == 't')
		rc = escalate(&w, question, NULL, &raised, err);
done:
	PQclear(q);
	PQclear(up);
	return ca_wf_close(&w, rc, err);
}

int
ca_audit_note(PGconn *conn, const ca_actor *actor, long long audit_id,
    const char *strengths, const char *learning, ca_err *err)
{
	const char *p[3];
	PGresult *res = NULL;
	ca_wf w;
	int rc;

	if (strengths == NULL && learning == NULL)
		return ca_err_set(err, CA_EX_USAGE, "say --strengths TEXT, --learning TEXT or both");
	if ((rc = ca_wf_open(&w, conn, actor, audit_id, err)) != 0)
		return rc;
	if ((rc = require_auditor_open(&w, "add notes to it", err)) != 0 ||
	    (rc = ca_wf_check_text(strengths, "--strengths", 0, err)) != 0 ||
	    (rc = ca_wf_check_text(learning, "--learning", 0, err)) != 0)
		goto done;
	p[0] = w.audit; p[1] = strengths; p[2] = learning;
	res = ca_db_query(conn, err, "recording the notes",
	    "WITH old AS (SELECT strengths_noted, learning_points FROM audits WHERE id = $1)"
	    " UPDATE audits au SET strengths_noted = coalesce($2, au.strengths_noted),"
	    "  learning_points = coalesce($3, au.learning_points) FROM old WHERE au.id = $1"
	    " RETURNING jsonb_build_object('strengths_noted', old.strengths_noted,"
	    "  'learning_points', old.learning_points),"
	    "  jsonb_build_object('strengths_noted', au.strengths_noted,"
	    "  'learning_points', au.learning_points)", 3, p);
	if (res == NULL) {
		rc = err->code;
		goto done;
	}
	rc = ca_wf_event(&w, "audit.noted", NULL, NULL, PQgetvalue(res, 0, 0),
	    PQgetvalue(res, 0, 1), err);
	if (rc == 0)
		rc = ca_wf_touch(&w, NULL, err);
done:
	PQclear(res);
	return ca_wf_close(&w, rc, err);
}

/* ---- submission --------------------------------------------------------- */

static const char *const grades[] = {
	"outstanding", "good", "requires_improvement", "inadequate", NULL
};

/* Compute the domain scores of the audit's answers and store them in
 * place of any earlier submission's.  *json receives them for the event. */
static int
store_scores(ca_wf *w, ca_strbuf *json, ca_err *err)
{
	const char *p[1] = { w->audit };
	ca_domain_score d[CA_DOMAINS];
	ca_scored_answer *a = NULL;
	PGresult *res;
	int rc = 0, n;

	res = ca_db_query(w->conn, err, "reading the answers to score them",
	    "SELECT sec.domain, q.weight, (SELECT x.r -> 'score' FROM form_versions v,"
	    "   jsonb_array_elements(v.scale) s, jsonb_array_elements(s -> 'ratings') x(r)"
	    "   WHERE v.id = q.form_version_id AND s ->> 'id' = q.scale"
	    "     AND x.r ->> 'id' = an.rating), an.rating"
	    " FROM answers an JOIN form_questions q ON q.form_version_id = an.form_version_id"
	    "  AND q.question_id = an.question_id"
	    " JOIN form_sections sec ON sec.form_version_id = q.form_version_id"
	    "  AND sec.position = q.section_position"
	    " WHERE an.audit_id = $1", 1, p);
	if (res == NULL)
		return err->code;
	n = PQntuples(res);
	if (n > 0 && (a = calloc((size_t)n, sizeof *a)) == NULL) {
		PQclear(res);
		return ca_err_set(err, CA_EX_SOFTWARE, "scoring: out of memory");
	}
	for (int i = 0; i < n; i++) {
		const char *score = PQgetvalue(res, i, 2);

		a[i].domain = ca_domain_index(PQgetvalue(res, i, 0));
		a[i].weight = strtod(PQgetvalue(res, i, 1), NULL);
		/* JSON null (excluded) or anything not a number is left out. */
		a[i].value = (score[0] >= '0' && score[0] <= '9') ? strtod(score, NULL) : -1;
		a[i].rating = PQgetvalue(res, i, 3);
	}
	ca_scores_compute(a, (size_t)n, d);
	free(a);
	PQclear(res);

	rc = ca_db_exec(w->conn, err, "replacing the domain scores",
	    "DELETE FROM domain_scores WHERE audit_id = $1", 1, p);
	ca_strbuf_adds(json, "{");
	for (int k = 0; k < CA_DOMAINS && rc == 0; k++) {
		char v[8][32];
		const char *q[10];

		if (d[k].questions == 0)
			continue;
		snprintf(v[0], sizeof v[0], "%d", d[k].questions);
		snprintf(v[1], sizeof v[1], "%d", d[k].applicable);
		snprintf(v[2], sizeof v[2], "%d", d[k].met);
		snprintf(v[3], sizeof v[3], "%d", d[k].partially_met);
		snprintf(v[4], sizeof v[4], "%d", d[k].not_met);
		snprintf(v[5], sizeof v[5], "%.17g", d[k].weight);
		snprintf(v[6], sizeof v[6], "%.17g", d[k].score);
		q[0] = w->audit; q[1] = ca_domain_names[k];
		for (int j = 0; j < 6; j++)
			q[2 + j] = v[j];
		q[8] = d[k].applicable > 0 ? v[6] : NULL;
		rc = ca_db_exec(w->conn, err, "storing the domain scores",
		    "INSERT INTO domain_scores (audit_id, domain, questions, applicable, met,"
		    " partially_met, not_met, weight, score) VALUES ($1, $2, $3, $4, $5, $6, $7,"
		    " $8, $9)", 9, q);
		if (d[k].applicable > 0)
			ca_strbuf_addf(json, "%s\"%s\": %.4f", json->len > 1 ? ", " : "",
			    ca_domain_names[k], d[k].score);
		else
			ca_strbuf_addf(json, "%s\"%s\": null", json->len > 1 ? ", " : "",
			    ca_domain_names[k]);
	}
	ca_strbuf_adds(json, "}");
	return rc;
}

/* The findings go to the partner and the assessor: a feedback row open for
 * comment, and a reminder to the organisation and to the assessor where
 * the assessor is staff we know. */
static int
send_feedback(ca_wf *w, long window_days, ca_err *err)
{
	char provider[24], sub[16], days[16];
	const char *p[6];

	snprintf(provider, sizeof provider, "%lld", w->provider_id);
	snprintf(sub, sizeof sub, "%d", w->submissions + 1);
	snprintf(days, sizeof days, "%ld", window_days);
	p[0] = w->audit; p[1] = sub; p[2] = provider; p[3] = w->assessor_ref; p[4] = w->today;
	p[5] = days;
	return ca_db_exec(w->conn, err, "sending the findings",
	    "WITH fb AS (INSERT INTO feedback (audit_id, submission, organisation_id, assessor_ref,"
	    "   sent_on, window_ends) VALUES ($1, $2, $3, $4, $5::date, $5::date + $6::int)"
	    "   RETURNING id),"
	    " org AS (INSERT INTO reminders (audit_id, kind, organisation_id, due_on, created_on)"
	    "   VALUES ($1, 'feedback', $3, $5::date + $6::int, $5::date) ON CONFLICT DO NOTHING"
	    "   RETURNING 1)"
	    " INSERT INTO reminders (audit_id, kind, recipient_id, due_on, created_on)"
	    " SELECT $1, 'feedback', s.id, $5::date + $6::int, $5::date FROM staff s"
	    " WHERE s.staff_ref = $4 AND s.active ON CONFLICT DO NOTHING", 6, p);
}

int
ca_audit_submit(PGconn *conn, const ca_actor *actor, long long audit_id,
    const char *grade, ca_err *err)
{
	static const char *const submittable[] = { "in_progress", "returned", NULL };
	char fv[24], days[16];
	const char *p[4];
	PGresult *res = NULL;
	ca_strbuf scores;
	long window;
	int rc, known = 0;
	ca_wf w;

	for (const char *const *g = grades; *g != NULL; g++)
		known |= strcmp(grade, *g) == 0;
	if (!known)
		return ca_err_set(err, CA_EX_USAGE, "--grade is outstanding, good, "
		    "requires_improvement or inadequate, not '%.40s'", grade);
	ca_strbuf_init(&scores);
	if ((rc = ca_wf_open(&w, conn, actor, audit_id, err)) != 0)
		return rc;
	if ((rc = require_auditor_open(&w, "submit it", err)) != 0)
		goto done;
	if (!ca_wf_status_in(&w, submittable)) {
		rc = ca_wf_refuse(&w, err, "nothing has been answered yet");
		goto done;
	}
	snprintf(fv, sizeof fv, "%lld", w.form_version_id);
	p[0] = w.audit; p[1] = fv;
	res = ca_db_query(conn, err, "checking the required questions",
	    "SELECT count(*), string_agg(q.question_id, ', ' ORDER BY q.position)"
	    " FROM form_questions q WHERE q.form_version_id = $2 AND q.required"
	    " AND NOT EXISTS (SELECT 1 FROM answers an WHERE an.audit_id = $1"
	    "   AND an.question_id = q.question_id)", 2, p);
	if (res == NULL) {
		rc = err->code;
		goto done;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "0") != 0) {
		rc = ca_err_set(err, CA_EX_DATAERR, "audit %s cannot be submitted: %s required "
		    "question%s unanswered: %s", w.audit, PQgetvalue(res, 0, 0),
		    strcmp(PQgetvalue(res, 0, 0), "1") == 0 ? " is" : "s are",
		    PQgetvalue(res, 0, 1));
		goto done;
	}
	if ((rc = store_scores(&w, &scores, err)) != 0)
		goto done;
	window = ca_setting_long(conn, "feedback_window_days", 0, 365, 14);
	if ((rc = send_feedback(&w, window, err)) != 0)
		goto done;
	snprintf(days, sizeof days, "%ld", window);
	p[0] = w.audit; p[1] = grade; p[2] = w.today;
	rc = ca_db_exec(conn, err, "submitting the audit",
	    "UPDATE audits SET status = 'submitted', grade = $2, submitted_on = $3::date,"
	    " submissions = submissions + 1, version = version + 1, updated_at = now()"
	    " WHERE id = $1", 3, p);
	if (rc == 0 && ca_strbuf_failed(&scores))
		rc = ca_err_set(err, CA_EX_SOFTWARE, "submitting: out of memory");
	if (rc == 0) {
		ca_strbuf after;

		ca_strbuf_init(&after);
		ca_strbuf_addf(&after, "{\"status\": \"submitted\", \"grade\": \"%s\", "
		    "\"submission\": %d, \"domain_scores\": %s, \"feedback_window_days\": %s}",
		    grade, w.submissions + 1, scores.data, days);
		char before[96];
		snprintf(before, sizeof before, "{\"status\": \"%s\"}", w.status);
		rc = ca_strbuf_failed(&after)
		    ? ca_err_set(err, CA_EX_SOFTWARE, "submitting: out of memory")
		    : ca_wf_event(&w, "audit.submitted", NULL, NULL, before, after.data, err);
		ca_strbuf_free(&after);
	}
done:
	PQclear(res);
	ca_strbuf_free(&scores);
	return ca_wf_close(&w, rc, err);
}

/* ---- the partner's comment ---------------------------------------------- */

int
ca_audit_comment(PGconn *conn, const ca_actor *actor, long long audit_id,
    const char *text, ca_err *err)
{
	static const char *const commentable[] = { "submitted", "feedback", NULL };
	char staff[24], uk[11], after[160];
	const char *p[4];
	PGresult *fb = NULL, *ins = NULL;
	ca_wf w;
	int rc;

	if ((rc = ca_wf_open(&w, conn, actor, audit_id, err)) != 0)
		return rc;
	if (!ca_wf_status_in(&w, commentable)) {
		rc = ca_wf_refuse(&w, err, "the partner can comment only on submitted findings, "
		    "within the feedback window");
		goto done;
	}
	if (w.staff_org != w.provider_id && strcmp(actor->as, w.assessor_ref) != 0) {
		rc = ca_err_set(err, CA_EX_DATAERR, "%s does not work for the partner organisation "
		    "that carried out the assessment of audit %s; only its staff can comment on "
		    "the findings", actor->as, w.audit);
		goto done;
	}
	if ((rc = ca_wf_check_text(text, "--text", 1, err)) != 0)
		goto done;
	p[0] = w.audit;
	fb = ca_db_query(conn, err, "reading the feedback",
	    "SELECT id, window_ends FROM feedback WHERE audit_id = $1"
	    " ORDER BY submission DESC LIMIT 1", 1, p);
	if (fb == NULL) {
		rc = err->code;
		goto done;
	}
	if (PQntuples(fb) == 0) {
		rc = ca_err_set(err, CA_EX_SOFTWARE, "audit %s is %s but has no feedback record",
		    w.audit, w.status);
		goto done;
	}
	if (strcmp(PQgetvalue(fb, 0, 1), w.today) < 0) {
		ca_date_uk(PQgetvalue(fb, 0, 1), uk);
		rc = ca_wf_refuse(&w, err, "the feedback window closed on %s", uk);
		goto done;
	}
	snprintf(staff, sizeof staff, "%lld", w.staff_id);
	p[0] = PQgetvalue(fb, 0, 0); p[1] = staff; p[2] = text; p[3] = w.today;
	ins = ca_db_query(conn, err, "recording the comment",
	    "INSERT INTO feedback_comments (feedback_id, author_id, text, made_on)"
	    " VALUES ($1, $2, $3, $4::date) RETURNING id", 4, p);
	if (ins == NULL) {
		rc = err->code;
		goto done;
	}
	snprintf(after, sizeof after, "{\"audit\": %s, \"feedback\": %s, \"comment\": %s}",
	    w.audit, PQgetvalue(fb, 0, 0), PQgetvalue(ins, 0, 0));
	rc = ca_wf_event(&w, "audit.commented", NULL, NULL, NULL, after, err);
	if (rc == 0)
		rc = ca_wf_touch(&w, "feedback", err);
done:
	PQclear(fb);
	PQclear(ins);
	return ca_wf_close(&w, rc, err);
}

/* ---- safeguarding concerns ---------------------------------------------- */

int
ca_audit_concern(PGconn *conn, const ca_actor *actor, long long audit_id,
    const char *note, ca_err *err)
{
	ca_wf w;
	int rc, raised = 0;

	if ((rc = ca_wf_open(&w, conn, actor, audit_id, err)) != 0)
		return rc;
	if (!ca_wf_is_auditor(&w) && !ca_wf_has_role(&w, "psw") &&
	    !ca_wf_has_role(&w, "qa_lead")) {
		rc = ca_err_set(err, CA_EX_DATAERR, "%s is not the auditor of audit %s, the "
		    "principal social worker or a QA lead; tell one of them", actor->as, w.audit);
		goto done;
	}
	if (strcmp(w.status, "cancelled") == 0) {
		rc = ca_wf_refuse(&w, err, "raise the concern through the council's safeguarding "
		    "procedure directly");
		goto done;
	}
	if ((rc = ca_wf_check_text(note, "--note", 1, err)) == 0 &&
	    (rc = escalate(&w, NULL, note, &raised, err)) == 0)
		rc = ca_wf_touch(&w, NULL, err);
done:
	return ca_wf_close(&w, rc, err);
}

int
ca_audit_acknowledge(PGconn *conn, const ca_actor *actor, long long audit_id,
    long *acknowledged, ca_err *err)
{
	char staff[24], after[200];
	const char *p[3];
	PGresult *res = NULL;
	ca_wf w;
	int rc;

	if ((rc = ca_wf_open(&w, conn, actor, audit_id, err)) != 0)
		return rc;
	if (!ca_wf_has_role(&w, "psw") && !ca_wf_has_role(&w, "qa_lead")) {
		rc = ca_err_set(err, CA_EX_DATAERR, "%s is not the principal social worker or a QA "
		    "lead; only they can acknowledge a safeguarding escalation", actor->as);
		goto done;
	}
	snprintf(staff, sizeof staff, "%lld", w.staff_id);
	p[0] = w.audit; p[1] = staff; p[2] = w.today;
	res = ca_db_query(conn, err, "acknowledging the escalations",
	    "UPDATE escalations SET acknowledged_by = $2, acknowledged_on = $3::date"
	    " WHERE audit_id = $1 AND acknowledged_on IS NULL RETURNING id", 3, p);
	if (res == NULL) {
		rc = err->code;
		goto done;
	}
	if (PQntuples(res) == 0) {
		rc = ca_err_set(err, CA_EX_DATAERR, "audit %s has no safeguarding escalation "
		    "waiting to be acknowledged", w.audit);
		goto done;
	}
	if (acknowledged != NULL)
		*acknowledged = PQntuples(res);
	snprintf(after, sizeof after, "{\"audit\": %s, \"acknowledged\": %d}", w.audit,
	    PQntuples(res));
	rc = ca_wf_event(&w, "audit.safeguarding_acknowledged", NULL, NULL, NULL, after, err);
	if (rc == 0)
		rc = ca_wf_touch(&w, NULL, err);
done:
	PQclear(res);
	return ca_wf_close(&w, rc, err);
}

/* ---- cancelling, returning, closing ------------------------------------- */

int
ca_audit_cancel(PGconn *conn, const ca_actor *actor, long long audit_id,
    const char *reason, ca_err *err)
{
	static const char *const cancellable[] = {
		"unassigned", "assigned", "in_progress", "returned", NULL
	};
	const char *p[4];
	ca_wf w;
	int rc;

	if ((rc = ca_wf_check_text(reason, "--reason", 1, err)) != 0)
		return rc;
	if ((rc = ca_wf_open(&w, conn, actor, audit_id, err)) != 0)
		return rc;
	if (!ca_wf_has_role(&w, "qa_lead")) {
		rc = ca_err_set(err, CA_EX_DATAERR, "%s is not a QA lead; only a QA lead can "
		    "cancel an audit", actor->as);
		goto done;
	}
	if (!ca_wf_status_in(&w, cancellable)) {
		rc = ca_wf_refuse(&w, err, "only an audit not yet submitted can be cancelled");
		goto done;
	}
	p[0] = w.audit; p[1] = reason; p[2] = w.status; p[3] = actor->as;
	rc = ca_db_exec(conn, err, "cancelling the audit",
	    "WITH upd AS (UPDATE audits SET status = 'cancelled', cancel_reason = $2,"
	    "   unassigned_reason = NULL, version = version + 1, updated_at = now()"
	    "   WHERE id = $1 RETURNING id)"
	    " INSERT INTO events (actor, action, entity, entity_id, before, after)"
	    " SELECT $4, 'audit.cancelled', 'audit', $1, jsonb_build_object('status', $3::text),"
	    "  jsonb_build_object('status', 'cancelled', 'reason', $2::text) FROM upd", 4, p);
done:
	return ca_wf_close(&w, rc, err);
}

int
ca_wf_return(ca_wf *w, const char *reason, ca_err *err)
{
	static const char *const returnable[] = { "submitted", "feedback", NULL };
	const char *p[4];
	int rc;

	if ((rc = ca_wf_check_text(reason, "--reason", 1, err)) != 0)
		return rc;
	if (!ca_wf_status_in(w, returnable)) {
		if (ca_wf_status_in(w, open_statuses))
			return ca_wf_refuse(w, err, "it is still with its auditor");
		return ca_wf_refuse(w, err, "only a submitted audit can be returned");
	}
	if (!ca_wf_has_role(w, "psw"))
		return ca_wf_refuse(w, err, "only a moderator can return it");
	if (ca_wf_is_auditor(w))
		return ca_err_set(err, CA_EX_DATAERR, "%s did audit %s; a moderator cannot return "
		    "their own audit", w->actor->as, w->audit);
	p[0] = w->audit; p[1] = reason; p[2] = w->status; p[3] = w->actor->as;
	rc = ca_wf_touch(w, "returned", err);
	if (rc == 0)
		rc = ca_db_exec(w->conn, err, "recording the return",
		    "INSERT INTO events (actor, action, entity, entity_id, before, after)"
		    " VALUES ($4, 'audit.returned', 'audit', $1, jsonb_build_object('status', $3::text),"
		    "  jsonb_build_object('status', 'returned', 'reason', $2::text))", 4, p);
	return rc;
}

int
ca_audit_return(PGconn *conn, const ca_actor *actor, long long audit_id,
    const char *reason, ca_err *err)
{
	ca_wf w;
	int rc;

	if ((rc = ca_wf_open(&w, conn, actor, audit_id, err)) != 0)
		return rc;
	rc = ca_wf_return(&w, reason, err);
	return ca_wf_close(&w, rc, err);
}

int
ca_audits_close_due(PGconn *conn, const char *today, const char *actor, long *closed,
    ca_err *err)
{
	const char *p[2] = { today, actor };
	PGresult *res;

	res = ca_db_query(conn, err, "closing audits whose feedback window has ended",
	    "WITH due AS (SELECT au.id, au.status FROM audits au"
	    "   JOIN feedback fb ON fb.audit_id = au.id AND fb.submission = au.submissions"
	    "   WHERE au.status IN ('submitted', 'feedback') AND fb.window_ends < $1::date"
	    "     AND NOT EXISTS (SELECT 1 FROM moderations m WHERE m.audit_id = au.id"
	    "       AND m.status = 'pending')"
	    "   FOR UPDATE OF au SKIP LOCKED),"
	    " upd AS (UPDATE audits au SET status = 'closed', closed_on = $1::date,"
	    "   version = version + 1, updated_at = now() FROM due WHERE au.id = due.id"
	    "   RETURNING au.id, due.status)"
	    " INSERT INTO events (actor, action, entity, entity_id, before, after)"
	    " SELECT $2, 'audit.closed', 'audit', id::text, jsonb_build_object('status', status),"
	    "  jsonb_build_object('status', 'closed', 'closed_on', $1::date) FROM upd"
	    " RETURNING 1", 2, p);
	if (res == NULL)
		return err->code;
	if (closed != NULL)
		*closed = PQntuples(res);
	PQclear(res);
	return 0;
}

long
ca_setting_long(PGconn *conn, const char *key, long min, long max, long def)
{
	const char *p[1] = { key };
	ca_err err = { 0 };
	PGresult *res;
	long v = def;

	res = ca_db_query(conn, &err, "reading a setting",
	    "SELECT value FROM settings WHERE key = $1", 1, p);
	if (res != NULL && PQntuples(res) == 1) {
		char *end;
		long x = strtol(PQgetvalue(res, 0, 0), &end, 10);

		if (*end == '\0' && end != PQgetvalue(res, 0, 0) && x >= min && x <= max)
			v = x;
	}
	PQclear(res);
	return v;
}
