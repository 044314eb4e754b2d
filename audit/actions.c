/*
 * actions.c - adding actions to an audit and marking them done
 * (actions.h).
 */
#include "actions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "db.h"

/* Whom an action is given to, as resolved from --owner. */
typedef struct owner {
	const char *kind;      /* "staff" or "organisation" */
	char id[24];
	char name[256];        /* the staff_ref or the organisation's name */
} owner;

/*
 * --owner: a staff_ref or an organisation's name, exactly.  The two are
 * separate name spaces, so a name can be both; then the user says which
 * with "staff:" or "org:" rather than us guessing.  An action is given to
 * somebody who can still do it: staff who have left are refused.
 */
static int
resolve_owner(PGconn *conn, const char *arg, owner *o, ca_err *err)
{
	const char *name = arg, *want = NULL;
	const char *p[2];
	PGresult *res;
	int rc = 0, n;

	if (strncmp(arg, "staff:", 6) == 0) {
		want = "staff";
		name = arg + 6;
	} else if (strncmp(arg, "org:", 4) == 0) {
		want = "organisation";
		name = arg + 4;
	}
	if (name[0] == '\0')
		return ca_err_set(err, CA_EX_DATAERR, "--owner names a member of staff (their "
		    "staff ref) or a partner organisation");
	p[0] = name; p[1] = want;
	res = ca_db_query(conn, err, "finding the owner",
	    "SELECT 'staff', id, staff_ref, active FROM staff"
	    " WHERE staff_ref = $1 AND coalesce($2, 'staff') = 'staff'"
	    " UNION ALL"
	    " SELECT 'organisation', id, name, true FROM organisations"
	    " WHERE name = $1 AND coalesce($2, 'organisation') = 'organisation'"
	    " ORDER BY 1 DESC", 2, p);
	if (res == NULL)
		return err->code;
	n = PQntuples(res);
	if (n == 0)
		rc = ca_err_set(err, CA_EX_DATAERR, "there is no %s '%.200s' (--owner)",
		    want == NULL ? "member of staff or partner organisation" :
		    strcmp(want, "staff") == 0 ? "member of staff" : "partner organisation", name);
	else if (n > 1)
		rc = ca_err_set(err, CA_EX_DATAERR, "'%.64s' is both a member of staff and a "
		    "partner organisation: say which with --owner staff:%.64s or --owner org:%.64s",
		    name, name, name);
	else if (PQgetvalue(res, 0, 3)[0] != 't')
		rc = ca_err_set(err, CA_EX_DATAERR, "%.64s is no longer active staff; give the "
		    "action to someone who can do it, or to their organisation", name);
	if (rc == 0) {
		o->kind = strcmp(PQgetvalue(res, 0, 0), "staff") == 0 ? "staff" : "organisation";
		snprintf(o->id, sizeof o->id, "%s", PQgetvalue(res, 0, 1));
		snprintf(o->name, sizeof o->name, "%s", PQgetvalue(res, 0, 2));
	}
	PQclear(res);
	return rc;
}

/* Actions come from findings: from the auditor while the findings are
 * theirs, and from the principal social worker or a QA lead at any time
 * there are findings to act on. */
static int
may_add(const ca_wf *w, ca_err *err)
{
	static const char *const auditors[] = {
		"in_progress", "returned", "submitted", "feedback", NULL
	};

	if (strcmp(w->status, "unassigned") == 0)
		return ca_wf_refuse(w, err, "actions come from an audit's findings, and nobody is "
		    "auditing it yet");
	if (strcmp(w->status, "cancelled") == 0)
		return ca_wf_refuse(w, err, "it was withdrawn, so no actions come from it");
	if (ca_wf_has_role(w, "psw") || ca_wf_has_role(w, "qa_lead"))
		return 0;
	if (!ca_wf_is_auditor(w))
		return ca_err_set(err, CA_EX_DATAERR, "%s is not the auditor of audit %s, the "
		    "principal social worker or a QA lead; only they can agree actions from it",
		    w->actor->as, w->audit);
	if (!ca_wf_status_in(w, auditors))
		return ca_wf_refuse(w, err, "%s", strcmp(w->status, "assigned") == 0 ?
		    "its auditor can add actions once the audit has started" :
		    "only the principal social worker or a QA lead can add actions to it now");
	return 0;
}

