/*
 * chase.c - reminders and escalations for audits and actions due and
 * overdue (chase.h).
 */
#include "chase.h"

#include <stdio.h>
#include <stdlib.h>

#include "db.h"

/* p: today, remind days, escalate days, actor. */
static int
chase_audits(PGconn *conn, const char *const *p, ca_chase_counts *counts, ca_err *err)
{
	PGresult *res;

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
	counts->due_soon = atol(PQgetvalue(res, 0, 0));
	counts->overdue = atol(PQgetvalue(res, 0, 1));
	counts->escalated = atol(PQgetvalue(res, 0, 2));
	PQclear(res);
	return 0;
}

/* The owner of an action is a member of staff (recipient_id) or a partner
 * organisation (organisation_id); QA leads are staff.  reminders_action_once
 * (0005_workflow) keeps each reminder to one. */
static int
chase_actions(PGconn *conn, const char *const *p, ca_chase_counts *counts, ca_err *err)
{
	PGresult *res;

	res = ca_db_query(conn, err, "chasing actions",
	    "WITH open AS (SELECT x.id, x.owner_staff_id, x.owner_organisation_id, x.due_on"
	    "   FROM actions x JOIN audits au ON au.id = x.audit_id"
	    "   WHERE x.status = 'open' AND au.status <> 'cancelled'"
	    "     AND x.due_on <= $1::date + $2::int),"
	    " due AS (SELECT id, owner_staff_id AS staff, owner_organisation_id AS org, due_on,"
	    "     CASE WHEN due_on < $1::date THEN 'action_overdue' ELSE 'action_due_soon' END"
	    "     AS kind FROM open"
	    "   UNION ALL"
	    "   SELECT o.id, s.id, NULL, o.due_on, 'action_escalation' FROM open o"
	    "   JOIN staff s ON s.active AND 'qa_lead' = ANY (s.roles)"
	    "   WHERE o.due_on < $1::date - $3::int),"
	    " ins AS (INSERT INTO reminders (action_id, kind, recipient_id, organisation_id,"
	    "     due_on, created_on)"
	    "   SELECT id, kind, staff, org, due_on, $1::date FROM due"
	    "   ON CONFLICT DO NOTHING"
	    "   RETURNING action_id, kind, recipient_id, organisation_id, due_on),"
	    " ev AS (INSERT INTO events (actor, action, entity, entity_id, after)"
	    "   SELECT $4, CASE ins.kind WHEN 'action_escalation' THEN 'action.escalated'"
	    "     ELSE 'action.reminded' END, 'action', ins.action_id::text,"
	    "     jsonb_strip_nulls(jsonb_build_object('audit', x.audit_id, 'kind', ins.kind,"
	    "       'to', s.staff_ref, 'organisation', o.name, 'due_on', ins.due_on))"
	    "   FROM ins JOIN actions x ON x.id = ins.action_id"
	    "   LEFT JOIN staff s ON s.id = ins.recipient_id"
	    "   LEFT JOIN organisations o ON o.id = ins.organisation_id)"
	    " SELECT count(*) FILTER (WHERE kind = 'action_due_soon'),"
	    "   count(*) FILTER (WHERE kind = 'action_overdue'),"
	    "   count(DISTINCT action_id) FILTER (WHERE kind = 'action_escalation') FROM ins",
	    4, p);
	if (res == NULL)
		return err->code;
	counts->action_due_soon = atol(PQgetvalue(res, 0, 0));
	counts->action_overdue = atol(PQgetvalue(res, 0, 1));
	counts->action_escalated = atol(PQgetvalue(res, 0, 2));
	PQclear(res);
	return 0;
}

int
ca_chase(PGconn *conn, const char *today, int remind_days, int escalate_days,
    const char *actor, ca_chase_counts *counts, ca_err *err)
{
	char remind[16], escalate[16];
	const char *p[4] = { today, remind, escalate, actor };
	ca_chase_counts c = { 0 };
	int rc;

	snprintf(remind, sizeof remind, "%d", remind_days);
	snprintf(escalate, sizeof escalate, "%d", escalate_days);
	if ((rc = chase_audits(conn, p, &c, err)) == 0 &&
	    (rc = chase_actions(conn, p, &c, err)) == 0 && counts != NULL)
		*counts = c;
	return rc;
}
