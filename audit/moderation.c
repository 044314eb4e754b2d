/*
 * moderation.c - selecting audits for moderation, the moderator's view,
 * and agreement between auditors and moderators (see moderation.h).
 */
#include "moderation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "output.h"
#include "rng.h"
#include "sample.h"
#include "strbuf.h"

/* Held for the selection's transaction, so that two daemons (or a daemon
 * and a test) never draw, choose a quarter's minimum or assign at once:
 * the unique keys stop a submission being drawn twice, but only this stops
 * two quarter minimums being chosen for the same auditor. */
#define SELECTION_LOCK "7166258132624172"

/* The submissions an ended quarter's minimum may be chosen from: for each
 * auditor and ended quarter (by the day each drawn submission was made)
 * none of whose submissions is being or was moderated, the current
 * submissions of those audits that can still be moderated.  $1 is today.
 * Columns: auditor id, auditor ref, quarter ("2026-Q1"), audit,
 * submission; in that order. */
#define OWED_SQL                                                                      \
	"WITH subs AS (SELECT d.audit_id, d.submission, au.auditor_id,"                   \
	"   date_trunc('quarter', coalesce(fb.sent_on, au.submitted_on))::date AS quarter," \
	"   EXISTS (SELECT 1 FROM moderations m WHERE m.audit_id = d.audit_id"            \
	"     AND m.submission = d.submission AND m.status <> 'withdrawn') AS moderated"  \
	"   FROM moderation_draws d JOIN audits au ON au.id = d.audit_id"                 \
	"   LEFT JOIN feedback fb ON fb.audit_id = d.audit_id"                            \
	"     AND fb.submission = d.submission"                                           \
	"   WHERE au.auditor_id IS NOT NULL),"                                            \
	" ended AS (SELECT * FROM subs WHERE quarter + interval '3 months' <= $1::date),"  \
	" owed AS (SELECT auditor_id, quarter FROM ended GROUP BY auditor_id, quarter"     \
	"   HAVING NOT bool_or(moderated))"                                               \
	" SELECT e.auditor_id, s.staff_ref, to_char(e.quarter, 'YYYY-\"Q\"Q'),"            \
	"  e.audit_id, e.submission"                                                      \
	" FROM owed o JOIN ended e USING (auditor_id, quarter)"                           \
	" JOIN audits au ON au.id = e.audit_id JOIN staff s ON s.id = e.auditor_id"       \
	" WHERE e.submission = au.submissions"                                            \
	"   AND au.status IN ('submitted', 'feedback', 'closed')"

/* A pending moderation nobody holds, and a moderator who may take it. */
#define AVAILABLE_SQL                                                                 \
	" FROM moderations m JOIN audits au ON au.id = m.audit_id"                        \
	" JOIN assessments a ON a.id = au.assessment_id"                                  \
	" JOIN staff s ON s.active AND 'psw' = ANY (s.roles)"                             \
	"   AND s.id IS DISTINCT FROM au.auditor_id AND s.organisation_id <> a.provider_id" \
	"   AND s.staff_ref <> a.assessor_ref"                                            \
	" WHERE m.status = 'pending' AND m.moderator_id IS NULL"

/* A pending moderation of a submission since replaced, or of a cancelled
 * audit. */
#define STALE_SQL                                                                     \
	" FROM moderations m JOIN audits au ON au.id = m.audit_id"                        \
	" WHERE m.status = 'pending'"                                                     \
	"   AND (m.submission < au.submissions OR au.status = 'cancelled')"

static const char *const grades[] = {
	"outstanding", "good", "requires_improvement", "inadequate", NULL
};

/* ---- selection ---------------------------------------------------------- */

static long
count_rows(PGresult *res)
{
	long n = PQntuples(res);

	PQclear(res);
	return n;
}

static int
withdraw_stale(PGconn *conn, const char *actor, long *withdrawn, ca_err *err)
{
	const char *p[1] = { actor };
	PGresult *res;

	res = ca_db_query(conn, err, "withdrawing moderations of replaced submissions",
	    "WITH w AS (UPDATE moderations mm SET status = 'withdrawn' FROM (SELECT m.id,"
	    "   au.status" STALE_SQL ") x WHERE mm.id = x.id"
	    "   RETURNING mm.id, mm.audit_id, mm.submission, x.status)"
	    " INSERT INTO events (actor, action, entity, entity_id, before, after)"
	    " SELECT $1, 'moderation.withdrawn', 'moderation', id::text,"
	    "  jsonb_build_object('audit', audit_id, 'status', 'pending'),"
	    "  jsonb_build_object('audit', audit_id, 'submission', submission,"
	    "   'status', 'withdrawn', 'why', CASE status WHEN 'cancelled'"
	    "   THEN 'the audit was cancelled' ELSE 'the audit was submitted again' END)"
	    " FROM w RETURNING 1", 1, p);
	if (res == NULL)
		return err->code;
	*withdrawn = count_rows(res);
	return 0;
}

/* Draw every submission not yet drawn: one uniform draw each, selected
 * below the share.  Audits someone is changing right now are left for the
 * next run rather than waited for. */
