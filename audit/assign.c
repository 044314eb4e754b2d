/*
 * assign.c - independent auditors for sampled cases (see assign.h).
 */
#include "assign.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "strbuf.h"

const char *const ca_assign_reasons[4] = {
	"",
	"no active staff hold the auditor role",
	"no auditor is independent of the partner organisation and the assessor",
	"every independent auditor has reached their maximum of open audits",
};

int
ca_assign_pick(const ca_auditor *a, size_t n, long long provider_id,
    const char *assessor_ref, ca_assign_reason *why)
{
	int best = -1, independent = 0;

	for (size_t i = 0; i < n; i++) {
		if (a[i].organisation_id == provider_id || strcmp(a[i].ref, assessor_ref) == 0)
			continue;
		independent = 1;
		if (a[i].open >= a[i].max_open)
			continue;
		/* strictly fewer: the first (lowest ref) wins a tie */
		if (best < 0 || a[i].open < a[best].open)
			best = (int)i;
	}
	*why = best >= 0 ? CA_ASSIGN_OK : n == 0 ? CA_ASSIGN_NO_AUDITORS :
	    independent ? CA_ASSIGN_FULL : CA_ASSIGN_NOT_INDEPENDENT;
	return best;
}

/* The trail of assignments: an audit.assigned event for each row of
 * `rows` (id, auditor_id, due_on), by the actor in parameter `actor`. */
#define ASSIGNED_EVENTS(rows, actor) \
	" INSERT INTO events (actor, action, entity, entity_id, before, after)" \
	" SELECT " actor ", 'audit.assigned', 'audit', " rows ".id::text," \
	"   jsonb_build_object('status', 'unassigned')," \
	"   jsonb_build_object('status', 'assigned', 'auditor', s.staff_ref," \
	"     'due_on', " rows ".due_on) FROM " rows " JOIN staff s ON s.id = " rows ".auditor_id"

/* "caassign" in ASCII as a big-endian 64-bit integer: the advisory lock
 * every assignment takes for its transaction. */
#define ASSIGN_LOCK_KEY "7161112030981220206"

/*
 * The auditors with their open audits, in staff_ref byte order, for
 * assigning.  One assigner at a time holds the assignment lock, and the
 * counts are read after taking it, by a statement of their own, so that
 * they include what the assigner before committed: a statement that waits
 * for a lock (SELECT ... FOR UPDATE of the staff rows) still counts from
 * the snapshot it took before waiting, and two assigners could then fill
 * an auditor past their maximum.
 */
static int
load_auditors(PGconn *conn, PGresult **res, ca_auditor **a, size_t *n, ca_err *err)
{
	*res = NULL;
	if (ca_db_exec(conn, err, "waiting for other assignments",
	    "SELECT pg_advisory_xact_lock(" ASSIGN_LOCK_KEY ")", 0, NULL) != 0)
		return err->code;
	*res = ca_db_query(conn, err, "reading the auditors",
	    "SELECT s.id, s.staff_ref, s.organisation_id, s.max_open_audits,"
	    "  (SELECT count(*) FROM audits au WHERE au.auditor_id = s.id"
	    "     AND au.status IN ('assigned', 'in_progress', 'returned'))"
	    " FROM staff s WHERE s.active AND 'auditor' = ANY (s.roles)"
	    " ORDER BY s.staff_ref COLLATE \"C\"", 0, NULL);
	if (*res == NULL)
		return err->code;
	*n = (size_t)PQntuples(*res);
	if ((*a = calloc(*n + 1, sizeof **a)) == NULL) {
		PQclear(*res);
		return ca_err_set(err, CA_EX_SOFTWARE, "reading the auditors: out of memory");
	}
	for (size_t i = 0; i < *n; i++) {
		(*a)[i].id = strtoll(PQgetvalue(*res, (int)i, 0), NULL, 10);
		(*a)[i].ref = PQgetvalue(*res, (int)i, 1);
		(*a)[i].organisation_id = strtoll(PQgetvalue(*res, (int)i, 2), NULL, 10);
		(*a)[i].max_open = atoi(PQgetvalue(*res, (int)i, 3));
		(*a)[i].open = atoi(PQgetvalue(*res, (int)i, 4));
	}
	return 0;
}

