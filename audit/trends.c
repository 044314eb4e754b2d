/*
 * trends.c - the audit programme's figures over a range of periods
 * (trends.h).
 *
 * The audits of the range are gathered once into a temporary table, one
 * row each with its period, provider, weight and what it counts for, and
 * analysed, so that the planner knows how many there are (estimates
 * through the audit-to-sample join are otherwise far too low, and a
 * nested loop over a million answers follows).  Then a few set-based
 * queries group those rows by period, by provider and overall at once
 * (GROUPING SETS): the audits with their grades and work; the domain
 * scores; the screening flags against the domain scores; and, when asked,
 * the answers.  All of it happens in one snapshot and is rolled back,
 * leaving nothing behind.  Shares, intervals, suppression and control
 * charts are then worked out here from the sums.
 */
#include "trends_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "stats.h"
#include "utf8.h"

const char *const ca_trends_grade_names[CA_GRADES] = {
	"outstanding", "good", "requires_improvement", "inadequate",
};

const char *const ca_trends_flag_names[CA_TRENDS_FLAGS] = {
	"single_issue", "no_person_voice", "deficit_language", "risk_without_plan",
	"carer_without_offer", "safeguarding_concern",
};

/* Indexes into ca_domain_names: holistic 0, strengths 1, risk 2, carers 3. */
const int ca_trends_flag_domain[CA_TRENDS_FLAGS] = { 0, 1, 1, 2, 3, 2 };

/* Which GROUPING SETS row: GROUPING(pidx, provider_id) is 1 for the
 * per-period rows, 2 for the per-provider rows and 3 for the total. */
enum { BY_PERIOD = 1, BY_PROVIDER = 2, BY_ALL = 3 };

/* The audits of the range, one row each, as every query reads them.
 * scored: counted and headline, what shares, grades and flags are about;
 * revision: the assessment's, whose screening is the current one; and
 * what it records about the person, for equity.  Every assessment the
 * figures need is read here, once.  The table lives until the end of the
 * snapshot (ON COMMIT DROP, and the snapshot is always rolled back). */
#define BASE_TABLE \
	"CREATE TEMPORARY TABLE ca_trends_base (id bigint, assessment_id bigint," \
	" provider_id bigint, provider text, pidx integer, counted boolean, open boolean," \
	" targeted boolean, scored boolean, w double precision, grade text, due_on date," \
	" submitted_on date, revision integer, age_band text, ethnicity text," \
	" support_reason text) ON COMMIT DROP"

/*
 * $1, $2 the range's first and last day; $3 its first month as
 * year * 12 + month - 1 and $4 the months in a period, so that pidx is
 * the period's index in the range; $5 the provider, or NULL.  An audit
 * counts when its grade and domain scores exist; it is headline when its
 * case was in the run's random draw and is not a targeted re-audit.
 */
#define BASE_FILL \
	"INSERT INTO ca_trends_base" \
	" SELECT au.id, au.assessment_id, a.provider_id, o.name," \
	"  (extract(year FROM x.d)::int * 12 + extract(month FROM x.d)::int - 1" \
	"    - $3::int) / $4::int," \
	"  x.counted, au.status IN ('unassigned', 'assigned', 'in_progress', 'returned')," \
	"  t.run_id IS NOT NULL, x.counted AND t.run_id IS NULL AND m.run_id IS NOT NULL," \
	"  1.0 / m.inclusion_probability, au.grade, au.due_on, au.submitted_on, a.revision," \
	"  a.age_band, a.ethnicity, a.primary_support_reason" \
	" FROM audits au" \
	" JOIN sampling_runs r ON r.id = au.run_id" \
	" JOIN assessments a ON a.id = au.assessment_id" \
	" JOIN organisations o ON o.id = a.provider_id" \
	" LEFT JOIN sampling_run_targeted t" \
	"   ON t.run_id = au.run_id AND t.assessment_id = au.assessment_id" \
	" LEFT JOIN sampling_run_members m" \
	"   ON m.run_id = au.run_id AND m.assessment_id = au.assessment_id" \
	" CROSS JOIN LATERAL (SELECT coalesce(a.completed_on, r.period_end) AS d," \
	"   au.status IN ('submitted', 'feedback', 'closed') AS counted) x" \
	" WHERE au.status <> 'cancelled'" \
	"   AND (a.completed_on BETWEEN $1::date AND $2::date" \
	"    OR (a.completed_on IS NULL AND r.period_end BETWEEN $1::date AND $2::date))" \
	"   AND ($5::bigint IS NULL OR a.provider_id = $5::bigint)"

