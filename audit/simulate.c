/*
 * simulate.c - the demo simulator (simulate.h).
 */
#include "simulate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "date.h"
#include "db.h"
#include "generate.h"
#include "moderation.h"
#include "rng.h"
#include "scores.h"
#include "strbuf.h"
#include "workflow.h"

#define ACTOR "demo-simulator"

/* What each decision is for, mixed into its random stream so that the
 * decisions about one audit are independent of each other and of the
 * order audits are played in. */
enum { DRAW_TIMING = 1, DRAW_RATINGS, DRAW_COMMENT, DRAW_ACTION, DRAW_MODERATION };

static void
seed_for(ca_rng *r, uint64_t seed, const char *id, int purpose, int round)
{
	ca_rng_seed(r, seed ^ (strtoull(id, NULL, 10) * 0x9E3779B97F4A7C15ull) ^
	    ((uint64_t)purpose << 56) ^ ((uint64_t)round << 40));
}

/* ---- how good the partner's practice is ---------------------------------- */

/* Chance, per thousand, that a question of domain d is met for this case:
 * the partner's profile, lowered where the screening found the weakness
 * the domain is about, and raised as the months since sampling began go
 * by (`months`): practice improves as findings land, the weakest most. */
static int
met_permille(const ca_narr_profile *pr, int d, const char *flags, int months)
{
	static const ca_narr_profile middling = { 550, 550, 550, 550, 550 };
	int p;

	if (pr == NULL)
		pr = &middling;
	switch (d) {
	case 0: p = pr->holistic; break;
	case 1: p = pr->strengths; break;
	case 2: p = pr->risk_plan; break;
	case 3: p = pr->carer_offer; break;
	case 4: p = (pr->holistic + pr->recording) / 2; break;
	default: p = pr->recording; break;
	}
	/* A floor: even weak partners meet the easy questions often. */
	p = 300 + p * 65 / 100 + months * (p < 500 ? 22 : 10);
	if (p > 950)
		p = 950;
	if ((d == 0 || d == 4) && strstr(flags, "single_issue") != NULL)
		p = p * 45 / 100;
	if (d == 1 && (strstr(flags, "no_person_voice") != NULL ||
	    strstr(flags, "deficit_language") != NULL))
		p = p * 60 / 100;
	if (d == 2 && strstr(flags, "risk_without_plan") != NULL)
		p = p * 55 / 100;
	if (d == 3 && strstr(flags, "carer_without_offer") != NULL)
		p = p * 55 / 100;
	return p;
}

/* ---- one audit ------------------------------------------------------------ */

typedef struct sim {
	PGconn *conn;
	const char *today;
	char last[11];              /* the day the last simulation played to, or "" */
	uint64_t seed;
	ca_sim_counts *n;
	ca_err *err;
} sim;

typedef struct question {
	const char *id;
	int domain;
	int required;
	int safeguarding;           /* prompts with the safeguarding rule */
	const char *evidence_for;   /* PostgreSQL array text */
} question;

/* The rating for one question, and whether it needs evidence. */
static const char *
draw_rating(ca_rng *r, const question *q, int permille, const char *flags, int carer)
{
	if (q->safeguarding) {
		if (strstr(flags, "safeguarding_concern") == NULL)
			return "not_applicable";
		/* Most concerns in the narratives were acted on; some not. */
		return ca_rng_permille(r, 800) ? "met" : "not_met";
	}
	if (q->domain == 3 && !carer && ca_rng_permille(r, 700))
		return "not_applicable";
	if (!q->required && ca_rng_permille(r, 150))
		return "not_applicable";
	if (ca_rng_permille(r, permille))
		return "met";
	return ca_rng_permille(r, 550) ? "partially_met" : "not_met";
}

static int
needs_evidence(const question *q, const char *rating)
{
	const char *s = q->evidence_for;
	size_t n = strlen(rating);

	for (; (s = strstr(s, rating)) != NULL; s += n)
		if ((s[-1] == '{' || s[-1] == ',') && (s[n] == '}' || s[n] == ','))
			return 1;
	return 0;
}

static const char *
evidence_for(const char *rating)
{
	if (strcmp(rating, "met") == 0)
		return "Simulated: the record shows this clearly.";
	if (strcmp(rating, "partially_met") == 0)
		return "Simulated: the record shows some of this, not all.";
	if (strcmp(rating, "not_applicable") == 0)
		return "Simulated: nothing in the record makes this apply.";
	return "Simulated: the record does not show this.";
}

/* A grade from the share of applicable answers met (partially met half),
 * with an auditor's judgement: now and then one grade either way. */