static int
draw_submissions(PGconn *conn, const char *today, const char *actor, ca_rng *rng,
    ca_moderation_counts *c, ca_err *err)
{
	ca_strbuf ids, subs, draws;
	char share[32];
	const char *p[6];
	PGresult *res;
	long percent;
	int rc = 0;

	res = ca_db_query(conn, err, "finding submissions to draw",
	    "SELECT au.id, au.submissions FROM audits au"
	    " WHERE au.status IN ('submitted', 'feedback', 'closed') AND au.submissions > 0"
	    "   AND NOT EXISTS (SELECT 1 FROM moderation_draws d WHERE d.audit_id = au.id"
	    "     AND d.submission = au.submissions)"
	    " ORDER BY au.id FOR UPDATE OF au SKIP LOCKED", 0, NULL);
	if (res == NULL)
		return err->code;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 0;
	}
	percent = ca_setting_long(conn, "moderation_percent", 0, 100, 10);
	snprintf(share, sizeof share, "%.17g", (double)percent / 100.0);
	ca_strbuf_init(&ids);
	ca_strbuf_init(&subs);
	ca_strbuf_init(&draws);
	for (int r = 0; r < PQntuples(res); r++) {
		const char *sep = r > 0 ? "," : "{";

		ca_strbuf_addf(&ids, "%s%s", sep, PQgetvalue(res, r, 0));
		ca_strbuf_addf(&subs, "%s%s", sep, PQgetvalue(res, r, 1));
		ca_strbuf_addf(&draws, "%s%.17g", sep, ca_rng_unit(rng));
	}
	ca_strbuf_adds(&ids, "}");
	ca_strbuf_adds(&subs, "}");
	ca_strbuf_adds(&draws, "}");
	PQclear(res);
	if (ca_strbuf_failed(&ids) || ca_strbuf_failed(&subs) || ca_strbuf_failed(&draws)) {
		rc = ca_err_set(err, CA_EX_SOFTWARE, "drawing for moderation: out of memory");
		goto done;
	}
	p[0] = ids.data; p[1] = subs.data; p[2] = draws.data; p[3] = share; p[4] = today;
	p[5] = actor;
	res = ca_db_query(conn, err, "recording the moderation draws",
	    "WITH d AS (INSERT INTO moderation_draws (audit_id, submission, draw, share,"
	    "   selected, drawn_on) SELECT t.a, t.s, t.u, $4::float8, t.u < $4::float8, $5::date"
	    "   FROM unnest($1::bigint[], $2::int[], $3::float8[]) AS t(a, s, u)"
	    "   ON CONFLICT DO NOTHING RETURNING audit_id, submission, draw, selected),"
	    " m AS (INSERT INTO moderations (audit_id, submission, reason, selected_on)"
	    "   SELECT audit_id, submission, 'sampled', $5::date FROM d WHERE selected"
	    "   ON CONFLICT DO NOTHING RETURNING id, audit_id, submission),"
	    " ev AS (INSERT INTO events (actor, action, entity, entity_id, after)"
	    "   SELECT $6, 'moderation.selected', 'moderation', m.id::text,"
	    "    jsonb_build_object('audit', m.audit_id, 'submission', m.submission,"
	    "     'reason', 'sampled', 'draw', d.draw, 'share', $4::float8)"
	    "   FROM m JOIN d USING (audit_id, submission))"
	    " SELECT (SELECT count(*) FROM d), (SELECT count(*) FROM m)", 6, p);
	if (res == NULL) {
		rc = err->code;
		goto done;
	}
	c->drawn = atol(PQgetvalue(res, 0, 0));
	c->sampled = atol(PQgetvalue(res, 0, 1));
	PQclear(res);
done:
	ca_strbuf_free(&ids);
	ca_strbuf_free(&subs);
	ca_strbuf_free(&draws);
	return rc;
}

/* One submission chosen at random for each auditor whose ended quarter
 * had none moderated.  The rows come grouped by quarter and auditor, each
 * group's candidates in audit order, so the same draw picks the same. */
static int
quarter_minimum(PGconn *conn, const char *today, const char *actor, ca_rng *rng,
    ca_moderation_counts *c, ca_err *err)
{
	const char *p[1] = { today };
	PGresult *res;
	int rc = 0, n;

	res = ca_db_query(conn, err, "finding quarters without moderation",
	    OWED_SQL " ORDER BY e.quarter, s.staff_ref COLLATE \"C\", e.audit_id", 1, p);
	if (res == NULL)
		return err->code;
	n = PQntuples(res);
	for (int first = 0, last; first < n && rc == 0; first = last) {
		char candidates[16], chosen[16];
		const char *q[8];
		PGresult *ins;
		int pick;

		for (last = first + 1; last < n &&
		    strcmp(PQgetvalue(res, last, 0), PQgetvalue(res, first, 0)) == 0 &&
		    strcmp(PQgetvalue(res, last, 2), PQgetvalue(res, first, 2)) == 0; last++)
			;
		pick = first + (int)ca_rng_below(rng, (uint64_t)(last - first));
		snprintf(candidates, sizeof candidates, "%d", last - first);
		snprintf(chosen, sizeof chosen, "%d", pick - first);
		q[0] = PQgetvalue(res, pick, 3); q[1] = PQgetvalue(res, pick, 4); q[2] = today;
		q[3] = actor; q[4] = PQgetvalue(res, pick, 2); q[5] = PQgetvalue(res, pick, 1);
		q[6] = candidates; q[7] = chosen;
		ins = ca_db_query(conn, err, "choosing a quarter's moderation",
		    "WITH m AS (INSERT INTO moderations (audit_id, submission, reason, selected_on)"
		    "   VALUES ($1, $2, 'quarter_minimum', $3::date) ON CONFLICT DO NOTHING"
		    "   RETURNING id)"
		    " INSERT INTO events (actor, action, entity, entity_id, after)"
		    " SELECT $4, 'moderation.selected', 'moderation', m.id::text,"
		    "  jsonb_build_object('audit', $1::bigint, 'submission', $2::int,"
		    "   'reason', 'quarter_minimum', 'quarter', $5::text, 'auditor', $6::text,"
		    "   'candidates', $7::int, 'chosen', $8::int) FROM m RETURNING 1", 8, q);
		if (ins == NULL)
			rc = err->code;
		else
			c->quarter_minimum += count_rows(ins);
	}
	PQclear(res);
	return rc;
}