const char *
ca_trends_signal_name(ca_xmr_kind k)
{
	switch (k) {
	case CA_XMR_IMPROVEMENT: return "improvement";
	case CA_XMR_CONCERN: return "concern";
	case CA_XMR_NEUTRAL: return "neutral";
	default: return NULL;
	}
}

const char *
ca_trends_trend_name(ca_trends_trend k)
{
	switch (k) {
	case CA_TRENDS_RISING: return "rising";
	case CA_TRENDS_FALLING: return "falling";
	case CA_TRENDS_STEADY: return "steady";
	default: return NULL;
	}
}

/* ---- shares ------------------------------------------------------------- */

static void
flag_set(ca_trends_flag *f, long raised, long confirmed, long not_confirmed)
{
	long judged = confirmed + not_confirmed;

	memset(f, 0, sizeof *f);
	f->share = f->lo = f->hi = NAN;
	if ((raised > 0 && raised < CA_TRENDS_MIN_GROUP) ||
	    (judged > 0 && judged < CA_TRENDS_MIN_GROUP)) {
		f->suppressed = 1;
		return;
	}
	f->raised = raised;
	f->confirmed = confirmed;
	f->not_confirmed = not_confirmed;
	f->not_applicable = raised - judged;
	if (judged > 0) {
		f->share = (double)confirmed / (double)judged;
		if (ca_wilson(confirmed, judged, CA_TRENDS_CONFIDENCE, &f->lo, &f->hi) != 0)
			f->lo = f->hi = NAN;
	}
}

static void
group_init(ca_trends_group *g)
{
	memset(g, 0, sizeof *g);
	ca_trends_share_clear(&g->good);
	for (int k = 0; k < CA_DOMAINS; k++)
		ca_trends_share_clear(&g->domain[k]);
	for (int f = 0; f < CA_TRENDS_FLAGS; f++)
		flag_set(&g->flag[f], 0, 0, 0);
	flag_set(&g->flags, 0, 0, 0);
}

/* Withhold everything of a group with one to four headline audits, and
 * the small shares of a group shown. */
static void
group_suppress(ca_trends_group *g)
{
	if (g->work.audits > 0 && g->work.audits < CA_TRENDS_MIN_GROUP) {
		memset(&g->work, 0, sizeof g->work);
		g->work.suppressed = 1;
	}
	if (g->audits > 0 && g->audits < CA_TRENDS_MIN_GROUP) {
		char *name = g->name;
		long long provider = g->provider_id;
		ca_trends_work work = g->work;

		group_init(g);
		g->name = name;
		g->provider_id = provider;
		g->work = work;
		g->suppressed = 1;
		g->good.suppressed = 1;
		for (int k = 0; k < CA_DOMAINS; k++)
			g->domain[k].suppressed = 1;
		for (int f = 0; f < CA_TRENDS_FLAGS; f++)
			g->flag[f].suppressed = 1;
		g->flags.suppressed = 1;
		return;
	}
	ca_trends_share_suppress_small(&g->good);
	for (int k = 0; k < CA_DOMAINS; k++)
		ca_trends_share_suppress_small(&g->domain[k]);
}

/* ---- the range ---------------------------------------------------------- */

static long
month_index(const ca_period *p)
{
	return (long)p->year * 12 + p->month - 1;
}

static ca_period
period_at(long index, int months)
{
	ca_period p = { (int)(index / 12), (int)(index % 12) + 1, months };

	return p;
}

/* The periods q gives, checked: each a period, both of one kind. */
static int
parse_ends(const ca_trends_query *q, ca_period *from, ca_period *to, ca_err *err)
{
	if (q->from != NULL && ca_period_parse(q->from, from) != 0)
		return ca_err_set(err, CA_EX_USAGE, "--from must be a month (2025-03) or a "
		    "quarter (2025-Q1)");
	if (q->to != NULL && ca_period_parse(q->to, to) != 0)
		return ca_err_set(err, CA_EX_USAGE, "--to must be a month (2025-03) or a "
		    "quarter (2025-Q1)");
	if (q->from != NULL && q->to != NULL && from->months != to->months)
		return ca_err_set(err, CA_EX_USAGE, "--from and --to must both be months or "
		    "both be quarters");
	return 0;
}

/* The range from q, the latest date with a counted audit (NULL: none) and
 * today.  64 with the reason when the periods will not do. */