int
ca_assign_pending(PGconn *conn, long long run_id, const char *actor, long *assigned,
    long *unassigned, ca_err *err)
{
	char run[24];
	const char *p[5];
	PGresult *ares = NULL, *cases = NULL;
	ca_auditor *a = NULL;
	ca_strbuf ids, who, reasons_ids, reasons;
	size_t n = 0;
	long done = 0, left = 0;
	int rc;

	snprintf(run, sizeof run, "%lld", run_id);
	if ((rc = load_auditors(conn, &ares, &a, &n, err)) != 0)
		return rc;
	p[0] = run;
	cases = ca_db_query(conn, err, "reading the unassigned audits",
	    "SELECT au.id, a.provider_id, a.assessor_ref, au.unassigned_reason"
	    " FROM audits au JOIN assessments a ON a.id = au.assessment_id"
	    " WHERE au.status = 'unassigned' AND ($1::bigint = 0 OR au.run_id = $1::bigint)"
	    " ORDER BY au.due_on, a.assessment_ref COLLATE \"C\" FOR UPDATE OF au", 1, p);
	if (cases == NULL) {
		rc = err->code;
		goto done;
	}
	ca_strbuf_init(&ids);
	ca_strbuf_init(&who);
	ca_strbuf_init(&reasons_ids);
	ca_strbuf_init(&reasons);
	ca_strbuf_adds(&ids, "{");
	ca_strbuf_adds(&who, "{");
	ca_strbuf_adds(&reasons_ids, "{");
	ca_strbuf_adds(&reasons, "{");
	for (int r = 0; r < PQntuples(cases); r++) {
		ca_assign_reason why;
		int pick = ca_assign_pick(a, n, strtoll(PQgetvalue(cases, r, 1), NULL, 10),
		    PQgetvalue(cases, r, 2), &why);

		if (pick >= 0) {
			a[pick].open++;
			ca_strbuf_addf(&ids, "%s%s", done ? "," : "", PQgetvalue(cases, r, 0));
			ca_strbuf_addf(&who, "%s%lld", done ? "," : "", a[pick].id);
			done++;
		} else {
			/* Only write a reason that changed: chasing runs often. */
			if (strcmp(PQgetvalue(cases, r, 3), ca_assign_reasons[why]) != 0) {
				ca_strbuf_addf(&reasons_ids, "%s%s", reasons.len > 1 ? "," : "",
				    PQgetvalue(cases, r, 0));
				ca_strbuf_addf(&reasons, "%s\"%s\"", reasons.len > 1 ? "," : "",
				    ca_assign_reasons[why]);
			}
			left++;
		}
	}
	ca_strbuf_adds(&ids, "}");
	ca_strbuf_adds(&who, "}");
	ca_strbuf_adds(&reasons_ids, "}");
	ca_strbuf_adds(&reasons, "}");
	if (ca_strbuf_failed(&ids) || ca_strbuf_failed(&who) || ca_strbuf_failed(&reasons) ||
	    ca_strbuf_failed(&reasons_ids)) {
		rc = ca_err_set(err, CA_EX_SOFTWARE, "assigning audits: out of memory");
	} else {
		p[0] = ids.data; p[1] = who.data; p[2] = actor; p[3] = reasons_ids.data;
		p[4] = reasons.data;
		rc = ca_db_exec(conn, err, "assigning audits",
		    "WITH pick AS (SELECT * FROM unnest($1::bigint[], $2::bigint[]) AS t(audit, auditor)),"
		    " upd AS (UPDATE audits au SET status = 'assigned', auditor_id = pick.auditor,"
		    "   unassigned_reason = NULL, assigned_at = now(), version = au.version + 1,"
		    "   updated_at = now() FROM pick WHERE au.id = pick.audit"
		    "   RETURNING au.id, au.auditor_id, au.due_on),"
		    " ev AS (" ASSIGNED_EVENTS("upd", "$3") ")"
		    " UPDATE audits au SET unassigned_reason = t.reason, updated_at = now()"
		    " FROM unnest($4::bigint[], $5::text[]) AS t(audit, reason)"
		    " WHERE au.id = t.audit", 5, p);
	}
	ca_strbuf_free(&ids);
	ca_strbuf_free(&who);
	ca_strbuf_free(&reasons_ids);
	ca_strbuf_free(&reasons);
done:
	PQclear(cases);
	PQclear(ares);
	free(a);
	if (assigned != NULL)
		*assigned = done;
	if (unassigned != NULL)
		*unassigned = left;
	return rc;
}

