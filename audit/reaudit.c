/*
 * reaudit.c - asking for a re-audit, and adding the requests to a later
 * sampling run as targeted cases (reaudit.h).
 */
#include "reaudit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

/* ---- the request -------------------------------------------------------- */

/* A re-audit follows findings: from the auditor, the principal social
 * worker or a QA lead, once there are findings. */
static int
may_request(const ca_wf *w, ca_err *err)
{
	static const char *const too_early[] = { "unassigned", "assigned", NULL };

	if (!ca_wf_is_auditor(w) && !ca_wf_has_role(w, "psw") && !ca_wf_has_role(w, "qa_lead"))
		return ca_err_set(err, CA_EX_DATAERR, "%s is not the auditor of audit %s, the "
		    "principal social worker or a QA lead; only they can ask for a re-audit",
		    w->actor->as, w->audit);
	if (ca_wf_status_in(w, too_early))
		return ca_wf_refuse(w, err, "a re-audit follows from findings, and this audit has "
		    "not started");
	if (strcmp(w->status, "cancelled") == 0)
		return ca_wf_refuse(w, err, "it was withdrawn, so nothing follows from it");
	return 0;
}

/* 65 when the same re-audit is already waiting for a run. */
static int
check_not_waiting(ca_wf *w, const char *kind, ca_err *err)
{
	const char *p[2] = { w->audit, kind };
	PGresult *res;
	int rc = 0;

	res = ca_db_query(w->conn, err, "looking for a waiting re-audit",
	    "SELECT q.id FROM reaudit_requests q, audits au JOIN assessments a"
	    "  ON a.id = au.assessment_id"
	    " WHERE au.id = $1 AND q.run_id IS NULL AND q.kind = $2"
	    "   AND (q.assessment_id = au.assessment_id OR q.assessor_ref = a.assessor_ref)"
	    " ORDER BY q.id LIMIT 1", 2, p);
	if (res == NULL)
		return err->code;
	if (PQntuples(res) > 0) {
		if (strcmp(kind, "case") == 0)
			rc = ca_err_set(err, CA_EX_DATAERR, "a re-audit of the case of audit %s is "
			    "already waiting for a later sample (request %s)", w->audit,
			    PQgetvalue(res, 0, 0));
		else
			rc = ca_err_set(err, CA_EX_DATAERR, "a re-audit of the next case of %s is "
			    "already waiting for a later sample (request %s)", w->assessor_ref,
			    PQgetvalue(res, 0, 0));
	}
	PQclear(res);
	return rc;
}

int
ca_reaudit_request(PGconn *conn, const ca_actor *actor, long long audit_id,
    int next_case, const char *reason, long long *request_id, ca_err *err)
{
	const char *kind = next_case ? "practitioner" : "case";
	char staff[24];
	const char *p[5];
	PGresult *res = NULL;
	ca_wf w;
	int rc;

	if ((rc = ca_wf_check_text(reason, "--reason", 1, err)) != 0)
		return rc;
	if ((rc = ca_wf_open(&w, conn, actor, audit_id, err)) != 0)
		return rc;
	if ((rc = may_request(&w, err)) != 0 || (rc = check_not_waiting(&w, kind, err)) != 0)
		goto done;
	snprintf(staff, sizeof staff, "%lld", w.staff_id);
	p[0] = w.audit; p[1] = kind; p[2] = reason; p[3] = staff; p[4] = w.today;
	res = ca_db_query(conn, err, "recording the re-audit request",
	    "INSERT INTO reaudit_requests (audit_id, kind, assessment_id, assessor_ref, reason,"
	    "  requested_by, requested_on)"
	    " SELECT au.id, $2, CASE WHEN $2 = 'case' THEN au.assessment_id END,"
	    "  CASE WHEN $2 = 'practitioner' THEN a.assessor_ref END, $3, $4, $5::date"
	    " FROM audits au JOIN assessments a ON a.id = au.assessment_id WHERE au.id = $1"
	    " RETURNING id, jsonb_strip_nulls(jsonb_build_object('request', id, 'kind', kind,"
	    "  'assessor_ref', assessor_ref, 'reason', reason, 'requested_on', requested_on))::text",
	    5, p);
	if (res == NULL) {
		rc = err->code;
		goto done;
	}
	if ((rc = ca_wf_event(&w, "audit.reaudit_requested", NULL, NULL, NULL,
	    PQgetvalue(res, 0, 1), err)) != 0 || (rc = ca_wf_touch(&w, NULL, err)) != 0)
		goto done;
	if (request_id != NULL)
		*request_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
done:
	PQclear(res);
	return ca_wf_close(&w, rc, err);
}

/* ---- fulfilment by a run ------------------------------------------------ */

/*
 * The case a request adds to the run, if any: (assessment id, ref,
 * whether the run has it already).  The plan's types and partners bound
 * what it audits, targeted or not.  A practitioner's next case is one
 * completed in the period on or after the request and audited by nobody
 * yet (a cancelled audit does not count).
 */
