/*
 * trends_waits.c - how long people waited for their assessment, and how
 * many are still waiting (trends.h, "Waiting").
 *
 * Read from the assessments, not the audits: a wait is the person's
 * whether or not the case was sampled.  One query gives each partner's
 * figures and the total (GROUPING SETS), the completed and the waiting
 * side by side.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "trends_internal.h"

/* $1, $2 the range's first and last day, $3 the census date, $4 the
 * provider or NULL.  GROUPING(provider_id) is 0 for a partner's row and 1
 * for the total.  Still waiting is two scans of assessments_completed
 * (0009_report_indexes: the index carries requested_on and provider_id), not yet
 * completed and completed after the census, so neither reads the table. */
#define WAITS_SQL \
	"WITH done AS (SELECT provider_id, completed_on - requested_on AS d" \
	"   FROM assessments" \
	"   WHERE completed_on BETWEEN $1::date AND $2::date" \
	"    AND ($4::bigint IS NULL OR provider_id = $4::bigint))," \
	" waiting AS (SELECT provider_id, $3::date - requested_on AS d" \
	"   FROM assessments" \
	"   WHERE completed_on IS NULL AND requested_on <= $3::date" \
	"    AND ($4::bigint IS NULL OR provider_id = $4::bigint)" \
	"  UNION ALL" \
	"  SELECT provider_id, $3::date - requested_on" \
	"   FROM assessments" \
	"   WHERE completed_on > $3::date AND requested_on <= $3::date" \
	"    AND ($4::bigint IS NULL OR provider_id = $4::bigint))," \
	" c AS (SELECT GROUPING(provider_id) AS g, provider_id, count(*) AS n," \
	"   percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS median," \
	"   percentile_cont(0.9) WITHIN GROUP (ORDER BY d) AS p90" \
	"  FROM done GROUP BY GROUPING SETS ((provider_id), ()))," \
	" w AS (SELECT GROUPING(provider_id) AS g, provider_id, count(*) AS n," \
	"   percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS median," \
	"   percentile_cont(0.9) WITHIN GROUP (ORDER BY d) AS p90" \
	"  FROM waiting GROUP BY GROUPING SETS ((provider_id), ()))" \
	" SELECT coalesce(c.g, w.g), coalesce(c.provider_id, w.provider_id), o.name," \
	"  c.n, c.median, c.p90, w.n, w.median, w.p90" \
	" FROM c FULL JOIN w ON w.g = c.g AND w.provider_id IS NOT DISTINCT FROM c.provider_id" \
	" LEFT JOIN organisations o ON o.id = coalesce(c.provider_id, w.provider_id)" \
	" ORDER BY 1, o.name, 2"

static void
wait_clear(ca_trends_wait *w)
{
	w->completed = w->waiting = 0;
	w->median = w->p90 = w->waiting_median = w->waiting_p90 = NAN;
}

/* One row's figures, withholding either half over one to four people. */
static void
wait_set(ca_trends_wait *w, const PGresult *res, int r)
{
	wait_clear(w);
	w->completed = ca_trends_count(res, r, 3);
	w->waiting = ca_trends_count(res, r, 6);
	if (w->completed > 0 && w->completed < CA_TRENDS_MIN_GROUP) {
		w->suppressed = 1;
		w->completed = 0;
	} else if (w->completed > 0) {
		w->median = ca_trends_real(res, r, 4);
		w->p90 = ca_trends_real(res, r, 5);
	}
	if (w->waiting > 0 && w->waiting < CA_TRENDS_MIN_GROUP) {
		w->waiting_suppressed = 1;
		w->waiting = 0;
	} else if (w->waiting > 0) {
		w->waiting_median = ca_trends_real(res, r, 7);
		w->waiting_p90 = ca_trends_real(res, r, 8);
	}
}

int
ca_trends_load_waits(PGconn *conn, ca_trends *t, const ca_trends_params *pp, ca_err *err)
{
	const char *p[4] = { pp->first, pp->last, pp->census, pp->p[4] };
	ca_trends_waits *ws = &t->waits;
	PGresult *res;
	size_t np = 0;

	snprintf(ws->census, sizeof ws->census, "%s", pp->census);
	wait_clear(&ws->all);
	if ((ws->all.name = strdup("all")) == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
	res = ca_db_query(conn, err, "trends: reading the waits", WAITS_SQL, 4, p);
	if (res == NULL)
		return err->code;
	for (int r = 0; r < PQntuples(res); r++)
		np += ca_trends_count(res, r, 0) == 0;
	if (np > 0 && (ws->providers = calloc(np, sizeof *ws->providers)) == NULL) {
		PQclear(res);
		return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
	}
	for (int r = 0; r < PQntuples(res); r++) {
		ca_trends_wait *w;

		if (ca_trends_count(res, r, 0) != 0) {
			wait_set(&ws->all, res, r);
			continue;
		}
		w = &ws->providers[ws->nproviders++];
		w->provider_id = strtoll(PQgetvalue(res, r, 1), NULL, 10);
		if ((w->name = strdup(PQgetvalue(res, r, 2))) == NULL) {
			PQclear(res);
			return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
		}
		wait_set(w, res, r);
	}
	PQclear(res);
	return 0;
}

void
ca_trends_waits_free(ca_trends *t)
{
	for (size_t i = 0; i < t->waits.nproviders; i++)
		free(t->waits.providers[i].name);
	free(t->waits.providers);
	free(t->waits.all.name);
}