/* A case of ca_assign_new: where it comes in the order taken, and who may
 * not audit it. */
typedef struct new_case {
	long long id;
	size_t order;
	long long provider_id;
	const char *assessor_ref;   /* in the details result */
} new_case;

static int
cmp_case_id(const void *a, const void *b)
{
	long long x = ((const new_case *)a)->id, y = ((const new_case *)b)->id;

	return x < y ? -1 : x > y;
}

static int
cmp_case_order(const void *a, const void *b)
{
	size_t x = ((const new_case *)a)->order, y = ((const new_case *)b)->order;

	return x < y ? -1 : x > y;
}

/* The partner and assessor of each case, into c (n cases, in the order
 * taken).  `= ANY` rather than a join to unnest(): the planner then probes
 * the primary key once per case, where a join of eighteen thousand rows
 * tempted it into scanning the whole index. */
static int
case_details(PGconn *conn, const char *ids, new_case *c, size_t n, PGresult **res,
    ca_err *err)
{
	const char *p[1] = { ids };
	size_t found;

	*res = ca_db_query(conn, err, "reading the sampled cases",
	    "SELECT a.id, a.provider_id, a.assessor_ref FROM assessments a"
	    " WHERE a.id = ANY ($1::bigint[]) ORDER BY a.id", 1, p);
	if (*res == NULL)
		return err->code;
	found = (size_t)PQntuples(*res);
	qsort(c, n, sizeof *c, cmp_case_id);
	for (size_t i = 0, r = 0; i < n; i++) {
		while (r < found && strtoll(PQgetvalue(*res, (int)r, 0), NULL, 10) < c[i].id)
			r++;
		if (r == found || strtoll(PQgetvalue(*res, (int)r, 0), NULL, 10) != c[i].id) {
			PQclear(*res);
			*res = NULL;
			return ca_err_set(err, CA_EX_SOFTWARE, "reading the sampled cases: "
			    "assessment %lld is missing", c[i].id);
		}
		c[i].provider_id = strtoll(PQgetvalue(*res, (int)r, 1), NULL, 10);
		c[i].assessor_ref = PQgetvalue(*res, (int)r, 2);
	}
	qsort(c, n, sizeof *c, cmp_case_order);
	return 0;
}

