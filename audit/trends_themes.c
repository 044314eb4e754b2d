/*
 * trends_themes.c - the questions most often not met in the range's last
 * period and their trend (trends.h, "Recurring themes").
 *
 * Two queries: the answers of the last period per question, which rank
 * the questions; then, for the few ranked first, their answers in the
 * earlier periods.  Over two years that second query sums a handful of
 * questions' answers instead of every answer of every question (a
 * million and a half at 50,000 audits, the largest query a board report
 * waited for).  The shares per period, the earlier periods pooled, the
 * ranking and the trend word are worked out here from the sums, which add
 * up across periods.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "strbuf.h"
#include "trends_internal.h"

/* The newest version's wording, domain and place of checklist q.form_id's
 * question q.question_id. */
#define NEWEST_WORDING \
	" CROSS JOIN LATERAL (SELECT fq.text, s.domain, fq.position" \
	"   FROM form_questions fq JOIN form_versions v ON v.id = fq.form_version_id" \
	"   JOIN form_sections s ON s.form_version_id = fq.form_version_id" \
	"    AND s.position = fq.section_position" \
	"   WHERE v.form_id = q.form_id AND fq.question_id = q.question_id" \
	"   ORDER BY v.version DESC LIMIT 1) nq"

/* Per period (pidx), checklist and question: the answers met, partially
 * met, not met and not applicable, and the weights of those judged (met,
 * partially met or not met) and of those not met.  Summed per version,
 * question and rating first (one pass over the answers `per` selects),
 * then per checklist and question across versions. */
#define SUMS_BY_QUESTION \
	" q AS (SELECT v.form_id, per.question_id, per.pidx," \
	"   coalesce(sum(n) FILTER (WHERE rating = 'met'), 0) AS met," \
	"   coalesce(sum(n) FILTER (WHERE rating = 'partially_met'), 0) AS partially_met," \
	"   coalesce(sum(n) FILTER (WHERE rating = 'not_met'), 0) AS not_met," \
	"   coalesce(sum(n) FILTER (WHERE rating = 'not_applicable'), 0) AS not_applicable," \
	"   sum(sw) FILTER (WHERE rating IN ('met', 'partially_met', 'not_met')) AS sw," \
	"   sum(sw2) FILTER (WHERE rating IN ('met', 'partially_met', 'not_met')) AS sw2," \
	"   sum(sw) FILTER (WHERE rating = 'not_met') AS swx" \
	"  FROM per JOIN form_versions v ON v.id = per.form_version_id" \
	"  GROUP BY v.form_id, per.question_id, per.pidx)"

/* The columns both queries return, from the period on. */
#define SUMS_COLUMNS \
	" q.pidx, q.met, q.partially_met, q.not_met, q.not_applicable, q.sw, q.sw2, q.swx"

/* $1 the last period's index, $2 the fewest answers a ranked question
 * has in it: the questions that may rank, with their last period. */
#define LAST_SQL \
	"WITH per AS (SELECT b.pidx, an.form_version_id, an.question_id, an.rating," \
	"   count(*) AS n, sum(b.w) AS sw, sum(b.w * b.w) AS sw2" \
	"  FROM ca_trends_base b JOIN answers an ON an.audit_id = b.id" \
	"  WHERE b.scored AND b.pidx = $1::int" \
	"  GROUP BY b.pidx, an.form_version_id, an.question_id, an.rating)," \
	SUMS_BY_QUESTION \
	" SELECT f.name, q.question_id, nq.text, nq.domain, nq.position," SUMS_COLUMNS \
	" FROM q JOIN forms f ON f.id = q.form_id" NEWEST_WORDING \
	" WHERE q.met + q.partially_met + q.not_met >= $2::int"

/* $1 checklist names and $2 question ids, side by side: the questions
 * ranked first; $3 the last period's index.  Their earlier periods. */
#define EARLIER_SQL \
	"WITH top AS (SELECT v.id AS form_version_id, t.question_id" \
	"  FROM unnest($1::text[], $2::text[]) AS t(form, question_id)" \
	"  JOIN forms f ON f.name = t.form JOIN form_versions v ON v.form_id = f.id)," \
	" per AS (SELECT b.pidx, an.form_version_id, an.question_id, an.rating," \
	"   count(*) AS n, sum(b.w) AS sw, sum(b.w * b.w) AS sw2" \
	"  FROM ca_trends_base b JOIN answers an ON an.audit_id = b.id" \
	"  JOIN top ON top.form_version_id = an.form_version_id" \
	"   AND top.question_id = an.question_id" \
	"  WHERE b.scored AND b.pidx < $3::int" \
	"  GROUP BY b.pidx, an.form_version_id, an.question_id, an.rating)," \
	SUMS_BY_QUESTION \
	" SELECT f.name, q.question_id," SUMS_COLUMNS \
	" FROM q JOIN forms f ON f.id = q.form_id"

