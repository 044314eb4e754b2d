/*
 * trends_actions.c - actions and safeguarding escalations in the range's
 * last period, counted on its census date (trends.h, "Actions and
 * escalations").
 *
 * Everything is worked out from the dates the rows keep (set, due, done;
 * raised, acknowledged), not from their status now, so that a period's
 * figures read the same next year as on the day.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "trends_internal.h"

/* Whether audit `id` is of the partner $3's work; true when $3 is NULL,
 * and then, the parameter being known when the statement is planned, no
 * assessment is read at all. */
#define OF_PROVIDER(id) \
	" ($3::bigint IS NULL OR EXISTS (SELECT 1 FROM audits au" \
	"   JOIN assessments s ON s.id = au.assessment_id" \
	"   WHERE au.id = " id " AND s.provider_id = $3::bigint))"

/* $1 the period's first day, $2 the census date, $3 the provider or NULL:
 * the actions of audits of its assessments.  Owners are grouped by who
 * they are; GROUPING is 0 for an owner's row and 1 for the total, which
 * comes first. */
#define ACTIONS_SQL \
	"WITH a AS (SELECT ac.owner_staff_id, ac.owner_organisation_id," \
	"   coalesce(st.staff_ref, o.name) AS owner, ac.created_on, ac.due_on, ac.done_on," \
	"   ac.done_on IS NULL OR ac.done_on > $2::date AS open" \
	"  FROM actions ac" \
	"  LEFT JOIN staff st ON st.id = ac.owner_staff_id" \
	"  LEFT JOIN organisations o ON o.id = ac.owner_organisation_id" \
	"  WHERE ac.created_on <= $2::date AND" OF_PROVIDER("ac.audit_id") ")" \
	" SELECT GROUPING(owner_staff_id, owner_organisation_id, owner), owner," \
	"  owner_staff_id IS NOT NULL," \
	"  count(*) FILTER (WHERE created_on >= $1::date)," \
	"  count(*) FILTER (WHERE open)," \
	"  count(*) FILTER (WHERE open AND due_on < $2::date)," \
	"  count(*) FILTER (WHERE done_on BETWEEN $1::date AND $2::date)" \
	" FROM a" \
	" GROUP BY GROUPING SETS ((owner_staff_id, owner_organisation_id, owner), ())" \
	" HAVING GROUPING(owner_staff_id, owner_organisation_id, owner) <> 0" \
	"  OR count(*) FILTER (WHERE open OR done_on BETWEEN $1::date AND $2::date) > 0" \
	" ORDER BY 1 DESC, 6 DESC, 5 DESC, 2, 3"

/* The same parameters, for the escalations. */
#define ESCALATIONS_SQL \
	"WITH e AS (SELECT e.raised_on, e.acknowledged_on," \
	"   e.raised_on >= $1::date AS now," \
	"   e.acknowledged_on <= $2::date AS acked," \
	"   e.acknowledged_on - e.raised_on AS days" \
	"  FROM escalations e" \
	"  WHERE e.raised_on <= $2::date AND" OF_PROVIDER("e.audit_id") ")" \
	" SELECT count(*) FILTER (WHERE now)," \
	"  count(*) FILTER (WHERE now AND acked)," \
	"  percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FILTER (WHERE now AND acked)," \
	"  max(days) FILTER (WHERE now AND acked)," \
	"  count(*) FILTER (WHERE acked IS NOT TRUE)" \
	" FROM e"

static int
load_actions(PGconn *conn, ca_trends_actions *ac, const char *const *p, ca_err *err)
{
	PGresult *res;
	int n;

	res = ca_db_query(conn, err, "trends: reading the actions", ACTIONS_SQL, 3, p);
	if (res == NULL)
		return err->code;
	n = PQntuples(res);
	if (n > 1 && (ac->owners = calloc((size_t)n - 1, sizeof *ac->owners)) == NULL) {
		PQclear(res);
		return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
	}
	for (int r = 0; r < n; r++) {
		ca_trends_owner *o;

		if (ca_trends_count(res, r, 0) != 0) {
			ac->set = ca_trends_count(res, r, 3);
			ac->open = ca_trends_count(res, r, 4);
			ac->overdue = ca_trends_count(res, r, 5);
			ac->done = ca_trends_count(res, r, 6);
			continue;
		}
		o = &ac->owners[ac->nowners++];
		if ((o->name = strdup(PQgetvalue(res, r, 1))) == NULL) {
			PQclear(res);
			return ca_err_set(err, CA_EX_SOFTWARE, "trends: out of memory");
		}
		o->staff = strcmp(PQgetvalue(res, r, 2), "t") == 0;
		o->open = ca_trends_count(res, r, 4);
		o->overdue = ca_trends_count(res, r, 5);
		o->done = ca_trends_count(res, r, 6);
	}
	PQclear(res);
	return 0;
}

static int
load_escalations(PGconn *conn, ca_trends_actions *ac, const char *const *p, ca_err *err)
{
	PGresult *res;

	res = ca_db_query(conn, err, "trends: reading the escalations", ESCALATIONS_SQL, 3, p);
	if (res == NULL)
		return err->code;
	ac->escalations = ca_trends_count(res, 0, 0);
	ac->acknowledged = ca_trends_count(res, 0, 1);
	ac->unacknowledged = ac->escalations - ac->acknowledged;
	ac->ack_median = ca_trends_real(res, 0, 2);
	ac->ack_longest = ca_trends_real(res, 0, 3);
	ac->escalations_open = ca_trends_count(res, 0, 4);
	PQclear(res);
	return 0;
}

int
ca_trends_load_actions(PGconn *conn, ca_trends *t, const ca_trends_params *pp,
    ca_err *err)
{
	ca_trends_actions *ac = &t->actions;
	const char *p[3] = { pp->last_first, pp->census, pp->p[4] };
	int rc;

	snprintf(ac->period, sizeof ac->period, "%s", t->to_name);
	snprintf(ac->first, sizeof ac->first, "%s", pp->last_first);
	snprintf(ac->census, sizeof ac->census, "%s", pp->census);
	ac->ack_median = ac->ack_longest = NAN;
	if ((rc = load_actions(conn, ac, p, err)) != 0)
		return rc;
	return load_escalations(conn, ac, p, err);
}

void
ca_trends_actions_free(ca_trends *t)
{
	for (size_t i = 0; i < t->actions.nowners; i++)
		free(t->actions.owners[i].name);
	free(t->actions.owners);
}