int
ca_assign_new(PGconn *conn, const char *run, const char *form_version_id, const char *due,
    const long long *ids, size_t n, const char *actor, long *assigned, long *unassigned,
    ca_err *err)
{
	PGresult *ares = NULL, *details = NULL;
	ca_auditor *a = NULL;
	new_case *c = calloc(n + 1, sizeof *c);
	ca_strbuf idtext, who, reasons;
	size_t na = 0;
	long done = 0, left = 0;
	int rc;

	ca_strbuf_init(&idtext);
	ca_strbuf_init(&who);
	ca_strbuf_init(&reasons);
	ca_strbuf_adds(&idtext, "{");
	for (size_t i = 0; i < n; i++)
		ca_strbuf_addf(&idtext, i ? ",%lld" : "%lld", ids[i]);
	ca_strbuf_adds(&idtext, "}");
	if (c == NULL || ca_strbuf_failed(&idtext)) {
		rc = ca_err_set(err, CA_EX_SOFTWARE, "assigning audits: out of memory");
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		c[i].id = ids[i];
		c[i].order = i;
	}
	if ((rc = case_details(conn, idtext.data, c, n, &details, err)) != 0 ||
	    (rc = load_auditors(conn, &ares, &a, &na, err)) != 0)
		goto done;
	ca_strbuf_adds(&who, "{");
	ca_strbuf_adds(&reasons, "{");
	for (size_t i = 0; i < n; i++) {
		const char *sep = i ? "," : "";
		ca_assign_reason why;
		int pick = ca_assign_pick(a, na, c[i].provider_id, c[i].assessor_ref, &why);

		/* The reasons are the program's own sentences: no quotes to
		 * escape in the array text. */
		if (pick >= 0) {
			a[pick].open++;
			ca_strbuf_addf(&who, "%s%lld", sep, a[pick].id);
			ca_strbuf_addf(&reasons, "%sNULL", sep);
			done++;
		} else {
			ca_strbuf_addf(&who, "%sNULL", sep);
			ca_strbuf_addf(&reasons, "%s\"%s\"", sep, ca_assign_reasons[why]);
			left++;
		}
	}
	ca_strbuf_adds(&who, "}");
	ca_strbuf_adds(&reasons, "}");
	if (ca_strbuf_failed(&who) || ca_strbuf_failed(&reasons)) {
		rc = ca_err_set(err, CA_EX_SOFTWARE, "assigning audits: out of memory");
	} else {
		const char *p[7] = { idtext.data, who.data, reasons.data, run, form_version_id,
		    due, actor };

		rc = ca_db_exec(conn, err, "recording the audits",
		    "WITH t AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[])"
		    "   AS t(assessment, auditor, reason)),"
		    " au AS (INSERT INTO audits (run_id, assessment_id, form_version_id, due_on,"
		    "   status, auditor_id, unassigned_reason, assigned_at)"
		    "   SELECT $4, t.assessment, $5, $6::date,"
		    "     CASE WHEN t.auditor IS NULL THEN 'unassigned' ELSE 'assigned' END,"
		    "     t.auditor, t.reason, CASE WHEN t.auditor IS NOT NULL THEN now() END"
		    "   FROM t RETURNING id, auditor_id, due_on)"
		    ASSIGNED_EVENTS("au", "$7"), 7, p);
	}
done:
	ca_strbuf_free(&idtext);
	ca_strbuf_free(&who);
	ca_strbuf_free(&reasons);
	PQclear(details);
	PQclear(ares);
	free(a);
	free(c);
	if (assigned != NULL)
		*assigned = rc == 0 ? done : 0;
	if (unassigned != NULL)
		*unassigned = rc == 0 ? left : 0;
	return rc;
}

/* One row of `sql` for `param`, or 65 with `missing` when there is none. */
static int
one_row(PGconn *conn, const char *what, const char *sql, const char *param, PGresult **res,
    ca_err *err, const char *missing)
{
	const char *p[1] = { param };

	if ((*res = ca_db_query(conn, err, what, sql, 1, p)) == NULL)
		return err->code;
	if (PQntuples(*res) == 0) {
		PQclear(*res);
		*res = NULL;
		return ca_err_set(err, CA_EX_DATAERR, "%s", missing);
	}
	return 0;
}

/* Open audits can change hands; submitted, closed and cancelled cannot. */
static int
is_open(const char *status)
{
	static const char *const open[] = { "unassigned", "assigned", "in_progress", "returned" };

	for (size_t i = 0; i < sizeof open / sizeof open[0]; i++)
		if (strcmp(status, open[i]) == 0)
			return 1;
	return 0;
}

/* Whether `to` may take the audit; 65 with the reason when not. */
static int
check_target(const ca_auditor *to, const char *audit, long long current,
    long long provider_id, const char *provider, const char *assessor, ca_err *err)
{
	if (to->id == current)
		return ca_err_set(err, CA_EX_DATAERR, "audit %s is already assigned to %s",
		    audit, to->ref);
	if (to->organisation_id == provider_id)
		return ca_err_set(err, CA_EX_DATAERR, "%s works for %s, which carried out the "
		    "assessment; an auditor must be independent of the work they audit",
		    to->ref, provider);
	if (strcmp(to->ref, assessor) == 0)
		return ca_err_set(err, CA_EX_DATAERR, "%s carried out this assessment and "
		    "cannot audit it", to->ref);
	if (to->open >= to->max_open)
		return ca_err_set(err, CA_EX_DATAERR, "%s already has %d open audit%s, their "
		    "maximum", to->ref, to->open, to->open == 1 ? "" : "s");
	return 0;
}

