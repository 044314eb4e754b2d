/*
 * chase.c - reminders and escalations for audits due and overdue
 * (chase.h).
 */
#include "chase.h"

#include <stdio.h>
#include <stdlib.h>

#include "db.h"

int
ca_chase(PGconn *conn, const char *today, int remind_days, int escalate_days,
    const char *actor, ca_chase_counts *counts, ca_err *err)
{
	char remind[16], escalate[16];
	const char *p[4] = { today, remind, escalate, actor };
	PGresult *res;

	snprintf(remind, sizeof remind, "%d", remind_days);
	snprintf(escalate, sizeof escalate, "%d", escalate_days);
	res = ca_db_query(conn, err, "chasing audits",
	    "WITH open AS (SELECT au.id, au.auditor_id, au.due_on FROM audits au"
	    "   WHERE au.status IN ('unassigned', 'assigned', 'in_progress', 'returned')"
	    "     AND au.due_on <= $1::date + $2::int),"
	    " due AS (SELECT id, auditor_id AS recipient, due_on,"
	    "     CASE WHEN due_on < $1::date THEN 'overdue' ELSE 'due_soon' END AS kind"
	    "   FROM open WHERE auditor_id IS NOT NULL"
	    "   UNION ALL"
	    "   SELECT o.id, s.id, o.due_on, 'escalation' FROM open o"
	    "   JOIN staff s ON s.active AND 'qa_lead' = ANY (s.roles)"
	    "   WHERE o.due_on < $1::date - $3::int),"
	    " ins AS (INSERT INTO reminders (audit_id, kind, recipient_id, due_on, created_on)"
	    "   SELECT id, kind, recipient, due_on, $1::date FROM due"
	    "   ON CONFLICT DO NOTHING RETURNING audit_id, kind, recipient_id, due_on),"
	    " ev AS (INSERT INTO events (actor, action, entity, entity_id, after)"
	    "   SELECT $4, 'audit.' || CASE ins.kind WHEN 'escalation' THEN 'escalated'"
	    "     ELSE 'reminded' END, 'audit', ins.audit_id::text,"
	    "     jsonb_build_object('kind', ins.kind, 'to', s.staff_ref, 'due_on', ins.due_on)"
	    "   FROM ins JOIN staff s ON s.id = ins.recipient_id)"
	    " SELECT count(*) FILTER (WHERE kind = 'due_soon'),"
	    "   count(*) FILTER (WHERE kind = 'overdue'),"
	    "   count(DISTINCT audit_id) FILTER (WHERE kind = 'escalation') FROM ins", 4, p);
	if (res == NULL)
		return err->code;
	if (counts != NULL) {
		counts->due_soon = atol(PQgetvalue(res, 0, 0));
		counts->overdue = atol(PQgetvalue(res, 0, 1));
		counts->escalated = atol(PQgetvalue(res, 0, 2));
	}
	PQclear(res);
	return 0;
}