static int
resolve_range(ca_trends *t, const ca_trends_query *q, const char *latest, ca_err *err)
{
	ca_period from, to;
	int have_from = q->from != NULL, have_to = q->to != NULL, months = 1, rc;
	long span;

	if ((rc = parse_ends(q, &from, &to, err)) != 0)
		return rc;
	if (have_from)
		months = from.months;
	else if (have_to)
		months = to.months;
	if (!have_to) {
		if (ca_period_containing(latest != NULL ? latest : t->today, months, &to) != 0)
			return ca_err_set(err, CA_EX_SOFTWARE, "trends: the database gave a date "
			    "that is not a date");
		if (have_from && month_index(&to) < month_index(&from))
			to = from;
	}
	if (!have_from)
		from = period_at(month_index(&to) - (12 - months), months);
	if (month_index(&from) > month_index(&to))
		return ca_err_set(err, CA_EX_USAGE, "--from %s is after --to %s", q->from,
		    q->to);
	span = (month_index(&to) - month_index(&from)) / months + 1;
	if (span > CA_TRENDS_MAX_PERIODS)
		return ca_err_set(err, CA_EX_USAGE, "the range holds %ld periods; at most %d "
		    "are shown at once", span, CA_TRENDS_MAX_PERIODS);
	t->from = from;
	t->to = to;
	t->nperiods = (size_t)span;
	ca_period_name(&from, t->from_name);
	ca_period_name(&to, t->to_name);
	return 0;
}

/* Today, the provider's id and the latest date with a counted audit, then
 * the range.  p is filled for the queries that follow.  The latest date
 * is read only when the range ends there (no `to`): it reads every
 * audit's assessment, which a report asking for its own periods should
 * not pay for. */
static int
read_frame(PGconn *conn, ca_trends *t, const ca_trends_query *q, ca_trends_params *pp,
    ca_err *err)
{
	const char *p[3] = { q->today, q->provider, q->to == NULL ? "true" : "false" };
	const char *latest;
	PGresult *res;
	int rc;

	res = ca_db_query(conn, err, "trends: reading the range",
	    "WITH o AS (SELECT id FROM organisations WHERE name = $2)"
	    " SELECT coalesce($1::date, current_date)::text, (SELECT id FROM o),"
	    "  CASE WHEN $3::boolean THEN"
	    "  (SELECT max(coalesce(a.completed_on, r.period_end)) FROM audits au"
	    "   JOIN assessments a ON a.id = au.assessment_id"
	    "   JOIN sampling_runs r ON r.id = au.run_id"
	    "   WHERE au.status IN ('submitted', 'feedback', 'closed')"
	    "     AND ($2::text IS NULL OR a.provider_id = (SELECT id FROM o)))::text END", 3, p);
	if (res == NULL)
		return err->code;
	snprintf(t->today, sizeof t->today, "%s", PQgetvalue(res, 0, 0));
	if (q->provider != NULL && PQgetisnull(res, 0, 1)) {
		PQclear(res);
		return ca_err_set(err, CA_EX_DATAERR, "no partner organisation is called '%s' "
		    "(organisations are created when assessments or staff naming them are "
		    "imported)", q->provider);
	}
	snprintf(pp->provider, sizeof pp->provider, "%s", PQgetvalue(res, 0, 1));
	latest = PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2);
	rc = resolve_range(t, q, latest, err);
	PQclear(res);
	if (rc != 0)
		return rc;
	{
		char unused[11];
		ca_period_bounds(&t->from, pp->first, unused);
		ca_period_bounds(&t->to, pp->last_first, pp->last);
	}
	/* ISO dates compare as text */
	snprintf(pp->census, sizeof pp->census, "%s", strcmp(t->today, pp->last) < 0 ?
	    t->today : pp->last);
	snprintf(pp->start, sizeof pp->start, "%ld", month_index(&t->from));
	snprintf(pp->months, sizeof pp->months, "%d", t->from.months);
	pp->p[0] = pp->first;
	pp->p[1] = pp->last;
	pp->p[2] = pp->start;
	pp->p[3] = pp->months;
	pp->p[4] = q->provider != NULL ? pp->provider : NULL;
	return 0;
}

/* ---- the groups --------------------------------------------------------- */

/* The group a GROUPING SETS row belongs to, or NULL. */
static ca_trends_group *
group_of(ca_trends *t, const PGresult *res, int r)
{
	long g = ca_trends_count(res, r, 0);

	if (g == BY_ALL)
		return &t->all;
	if (g == BY_PERIOD) {
		long i = ca_trends_count(res, r, 1);

		return i >= 0 && (size_t)i < t->nperiods ? &t->periods[i] : NULL;
	}
	if (g == BY_PROVIDER) {
		long long id = strtoll(PQgetvalue(res, r, 2), NULL, 10);

		for (size_t i = 0; i < t->nproviders; i++)
			if (t->providers[i].provider_id == id)
				return &t->providers[i];
	}
	return NULL;
}