/* Give each waiting moderation the available moderator with the fewest
 * pending, lowest staff_ref first; the count is taken afresh for each, so
 * moderations spread as they are given out. */
static int
assign_waiting(PGconn *conn, const char *today, const char *actor, ca_moderation_counts *c,
    ca_err *err)
{
	PGresult *res;
	int rc = 0;

	res = ca_db_query(conn, err, "finding moderations without a moderator",
	    "SELECT id FROM moderations WHERE status = 'pending' AND moderator_id IS NULL"
	    " ORDER BY id FOR UPDATE SKIP LOCKED", 0, NULL);
	if (res == NULL)
		return err->code;
	for (int r = 0; r < PQntuples(res) && rc == 0; r++) {
		const char *p[3] = { PQgetvalue(res, r, 0), today, actor };
		PGresult *up;

		up = ca_db_query(conn, err, "assigning a moderator",
		    "WITH pick AS (SELECT s.id AS staff_id, s.staff_ref, m.id, m.audit_id,"
		    "   m.submission" AVAILABLE_SQL " AND m.id = $1::bigint"
		    "   ORDER BY (SELECT count(*) FROM moderations x WHERE x.moderator_id = s.id"
		    "     AND x.status = 'pending'), s.staff_ref COLLATE \"C\" LIMIT 1),"
		    " upd AS (UPDATE moderations m SET moderator_id = pick.staff_id FROM pick"
		    "   WHERE m.id = pick.id RETURNING m.id),"
		    " rem AS (INSERT INTO reminders (audit_id, kind, recipient_id, due_on, created_on)"
		    "   SELECT pick.audit_id, 'moderation', pick.staff_id,"
		    "    greatest($2::date, coalesce(fb.window_ends, $2::date)), $2::date"
		    "   FROM pick LEFT JOIN feedback fb ON fb.audit_id = pick.audit_id"
		    "     AND fb.submission = pick.submission ON CONFLICT DO NOTHING)"
		    " INSERT INTO events (actor, action, entity, entity_id, before, after)"
		    " SELECT $3, 'moderation.assigned', 'moderation', pick.id::text,"
		    "  jsonb_build_object('audit', pick.audit_id, 'moderator', NULL),"
		    "  jsonb_build_object('audit', pick.audit_id, 'submission', pick.submission,"
		    "   'moderator', pick.staff_ref)"
		    " FROM pick JOIN upd USING (id) RETURNING 1", 3, p);
		if (up == NULL) {
			rc = err->code;
		} else if (count_rows(up) == 1) {
			c->assigned++;
		} else {
			c->waiting++;
		}
	}
	PQclear(res);
	return rc;
}

int
ca_moderation_run(PGconn *conn, const char *today, const char *actor,
    const uint64_t *seed, ca_moderation_counts *counts, ca_err *err)
{
	const char *p[1] = { SELECTION_LOCK };
	ca_moderation_counts c;
	uint64_t s;
	ca_rng rng;
	int rc;

	memset(&c, 0, sizeof c);
	if (seed != NULL)
		s = *seed;
	else if ((rc = ca_sample_system_seed(&s, err)) != 0)
		return rc;
	ca_rng_seed(&rng, s);
	if ((rc = ca_db_exec(conn, err, "waiting for other moderation selections",
	    "SELECT pg_advisory_xact_lock($1::bigint)", 1, p)) != 0 ||
	    (rc = withdraw_stale(conn, actor, &c.withdrawn, err)) != 0 ||
	    (rc = draw_submissions(conn, today, actor, &rng, &c, err)) != 0 ||
	    (rc = quarter_minimum(conn, today, actor, &rng, &c, err)) != 0 ||
	    (rc = assign_waiting(conn, today, actor, &c, err)) != 0)
		return rc;
	if (counts != NULL)
		*counts = c;
	return 0;
}

int
ca_moderation_due(PGconn *conn, const char *today, int *due, ca_err *err)
{
	const char *p[1] = { today };
	PGresult *res;

	res = ca_db_query(conn, err, "looking for moderation to select or assign",
	    "SELECT EXISTS (SELECT 1 FROM audits au"
	    "   WHERE au.status IN ('submitted', 'feedback', 'closed') AND au.submissions > 0"
	    "   AND NOT EXISTS (SELECT 1 FROM moderation_draws d WHERE d.audit_id = au.id"
	    "     AND d.submission = au.submissions))"
	    " OR EXISTS (SELECT 1" STALE_SQL ")"
	    " OR EXISTS (SELECT 1" AVAILABLE_SQL ")"
	    " OR EXISTS (" OWED_SQL ")", 1, p);
	if (res == NULL)
		return err->code;
	*due = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return 0;
}