int
ca_action_create(PGconn *conn, const ca_actor *actor, long long audit_id,
    const char *owner_arg, const char *due_arg, const char *text, long long *action_id,
    ca_err *err)
{
	char due[11], staff[24], a[11], b[11];
	const char *p[9];
	PGresult *res = NULL;
	owner o;
	ca_wf w;
	int rc;

	if (due_arg == NULL || due_arg[0] == '\0')
		return ca_err_set(err, CA_EX_DATAERR, "--due is required: the date the action is "
		    "due by");
	if (ca_date_read(due_arg, due) != 0)
		return ca_err_set(err, CA_EX_DATAERR, "--due is a date written YYYY-MM-DD or "
		    "DD/MM/YYYY, not '%.20s'", due_arg);
	if ((rc = ca_wf_check_text(text, "--text", 1, err)) != 0 ||
	    (rc = ca_wf_check_text(owner_arg, "--owner", 1, err)) != 0)
		return rc;
	if ((rc = ca_wf_open(&w, conn, actor, audit_id, err)) != 0)
		return rc;
	if ((rc = may_add(&w, err)) != 0 || (rc = resolve_owner(conn, owner_arg, &o, err)) != 0)
		goto done;
	if (strcmp(due, w.today) < 0) {
		ca_date_uk(due, a);
		ca_date_uk(w.today, b);
		rc = ca_err_set(err, CA_EX_DATAERR, "--due %s is before today (%s): an action is "
		    "due on or after the day it is agreed", a, b);
		goto done;
	}
	snprintf(staff, sizeof staff, "%lld", w.staff_id);
	p[0] = w.audit;
	p[1] = strcmp(o.kind, "staff") == 0 ? o.id : NULL;
	p[2] = strcmp(o.kind, "staff") == 0 ? NULL : o.id;
	p[3] = text; p[4] = due; p[5] = staff; p[6] = w.today; p[7] = o.name; p[8] = o.kind;
	res = ca_db_query(conn, err, "recording the action",
	    "INSERT INTO actions (audit_id, owner_staff_id, owner_organisation_id, text, due_on,"
	    "  created_by, created_on) VALUES ($1, $2, $3, $4, $5::date, $6, $7::date)"
	    " RETURNING id, jsonb_build_object('audit', audit_id, 'owner', $8::text,"
	    "  'owner_kind', $9::text, 'due_on', due_on, 'text', text, 'status', status)::text",
	    9, p);
	if (res == NULL) {
		rc = err->code;
		goto done;
	}
	if ((rc = ca_wf_event(&w, "action.created", "action", PQgetvalue(res, 0, 0), NULL,
	    PQgetvalue(res, 0, 1), err)) != 0 || (rc = ca_wf_touch(&w, NULL, err)) != 0)
		goto done;
	if (action_id != NULL)
		*action_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
done:
	PQclear(res);
	return ca_wf_close(&w, rc, err);
}

/* The owner, a member of the owning organisation, or a QA lead. */
static int
may_close(const ca_wf *w, const char *action, const PGresult *x, ca_err *err)
{
	long long staff = strtoll(PQgetvalue(x, 0, 1), NULL, 10);
	long long org = strtoll(PQgetvalue(x, 0, 2), NULL, 10);
	const char *name = PQgetvalue(x, 0, 3);

	if (ca_wf_has_role(w, "qa_lead") || (staff != 0 && staff == w->staff_id) ||
	    (org != 0 && org == w->staff_org))
		return 0;
	if (staff != 0)
		return ca_err_set(err, CA_EX_DATAERR, "%s does not own action %s; its owner is "
		    "%.64s, and only they or a QA lead can mark it done", w->actor->as, action, name);
	return ca_err_set(err, CA_EX_DATAERR, "%s does not own action %s; its owner is the "
	    "organisation %.200s, and only its staff or a QA lead can mark it done",
	    w->actor->as, action, name);
}

