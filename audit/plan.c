/*
 * plan.c - creating, finding, pausing and resuming sampling plans.
 */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "period.h"

void
ca_plan_spec_init(ca_plan_spec *s)
{
	memset(s, 0, sizeof *s);
	s->confidence = 0.95;
	s->proportion = 0.5;
	s->strata = "provider";
	s->allocation = "proportional";
	s->floor = 2;
	s->core_share = 0.5;
	s->waiting_days = -1;
	s->every = "month";
	s->due_days = 28;
	s->exclusion_months = 12;
}

static int
valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (i > 0 && (c == '_' || c == '.' || c == '-'))))
			return 0;
	}
	return 1;
}

/* What the command line cannot check alone: shape problems are caught by
 * the caller; these are the ones a user meets with a correct command. */
static int
check_spec(const ca_plan_spec *s, ca_err *err)
{
	ca_period p;

	if (!valid_name(s->name))
		return ca_err_set(err, CA_EX_DATAERR, "plan name '%s' is not allowed: use up to 64 "
		    "lower-case letters, digits, '-', '_' or '.', starting with a letter or digit",
		    s->name);
	if (s->from != NULL) {
		if (ca_period_parse(s->from, &p) != 0)
			return ca_err_set(err, CA_EX_DATAERR, "--from '%s' is not a period: write "
			    "a month as YYYY-MM or a quarter as YYYY-Qn", s->from);
		if ((p.months == 3) != (strcmp(s->every, "quarter") == 0))
			return ca_err_set(err, CA_EX_DATAERR, "--from %s is a %s, but the plan "
			    "runs every %s", s->from, p.months == 3 ? "quarter" : "month", s->every);
	}
	return 0;
}

/* The first period: --from, or the month or quarter containing today. */
static int
first_period(PGconn *conn, const ca_plan_spec *s, char *out, ca_err *err)
{
	PGresult *res;
	ca_period p;

	if (s->from != NULL) {
		snprintf(out, 8, "%s", s->from);
		return 0;
	}
	res = ca_db_query(conn, err, "reading today's date",
	    "SELECT to_char(current_date, 'YYYY-MM-DD')", 0, NULL);
	if (res == NULL)
		return err->code;
	ca_period_containing(PQgetvalue(res, 0, 0), strcmp(s->every, "quarter") == 0 ? 3 : 1, &p);
	PQclear(res);
	ca_period_name(&p, out);
	return 0;
}

/* The types the plan samples: as given, each one the checklist applies to;
 * or all the checklist applies to.  Returns the Postgres array text. */
static int
resolve_types(PGconn *conn, const ca_plan_spec *s, long long *form_id, char *types,
    size_t size, ca_err *err)
{
	const char *p[2] = { s->form, s->types ? s->types : "" };
	PGresult *res;

	res = ca_db_query(conn, err, "reading the checklist",
	    "SELECT f.id, v.applies_to::text,"
	    "       (SELECT string_agg(t, ', ') FROM unnest(string_to_array($2, ',')) t"
	    "        WHERE btrim(t) <> '' AND NOT btrim(t) = ANY (v.applies_to)),"
	    "       (SELECT array_agg(DISTINCT btrim(t) ORDER BY btrim(t))::text"
	    "        FROM unnest(string_to_array($2, ',')) t WHERE btrim(t) <> '')"
	    " FROM forms f JOIN form_versions v ON v.id = f.current_version_id"
	    " WHERE f.name = $1", 2, p);
	if (res == NULL)
		return err->code;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return ca_err_set(err, CA_EX_DATAERR, "there is no checklist named '%s' "
		    "(`caseaudit forms list` shows the checklists loaded)", s->form);
	}
	*form_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	if (!PQgetisnull(res, 0, 2)) {
		ca_err_set(err, CA_EX_DATAERR, "checklist '%s' does not apply to %s (it "
		    "applies to %s)", s->form, PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 1));
		PQclear(res);
		return err->code;
	}
	if (s->types != NULL && PQgetisnull(res, 0, 3)) {
		PQclear(res);
		return ca_err_set(err, CA_EX_DATAERR, "--types names no assessment type");
	}
	snprintf(types, size, "%s", PQgetvalue(res, 0, s->types != NULL ? 3 : 1));
	PQclear(res);
	return 0;
}