/* ---- the moderator's view ------------------------------------------------ */

/* At most this many questions in --agree and --disagree together: a
 * checklist has a few dozen. */
#define MAX_LISTED 500

typedef struct listed {
	const char *question;
	const char *rating;      /* the moderator's, for a disagreement; else NULL */
	const char *auditor;     /* the auditor's rating, once found */
} listed;

typedef struct listing {
	char *agree, *disagree;  /* copies, cut up in place */
	listed *items;
	size_t n;
} listing;

static void
listing_free(listing *l)
{
	free(l->agree);
	free(l->disagree);
	free(l->items);
	memset(l, 0, sizeof *l);
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	for (e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\t'); e--)
		;
	*e = '\0';
	return s;
}

/* Cut one comma-separated option into items; 64 for an empty item or a
 * disagreement without its rating. */
static int
cut(listing *l, char *text, int disagree, ca_err *err)
{
	const char *opt = disagree ? "--disagree" : "--agree";

	for (char *next = text; next != NULL;) {
		char *item = next, *comma = strchr(next, ','), *colon;

		if (comma != NULL)
			*comma = '\0';
		next = comma != NULL ? comma + 1 : NULL;
		if (l->n == MAX_LISTED)
			return ca_err_set(err, CA_EX_USAGE, "%s and --agree list more than %d "
			    "questions together", disagree ? "--disagree" : "--agree", MAX_LISTED);
		l->items[l->n].rating = NULL;
		if (disagree) {
			if ((colon = strchr(item, ':')) == NULL)
				return ca_err_set(err, CA_EX_USAGE, "--disagree takes QUESTION:RATING "
				    "pairs separated by commas; '%.64s' has no rating", trim(item));
			*colon = '\0';
			l->items[l->n].rating = trim(colon + 1);
			if (l->items[l->n].rating[0] == '\0')
				return ca_err_set(err, CA_EX_USAGE, "--disagree: question '%.64s' has "
				    "no rating after the colon", trim(item));
		}
		l->items[l->n].question = trim(item);
		if (l->items[l->n].question[0] == '\0')
			return ca_err_set(err, CA_EX_USAGE, "%s has an empty question between commas",
			    opt);
		l->n++;
	}
	return 0;
}

/* The questions the moderator listed, each once: 65 naming a question
 * listed twice or both agreed and disagreed. */
static int
parse_listing(const ca_moderation_request *rq, listing *l, ca_err *err)
{
	int rc = 0;

	memset(l, 0, sizeof *l);
	if ((l->items = calloc(MAX_LISTED, sizeof *l->items)) == NULL ||
	    (rq->agree != NULL && (l->agree = strdup(rq->agree)) == NULL) ||
	    (rq->disagree != NULL && (l->disagree = strdup(rq->disagree)) == NULL))
		return ca_err_set(err, CA_EX_SOFTWARE, "moderating: out of memory");
	if ((l->agree != NULL && (rc = cut(l, l->agree, 0, err)) != 0) ||
	    (l->disagree != NULL && (rc = cut(l, l->disagree, 1, err)) != 0))
		return rc;
	for (size_t i = 0; i < l->n; i++)
		for (size_t j = 0; j < i; j++) {
			if (strcmp(l->items[i].question, l->items[j].question) != 0)
				continue;
			if ((l->items[i].rating == NULL) != (l->items[j].rating == NULL))
				return ca_err_set(err, CA_EX_DATAERR, "question %.64s is both in "
				    "--agree and in --disagree; say one", l->items[i].question);
			return ca_err_set(err, CA_EX_DATAERR, "question %.64s is listed twice in %s",
			    l->items[i].question, l->items[i].rating ? "--disagree" : "--agree");
		}
	return 0;
}

static int
known_grade(const char *g)
{
	for (const char *const *k = grades; *k != NULL; k++)
		if (strcmp(g, *k) == 0)
			return 1;
	return 0;
}

/* Refuse an actor who may not moderate this audit at all. */
static int
check_moderator(const ca_wf *w, ca_err *err)
{
	if (!ca_wf_has_role(w, "psw"))
		return ca_err_set(err, CA_EX_DATAERR, "%s is not a moderator (the psw role); "
		    "only a moderator can moderate audit %s", w->actor->as, w->audit);
	if (ca_wf_is_auditor(w))
		return ca_err_set(err, CA_EX_DATAERR, "%s did audit %s; a moderator cannot "
		    "moderate their own audit", w->actor->as, w->audit);
	if (w->staff_org == w->provider_id)
		return ca_err_set(err, CA_EX_DATAERR, "%s works for the partner organisation "
		    "that carried out the assessment of audit %s; a moderator must be "
		    "independent of the work", w->actor->as, w->audit);
	if (strcmp(w->actor->as, w->assessor_ref) == 0)
		return ca_err_set(err, CA_EX_DATAERR, "%s carried out the assessment of audit "
		    "%s and cannot moderate it", w->actor->as, w->audit);
	return 0;
}

/* The moderation of the audit's current submission, locked: *m has no
 * rows when there is none. */
static int
read_moderation(ca_wf *w, PGresult **m, ca_err *err)
{
	char sub[16];
	const char *p[2] = { w->audit, sub };

	snprintf(sub, sizeof sub, "%d", w->submissions);
	*m = ca_db_query(w->conn, err, "reading the moderation",
	    "SELECT m.id, m.status, coalesce(m.moderator_id, 0), coalesce(s.staff_ref, ''),"
	    "  m.done_on"
	    " FROM moderations m LEFT JOIN staff s ON s.id = m.moderator_id"
	    " WHERE m.audit_id = $1 AND m.submission = $2 FOR UPDATE OF m", 2, p);
	return *m == NULL ? err->code : 0;
}

/* Whether this actor may moderate the submission now, given its
 * moderation row (or none). */
static int
check_moment(const ca_wf *w, const PGresult *m, int return_audit, ca_err *err)
{
	static const char *const moderatable[] = { "submitted", "feedback", NULL };
	int pending = PQntuples(m) == 1 && strcmp(PQgetvalue(m, 0, 1), "pending") == 0;

	if (!ca_wf_status_in(w, moderatable) &&
	    !(pending && strcmp(w->status, "closed") == 0)) {
		static const char *const with_auditor[] = {
			"assigned", "in_progress", "returned", NULL
		};

		if (ca_wf_status_in(w, with_auditor))
			return ca_wf_refuse(w, err, "it is with its auditor and can be moderated "
			    "once submitted");
		if (strcmp(w->status, "closed") == 0)
			return ca_wf_refuse(w, err, "it was not selected for moderation before it "
			    "closed, so it can no longer be moderated");
		return ca_wf_refuse(w, err, "only a submitted audit can be moderated");
	}
	if (PQntuples(m) == 1 && !pending) {
		char uk[11];

		if (strcmp(PQgetvalue(m, 0, 1), "done") != 0)
			return ca_err_set(err, CA_EX_DATAERR, "submission %d of audit %s was "
			    "withdrawn from moderation", w->submissions, w->audit);
		ca_date_uk(PQgetvalue(m, 0, 4), uk);
		return ca_err_set(err, CA_EX_DATAERR, "submission %d of audit %s was moderated "
		    "by %s on %s; each submission is moderated once", w->submissions, w->audit,
		    PQgetvalue(m, 0, 3), uk);
	}
	if (pending && strcmp(PQgetvalue(m, 0, 2), "0") != 0 &&
	    strtoll(PQgetvalue(m, 0, 2), NULL, 10) != w->staff_id)
		return ca_err_set(err, CA_EX_DATAERR, "audit %s is held for moderation by %s; "
		    "only they can moderate submission %d", w->audit, PQgetvalue(m, 0, 3),
		    w->submissions);
	if (return_audit && strcmp(w->status, "closed") == 0)
		return ca_wf_refuse(w, err, "it can no longer be returned");
	return 0;
}

/* Match the listed questions with the auditor's answers (question,
 * rating), checking each disagreement against the question's scale.  The
 * listed questions go to *json as {"question": {"auditor": r,
 * "moderator": r}}.  An answered question not listed is agreed with when
 * agree_rest, and otherwise not rated: the moderator said nothing of it,
 * so it counts neither way. */
static int
match_answers(ca_wf *w, listing *l, const PGresult *answers, int agree_rest, ca_strbuf *json,
    ca_moderation_outcome *o, ca_err *err)
{
	PGresult *q;
	int rc;

	ca_strbuf_adds(json, "{");
	for (size_t i = 0; i < l->n; i++) {
		listed *it = &l->items[i];

		for (int r = 0; r < PQntuples(answers) && it->auditor == NULL; r++)
			if (strcmp(PQgetvalue(answers, r, 0), it->question) == 0)
				it->auditor = PQgetvalue(answers, r, 1);
		/* the checklist's own message for a question it does not have */
		if ((rc = ca_wf_question(w, it->question, it->auditor ? it->rating : NULL, &q,
		    err)) != 0)
			return rc;
		PQclear(q);
		if (it->auditor == NULL)
			return ca_err_set(err, CA_EX_DATAERR, "question %s of audit %s was not "
			    "answered by its auditor; only answered questions are moderated",
			    it->question, w->audit);
		/* a disagreement naming the auditor's own rating is agreement */
		if (it->rating != NULL && strcmp(it->rating, it->auditor) != 0)
			o->disagreed++;
		else
			o->agreed++;
		ca_strbuf_adds(json, i > 0 ? ", " : "");
		ca_json_string(json, it->question);
		ca_strbuf_adds(json, ": {\"auditor\": ");
		ca_json_string(json, it->auditor);
		ca_strbuf_adds(json, ", \"moderator\": ");
		ca_json_string(json, it->rating ? it->rating : it->auditor);
		ca_strbuf_adds(json, "}");
	}
	ca_strbuf_adds(json, "}");
	if (agree_rest)
		o->agreed = PQntuples(answers) - o->disagreed;
	else
		o->unrated = PQntuples(answers) - (long)l->n;
	if (ca_strbuf_failed(json))
		return ca_err_set(err, CA_EX_SOFTWARE, "moderating: out of memory");
	return 0;
}

/* Make the moderation of the current submission at the moderator's
 * request; its id goes to id. */
static int
request(ca_wf *w, char *id, size_t size, ca_err *err)
{
	char staff[24], sub[16];
	const char *p[5];
	PGresult *res;

	snprintf(staff, sizeof staff, "%lld", w->staff_id);
	snprintf(sub, sizeof sub, "%d", w->submissions);
	p[0] = w->audit; p[1] = sub; p[2] = staff; p[3] = w->today; p[4] = w->actor->as;
	res = ca_db_query(w->conn, err, "recording the moderation",
	    "WITH m AS (INSERT INTO moderations (audit_id, submission, reason, moderator_id,"
	    "   selected_on) VALUES ($1, $2, 'requested', $3, $4::date) RETURNING id)"
	    " INSERT INTO events (actor, action, entity, entity_id, after)"
	    " SELECT $5, 'moderation.selected', 'moderation', m.id::text,"
	    "  jsonb_build_object('audit', $1::bigint, 'submission', $2::int,"
	    "   'reason', 'requested', 'moderator', $5::text) FROM m RETURNING entity_id", 5, p);
	if (res == NULL)
		return err->code;
	snprintf(id, size, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* Record the moderator's grade, comment and ratings (`rated`, from
 * match_answers), and the event. */
static int
record(ca_wf *w, const char *id, const PGresult *m, const ca_moderation_request *rq,
    const char *rated, const ca_moderation_outcome *o, ca_err *err)
{
	char staff[24], agreed[24], unrated[24];
	const char *p[9];
	PGresult *res;
	int rc;

	snprintf(staff, sizeof staff, "%lld", w->staff_id);
	p[0] = id; p[1] = staff; p[2] = rq->grade; p[3] = rq->comment; p[4] = w->today;
	p[5] = rq->return_audit ? "t" : "f"; p[6] = w->audit; p[7] = rated;
	p[8] = rq->agree_rest ? "t" : "f";
	res = ca_db_query(w->conn, err, "recording the moderation",
	    "WITH upd AS (UPDATE moderations SET status = 'done', moderator_id = $2,"
	    "   auditor_grade = (SELECT grade FROM audits WHERE id = $7), grade = $3,"
	    "   comment = $4, done_on = $5::date, returned = $6::boolean WHERE id = $1"
	    "   RETURNING id)"
	    " INSERT INTO moderation_ratings (moderation_id, question_id, auditor_rating,"
	    "  moderator_rating)"
	    " SELECT $1, an.question_id, an.rating,"
	    "  coalesce($8::jsonb -> an.question_id ->> 'moderator', an.rating)"
	    " FROM answers an WHERE an.audit_id = $7"
	    "  AND ($9::boolean OR $8::jsonb ? an.question_id)", 9, p);
	if (res == NULL)
		return err->code;
	PQclear(res);
	snprintf(agreed, sizeof agreed, "%ld", o->agreed);
	snprintf(unrated, sizeof unrated, "%ld", o->unrated);
	p[0] = w->actor->as; p[1] = id; p[2] = PQntuples(m) == 1 ? PQgetvalue(m, 0, 3) : NULL;
	p[3] = rq->agree_rest ? "t" : "f"; p[4] = rated; p[5] = agreed;
	p[6] = o->requested ? "t" : "f"; p[7] = unrated;
	rc = ca_db_exec(w->conn, err, "recording the moderation",
	    "INSERT INTO events (actor, action, entity, entity_id, before, after)"
	    " SELECT $1, 'moderation.done', 'moderation', m.id::text,"
	    "  CASE WHEN NOT $7::boolean THEN jsonb_build_object('audit', m.audit_id,"
	    "   'status', 'pending', 'moderator', nullif($3::text, '')) END,"
	    "  jsonb_build_object('audit', m.audit_id, 'submission', m.submission,"
	    "   'reason', m.reason, 'status', m.status, 'moderator', $1::text,"
	    "   'auditor_grade', m.auditor_grade, 'grade', m.grade, 'comment', m.comment,"
	    "   'returned', m.returned, 'agreed', $6::int, 'agreed_rest', $4::boolean,"
	    "   'not_rated', $8::int, 'disagreed', (SELECT coalesce(jsonb_object_agg(key, value),"
	    "    '{}') FROM jsonb_each($5::jsonb) WHERE value ->> 'auditor' <> value ->> 'moderator'))"
	    " FROM moderations m WHERE m.id = $2::bigint", 8, p);
	return rc;
}

int
ca_moderate(PGconn *conn, const ca_actor *actor, long long audit_id,
    const ca_moderation_request *rq, ca_moderation_outcome *out, ca_err *err)
{
	ca_moderation_outcome o;
	PGresult *m = NULL, *answers = NULL;
	char id[24];
	ca_strbuf rated;
	listing l;
	ca_wf w;
	int rc;

	memset(&o, 0, sizeof o);
	if (rq->grade == NULL || !known_grade(rq->grade))
		return ca_err_set(err, CA_EX_USAGE, "--grade is outstanding, good, "
		    "requires_improvement or inadequate, not '%.40s'", rq->grade ? rq->grade : "");
	if (rq->return_audit && rq->reason == NULL)
		return ca_err_set(err, CA_EX_USAGE, "--return needs --reason TEXT: tell the auditor "
		    "why the audit comes back");
	if (!rq->return_audit && rq->reason != NULL)
		return ca_err_set(err, CA_EX_USAGE, "--reason goes with --return");
	if ((rc = ca_wf_check_text(rq->comment, "--comment", 0, err)) != 0 ||
	    (rq->return_audit && (rc = ca_wf_check_text(rq->reason, "--reason", 1, err)) != 0))
		return rc;
	if ((rc = parse_listing(rq, &l, err)) != 0) {
		listing_free(&l);
		return rc;
	}
	ca_strbuf_init(&rated);
	if ((rc = ca_wf_open(&w, conn, actor, audit_id, err)) != 0)
		goto out;
	if ((rc = check_moderator(&w, err)) != 0 || (rc = read_moderation(&w, &m, err)) != 0 ||
	    (rc = check_moment(&w, m, rq->return_audit, err)) != 0)
		goto done;
	{
		const char *p[1] = { w.audit };

		answers = ca_db_query(conn, err, "reading the auditor's answers",
		    "SELECT question_id, rating FROM answers WHERE audit_id = $1"
		    " ORDER BY question_id", 1, p);
		if (answers == NULL) {
			rc = err->code;
			goto done;
		}
	}
	if ((rc = match_answers(&w, &l, answers, rq->agree_rest, &rated, &o, err)) != 0)
		goto done;
	if (PQntuples(m) == 0) {
		o.requested = 1;
		rc = request(&w, id, sizeof id, err);
	} else {
		snprintf(id, sizeof id, "%s", PQgetvalue(m, 0, 0));
	}
	if (rc == 0)
		rc = record(&w, id, m, rq, rated.data, &o, err);
	if (rc == 0)
		rc = rq->return_audit ? ca_wf_return(&w, rq->reason, err) : ca_wf_touch(&w, NULL, err);
	if (rc == 0) {
		const char *p[1] = { id };
		PGresult *g = ca_db_query(conn, err, "reading the moderation",
		    "SELECT auditor_grade, submission FROM moderations WHERE id = $1", 1, p);

		if (g == NULL) {
			rc = err->code;
		} else {
			o.id = strtoll(id, NULL, 10);
			snprintf(o.auditor_grade, sizeof o.auditor_grade, "%s", PQgetvalue(g, 0, 0));
			o.submission = atoi(PQgetvalue(g, 0, 1));
			PQclear(g);
		}
	}
done:
	PQclear(m);
	PQclear(answers);
	rc = ca_wf_close(&w, rc, err);
out:
	ca_strbuf_free(&rated);
	listing_free(&l);
	if (rc == 0 && out != NULL)
		*out = o;
	return rc;
}

/* ---- agreement ---------------------------------------------------------- */

#define GRADES 4
#define LEVELS 3

/* The moderations done in the period, with their group ($3: overall,
 * auditor or question) and the day the moderated submission was made. */
#define DONE_SQL                                                                      \
	"WITH m AS (SELECT m.id, m.auditor_grade, m.grade, m.returned,"                   \
	"   m.returned AND au.submissions > m.submission"                                 \
	"     AND au.grade IS DISTINCT FROM m.auditor_grade AS regraded,"                 \
	"   coalesce(s.staff_ref, '-') AS auditor, au.form_version_id"                    \
	"   FROM moderations m JOIN audits au ON au.id = m.audit_id"                      \
	"   LEFT JOIN staff s ON s.id = au.auditor_id"                                    \
	"   LEFT JOIN feedback fb ON fb.audit_id = m.audit_id"                            \
	"     AND fb.submission = m.submission"                                           \
	"   WHERE m.status = 'done'"                                                      \
	"     AND coalesce(fb.sent_on, au.submitted_on)"                                  \
	"       BETWEEN coalesce($1::date, '-infinity') AND coalesce($2::date, 'infinity'))"

static int
grade_index(const char *g)
{
	for (int i = 0; grades[i] != NULL; i++)
		if (strcmp(g, grades[i]) == 0)
			return i;
	return -1;
}

/* One group's statistics and the tables behind them. */
typedef struct counted {
	ca_moderation_stat s;
	long grade[GRADES * GRADES];    /* auditor's grade by moderator's */
	long rating[LEVELS * LEVELS];   /* auditor's level by moderator's */
} counted;

typedef struct tally {
	counted *g;
	size_t n, cap;
} tally;

/* The group named `name`, added when new; NULL when out of memory. */
static counted *
group_of(tally *t, const char *name)
{
	for (size_t i = t->n; i > 0; i--)
		if (strcmp(t->g[i - 1].s.group, name) == 0)
			return &t->g[i - 1];
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		counted *g = realloc(t->g, cap * sizeof *g);

		if (g == NULL)
			return NULL;
		t->g = g;
		t->cap = cap;
	}
	memset(&t->g[t->n], 0, sizeof t->g[t->n]);
	snprintf(t->g[t->n].s.group, sizeof t->g[t->n].s.group, "%s", name);
	return &t->g[t->n++];
}

/* Grades: group, auditor's grade, moderator's, count, returned,
 * regraded. */
static int
tally_grades(PGconn *conn, const char *const *p, tally *t, ca_err *err)
{
	PGresult *res;
	int failed = 0;

	res = ca_db_query(conn, err, "counting moderated grades",
	    DONE_SQL " SELECT CASE $3 WHEN 'auditor' THEN auditor ELSE 'all' END AS grp,"
	    "  auditor_grade, grade, count(*), count(*) FILTER (WHERE returned),"
	    "  count(*) FILTER (WHERE regraded)"
	    " FROM m GROUP BY 1, 2, 3", 3, p);
	if (res == NULL)
		return err->code;
	for (int r = 0; r < PQntuples(res) && !failed; r++) {
		counted *g = group_of(t, PQgetvalue(res, r, 0));
		int a = grade_index(PQgetvalue(res, r, 1)), b = grade_index(PQgetvalue(res, r, 2));
		long count = atol(PQgetvalue(res, r, 3));

		if ((failed = g == NULL) || a < 0 || b < 0)
			continue;
		g->grade[a * GRADES + b] += count;
		g->s.moderated += count;
		g->s.grades_agreed += a == b ? count : 0;
		g->s.returned += atol(PQgetvalue(res, r, 4));
		g->s.regraded += atol(PQgetvalue(res, r, 5));
	}
	PQclear(res);
	return failed ? ca_err_set(err, CA_EX_SOFTWARE, "moderation statistics: out of "
	    "memory") : 0;
}

/* Ratings: group, the auditor's and the moderator's level (NULL: not
 * scored), count; and for each group alone (both levels NULL, whole 3)
 * the moderations that rated it. */
static int
tally_ratings(PGconn *conn, const char *const *p, tally *t, ca_err *err)
{
	PGresult *res;
	int failed = 0;

	res = ca_db_query(conn, err, "counting moderated ratings",
	    DONE_SQL ","
	    " sc AS (SELECT q.form_version_id, q.question_id, x.r ->> 'id' AS rating,"
	    "   least(2, greatest(0, 2 - round((x.r ->> 'score')::numeric * 2)::int)) AS level"
	    "   FROM form_questions q JOIN form_versions v ON v.id = q.form_version_id,"
	    "   jsonb_array_elements(v.scale) s, jsonb_array_elements(s -> 'ratings') x(r)"
	    "   WHERE s ->> 'id' = q.scale AND jsonb_typeof(x.r -> 'score') = 'number'"
	    "     AND q.form_version_id IN (SELECT form_version_id FROM m)),"
	    " pairs AS (SELECT CASE $3 WHEN 'auditor' THEN m.auditor"
	    "   WHEN 'question' THEN r.question_id ELSE 'all' END AS grp,"
	    "   m.id, a.level AS a, b.level AS b"
	    "   FROM m JOIN moderation_ratings r ON r.moderation_id = m.id"
	    "   LEFT JOIN sc a ON a.form_version_id = m.form_version_id"
	    "     AND a.question_id = r.question_id AND a.rating = r.auditor_rating"
	    "   LEFT JOIN sc b ON b.form_version_id = m.form_version_id"
	    "     AND b.question_id = r.question_id AND b.rating = r.moderator_rating)"
	    " SELECT grp, a, b, count(*), count(DISTINCT id), GROUPING(a, b)"
	    " FROM pairs GROUP BY GROUPING SETS ((grp, a, b), (grp))", 3, p);
	if (res == NULL)
		return err->code;
	for (int r = 0; r < PQntuples(res) && !failed; r++) {
		counted *g = group_of(t, PQgetvalue(res, r, 0));
		long count = atol(PQgetvalue(res, r, 3));
		int a, b;

		if ((failed = g == NULL))
			break;
		if (strcmp(PQgetvalue(res, r, 5), "0") != 0) {
			if (strcmp(p[2], "question") == 0)
				g->s.moderated = atol(PQgetvalue(res, r, 4));
			continue;
		}
		if (PQgetisnull(res, r, 1) || PQgetisnull(res, r, 2)) {
			g->s.not_applicable += count;
			continue;
		}
		a = atoi(PQgetvalue(res, r, 1));
		b = atoi(PQgetvalue(res, r, 2));
		g->rating[a * LEVELS + b] += count;
		g->s.ratings += count;
		g->s.ratings_agreed += a == b ? count : 0;
	}
	PQclear(res);
	return failed ? ca_err_set(err, CA_EX_SOFTWARE, "moderation statistics: out of "
	    "memory") : 0;
}

static int
by_group(const void *a, const void *b)
{
	return strcmp(((const ca_moderation_stat *)a)->group,
	    ((const ca_moderation_stat *)b)->group);
}

int
ca_moderation_stats(PGconn *conn, ca_moderation_by by, const char *from, const char *to,
    ca_moderation_stat **rows, size_t *n, ca_err *err)
{
	static const char *const names[] = { "overall", "auditor", "question" };
	const char *p[3] = { from, to, names[by] };
	tally t = { 0 };
	int rc;

	*rows = NULL;
	*n = 0;
	if ((by != CA_MODERATION_BY_QUESTION && (rc = tally_grades(conn, p, &t, err)) != 0) ||
	    (rc = tally_ratings(conn, p, &t, err)) != 0)
		goto done;
	if ((*rows = calloc(t.n + 1, sizeof **rows)) == NULL) {
		rc = ca_err_set(err, CA_EX_SOFTWARE, "moderation statistics: out of memory");
		goto done;
	}
	for (size_t i = 0; i < t.n && rc == 0; i++) {
		counted *g = &t.g[i];

		/* n > 0 and k fixed: nothing here can fail but memory */
		if (g->s.moderated > 0 && by != CA_MODERATION_BY_QUESTION)
			g->s.grade_ok = (rc = ca_kappa_compute(g->grade, GRADES, 1, 0.95,
			    &g->s.grade, err)) == 0;
		if (rc == 0 && g->s.ratings > 0)
			g->s.rating_ok = (rc = ca_kappa_compute(g->rating, LEVELS, 1, 0.95,
			    &g->s.rating, err)) == 0;
		(*rows)[i] = g->s;
	}
	if (rc != 0) {
		free(*rows);
		*rows = NULL;
		goto done;
	}
	qsort(*rows, t.n, sizeof **rows, by_group);
	*n = t.n;
done:
	free(t.g);
	return rc;
}