/* The sums a share is made of, so that periods can be pooled. */
typedef struct sums {
	long n;
	double sx, sw, sw2, swx;
} sums;

static void
sums_add(sums *a, long n, double sx, double sw, double sw2, double swx)
{
	a->n += n;
	a->sx += sx;
	a->sw += sw;
	a->sw2 += sw2;
	a->swx += swx;
}

static ca_trends_trend
trend_of(const ca_trends_share *now, const ca_trends_share *before)
{
	if (before->suppressed || before->n == 0 || isnan(before->lo) || isnan(now->lo))
		return CA_TRENDS_TREND_NONE;
	if (now->lo > before->hi)
		return CA_TRENDS_RISING;
	if (now->hi < before->lo)
		return CA_TRENDS_FALLING;
	return CA_TRENDS_STEADY;
}

/* A share to nine places, for ranking: the same proportion summed from
 * the same weights in another order (another query plan) can differ in
 * its last bit, and that must not decide which of two tied questions a
 * board reads first. */
static long long
rank_share(const ca_trends_theme *th)
{
	return llround(th->share.share * 1e9);
}

int
ca_trends_theme_cmp(const void *a, const void *b)
{
	const ca_trends_theme *x = a, *y = b;
	long long sx = rank_share(x), sy = rank_share(y);
	long nx = x->share.n, ny = y->share.n;
	int c;

	if (sx != sy)
		return sx > sy ? -1 : 1;
	if (nx != ny)
		return nx > ny ? -1 : 1;
	if ((c = strcmp(x->form, y->form)) != 0)
		return c;
	if (x->position != y->position)
		return x->position < y->position ? -1 : 1;
	return strcmp(x->id, y->id);
}

static void
theme_free(ca_trends_theme *th)
{
	free(th->form);
	free(th->id);
	free(th->text);
	free(th->periods);
}