static const char *
draw_grade(ca_rng *r, double share)
{
	static const char *const grades[] = {
		"inadequate", "requires_improvement", "good", "outstanding"
	};
	int g = share >= 0.9 ? 3 : share >= 0.7 ? 2 : share >= 0.45 ? 1 : 0;

	if (ca_rng_permille(r, 100))
		g += ca_rng_permille(r, 500) ? 1 : -1;
	return grades[g < 0 ? 0 : g > 3 ? 3 : g];
}

/* The questions of a checklist version, in order. */
static PGresult *
load_questions(sim *s, const char *form_version)
{
	const char *p[1] = { form_version };

	return ca_db_query(s->conn, s->err, "reading the checklist",
	    "SELECT q.question_id, sec.domain, q.required,"
	    "  'safeguarding_concern' = ANY (q.prompts), q.evidence_required_for::text"
	    " FROM form_questions q JOIN form_sections sec"
	    "  ON sec.form_version_id = q.form_version_id AND sec.position = q.section_position"
	    " WHERE q.form_version_id = $1 ORDER BY q.position", 1, p);
}

/* Play audit `id`'s auditor on day `on`: answer every question (or, for a
 * returned audit, look again at the one the moderator questioned), note,
 * grade and submit. */
static int
complete_audit(sim *s, const char *id, const char *auditor, const char *status,
    const char *form_version, const char *partner, const char *flags, int carer,
    int months, int round, const char *on)
{
	ca_actor actor = { auditor, on, 0 };
	const ca_narr_profile *pr = ca_generate_profile(partner);
	const char *grade;
	double got = 0, of = 0;
	PGresult *qs;
	ca_rng r;
	int rc = 0;
	long long audit = strtoll(id, NULL, 10);

	if ((qs = load_questions(s, form_version)) == NULL)
		return s->err->code;
	seed_for(&r, s->seed, id, DRAW_RATINGS, round);
	for (int i = 0; i < PQntuples(qs) && rc == 0; i++) {
		question q = {
			PQgetvalue(qs, i, 0), ca_domain_index(PQgetvalue(qs, i, 1)),
			PQgetvalue(qs, i, 2)[0] == 't', PQgetvalue(qs, i, 3)[0] == 't',
			PQgetvalue(qs, i, 4)
		};
		const char *rating = draw_rating(&r, &q, met_permille(pr, q.domain, flags, months),
		    flags, carer);

		/* A returned audit is looked at again, not redone: the holistic
		 * answers were the usual point of disagreement. */
		if (strcmp(status, "returned") == 0 && q.domain != 0)
			rating = NULL;
		if (rating != NULL) {
			rc = ca_audit_answer(s->conn, &actor, audit, q.id, rating,
			    needs_evidence(&q, rating) ? evidence_for(rating) : NULL, NULL, s->err);
			s->n->answers += rc == 0;
			if (rc == 0 && q.safeguarding && strcmp(rating, "not_met") == 0)
				s->n->escalations++;
		}
		if (rating == NULL || strcmp(rating, "not_applicable") == 0)
			continue;
		of += 1;
		got += strcmp(rating, "met") == 0 ? 1 : strcmp(rating, "partially_met") == 0
		    ? 0.5 : 0;
	}
	PQclear(qs);
	if (rc == 0 && strcmp(status, "returned") != 0)
		rc = ca_audit_note(s->conn, &actor, audit,
		    "Simulated: the person's own words are recorded and family support is "
		    "described.", got < of * 0.7 ? "Simulated: look beyond the presenting "
		    "issue to every eligibility outcome, and record the plan for each risk." :
		    "Simulated: keep recording what matters to the person in their words.",
		    s->err);
	grade = draw_grade(&r, of > 0 ? got / of : 1);
	if (rc == 0)
		rc = ca_audit_submit(s->conn, &actor, audit, grade, s->err);
	/* Weak findings come with an action for the partner, a month to do it. */
	if (rc == 0 && strcmp(status, "returned") != 0 && (strcmp(grade, "inadequate") == 0 ||
	    strcmp(grade, "requires_improvement") == 0)) {
		char owner[240], due[11];

		snprintf(owner, sizeof owner, "org:%s", partner);
		ca_date_add_days(on, 30, due);
		rc = ca_action_create(s->conn, &actor, audit, owner, due, "Simulated: review the "
		    "assessment with the practitioner in supervision and record every eligibility "
		    "outcome considered.", NULL, s->err);
		s->n->actions += rc == 0;
	}
	return rc;
}

