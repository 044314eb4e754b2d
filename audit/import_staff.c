/*
 * import_staff.c - the staff list: practice leads (auditors), assessors,
 * the principal social worker, QA leads and board members (DESIGN.md
 * section 5, "Staff CSV").  `active` is an extension: staff who leave are
 * kept (their audits refer to them) but marked inactive.
 */
#include "import.h"

static const ca_import_column columns[] = {
	{ "staff_ref", 1, CA_COL_REF, NULL, 0 },
	{ "name", 1, CA_COL_TEXT, NULL, 200 },
	{ "organisation", 1, CA_COL_TEXT, NULL, 200 },
	{ "role", 1, CA_COL_ROLES, "auditor,assessor,psw,qa_lead,board", 0 },
	{ "team", 0, CA_COL_TEXT, NULL, 200 },
	{ "max_open_audits", 0, CA_COL_COUNT, NULL, 0 },
	{ "email", 0, CA_COL_EMAIL, NULL, 0 },
	{ "active", 0, CA_COL_YESNO, NULL, 0 },
};

static const char prepare[] =
	"INSERT INTO organisations (name)"
	" SELECT DISTINCT btrim(organisation) FROM ca_valid"
	" ON CONFLICT (name) DO NOTHING;"
	"INSERT INTO teams (organisation_id, name)"
	" SELECT DISTINCT o.id, btrim(v.team) FROM ca_valid v"
	"  JOIN organisations o ON o.name = btrim(v.organisation)"
	" WHERE nullif(btrim(v.team), '') IS NOT NULL"
	" ON CONFLICT (organisation_id, name) DO NOTHING";

/* As for assessments: one statement, changes traced with before/after.
 * Roles are stored sorted and without repeats so that "auditor;psw" and
 * "psw; auditor" are the same. */
static const char upsert[] =
	"WITH src AS ("
	"  SELECT btrim(v.staff_ref) AS staff_ref, btrim(v.name) AS name, o.id AS organisation_id,"
	"   t.id AS team_id,"
	"   ARRAY(SELECT DISTINCT lower(btrim(r)) FROM unnest(string_to_array(v.role, ';')) r"
	"         WHERE btrim(r) <> '' ORDER BY 1) AS roles,"
	"   coalesce(nullif(btrim(v.max_open_audits), '')::integer, 0) AS max_open_audits,"
	"   nullif(btrim(v.email), '') AS email,"
	"   coalesce(ca_parse_yesno(v.active), true) AS active"
	"  FROM ca_valid v JOIN organisations o ON o.name = btrim(v.organisation)"
	"  LEFT JOIN teams t ON t.organisation_id = o.id AND t.name = btrim(v.team)"
	"), up AS ("
	"  INSERT INTO staff AS st (staff_ref, name, organisation_id, team_id, roles,"
	"   max_open_audits, email, active, import_id)"
	"  SELECT src.*, $1::bigint FROM src"
	"  ON CONFLICT (staff_ref) DO UPDATE SET"
	"   name = EXCLUDED.name, organisation_id = EXCLUDED.organisation_id,"
	"   team_id = EXCLUDED.team_id, roles = EXCLUDED.roles,"
	"   max_open_audits = EXCLUDED.max_open_audits, email = EXCLUDED.email,"
	"   active = EXCLUDED.active, import_id = EXCLUDED.import_id,"
	"   revision = st.revision + 1, updated_at = now()"
	"  WHERE (st.name, st.organisation_id, st.team_id, st.roles, st.max_open_audits,"
	"   st.email, st.active) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.organisation_id,"
	"   EXCLUDED.team_id, EXCLUDED.roles, EXCLUDED.max_open_audits, EXCLUDED.email,"
	"   EXCLUDED.active)"
	"  RETURNING st.*"
	"), ev AS ("
	"  INSERT INTO events (actor, action, entity, entity_id, before, after)"
	"  SELECT $2, 'staff.updated', 'staff', up.staff_ref,"
	"   ca_jsonb_changed(to_jsonb(o), to_jsonb(up)), ca_jsonb_changed(to_jsonb(up), to_jsonb(o))"
	"  FROM up JOIN staff o ON o.id = up.id"
	")"
	" SELECT count(*) FILTER (WHERE o.id IS NULL), count(o.id)"
	" FROM up LEFT JOIN staff o ON o.id = up.id";

const ca_import_kind ca_import_staff = {
	.kind = "staff",
	.ref_column = "staff_ref",
	.columns = columns,
	.ncolumns = (int)(sizeof columns / sizeof columns[0]),
	.row_checks_sql = NULL,
	.prepare_sql = prepare,
	.upsert_sql = upsert,
};