/* Every --providers name must be a known organisation. */
static int
check_providers(PGconn *conn, const char *providers, ca_err *err)
{
	const char *p[1] = { providers };
	PGresult *res;
	int rc = 0;

	res = ca_db_query(conn, err, "reading the partner organisations",
	    "SELECT string_agg(quote_literal(btrim(t)), ', ')"
	    " FROM unnest(string_to_array($1, ',')) t"
	    " WHERE btrim(t) <> '' AND NOT EXISTS"
	    "   (SELECT 1 FROM organisations o WHERE o.name = btrim(t))", 1, p);
	if (res == NULL)
		return err->code;
	if (!PQgetisnull(res, 0, 0))
		rc = ca_err_set(err, CA_EX_DATAERR, "no partner organisation is called %s "
		    "(organisations are created when assessments or staff naming them are "
		    "imported)", PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}

static int
insert_plan(PGconn *conn, const ca_plan_spec *s, long long form_id, const char *types,
    const char *first, const char *actor, long long *id, ca_err *err)
{
	char fid[24], size[32], conf[32], prop[32], floor[16], core[32], wait[16], due[16],
	    excl[16];
	const char *p[20];
	PGresult *res;

	snprintf(fid, sizeof fid, "%lld", form_id);
	snprintf(size, sizeof size, "%.17g", s->size_value);
	snprintf(conf, sizeof conf, "%.17g", s->confidence);
	snprintf(prop, sizeof prop, "%.17g", s->proportion);
	snprintf(floor, sizeof floor, "%d", s->floor);
	snprintf(core, sizeof core, "%.17g", s->core_share);
	snprintf(wait, sizeof wait, "%d", s->waiting_days);
	snprintf(due, sizeof due, "%d", s->due_days);
	snprintf(excl, sizeof excl, "%d", s->exclusion_months);
	p[0] = s->name; p[1] = fid; p[2] = types; p[3] = s->method; p[4] = s->size_rule;
	p[5] = size; p[6] = conf; p[7] = prop; p[8] = s->strata;
	p[9] = s->per_stratum ? "t" : "f"; p[10] = s->allocation; p[11] = floor; p[12] = core;
	p[13] = s->waiting_days >= 0 ? wait : NULL; p[14] = s->every; p[15] = first;
	p[16] = due; p[17] = excl; p[18] = actor; p[19] = s->providers ? s->providers : "";
	res = ca_db_query(conn, err, "storing the plan",
	    "WITH plan AS ("
	    "  INSERT INTO sampling_plans (name, form_id, assessment_types, method, size_rule,"
	    "    size_value, confidence, proportion, strata, per_stratum, allocation,"
	    "    stratum_floor, core_share, waiting_days, every, first_period, due_days,"
	    "    exclusion_months, created_by)"
	    "  VALUES ($1, $2, $3::text[], $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
	    "    $15, $16, $17, $18, $19) RETURNING *),"
	    " providers AS ("
	    "  INSERT INTO sampling_plan_providers (plan_id, organisation_id)"
	    "  SELECT DISTINCT plan.id, o.id FROM plan, unnest(string_to_array($20, ',')) t"
	    "  JOIN organisations o ON o.name = btrim(t) RETURNING organisation_id),"
	    " ev AS ("
	    "  INSERT INTO events (actor, action, entity, entity_id, after)"
	    "  SELECT $19, 'plan.created', 'sampling_plan', plan.id::text,"
	    "    to_jsonb(plan) || jsonb_build_object('providers', (SELECT"
	    "      coalesce(jsonb_agg(DISTINCT btrim(t)), '[]') FROM unnest(string_to_array($20, ','))"
	    "      t WHERE btrim(t) <> ''))"
	    "  FROM plan)"
	    " SELECT id FROM plan", 20, p);
	if (res == NULL)
		return err->code;
	*id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

int
ca_plan_create(PGconn *conn, const ca_plan_spec *s, const char *actor, long long *id,
    ca_err *err)
{
	char types[256], first[8];
	long long form_id = 0, existing;
	int rc;

	if ((rc = check_spec(s, err)) != 0)
		return rc;
	if ((rc = ca_db_begin(conn, err)) != 0)
		return rc;
	/* One plan per name even when two people create it at once. */
	if ((rc = ca_db_exec(conn, err, "locking the plans",
	    "LOCK TABLE sampling_plans IN SHARE ROW EXCLUSIVE MODE", 0, NULL)) != 0)
		goto fail;
	if (ca_plan_find(conn, s->name, &existing, err) == 0) {
		rc = ca_err_set(err, CA_EX_DATAERR, "a plan named '%s' already exists; plans do "
		    "not change once created (create one with a new name, and pause the old)",
		    s->name);
		goto fail;
	}
	ca_err_clear(err);
	if ((rc = resolve_types(conn, s, &form_id, types, sizeof types, err)) != 0 ||
	    (s->providers != NULL && (rc = check_providers(conn, s->providers, err)) != 0) ||
	    (rc = first_period(conn, s, first, err)) != 0 ||
	    (rc = insert_plan(conn, s, form_id, types, first, actor, id, err)) != 0)
		goto fail;
	return ca_db_commit(conn, err);
fail:
	ca_db_rollback(conn);
	return rc;
}

int
ca_plan_find(PGconn *conn, const char *name, long long *id, ca_err *err)
{
	const char *p[1] = { name };
	PGresult *res;

	res = ca_db_query(conn, err, "finding the plan",
	    "SELECT id FROM sampling_plans WHERE name = $1", 1, p);
	if (res == NULL)
		return err->code;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return ca_err_set(err, CA_EX_DATAERR, "there is no sampling plan named '%s' "
		    "(`caseaudit plan list` shows them)", name);
	}
	*id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

int
ca_plan_set_paused(PGconn *conn, const char *name, int paused, const char *actor,
    ca_err *err)
{
	const char *p[3] = { name, paused ? "t" : "f", actor };
	PGresult *res;
	int rc = 0;

	res = ca_db_query(conn, err, "pausing or resuming the plan",
	    "WITH old AS (SELECT id, paused FROM sampling_plans WHERE name = $1 FOR UPDATE),"
	    " upd AS (UPDATE sampling_plans s SET paused = $2 FROM old"
	    "   WHERE s.id = old.id AND old.paused <> $2 RETURNING s.id),"
	    " ev AS (INSERT INTO events (actor, action, entity, entity_id, before, after)"
	    "   SELECT $3, CASE WHEN $2 THEN 'plan.paused' ELSE 'plan.resumed' END,"
	    "     'sampling_plan', old.id::text, jsonb_build_object('paused', old.paused),"
	    "     jsonb_build_object('paused', $2::boolean) FROM old JOIN upd ON upd.id = old.id)"
	    " SELECT count(*) FROM old", 3, p);
	if (res == NULL)
		return err->code;
	if (strcmp(PQgetvalue(res, 0, 0), "0") == 0)
		rc = ca_err_set(err, CA_EX_DATAERR, "there is no sampling plan named '%s' "
		    "(`caseaudit plan list` shows them)", name);
	PQclear(res);
	return rc;
}
