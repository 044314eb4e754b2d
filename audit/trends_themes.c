/*
 * trends_themes.c - the questions most often not met in the range's last
 * period and their trend (trends.h, "Recurring themes").
 *
 * One query sums the answers per question and period, for the questions
 * answered five or more times in the last period; the shares per period,
 * the earlier periods pooled, the ranking and the trend word are worked
 * out here from those sums, which add up across periods.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "trends_internal.h"

/* $1 the last period's index, $2 the fewest answers a ranked question
 * has in it.  Answers are summed per period, version, question and rating
 * first (one pass), then per checklist and question across versions, as
 * for the question figures; wording and order are the newest version's. */
#define THEMES_SQL \
	"WITH per AS (SELECT b.pidx, an.form_version_id, an.question_id, an.rating," \
	"   count(*) AS n, sum(b.w) AS sw, sum(b.w * b.w) AS sw2" \
	"  FROM ca_trends_base b JOIN answers an ON an.audit_id = b.id" \
	"  WHERE b.scored" \
	"  GROUP BY b.pidx, an.form_version_id, an.question_id, an.rating)," \
	" q AS (SELECT v.form_id, per.question_id, per.pidx," \
	"   coalesce(sum(n) FILTER (WHERE rating = 'met'), 0) AS met," \
	"   coalesce(sum(n) FILTER (WHERE rating = 'partially_met'), 0) AS partially_met," \
	"   coalesce(sum(n) FILTER (WHERE rating = 'not_met'), 0) AS not_met," \
	"   coalesce(sum(n) FILTER (WHERE rating = 'not_applicable'), 0) AS not_applicable," \
	"   sum(sw) FILTER (WHERE rating IN ('met', 'partially_met', 'not_met')) AS sw," \
	"   sum(sw2) FILTER (WHERE rating IN ('met', 'partially_met', 'not_met')) AS sw2," \
	"   sum(sw) FILTER (WHERE rating = 'not_met') AS swx" \
	"  FROM per JOIN form_versions v ON v.id = per.form_version_id" \
	"  GROUP BY v.form_id, per.question_id, per.pidx)," \
	" ranked AS (SELECT q.form_id, q.question_id, nq.text, nq.domain, nq.position" \
	"  FROM q CROSS JOIN LATERAL (SELECT fq.text, s.domain, fq.position" \
	"    FROM form_questions fq JOIN form_versions v ON v.id = fq.form_version_id" \
	"    JOIN form_sections s ON s.form_version_id = fq.form_version_id" \
	"     AND s.position = fq.section_position" \
	"    WHERE v.form_id = q.form_id AND fq.question_id = q.question_id" \
	"    ORDER BY v.version DESC LIMIT 1) nq" \
	"  WHERE q.pidx = $1::int AND q.met + q.partially_met + q.not_met >= $2::int)" \
	" SELECT f.name, r.question_id, r.text, r.domain, r.position, q.pidx, q.met," \
	"  q.partially_met, q.not_met, q.not_applicable, q.sw, q.sw2, q.swx" \
	" FROM ranked r JOIN q USING (form_id, question_id) JOIN forms f ON f.id = r.form_id" \
	" ORDER BY f.name, r.question_id, q.pidx"

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

/* Most often not met first; then more answers, checklist, position, id. */
static int
theme_cmp(const void *a, const void *b)
{
	const ca_trends_theme *x = a, *y = b;
	long nx = x->share.n, ny = y->share.n;
	int c;

	if (x->share.share != y->share.share)
		return x->share.share > y->share.share ? -1 : 1;
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

/* One period's row of the theme. */
static void
theme_add(ca_trends *t, ca_trends_theme *th, sums *earlier, const PGresult *res, int r)
{
	long p = ca_trends_count(res, r, 5);
	long met = ca_trends_count(res, r, 6), part = ca_trends_count(res, r, 7),
	    notmet = ca_trends_count(res, r, 8), judged = met + part + notmet;
	double sw = ca_trends_num(res, r, 10), sw2 = ca_trends_num(res, r, 11),
	    swx = ca_trends_num(res, r, 12);

	if (p < 0 || (size_t)p >= t->nperiods)
		return;
	ca_trends_share_set(&th->periods[p], judged, (double)notmet, sw, sw2, swx);
	if ((size_t)p + 1 == t->nperiods) {
		th->met = met;
		th->partially_met = part;
		th->not_met = notmet;
		th->not_applicable = ca_trends_count(res, r, 9);
		th->share = th->periods[p];
	} else
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

int
ca_trends_load_themes(PGconn *conn, ca_trends *t, int n, ca_err *err)
{
	char last[24], least[16];
	const char *p[2] = { last, least };
	ca_trends_theme *th = NULL;
	sums earlier = { 0 };
	PGresult *res;
	int rows, rc = 0;
	size_t nq = 0;

	if (t->nperiods == 0)
		return 0;
	snprintf(last, sizeof last, "%zu", t->nperiods - 1);
	snprintf(least, sizeof least, "%d", CA_TRENDS_MIN_GROUP);
	res = ca_db_query(conn, err, "trends: reading the recurring themes", THEMES_SQL, 2, p);
	if (res == NULL)
		return err->code;
	rows = PQntuples(res);
	/* at most one question per row; the surplus is given back below */
	if (rows > 0 && (t->themes = calloc((size_t)rows, sizeof *t->themes)) == NULL) {
		PQclear(res);
		return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
	}
	for (int r = 0; r < rows && rc == 0; r++) {
		if (th == NULL || strcmp(th->form, PQgetvalue(res, r, 0)) != 0 ||
		    strcmp(th->id, PQgetvalue(res, r, 1)) != 0) {
			if (th != NULL)
				theme_finish(t, th, &earlier);
			th = &t->themes[nq++];
			t->nthemes = nq;
			memset(&earlier, 0, sizeof earlier);
			if ((rc = theme_start(t, th, res, r, err)) != 0)
				break;
		}
		theme_add(t, th, &earlier, res, r);
	}
	PQclear(res);
	if (rc != 0)
		return rc;
	if (th != NULL)
		theme_finish(t, th, &earlier);
	if (nq > 1)
		qsort(t->themes, nq, sizeof *t->themes, theme_cmp);
	while (t->nthemes > (size_t)n)
		theme_free(&t->themes[--t->nthemes]);
	return 0;
}

void
ca_trends_themes_free(ca_trends *t)
{
	for (size_t i = 0; i < t->nthemes; i++)
		theme_free(&t->themes[i]);
	free(t->themes);
}
