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

/* Organisations and teams on first sight, then the valid rows typed (see
 * import_assessments.c for why a view).  Roles are stored sorted and
 * without repeats so that "auditor;psw" and "psw; auditor" are the same.
 * Nothing in ca_src may throw: the planner is free to compute it for rows
 * that validation rejected before it filters them out. */
static const char prepare[] =
	"INSERT INTO organisations (name)"
	" SELECT DISTINCT btrim(organisation) FROM ca_valid"
	" ON CONFLICT (name) DO NOTHING;"
	"INSERT INTO teams (organisation_id, name)"
	" SELECT DISTINCT o.id, btrim(v.team) FROM ca_valid v"
	"  JOIN organisations o ON o.name = btrim(v.organisation)"
	" WHERE nullif(btrim(v.team), '') IS NOT NULL"
	" ON CONFLICT (organisation_id, name) DO NOTHING;"
	"CREATE TEMP VIEW ca_src AS"
	"  SELECT btrim(v.staff_ref) AS staff_ref, btrim(v.name) AS name, o.id AS organisation_id,"
	"   t.id AS team_id,"
	"   ARRAY(SELECT DISTINCT lower(btrim(r)) FROM unnest(string_to_array(v.role, ';')) r"
	"         WHERE btrim(r) <> '' ORDER BY 1) AS roles,"
	"   CASE WHEN btrim(v.max_open_audits) ~ '^[0-9]{1,9}$'"
	"    THEN btrim(v.max_open_audits)::integer ELSE 0 END AS max_open_audits,"
	"   nullif(btrim(v.email), '') AS email,"
	"   coalesce(ca_parse_yesno(v.active), true) AS active"
	"  FROM ca_valid v JOIN organisations o ON o.name = btrim(v.organisation)"
	"  LEFT JOIN teams t ON t.organisation_id = o.id AND t.name = btrim(v.team)";

#define STAFF_COLUMNS "name, organisation_id, team_id, roles, max_open_audits, email, active"

/* As for assessments: changed rows updated and traced, then new rows. */
static const char update[] =
	"WITH upd AS ("
	"  UPDATE staff s SET (" STAFF_COLUMNS ", import_id, revision, updated_at)"
	"   = (n.name, n.organisation_id, n.team_id, n.roles, n.max_open_audits, n.email,"
	"   n.active, $1::bigint, s.revision + 1, now())"
	"  FROM ca_src n"
	"  WHERE s.staff_ref = n.staff_ref"
	"   AND (s.name, s.organisation_id, s.team_id, s.roles, s.max_open_audits, s.email, s.active)"
	"   IS DISTINCT FROM (n.name, n.organisation_id, n.team_id, n.roles, n.max_open_audits,"
	"   n.email, n.active)"
	"  RETURNING s.id, to_jsonb(s) AS after"
	"), ev AS ("
	"  INSERT INTO events (actor, action, entity, entity_id, before, after)"
	"  SELECT $2, 'staff.updated', 'staff', o.staff_ref,"
	"   ca_jsonb_changed(to_jsonb(o), upd.after), ca_jsonb_changed(upd.after, to_jsonb(o))"
	"  FROM upd JOIN staff o ON o.id = upd.id"
	")"
	" SELECT count(*) FROM upd";

static const char insert[] =
	"WITH ins AS ("
	"  INSERT INTO staff (staff_ref, " STAFF_COLUMNS ", import_id)"
	"  SELECT n.*, $1::bigint FROM ca_src n"
	"  WHERE NOT EXISTS (SELECT 1 FROM staff s WHERE s.staff_ref = n.staff_ref)"
	"  RETURNING 1"
	")"
	" SELECT count(*) FROM ins";

const ca_import_kind ca_import_staff = {
	.kind = "staff",
	.ref_column = "staff_ref",
	.columns = columns,
	.ncolumns = (int)(sizeof columns / sizeof columns[0]),
	.prepare_sql = prepare,
	.update_sql = update,
	.insert_sql = insert,
};
