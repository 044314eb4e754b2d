/*
 * trends_equity.c - the range's results by age band, ethnicity and
 * primary support reason (trends.h, "Equity").
 *
 * The headline audits of ca_trends_base, which carry their assessment's
 * three recorded values, are taken once per grouping,
 * and summed per group: once for the grades, once for the domain scores.
 * Suppression then works per grouping, small groups first and then,
 * because every grouping adds up to the same total, whatever else hides
 * them from subtraction.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "trends_internal.h"

const char *const ca_trends_equity_names[CA_TRENDS_EQUITY] = {
	"age_band", "ethnicity", "support_reason",
};

/* Each headline audit once per grouping, as (dimension, value); a blank
 * value is not recorded. */
#define EQUITY_ROWS \
	"WITH e AS (SELECT b.id, b.w, b.grade, v.dim, nullif(btrim(v.value), '') AS value" \
	"  FROM ca_trends_base b" \
	"  CROSS JOIN LATERAL (VALUES (0, b.age_band), (1, b.ethnicity)," \
	"   (2, b.support_reason)) AS v(dim, value)" \
	"  WHERE b.scored)"

static ca_trends_equity_group *
group_find(ca_trends *t, const PGresult *res, int r)
{
	long d = ca_trends_count(res, r, 0);
	int none = PQgetisnull(res, r, 1);
	const char *v = PQgetvalue(res, r, 1);

	if (d < 0 || d >= CA_TRENDS_EQUITY)
		return NULL;
	for (size_t i = 0; i < t->equity[d].ngroups; i++) {
		ca_trends_equity_group *g = &t->equity[d].groups[i];

		if (none ? !g->recorded : g->recorded && strcmp(g->name, v) == 0)
			return g;
	}
	return NULL;
}

static int
load_groups(PGconn *conn, ca_trends *t, ca_err *err)
{
	size_t n[CA_TRENDS_EQUITY] = { 0 };
	PGresult *res;

	res = ca_db_query(conn, err, "trends: reading the equity groups",
	    EQUITY_ROWS
	    " SELECT dim, value, count(*),"
	    "  count(*) FILTER (WHERE grade IN ('outstanding', 'good')),"
	    "  sum(w), sum(w * w), sum(w) FILTER (WHERE grade IN ('outstanding', 'good'))"
	    " FROM e GROUP BY dim, value ORDER BY dim, value IS NULL, value", 0, NULL);
	if (res == NULL)
		return err->code;
	for (int r = 0; r < PQntuples(res); r++) {
		long d = ca_trends_count(res, r, 0);

		if (d >= 0 && d < CA_TRENDS_EQUITY)
			n[d]++;
	}
	for (int d = 0; d < CA_TRENDS_EQUITY; d++)
		if (n[d] > 0 && (t->equity[d].groups = calloc(n[d],
		    sizeof *t->equity[d].groups)) == NULL) {
			PQclear(res);
			return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
		}
	for (int r = 0; r < PQntuples(res); r++) {
		long d = ca_trends_count(res, r, 0);
		ca_trends_equity_group *g;
		long audits = ca_trends_count(res, r, 2);

		if (d < 0 || d >= CA_TRENDS_EQUITY)
			continue;
		g = &t->equity[d].groups[t->equity[d].ngroups++];
		g->recorded = !PQgetisnull(res, r, 1);
		g->name = strdup(g->recorded ? PQgetvalue(res, r, 1) : CA_TRENDS_NOT_RECORDED);
		if (g->name == NULL) {
			PQclear(res);
			return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
		}
		g->audits = audits;
		ca_trends_share_set(&g->good, audits, ca_trends_num(res, r, 3),
		    ca_trends_num(res, r, 4), ca_trends_num(res, r, 5), ca_trends_num(res, r, 6));
		for (int k = 0; k < CA_DOMAINS; k++)
			ca_trends_share_clear(&g->domain[k]);
	}
	PQclear(res);
	return 0;
}

static int
load_domains(PGconn *conn, ca_trends *t, ca_err *err)
{
	PGresult *res;

	res = ca_db_query(conn, err, "trends: reading the equity groups' domain scores",
	    EQUITY_ROWS
	    " SELECT e.dim, e.value, ds.domain, count(*), sum(ds.score), sum(e.w),"
	    "  sum(e.w * e.w), sum(e.w * ds.score)"
	    " FROM e JOIN domain_scores ds ON ds.audit_id = e.id"
	    " WHERE ds.score IS NOT NULL"
	    " GROUP BY e.dim, e.value, ds.domain", 0, NULL);
	if (res == NULL)
		return err->code;
	for (int r = 0; r < PQntuples(res); r++) {
		ca_trends_equity_group *g = group_find(t, res, r);
		int k = ca_domain_index(PQgetvalue(res, r, 2));

		if (g == NULL || k < 0)
			continue;
		ca_trends_share_set(&g->domain[k], ca_trends_count(res, r, 3),
		    ca_trends_num(res, r, 4), ca_trends_num(res, r, 5), ca_trends_num(res, r, 6),
		    ca_trends_num(res, r, 7));
	}
	PQclear(res);
	return 0;
}

static void
withhold(ca_trends_equity_group *g)
{
	g->suppressed = 1;
	g->audits = 0;
	ca_trends_share_clear(&g->good);
	g->good.suppressed = 1;
	for (int k = 0; k < CA_DOMAINS; k++) {
		ca_trends_share_clear(&g->domain[k]);
		g->domain[k].suppressed = 1;
	}
}

/* Small groups, then the smallest shown until what is withheld holds five
 * or more (or nothing is left to withhold), then small shares. */
static void
suppress(ca_trends_equity *e)
{
	long hidden = 0;

	for (size_t i = 0; i < e->ngroups; i++) {
		ca_trends_equity_group *g = &e->groups[i];

		if (g->audits > 0 && g->audits < CA_TRENDS_MIN_GROUP) {
			hidden += g->audits;
			withhold(g);
		}
	}
	while (hidden > 0 && hidden < CA_TRENDS_MIN_GROUP) {
		ca_trends_equity_group *smallest = NULL;

		for (size_t i = 0; i < e->ngroups; i++)
			if (!e->groups[i].suppressed && (smallest == NULL ||
			    e->groups[i].audits <= smallest->audits))
				smallest = &e->groups[i];
		if (smallest == NULL)
			break;
		hidden += smallest->audits;
		withhold(smallest);
		smallest->secondary = 1;
	}
	for (size_t i = 0; i < e->ngroups; i++) {
		if (e->groups[i].suppressed)
			continue;
		ca_trends_share_suppress_small(&e->groups[i].good);
		for (int k = 0; k < CA_DOMAINS; k++)
			ca_trends_share_suppress_small(&e->groups[i].domain[k]);
	}
}

int
ca_trends_load_equity(PGconn *conn, ca_trends *t, ca_err *err)
{
	int rc;

	if ((rc = load_groups(conn, t, err)) != 0 || (rc = load_domains(conn, t, err)) != 0)
		return rc;
	for (int d = 0; d < CA_TRENDS_EQUITY; d++)
		suppress(&t->equity[d]);
	return 0;
}

void
ca_trends_equity_free(ca_trends *t)
{
	for (int d = 0; d < CA_TRENDS_EQUITY; d++) {
		for (size_t i = 0; i < t->equity[d].ngroups; i++)
			free(t->equity[d].groups[i].name);
		free(t->equity[d].groups);
	}
}