/* A new theme from the first of its rows. */
static int
theme_start(ca_trends *t, ca_trends_theme *th, const PGresult *res, int r, ca_err *err)
{
	memset(th, 0, sizeof *th);
	th->form = strdup(PQgetvalue(res, r, 0));
	th->id = strdup(PQgetvalue(res, r, 1));
	th->text = strdup(PQgetvalue(res, r, 2));
	th->periods = calloc(t->nperiods, sizeof *th->periods);
	if (th->form == NULL || th->id == NULL || th->text == NULL || th->periods == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
	th->domain = ca_domain_index(PQgetvalue(res, r, 3));
	th->position = (int)ca_trends_count(res, r, 4);
	ca_trends_share_clear(&th->share);
	ca_trends_share_clear(&th->earlier);
	for (size_t i = 0; i < t->nperiods; i++)
		ca_trends_share_clear(&th->periods[i]);
	return 0;
}

/* One period's row of the theme: its sums (SUMS_COLUMNS) from column c.
 * An earlier period's are also added to *earlier. */
static void
theme_add(ca_trends *t, ca_trends_theme *th, sums *earlier, const PGresult *res, int r,
    int c)
{
	long p = ca_trends_count(res, r, c);
	long met = ca_trends_count(res, r, c + 1), part = ca_trends_count(res, r, c + 2),
	    notmet = ca_trends_count(res, r, c + 3), judged = met + part + notmet;
	double sw = ca_trends_num(res, r, c + 5), sw2 = ca_trends_num(res, r, c + 6),
	    swx = ca_trends_num(res, r, c + 7);

	if (p < 0 || (size_t)p >= t->nperiods)
		return;
	ca_trends_share_set(&th->periods[p], judged, (double)notmet, sw, sw2, swx);
	if ((size_t)p + 1 == t->nperiods) {
		th->met = met;
		th->partially_met = part;
		th->not_met = notmet;
		th->not_applicable = ca_trends_count(res, r, c + 4);
		th->share = th->periods[p];
	} else if (earlier != NULL)
		sums_add(earlier, judged, (double)notmet, sw, sw2, swx);
}

static void
theme_finish(ca_trends *t, ca_trends_theme *th, const sums *earlier)
{
	ca_trends_share_set(&th->earlier, earlier->n, earlier->sx, earlier->sw, earlier->sw2,
	    earlier->swx);
	ca_trends_share_suppress_small(&th->earlier);
	for (size_t i = 0; i < t->nperiods; i++)
		ca_trends_share_suppress_small(&th->periods[i]);
	th->trend = trend_of(&th->share, &th->earlier);
}

/* The questions that may rank, each with its last period; *nq of them. */
static int
load_last(PGconn *conn, ca_trends *t, size_t *nq, ca_err *err)
{
	char last[24], least[16];
	const char *p[2] = { last, least };
	PGresult *res;
	int rows, rc = 0;

	snprintf(last, sizeof last, "%zu", t->nperiods - 1);
	snprintf(least, sizeof least, "%d", CA_TRENDS_MIN_GROUP);
	res = ca_db_query(conn, err, "trends: reading the recurring themes", LAST_SQL, 2, p);
	if (res == NULL)
		return err->code;
	rows = PQntuples(res);
	if (rows > 0 && (t->themes = calloc((size_t)rows, sizeof *t->themes)) == NULL) {
		PQclear(res);
		return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
	}
	for (int r = 0; r < rows && rc == 0; r++) {
		ca_trends_theme *th = &t->themes[(*nq)++];

		t->nthemes = *nq;
		if ((rc = theme_start(t, th, res, r, err)) == 0)
			theme_add(t, th, NULL, res, r, 5);
	}
	PQclear(res);
	return rc;
}

/* The earlier periods of the themes kept, and their trend. */
static int
load_earlier(PGconn *conn, ca_trends *t, ca_err *err)
{
	char last[24];
	const char *p[3];
	ca_strbuf forms, ids;
	sums *earlier;
	PGresult *res;
	int rc = 0;

	if ((earlier = calloc(t->nthemes, sizeof *earlier)) == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
	ca_strbuf_init(&forms);
	ca_strbuf_init(&ids);
	/* checklist names and question ids are lowercase letters, digits,
	 * hyphens and underscores (0002_forms): nothing to quote */
	for (size_t i = 0; i < t->nthemes; i++) {
		ca_strbuf_addf(&forms, "%s%s", i > 0 ? "," : "{", t->themes[i].form);
		ca_strbuf_addf(&ids, "%s%s", i > 0 ? "," : "{", t->themes[i].id);
	}
	ca_strbuf_adds(&forms, "}");
	ca_strbuf_adds(&ids, "}");
	snprintf(last, sizeof last, "%zu", t->nperiods - 1);
	p[0] = forms.data;
	p[1] = ids.data;
	p[2] = last;
	if (ca_strbuf_failed(&forms) || ca_strbuf_failed(&ids))
		rc = ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
	else if ((res = ca_db_query(conn, err, "trends: reading the recurring themes' earlier "
	    "periods", EARLIER_SQL, 3, p)) == NULL)
		rc = err->code;
	else {
		for (int r = 0; r < PQntuples(res); r++)
			for (size_t i = 0; i < t->nthemes; i++)
				if (strcmp(t->themes[i].form, PQgetvalue(res, r, 0)) == 0 &&
				    strcmp(t->themes[i].id, PQgetvalue(res, r, 1)) == 0)
					theme_add(t, &t->themes[i], &earlier[i], res, r, 2);
		PQclear(res);
	}
	for (size_t i = 0; rc == 0 && i < t->nthemes; i++)
		theme_finish(t, &t->themes[i], &earlier[i]);
	ca_strbuf_free(&forms);
	ca_strbuf_free(&ids);
	free(earlier);
	return rc;
}

int
ca_trends_load_themes(PGconn *conn, ca_trends *t, int n, ca_err *err)
{
	size_t nq = 0;
	int rc;

	if (t->nperiods == 0)
		return 0;
	if ((rc = load_last(conn, t, &nq, err)) != 0)
		return rc;
	if (nq > 1)
		qsort(t->themes, nq, sizeof *t->themes, ca_trends_theme_cmp);
	while (t->nthemes > (size_t)n)
		theme_free(&t->themes[--t->nthemes]);
	if (t->nthemes == 0)
		return 0;
	return load_earlier(conn, t, err);
}

void
ca_trends_themes_free(ca_trends *t)
{
	for (size_t i = 0; i < t->nthemes; i++)
		theme_free(&t->themes[i]);
	free(t->themes);
}