static const char target_sql[] =
	"SELECT a.id, a.assessment_ref,"
	"  EXISTS (SELECT 1 FROM audits x WHERE x.run_id = r.id AND x.assessment_id = a.id)"
	" FROM reaudit_requests q, sampling_runs r JOIN sampling_plans p ON p.id = r.plan_id,"
	"  assessments a"
	" WHERE q.id = $2 AND r.id = $1"
	"   AND a.assessment_type = ANY (p.assessment_types)"
	"   AND (NOT EXISTS (SELECT 1 FROM sampling_plan_providers pp WHERE pp.plan_id = p.id)"
	"     OR a.provider_id IN (SELECT pp.organisation_id FROM sampling_plan_providers pp"
	"       WHERE pp.plan_id = p.id))"
	"   AND CASE q.kind WHEN 'case' THEN a.id = q.assessment_id"
	"     ELSE a.assessor_ref = q.assessor_ref"
	"       AND a.completed_on BETWEEN greatest(r.period_start, q.requested_on)"
	"         AND r.period_end"
	"       AND NOT EXISTS (SELECT 1 FROM audits x WHERE x.assessment_id = a.id"
	"         AND x.status <> 'cancelled') END"
	" ORDER BY a.completed_on, a.assessment_ref COLLATE \"C\" LIMIT 1";

/* The targeted row, its audit, the request fulfilled and the event, for
 * one request; *added is 1 when a case was added (not already in the
 * run). */
static const char add_sql[] =
	"WITH t AS (INSERT INTO sampling_run_targeted (run_id, assessment_id, request_id)"
	"   SELECT $1, $3, $2 WHERE NOT $6::boolean RETURNING assessment_id),"
	" au AS (INSERT INTO audits (run_id, assessment_id, form_version_id, due_on,"
	"   unassigned_reason) SELECT $1, t.assessment_id, r.form_version_id, $4::date,"
	"   'waiting to be assigned' FROM t, sampling_runs r WHERE r.id = $1 RETURNING id),"
	" q AS (UPDATE reaudit_requests SET run_id = $1, fulfilled_assessment_id = $3"
	"   WHERE id = $2 RETURNING audit_id, kind)"
	" INSERT INTO events (actor, action, entity, entity_id, after)"
	" SELECT $5, 'audit.reaudit_fulfilled', 'audit', q.audit_id::text,"
	"  jsonb_strip_nulls(jsonb_build_object('request', $2::bigint, 'kind', q.kind,"
	"  'run', $1::bigint, 'assessment_ref', $7::text, 'targeted_audit', (SELECT id FROM au),"
	"  'already_in_run', $6::boolean)) FROM q"
	" RETURNING (SELECT count(*) FROM au)";

int
ca_reaudit_fulfil(PGconn *conn, const char *run, const char *due, const char *actor,
    long *added, ca_err *err)
{
	const char *p[7] = { run };
	PGresult *open, *res;
	long n = 0;
	int rc = 0;

	/* Requests made before the period ended, from audits still standing,
	 * on the same checklist; the oldest first, so that two requests for
	 * one practitioner take their cases in turn. */
	open = ca_db_query(conn, err, "reading the re-audit requests",
	    "SELECT q.id FROM reaudit_requests q JOIN audits au ON au.id = q.audit_id"
	    " JOIN form_versions qv ON qv.id = au.form_version_id,"
	    " sampling_runs r JOIN form_versions rv ON rv.id = r.form_version_id"
	    " WHERE r.id = $1 AND q.run_id IS NULL AND q.requested_on < r.period_end"
	    "   AND qv.form_id = rv.form_id AND au.run_id <> r.id AND au.status <> 'cancelled'"
	    " ORDER BY q.requested_on, q.id FOR UPDATE OF q", 1, p);
	if (open == NULL)
		return err->code;
	for (int i = 0; i < PQntuples(open) && rc == 0; i++) {
		p[1] = PQgetvalue(open, i, 0);
		if ((res = ca_db_query(conn, err, "finding the case to re-audit", target_sql, 2,
		    p)) == NULL) {
			rc = err->code;
			break;
		}
		if (PQntuples(res) == 1) {
			PGresult *ins;

			p[2] = PQgetvalue(res, 0, 0); p[3] = due; p[4] = actor;
			p[5] = PQgetvalue(res, 0, 2); p[6] = PQgetvalue(res, 0, 1);
			ins = ca_db_query(conn, err, "adding the case to re-audit", add_sql, 7, p);
			if (ins == NULL)
				rc = err->code;
			else
				n += atol(PQgetvalue(ins, 0, 0));
			PQclear(ins);
		}
		PQclear(res);
	}
	PQclear(open);
	if (rc == 0 && added != NULL)
		*added = n;
	return rc;
}

int
ca_reaudit_release(PGconn *conn, const char *run, const char *actor, ca_err *err)
{
	const char *p[2] = { run, actor };

	return ca_db_exec(conn, err, "releasing the run's re-audits",
	    "WITH old AS (SELECT q.id, q.audit_id, q.kind, a.assessment_ref"
	    "   FROM reaudit_requests q JOIN assessments a ON a.id = q.fulfilled_assessment_id"
	    "   WHERE q.run_id = $1 FOR UPDATE OF q),"
	    " t AS (DELETE FROM sampling_run_targeted WHERE run_id = $1),"
	    " q AS (UPDATE reaudit_requests r SET run_id = NULL, fulfilled_assessment_id = NULL"
	    "   FROM old WHERE r.id = old.id)"
	    " INSERT INTO events (actor, action, entity, entity_id, before)"
	    " SELECT $2, 'audit.reaudit_released', 'audit', old.audit_id::text,"
	    "  jsonb_build_object('request', old.id, 'kind', old.kind, 'run', $1::bigint,"
	    "  'assessment_ref', old.assessment_ref) FROM old", 2, p);
}