static int
alloc_groups(ca_trends *t, const PGresult *res, ca_err *err)
{
	size_t np = 0;

	for (int r = 0; r < PQntuples(res); r++)
		np += ca_trends_count(res, r, 0) == BY_PROVIDER;
	t->periods = calloc(t->nperiods, sizeof *t->periods);
	t->providers = np > 0 ? calloc(np, sizeof *t->providers) : NULL;
	if (t->periods == NULL || (np > 0 && t->providers == NULL))
		return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
	group_init(&t->all);
	if ((t->all.name = strdup("all")) == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
	for (size_t i = 0; i < t->nperiods; i++) {
		ca_period p = period_at(month_index(&t->from) + (long)i * t->from.months,
		    t->from.months);

		group_init(&t->periods[i]);
		if ((t->periods[i].name = malloc(8)) == NULL)
			return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
		ca_period_name(&p, t->periods[i].name);
	}
	for (int r = 0; r < PQntuples(res); r++) {
		ca_trends_group *g;

		if (ca_trends_count(res, r, 0) != BY_PROVIDER)
			continue;
		g = &t->providers[t->nproviders++];
		group_init(g);
		g->provider_id = strtoll(PQgetvalue(res, r, 2), NULL, 10);
		if ((g->name = strdup(PQgetvalue(res, r, 3))) == NULL)
			return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
	}
	return 0;
}

/* Audits, grades and the work, by period, provider and overall. */
static int
load_groups(PGconn *conn, ca_trends *t, ca_err *err)
{
	const char *p[1] = { t->today };
	PGresult *res;
	int rc;

	res = ca_db_query(conn, err, "trends: counting the audits",
	    "WITH ac AS (SELECT audit_id, count(*) AS n FROM actions"
	    "   WHERE status = 'open' AND due_on < $1::date GROUP BY audit_id)"
	    " SELECT GROUPING(b.pidx, b.provider_id), b.pidx, b.provider_id, b.provider,"
	    "  count(*) FILTER (WHERE b.scored),"
	    "  count(*) FILTER (WHERE b.counted AND b.targeted),"
	    "  count(*) FILTER (WHERE b.scored AND b.grade = 'outstanding'),"
	    "  count(*) FILTER (WHERE b.scored AND b.grade = 'good'),"
	    "  count(*) FILTER (WHERE b.scored AND b.grade = 'requires_improvement'),"
	    "  count(*) FILTER (WHERE b.scored AND b.grade = 'inadequate'),"
	    "  sum(b.w) FILTER (WHERE b.scored), sum(b.w * b.w) FILTER (WHERE b.scored),"
	    "  sum(b.w) FILTER (WHERE b.scored AND b.grade IN ('outstanding', 'good')),"
	    "  count(*), count(*) FILTER (WHERE b.open),"
	    "  count(*) FILTER (WHERE b.open AND b.due_on < $1::date),"
	    "  count(*) FILTER (WHERE b.counted AND b.submitted_on > b.due_on),"
	    "  coalesce(sum(ac.n), 0)"
	    " FROM ca_trends_base b LEFT JOIN ac ON ac.audit_id = b.id"
	    " GROUP BY GROUPING SETS ((b.pidx), (b.provider_id, b.provider), ())"
	    " ORDER BY 1, 2, 4, 3", 1, p);
	if (res == NULL)
		return err->code;
	if ((rc = alloc_groups(t, res, err)) != 0) {
		PQclear(res);
		return rc;
	}
	for (int r = 0; r < PQntuples(res); r++) {
		ca_trends_group *g = group_of(t, res, r);

		if (g == NULL)
			continue;
		g->audits = ca_trends_count(res, r, 4);
		g->targeted = ca_trends_count(res, r, 5);
		for (int k = 0; k < CA_GRADES; k++)
			g->grades[k] = ca_trends_count(res, r, 6 + k);
		ca_trends_share_set(&g->good, g->audits, (double)(g->grades[0] + g->grades[1]),
		    ca_trends_num(res, r, 10), ca_trends_num(res, r, 11), ca_trends_num(res, r, 12));
		g->work.audits = ca_trends_count(res, r, 13);
		g->work.open = ca_trends_count(res, r, 14);
		g->work.overdue = ca_trends_count(res, r, 15);
		g->work.late = ca_trends_count(res, r, 16);
		g->work.actions_overdue = ca_trends_count(res, r, 17);
		if (g == &t->all)
			t->empty = g->audits + g->targeted == 0;
	}
	PQclear(res);
	return 0;
}

/* The domain scores' weighted means, by period, provider and overall. */
static int
load_domains(PGconn *conn, ca_trends *t, ca_err *err)
{
	PGresult *res;

	/* summed per period, provider and domain first, so that the three
	 * groupings add up a few hundred rows rather than each domain score */
	res = ca_db_query(conn, err, "trends: reading the domain scores",
	    "WITH d AS (SELECT b.pidx, b.provider_id, ds.domain, count(*) AS n,"
	    "   sum(ds.score) AS sx, sum(b.w) AS sw, sum(b.w * b.w) AS sw2,"
	    "   sum(b.w * ds.score) AS swx"
	    "  FROM ca_trends_base b JOIN domain_scores ds ON ds.audit_id = b.id"
	    "  WHERE b.scored AND ds.score IS NOT NULL"
	    "  GROUP BY b.pidx, b.provider_id, ds.domain)"
	    " SELECT GROUPING(pidx, provider_id), pidx, provider_id, domain, sum(n), sum(sx),"
	    "  sum(sw), sum(sw2), sum(swx)"
	    " FROM d GROUP BY GROUPING SETS ((pidx, domain), (provider_id, domain), (domain))",
	    0, NULL);
	if (res == NULL)
		return err->code;
	for (int r = 0; r < PQntuples(res); r++) {
		ca_trends_group *g = group_of(t, res, r);
		int k = ca_domain_index(PQgetvalue(res, r, 3));

		if (g == NULL || k < 0)
			continue;
		ca_trends_share_set(&g->domain[k], ca_trends_count(res, r, 4), ca_trends_num(res, r, 5), ca_trends_num(res, r, 6),
		    ca_trends_num(res, r, 7), ca_trends_num(res, r, 8));
	}
	PQclear(res);
	return 0;
}

static void
flags_total(ca_trends_group *g)
{
	ca_trends_flag sum = g->flags;

	flag_set(&g->flags, sum.raised, sum.confirmed, sum.not_confirmed);
}

/* The flags of the audited assessments against the auditors' scores.  The
 * flag-to-domain map goes in as two arrays, so it is written only once.
 * The screenings are those of current_screenings (the current rule set,
 * of the narrative as it stands), found from the audits' own rows: the
 * view's join to every assessment would read them all again. */
static int
load_flags(PGconn *conn, ca_trends *t, ca_err *err)
{
	char flags[256], domains[256];
	const char *p[2] = { flags, domains };
	size_t fl = 0, dl = 0;
	PGresult *res;

	for (int f = 0; f < CA_TRENDS_FLAGS; f++) {
		fl += (size_t)snprintf(flags + fl, sizeof flags - fl, "%s%s", f ? "," : "{",
		    ca_trends_flag_names[f]);
		dl += (size_t)snprintf(domains + dl, sizeof domains - dl, "%s%s", f ? "," : "{",
		    ca_domain_names[ca_trends_flag_domain[f]]);
	}
	snprintf(flags + fl, sizeof flags - fl, "}");
	snprintf(domains + dl, sizeof domains - dl, "}");
	res = ca_db_query(conn, err, "trends: reading the screening flags",
	    "WITH map AS (SELECT * FROM unnest($1::text[], $2::text[]) AS m(flag, domain)),"
	    " f AS (SELECT b.pidx, b.provider_id, map.flag, count(*) AS raised,"
	    "   count(*) FILTER (WHERE ds.score < 0.5) AS confirmed,"
	    "   count(*) FILTER (WHERE ds.score >= 0.5) AS not_confirmed"
	    "  FROM ca_trends_base b"
	    "  JOIN screenings cs ON cs.assessment_id = b.assessment_id"
	    "   AND cs.assessment_revision = b.revision"
	    "   AND cs.rule_set_id = (SELECT rule_set_id FROM screening_rules_current)"
	    "  CROSS JOIN LATERAL unnest(cs.flags) AS fl(flag)"
	    "  JOIN map ON map.flag = fl.flag"
	    "  LEFT JOIN domain_scores ds ON ds.audit_id = b.id AND ds.domain = map.domain"
	    "  WHERE b.scored"
	    "  GROUP BY b.pidx, b.provider_id, map.flag)"
	    " SELECT GROUPING(pidx, provider_id), pidx, provider_id, flag, sum(raised),"
	    "  sum(confirmed), sum(not_confirmed)"
	    " FROM f GROUP BY GROUPING SETS ((pidx, flag), (provider_id, flag), (flag))", 2, p);
	if (res == NULL)
		return err->code;
	for (int r = 0; r < PQntuples(res); r++) {
		ca_trends_group *g = group_of(t, res, r);
		const char *name = PQgetvalue(res, r, 3);

		for (int f = 0; g != NULL && f < CA_TRENDS_FLAGS; f++) {
			if (strcmp(name, ca_trends_flag_names[f]) != 0)
				continue;
			flag_set(&g->flag[f], ca_trends_count(res, r, 4), ca_trends_count(res, r, 5),
			    ca_trends_count(res, r, 6));
			/* the total from the counts before any suppression */
			g->flags.raised += ca_trends_count(res, r, 4);
			g->flags.confirmed += ca_trends_count(res, r, 5);
			g->flags.not_confirmed += ca_trends_count(res, r, 6);
		}
	}
	PQclear(res);
	flags_total(&t->all);
	for (size_t i = 0; i < t->nperiods; i++)
		flags_total(&t->periods[i]);
	for (size_t i = 0; i < t->nproviders; i++)
		flags_total(&t->providers[i]);
	return 0;
}

/* Every question answered in the range's headline audits.  Answers are
 * counted per checklist version, question and rating first (one pass over
 * the answers, few sums per row), then per checklist and question. */
static int
load_questions(PGconn *conn, ca_trends *t, ca_err *err)
{
	PGresult *res;
	int n;

	res = ca_db_query(conn, err, "trends: reading the answers",
	    "WITH per AS (SELECT an.form_version_id, an.question_id, an.rating,"
	    "   count(*) AS n, sum(b.w) AS sw, sum(b.w * b.w) AS sw2"
	    "  FROM ca_trends_base b JOIN answers an ON an.audit_id = b.id"
	    "  WHERE b.scored"
	    "  GROUP BY an.form_version_id, an.question_id, an.rating),"
	    " q AS (SELECT v.form_id, per.question_id,"
	    "   sum(n) FILTER (WHERE rating = 'met') AS met,"
	    "   sum(n) FILTER (WHERE rating = 'partially_met') AS partially_met,"
	    "   sum(n) FILTER (WHERE rating = 'not_met') AS not_met,"
	    "   sum(n) FILTER (WHERE rating = 'not_applicable') AS not_applicable,"
	    "   sum(sw) FILTER (WHERE rating IN ('met', 'partially_met', 'not_met')) AS sw,"
	    "   sum(sw2) FILTER (WHERE rating IN ('met', 'partially_met', 'not_met')) AS sw2,"
	    "   sum(sw) FILTER (WHERE rating = 'met') AS swx"
	    "  FROM per JOIN form_versions v ON v.id = per.form_version_id"
	    "  GROUP BY v.form_id, per.question_id)"
	    " SELECT f.name, q.question_id, nq.text, nq.domain, nq.position, q.met,"
	    "  q.partially_met, q.not_met, q.not_applicable, q.sw, q.sw2, q.swx"
	    " FROM q JOIN forms f ON f.id = q.form_id"
	    " CROSS JOIN LATERAL (SELECT fq.text, s.domain, fq.position"
	    "   FROM form_questions fq JOIN form_versions v ON v.id = fq.form_version_id"
	    "   JOIN form_sections s ON s.form_version_id = fq.form_version_id"
	    "    AND s.position = fq.section_position"
	    "   WHERE v.form_id = q.form_id AND fq.question_id = q.question_id"
	    "   ORDER BY v.version DESC LIMIT 1) nq"
	    " ORDER BY f.name, nq.position, q.question_id", 0, NULL);
	if (res == NULL)
		return err->code;
	n = PQntuples(res);
	if (n > 0 && (t->questions = calloc((size_t)n, sizeof *t->questions)) == NULL) {
		PQclear(res);
		return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
	}
	for (int r = 0; r < n; r++) {
		ca_trends_question *qu = &t->questions[t->nquestions++];
		long met = ca_trends_count(res, r, 5), part = ca_trends_count(res, r, 6), notmet = ca_trends_count(res, r, 7),
		    na = ca_trends_count(res, r, 8), judged = met + part + notmet;

		qu->form = strdup(PQgetvalue(res, r, 0));
		qu->id = strdup(PQgetvalue(res, r, 1));
		qu->text = strdup(PQgetvalue(res, r, 2));
		if (qu->form == NULL || qu->id == NULL || qu->text == NULL) {
			PQclear(res);
			return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
		}
		qu->domain = ca_domain_index(PQgetvalue(res, r, 3));
		qu->position = (int)ca_trends_count(res, r, 4);
		ca_trends_share_set(&qu->share, judged, (double)met, ca_trends_num(res, r, 9), ca_trends_num(res, r, 10),
		    ca_trends_num(res, r, 11));
		if ((judged > 0 && judged < CA_TRENDS_MIN_GROUP) ||
		    (judged + na > 0 && judged + na < CA_TRENDS_MIN_GROUP)) {
			ca_trends_share_clear(&qu->share);
			qu->share.suppressed = 1;
			continue;
		}
		qu->met = met;
		qu->partially_met = part;
		qu->not_met = notmet;
		qu->not_applicable = na;
	}
	PQclear(res);
	return 0;
}

/* ---- control charts ----------------------------------------------------- */

/* The period's value of series s, or 0 when the period is left out. */
static int
series_value(ca_trends_group *g, int s, double *v, ca_xmr_kind **signal)
{
	ca_trends_share *sh;

	if (s == CA_TRENDS_SERIES_OVERDUE) {
		if (g->work.suppressed || g->work.audits == 0)
			return 0;
		*v = (double)(g->work.overdue + g->work.late);
		*signal = &g->work.signal;
		return 1;
	}
	sh = s == CA_TRENDS_SERIES_GOOD ? &g->good : &g->domain[s - CA_TRENDS_SERIES_DOMAIN];
	if (sh->suppressed || sh->n == 0 || isnan(sh->share))
		return 0;
	*v = sh->share;
	*signal = &sh->signal;
	return 1;
}

static int
chart_series(ca_trends *t, int s, ca_err *err)
{
	ca_trends_series *se = &t->series[s];
	ca_err ignored = { 0 };

	se->measure = s == CA_TRENDS_SERIES_GOOD ? "good_or_outstanding" :
	    s == CA_TRENDS_SERIES_OVERDUE ? "overdue_or_late" :
	    ca_domain_names[s - CA_TRENDS_SERIES_DOMAIN];
	se->direction = s == CA_TRENDS_SERIES_OVERDUE ? CA_XMR_LOWER_BETTER :
	    CA_XMR_HIGHER_BETTER;
	se->period = calloc(t->nperiods, sizeof *se->period);
	se->value = calloc(t->nperiods, sizeof *se->value);
	se->point = calloc(t->nperiods, sizeof *se->point);
	if (se->period == NULL || se->value == NULL || se->point == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
	for (size_t i = 0; i < t->nperiods; i++) {
		ca_xmr_kind *signal;
		double v;

		if (series_value(&t->periods[i], s, &v, &signal)) {
			se->period[se->n] = i;
			se->value[se->n++] = v;
		}
	}
	/* One point has no moving range: no chart, and no signal either. */
	if (se->n < 2 || ca_xmr_compute(se->value, se->n, se->direction, NULL, &se->chart,
	    se->point, &ignored) != 0)
		return 0;
	se->charted = 1;
	for (size_t j = 0; j < se->n; j++) {
		ca_xmr_kind *signal;
		double v;

		if (series_value(&t->periods[se->period[j]], s, &v, &signal))
			*signal = se->point[j].kind;
	}
	return 0;
}

/* ---- loading ------------------------------------------------------------ */

int
ca_trends_query_check(const ca_trends_query *q, ca_err *err)
{
	ca_period from, to;
	size_t where;
	int rc;

	/* the periods again once the database has said what latest is; here
	 * so that a mistyped period is a usage error before any connection */
	if ((rc = parse_ends(q, &from, &to, err)) != 0)
		return rc;
	if (q->today != NULL && ca_date_parse(q->today, NULL) != 0)
		return ca_err_set(err, CA_EX_USAGE, "--today must be a date as YYYY-MM-DD");
	if (q->themes < 0)
		return ca_err_set(err, CA_EX_USAGE, "the number of themes cannot be negative");
	if (q->provider != NULL && ca_utf8_check((const unsigned char *)q->provider,
	    strlen(q->provider), &where) != CA_UTF8_OK)
		return ca_err_set(err, CA_EX_DATAERR, "the provider's name is not UTF-8 text");
	return 0;
}

static int
load(PGconn *conn, ca_trends *t, const ca_trends_query *q, ca_err *err)
{
	ca_trends_params pp;
	int rc;

	memset(&pp, 0, sizeof pp);
	if ((rc = read_frame(conn, t, q, &pp, err)) != 0)
		return rc;
	if (q->provider != NULL && (t->provider = strdup(q->provider)) == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
	t->empty = 1;
	if ((rc = ca_db_exec(conn, err, "trends: gathering the audits", BASE_TABLE, 0,
	    NULL)) != 0 ||
	    (rc = ca_db_exec(conn, err, "trends: gathering the audits", BASE_FILL, 5,
	    pp.p)) != 0 ||
	    (rc = ca_db_exec(conn, err, "trends: gathering the audits",
	    "ANALYZE ca_trends_base", 0, NULL)) != 0)
		return rc;
	if ((rc = load_groups(conn, t, err)) != 0 ||
	    (rc = load_domains(conn, t, err)) != 0 ||
	    (!q->no_flags && (rc = load_flags(conn, t, err)) != 0))
		return rc;
	if (q->questions && (rc = load_questions(conn, t, err)) != 0)
		return rc;
	if (q->equity && (rc = ca_trends_load_equity(conn, t, err)) != 0)
		return rc;
	if (q->waits && (rc = ca_trends_load_waits(conn, t, &pp, err)) != 0)
		return rc;
	if (q->themes > 0 && (rc = ca_trends_load_themes(conn, t, q->themes, err)) != 0)
		return rc;
	if (q->actions && (rc = ca_trends_load_actions(conn, t, &pp, err)) != 0)
		return rc;
	return 0;
}

/* Load inside a snapshot that is always undone: the caller's transaction
 * when there is one (to a savepoint, so the temporary table goes and the
 * caller's work stays), else a repeatable-read transaction of our own. */
static int
snapshot(PGconn *conn, ca_trends *t, const ca_trends_query *q, ca_err *err)
{
	int own = PQtransactionStatus(conn) == PQTRANS_IDLE, rc;

	rc = ca_db_exec(conn, err, "trends: starting a snapshot", own ?
	    "BEGIN ISOLATION LEVEL REPEATABLE READ" : "SAVEPOINT ca_trends", 0, NULL);
	if (rc != 0)
		return rc;
	/*
	 * The figures read the range's audits out of tables that hold every
	 * assessment, screening and answer: index lookups suit that, and the
	 * default random_page_cost (tuned for spinning disks) has the planner
	 * read whole tables instead.  A query run once gains nothing from JIT
	 * compilation, which PostgreSQL starts for plans as costly as these
	 * become with a few years of audits.  The gathered audits need only
	 * rough statistics, which take a tenth of the time (bench/report).
	 * LOCAL: undone with the snapshot, the caller's settings as they were.
	 */
	rc = ca_db_exec_script(conn, err, "trends: starting a snapshot",
	    "SET LOCAL random_page_cost = 1.1; SET LOCAL jit = off;"
	    " SET LOCAL default_statistics_target = 10");
	if (rc == 0)
		rc = load(conn, t, q, err);
	if (own) {
		ca_db_rollback(conn);
		return rc;
	}
	if (ca_db_exec(conn, rc != 0 ? NULL : err, "trends: ending the snapshot",
	    "ROLLBACK TO SAVEPOINT ca_trends", 0, NULL) != 0 ||
	    ca_db_exec(conn, rc != 0 ? NULL : err, "trends: ending the snapshot",
	    "RELEASE SAVEPOINT ca_trends", 0, NULL) != 0)
		return rc != 0 ? rc : err->code;
	return rc;
}

int
ca_trends_load(PGconn *conn, const ca_trends_query *q, ca_trends **out, ca_err *err)
{
	ca_trends *t;
	int rc;

	*out = NULL;
	if ((rc = ca_trends_query_check(q, err)) != 0)
		return rc;
	if ((t = calloc(1, sizeof *t)) == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
	group_init(&t->all);
	rc = snapshot(conn, t, q, err);
	for (size_t i = 0; rc == 0 && i < t->nperiods; i++)
		group_suppress(&t->periods[i]);
	for (size_t i = 0; rc == 0 && i < t->nproviders; i++)
		group_suppress(&t->providers[i]);
	if (rc == 0)
		group_suppress(&t->all);
	for (int s = 0; rc == 0 && s < CA_TRENDS_SERIES; s++)
		rc = chart_series(t, s, err);
	if (rc != 0) {
		ca_trends_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

static void
group_free(ca_trends_group *g)
{
	free(g->name);
}

void
ca_trends_free(ca_trends *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; t->periods != NULL && i < t->nperiods; i++)
		group_free(&t->periods[i]);
	for (size_t i = 0; i < t->nproviders; i++)
		group_free(&t->providers[i]);
	group_free(&t->all);
	for (int s = 0; s < CA_TRENDS_SERIES; s++) {
		free(t->series[s].period);
		free(t->series[s].value);
		free(t->series[s].point);
	}
	for (size_t i = 0; i < t->nquestions; i++) {
		free(t->questions[i].form);
		free(t->questions[i].id);
		free(t->questions[i].text);
	}
	free(t->questions);
	ca_trends_equity_free(t);
	ca_trends_waits_free(t);
	ca_trends_themes_free(t);
	ca_trends_actions_free(t);
	free(t->periods);
	free(t->providers);
	free(t->provider);
	free(t);
}