/* The auditors: every open audit whose day of completion has come. */
static int
play_auditors(sim *s)
{
	const char *p[1] = { s->today };
	PGresult *res;
	int rc = 0;

	res = ca_db_query(s->conn, s->err, "reading the open audits",
	    "SELECT au.id, st.staff_ref, au.status, au.form_version_id, o.name,"
	    "  coalesce(cs.flags::text, '{}'), coalesce(a.carer_identified, false),"
	    "  r.run_on, au.due_on, au.submissions,"
	    "  (SELECT (extract(year FROM r.period_start) - extract(year FROM min(f.period_start)))"
	    "     * 12 + extract(month FROM r.period_start) - extract(month FROM min(f.period_start))"
	    "   FROM sampling_runs f)::int"
	    " FROM audits au JOIN assessments a ON a.id = au.assessment_id"
	    " JOIN organisations o ON o.id = a.provider_id"
	    " JOIN sampling_runs r ON r.id = au.run_id"
	    " JOIN staff st ON st.id = au.auditor_id"
	    " LEFT JOIN current_screenings cs ON cs.assessment_id = a.id"
	    " WHERE au.status IN ('assigned', 'in_progress', 'returned') AND r.run_on <= $1::date"
	    " ORDER BY au.id", 1, p);
	if (res == NULL)
		return s->err->code;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		const char *id = PQgetvalue(res, i, 0), *status = PQgetvalue(res, i, 2);
		int round = atoi(PQgetvalue(res, i, 9));
		char on[11];
		ca_rng r;
		long days;

		/* Most audits take one to four weeks from the run; about one
		 * in five runs past the 28 days allowed.  A returned audit is
		 * looked at again within a week. */
		seed_for(&r, s->seed, id, DRAW_TIMING, round);
		days = ca_rng_permille(&r, 800) ? ca_rng_range(&r, 6, 27) : ca_rng_range(&r, 29, 48);
		if (strcmp(status, "returned") == 0)
			days = 0;
		ca_date_add_days(PQgetvalue(res, i, 7), (int)days, on);
		if (strcmp(on, s->today) > 0)
			continue;
		/* An audit that was waiting for an auditor when the last
		 * simulation played that day was assigned since: it is done
		 * between then and today. */
		if (s->last[0] != '\0' && strcmp(on, s->last) <= 0) {
			long from, to;

			ca_date_parse(s->last, &from);
			ca_date_parse(s->today, &to);
			ca_date_add_days(s->last, (int)ca_rng_range(&r, 1, to - from), on);
		}
		rc = complete_audit(s, id, PQgetvalue(res, i, 1), status, PQgetvalue(res, i, 3),
		    PQgetvalue(res, i, 4), PQgetvalue(res, i, 5), PQgetvalue(res, i, 6)[0] == 't',
		    atoi(PQgetvalue(res, i, 10)), round, on);
		if (rc == 0) {
			s->n->submitted++;
			s->n->late += strcmp(on, PQgetvalue(res, i, 8)) > 0;
		}
	}
	PQclear(res);
	return rc;
}

/* QA leads acknowledge escalations two days after they are raised. */
static int
play_qa_leads(sim *s)
{
	const char *p[1] = { s->today };
	PGresult *res;
	int rc = 0;

	res = ca_db_query(s->conn, s->err, "reading the escalations",
	    "SELECT DISTINCT e.audit_id, (SELECT staff_ref FROM staff WHERE active"
	    "   AND 'qa_lead' = ANY (roles) ORDER BY staff_ref LIMIT 1), max(e.raised_on) + 2"
	    " FROM escalations e WHERE e.acknowledged_on IS NULL AND e.raised_on + 2 <= $1::date"
	    " GROUP BY e.audit_id ORDER BY 1", 1, p);
	if (res == NULL)
		return s->err->code;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		ca_actor actor = { PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), 0 };

		if (PQgetisnull(res, i, 1))
			break;
		rc = ca_audit_acknowledge(s->conn, &actor, strtoll(PQgetvalue(res, i, 0), NULL, 10),
		    NULL, s->err);
		s->n->acknowledged += rc == 0;
	}
	PQclear(res);
	return rc;
}

