/*
 * history.c - an audit's trail (history.h).
 */
#include "history.h"

#include "db.h"

const ca_column ca_history_columns[CA_HISTORY_COLUMNS] = {
	{ "at", "WHEN", CA_COL_TEXT },
	{ "actor", "WHO", CA_COL_TEXT },
	{ "action", "WHAT", CA_COL_TEXT },
	{ "entity", "ON", CA_COL_TEXT },
	{ "before", "BEFORE", CA_COL_JSON },
	{ "after", "AFTER", CA_COL_JSON },
};

/* The other entities carry the audit's id as "audit" in their data; the
 * index events_by_audit (0005_workflow) serves that half. */
PGresult *
ca_history_query(PGconn *conn, const char *audit_id, ca_err *err)
{
	const char *p[1] = { audit_id };

	return ca_db_query(conn, err, "reading the history",
	    "SELECT to_char(e.at AT TIME ZONE 'Europe/London', 'DD/MM/YYYY HH24:MI:SS'), e.actor,"
	    "  e.action, e.entity || ' ' || e.entity_id, e.before, e.after FROM events e"
	    " WHERE (e.entity = 'audit' AND e.entity_id = $1)"
	    "    OR (e.entity IN ('action', 'moderation', 'escalation', 'feedback')"
	    "        AND coalesce(e.after, e.before) ->> 'audit' = $1)"
	    " ORDER BY e.id", 1, p);
}