int
ca_audit_reassign(PGconn *conn, long long audit_id, const char *staff_ref,
    const char *as_ref, ca_err *err)
{
	char audit[24], msg[200], to_id[24];
	PGresult *as = NULL, *au = NULL, *ares = NULL;
	ca_auditor *a = NULL, *to = NULL;
	size_t n = 0;
	long long current;
	const char *p[4];
	int rc;

	snprintf(audit, sizeof audit, "%lld", audit_id);
	if ((rc = ca_db_begin(conn, err)) != 0)
		return rc;
	snprintf(msg, sizeof msg, "there is no staff member '%.64s' (--as)", as_ref);
	if ((rc = one_row(conn, "reading who is acting",
	    "SELECT 'qa_lead' = ANY (roles) FROM staff WHERE staff_ref = $1", as_ref, &as, err,
	    msg)) != 0)
		goto done;
	if (PQgetvalue(as, 0, 0)[0] != 't') {
		rc = ca_err_set(err, CA_EX_DATAERR, "%s is not a QA lead; only a QA lead can "
		    "reassign audits", as_ref);
		goto done;
	}
	snprintf(msg, sizeof msg, "there is no audit %s", audit);
	if ((rc = one_row(conn, "reading the audit",
	    "SELECT au.status, coalesce(au.auditor_id, 0), a.provider_id, o.name, a.assessor_ref"
	    " FROM audits au JOIN assessments a ON a.id = au.assessment_id"
	    " JOIN organisations o ON o.id = a.provider_id WHERE au.id = $1 FOR UPDATE OF au",
	    audit, &au, err, msg)) != 0)
		goto done;
	if (!is_open(PQgetvalue(au, 0, 0))) {
		rc = ca_err_set(err, CA_EX_DATAERR, "audit %s is %s; only an open audit can be "
		    "reassigned", audit, PQgetvalue(au, 0, 0));
		goto done;
	}
	current = strtoll(PQgetvalue(au, 0, 1), NULL, 10);
	if ((rc = load_auditors(conn, &ares, &a, &n, err)) != 0)
		goto done;
	for (size_t i = 0; i < n; i++)
		if (strcmp(a[i].ref, staff_ref) == 0)
			to = &a[i];
	if (to == NULL) {
		rc = ca_err_set(err, CA_EX_DATAERR, "%s is not an active member of staff with the "
		    "auditor role", staff_ref);
		goto done;
	}
	if ((rc = check_target(to, audit, current, strtoll(PQgetvalue(au, 0, 2), NULL, 10),
	    PQgetvalue(au, 0, 3), PQgetvalue(au, 0, 4), err)) != 0)
		goto done;
	snprintf(to_id, sizeof to_id, "%lld", to->id);
	p[0] = audit; p[1] = to_id; p[2] = as_ref; p[3] = to->ref;
	rc = ca_db_exec(conn, err, "reassigning the audit",
	    "WITH old AS (SELECT au.status, s.staff_ref FROM audits au"
	    "   LEFT JOIN staff s ON s.id = au.auditor_id WHERE au.id = $1),"
	    " upd AS (UPDATE audits SET auditor_id = $2,"
	    "   status = CASE WHEN status = 'unassigned' THEN 'assigned' ELSE status END,"
	    "   unassigned_reason = NULL, assigned_at = now(), version = version + 1,"
	    "   updated_at = now() WHERE id = $1 RETURNING status)"
	    " INSERT INTO events (actor, action, entity, entity_id, before, after)"
	    " SELECT $3, 'audit.reassigned', 'audit', $1,"
	    "   jsonb_build_object('status', old.status, 'auditor', old.staff_ref),"
	    "   jsonb_build_object('status', upd.status, 'auditor', $4::text) FROM old, upd",
	    4, p);
	if (rc == 0)
		rc = ca_db_commit(conn, err);
done:
	if (rc != 0)
		ca_db_rollback(conn);
	PQclear(as);
	PQclear(au);
	PQclear(ares);
	free(a);
	return rc;
}