/* Partners comment on about one finding in ten, five days after it came. */
static int
play_partners(sim *s)
{
	const char *p[1] = { s->today };
	PGresult *res;
	int rc = 0;

	res = ca_db_query(s->conn, s->err, "reading the findings sent",
	    "SELECT au.id, st.staff_ref, f.sent_on + 5, f.submission"
	    " FROM audits au JOIN feedback f ON f.audit_id = au.id"
	    "  AND f.submission = au.submissions"
	    " JOIN assessments a ON a.id = au.assessment_id"
	    " JOIN staff st ON st.staff_ref = a.assessor_ref AND st.active"
	    "  AND st.organisation_id = a.provider_id"
	    " WHERE au.status = 'submitted' AND f.sent_on + 5 <= $1::date"
	    "  AND f.sent_on + 5 <= f.window_ends"
	    "  AND NOT EXISTS (SELECT 1 FROM feedback_comments c WHERE c.feedback_id = f.id)"
	    " ORDER BY au.id", 1, p);
	if (res == NULL)
		return s->err->code;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		ca_actor actor = { PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), 0 };
		const char *id = PQgetvalue(res, i, 0);
		ca_rng r;

		seed_for(&r, s->seed, id, DRAW_COMMENT, atoi(PQgetvalue(res, i, 3)));
		if (!ca_rng_permille(&r, 100))
			continue;
		rc = ca_audit_comment(s->conn, &actor, strtoll(id, NULL, 10),
		    "Simulated: the carer's assessment was offered by telephone; the record of "
		    "the call is on the carer's file.", s->err);
		s->n->comments += rc == 0;
	}
	PQclear(res);
	return rc;
}

/* One step along a scale ordered best first, either way, kept in range. */
static const char *
neighbour(ca_rng *r, const char *const *scale, int n, const char *now)
{
	int i = 0;

	while (i < n && strcmp(scale[i], now) != 0)
		i++;
	if (i == n)
		return now;
	if (i == 0)
		return scale[1];
	if (i == n - 1)
		return scale[n - 2];
	return scale[ca_rng_permille(r, 500) ? i - 1 : i + 1];
}

/* The moderator's view of one audit: the same grade four times in five,
 * else one step away; one answered question in twelve rated a step away;
 * one audit in twenty returned. */
static int
moderate_audit(sim *s, const char *id, const char *moderator, const char *grade,
    int submission, const char *on)
{
	static const char *const grades[] = {
		"outstanding", "good", "requires_improvement", "inadequate"
	};
	static const char *const ratings[] = { "met", "partially_met", "not_met" };
	ca_actor actor = { moderator, on, 0 };
	ca_moderation_request rq = { 0 };
	const char *p[1] = { id };
	ca_strbuf disagree;
	PGresult *res;
	ca_rng r;
	int rc;

	res = ca_db_query(s->conn, s->err, "reading the answers to moderate",
	    "SELECT question_id, rating FROM answers WHERE audit_id = $1"
	    " AND rating IN ('met', 'partially_met', 'not_met') ORDER BY question_id", 1, p);
	if (res == NULL)
		return s->err->code;
	seed_for(&r, s->seed, id, DRAW_MODERATION, submission);
	ca_strbuf_init(&disagree);
	for (int i = 0; i < PQntuples(res); i++)
		if (ca_rng_permille(&r, 83))
			ca_strbuf_addf(&disagree, "%s%s:%s", disagree.len ? "," : "",
			    PQgetvalue(res, i, 0), neighbour(&r, ratings, 3, PQgetvalue(res, i, 1)));
	PQclear(res);
	rq.grade = ca_rng_permille(&r, 800) ? grade : neighbour(&r, grades, 4, grade);
	rq.disagree = disagree.len ? disagree.data : NULL;
	rq.agree_rest = 1;
	rq.comment = "Simulated: moderated against the record.";
	if (ca_rng_permille(&r, 50)) {
		rq.return_audit = 1;
		rq.reason = "Simulated: the holistic questions are rated too generously; look again.";
	}
	rc = ca_strbuf_failed(&disagree) ? ca_err_set(s->err, CA_EX_SOFTWARE,
	    "simulating: out of memory") : ca_moderate(s->conn, &actor, strtoll(id, NULL, 10),
	    &rq, NULL, s->err);
	ca_strbuf_free(&disagree);
	if (rc == 0) {
		s->n->moderated++;
		s->n->returned += rq.return_audit;
	}
	return rc;
}

/* The moderators: each moderation the daemon gave them, two to ten days
 * after the findings went out. */