int
ca_action_done(PGconn *conn, const ca_actor *actor, long long action_id, ca_err *err)
{
	char id[24], staff[24], a[11], b[11];
	const char *p[4] = { id };
	PGresult *res, *x = NULL, *up = NULL;
	ca_actor as = *actor;
	long long audit_id;
	ca_wf w;
	int rc;

	snprintf(id, sizeof id, "%lld", action_id);
	res = ca_db_query(conn, err, "reading the action",
	    "SELECT audit_id FROM actions WHERE id = $1", 1, p);
	if (res == NULL)
		return err->code;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return ca_err_set(err, CA_EX_DATAERR, "there is no action %s (`caseaudit actions "
		    "--all` lists them)", id);
	}
	audit_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	/* The audit is locked as for any change to it, so an action is never
	 * closed in the middle of a change to its audit. */
	as.expect_version = 0;
	if ((rc = ca_wf_open(&w, conn, &as, audit_id, err)) != 0)
		return rc;
	x = ca_db_query(conn, err, "reading the action",
	    "SELECT x.status, coalesce(x.owner_staff_id, 0), coalesce(x.owner_organisation_id, 0),"
	    "  coalesce(s.staff_ref, o.name), x.created_on, x.done_on, d.staff_ref"
	    " FROM actions x LEFT JOIN staff s ON s.id = x.owner_staff_id"
	    " LEFT JOIN organisations o ON o.id = x.owner_organisation_id"
	    " LEFT JOIN staff d ON d.id = x.done_by"
	    " WHERE x.id = $1 FOR UPDATE OF x", 1, p);
	if (x == NULL) {
		rc = err->code;
		goto done;
	}
	if (strcmp(PQgetvalue(x, 0, 0), "done") == 0) {
		ca_date_uk(PQgetvalue(x, 0, 5), a);
		rc = ca_err_set(err, CA_EX_DATAERR, "action %s is done already (marked done on %s "
		    "by %s)", id, a, PQgetvalue(x, 0, 6));
		goto done;
	}
	if ((rc = may_close(&w, id, x, err)) != 0)
		goto done;
	if (strcmp(w.today, PQgetvalue(x, 0, 4)) < 0) {
		ca_date_uk(PQgetvalue(x, 0, 4), a);
		ca_date_uk(w.today, b);
		rc = ca_err_set(err, CA_EX_DATAERR, "action %s was agreed on %s; it cannot be done "
		    "before then (today is %s)", id, a, b);
		goto done;
	}
	snprintf(staff, sizeof staff, "%lld", w.staff_id);
	p[1] = staff; p[2] = w.today; p[3] = actor->as;
	up = ca_db_query(conn, err, "marking the action done",
	    "UPDATE actions SET status = 'done', done_by = $2, done_on = $3::date,"
	    "  version = version + 1 WHERE id = $1"
	    " RETURNING jsonb_build_object('audit', audit_id, 'status', 'open')::text,"
	    "  jsonb_build_object('audit', audit_id, 'status', 'done', 'done_on', done_on,"
	    "  'done_by', $4::text)::text", 4, p);
	if (up == NULL) {
		rc = err->code;
		goto done;
	}
	rc = ca_wf_event(&w, "action.done", "action", id, PQgetvalue(up, 0, 0),
	    PQgetvalue(up, 0, 1), err);
done:
	PQclear(x);
	PQclear(up);
	return ca_wf_close(&w, rc, err);
}