static int
play_moderators(sim *s)
{
	PGresult *res;
	int rc = 0;

	res = ca_db_query(s->conn, s->err, "reading the moderations",
	    "SELECT m.audit_id, ms.staff_ref, au.grade, m.submission, f.sent_on"
	    " FROM moderations m JOIN staff ms ON ms.id = m.moderator_id"
	    " JOIN audits au ON au.id = m.audit_id"
	    " JOIN feedback f ON f.audit_id = m.audit_id AND f.submission = m.submission"
	    " WHERE m.status = 'pending' AND au.status IN ('submitted', 'feedback')"
	    " ORDER BY m.audit_id", 0, NULL);
	if (res == NULL)
		return s->err->code;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		const char *id = PQgetvalue(res, i, 0);
		int submission = atoi(PQgetvalue(res, i, 3));
		char on[11];
		ca_rng r;

		seed_for(&r, s->seed, id, DRAW_MODERATION, 100 + submission);
		ca_date_add_days(PQgetvalue(res, i, 4), (int)ca_rng_range(&r, 2, 10), on);
		if (strcmp(on, s->today) > 0)
			continue;
		rc = moderate_audit(s, id, PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), submission,
		    on);
	}
	PQclear(res);
	return rc;
}

/* Partners do three actions in four by their due date, the rest up to
 * four weeks late; a member of the owning organisation marks each done. */
static int
play_action_owners(sim *s)
{
	PGresult *res;
	int rc = 0;

	res = ca_db_query(s->conn, s->err, "reading the open actions",
	    "SELECT ac.id, ac.due_on, (SELECT st.staff_ref FROM staff st"
	    "   WHERE st.active AND st.organisation_id = ac.owner_organisation_id"
	    "   ORDER BY st.staff_ref LIMIT 1)"
	    " FROM actions ac WHERE ac.status = 'open' AND ac.owner_organisation_id IS NOT NULL"
	    "  AND ac.text LIKE 'Simulated: %' ORDER BY ac.id", 0, NULL);
	if (res == NULL)
		return s->err->code;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		const char *id = PQgetvalue(res, i, 0);
		char on[11];
		ca_rng r;

		if (PQgetisnull(res, i, 2))
			continue;
		seed_for(&r, s->seed, id, DRAW_ACTION, 0);
		ca_date_add_days(PQgetvalue(res, i, 1), ca_rng_permille(&r, 750) ?
		    -(int)ca_rng_range(&r, 0, 20) : (int)ca_rng_range(&r, 1, 28), on);
		if (strcmp(on, s->today) > 0)
			continue;
		{
			ca_actor actor = { PQgetvalue(res, i, 2), on, 0 };

			rc = ca_action_done(s->conn, &actor, strtoll(id, NULL, 10), s->err);
			s->n->actions_done += rc == 0;
		}
	}
	PQclear(res);
	return rc;
}

int
ca_simulate(PGconn *conn, const char *today, uint64_t seed, ca_sim_counts *counts,
    ca_err *err)
{
	sim s = { conn, today, "", seed, counts, err };
	char after[400];
	const char *p[2];
	PGresult *res;
	int rc;

	memset(counts, 0, sizeof *counts);
	if (ca_date_parse(today, NULL) != 0)
		return ca_err_set(err, CA_EX_USAGE, "the simulation needs a date as YYYY-MM-DD, "
		    "not '%.20s'", today);
	p[0] = today;
	res = ca_db_query(conn, err, "reading the last simulation",
	    "SELECT max(after ->> 'today') FROM events WHERE action = 'demo.simulated'"
	    " AND after ->> 'today' < $1", 1, p);
	if (res == NULL)
		return err->code;
	if (!PQgetisnull(res, 0, 0))
		snprintf(s.last, sizeof s.last, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if ((rc = play_auditors(&s)) != 0 || (rc = play_qa_leads(&s)) != 0 ||
	    (rc = play_partners(&s)) != 0 || (rc = play_action_owners(&s)) != 0 ||
	    (rc = play_moderators(&s)) != 0)
		return rc;
	snprintf(after, sizeof after, "{\"today\": \"%s\", \"seed\": %llu, \"submitted\": %ld, "
	    "\"late\": %ld, \"answers\": %ld, \"escalations\": %ld, \"acknowledged\": %ld, "
	    "\"comments\": %ld, \"actions\": %ld, \"actions_done\": %ld, \"moderated\": %ld, "
	    "\"returned\": %ld}", today, (unsigned long long)seed, counts->submitted,
	    counts->late, counts->answers, counts->escalations, counts->acknowledged,
	    counts->comments, counts->actions, counts->actions_done, counts->moderated,
	    counts->returned);
	p[0] = ACTOR; p[1] = after;
	return ca_db_exec(conn, err, "recording the simulation",
	    "INSERT INTO events (actor, action, entity, entity_id, after)"
	    " VALUES ($1, 'demo.simulated', 'demo', NULL, $2::jsonb)", 2, p);
}
