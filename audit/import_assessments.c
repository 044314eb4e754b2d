/*
 * import_assessments.c - the assessment extract: its columns, their checks
 * and how valid rows are stored (DESIGN.md section 5, "Assessment CSV").
 */
#include "import.h"

static const ca_import_column columns[] = {
	{ "assessment_ref", 1, CA_COL_REF, NULL, 0 },
	{ "person_ref", 1, CA_COL_REF, NULL, 0 },
	{ "assessment_type", 1, CA_COL_CHOICE, "care_act_assessment,carers_assessment,review", 0 },
	{ "provider", 1, CA_COL_TEXT, NULL, 200 },
	{ "assessor_ref", 1, CA_COL_REF, NULL, 0 },
	{ "requested_on", 1, CA_COL_DATE, NULL, 0 },
	{ "completed_on", 0, CA_COL_DATE, NULL, 0 },
	{ "summary", 1, CA_COL_TEXT, NULL, 0 },
	{ "priority", 0, CA_COL_CHOICE, "urgent,high,medium,low", 0 },
	{ "eligible", 0, CA_COL_YESNO, NULL, 0 },
	{ "direct_payment_offered", 0, CA_COL_YESNO, NULL, 0 },
	{ "carer_identified", 0, CA_COL_YESNO, NULL, 0 },
	{ "age_band", 0, CA_COL_TEXT, NULL, 100 },
	{ "gender", 0, CA_COL_TEXT, NULL, 100 },
	{ "ethnicity", 0, CA_COL_TEXT, NULL, 100 },
	{ "primary_support_reason", 0, CA_COL_TEXT, NULL, 200 },
};

/* An assessment cannot be completed before it was asked for. */
static const char completed_check[] =
	"CASE WHEN s.completed_on__date < s.requested_on__date"
	" THEN 'is before requested_on' || ca_show_date(s.requested_on__t) END";

/*
 * The valid rows, typed.  A temporary view rather than a CTE: the upsert
 * reads it twice (new rows, changed rows) and a CTE would copy every
 * narrative into a work file first.  Nothing here may throw (no casts of
 * raw text): the planner may compute it for rows validation rejected
 * before it filters them out.
 */
static const char prepare[] =
	"INSERT INTO organisations (name)"
	" SELECT DISTINCT btrim(provider) FROM ca_valid"
	" ON CONFLICT (name) DO NOTHING;"
	"CREATE TEMP VIEW ca_src AS"
	"  SELECT btrim(v.assessment_ref) AS assessment_ref, btrim(v.person_ref) AS person_ref,"
	"   lower(btrim(v.assessment_type)) AS assessment_type, o.id AS provider_id,"
	"   btrim(v.assessor_ref) AS assessor_ref,"
	"   v.requested_on__date AS requested_on, v.completed_on__date AS completed_on,"
	"   v.summary,"
	"   lower(nullif(btrim(v.priority), '')) AS priority,"
	"   ca_parse_yesno(v.eligible) AS eligible,"
	"   ca_parse_yesno(v.direct_payment_offered) AS direct_payment_offered,"
	"   ca_parse_yesno(v.carer_identified) AS carer_identified,"
	"   nullif(btrim(v.age_band), '') AS age_band, nullif(btrim(v.gender), '') AS gender,"
	"   nullif(btrim(v.ethnicity), '') AS ethnicity,"
	"   nullif(btrim(v.primary_support_reason), '') AS primary_support_reason"
	"  FROM ca_valid v JOIN organisations o ON o.name = btrim(v.provider)";

#define ASSESSMENT_COLUMNS \
	"person_ref, assessment_type, provider_id, assessor_ref, requested_on," \
	" completed_on, summary, priority, eligible, direct_payment_offered," \
	" carer_identified, age_band, gender, ethnicity, primary_support_reason"

/*
 * Changed rows: updated only where something differs, with an event
 * holding before and after for each.  Every part of the statement sees the
 * same snapshot, so `assessments o` in `ev` is the row as it was before.
 */
static const char update[] =
	"WITH upd AS ("
	"  UPDATE assessments a SET (" ASSESSMENT_COLUMNS ", import_id, revision, updated_at)"
	"   = (n.person_ref, n.assessment_type, n.provider_id, n.assessor_ref, n.requested_on,"
	"   n.completed_on, n.summary, n.priority, n.eligible, n.direct_payment_offered,"
	"   n.carer_identified, n.age_band, n.gender, n.ethnicity, n.primary_support_reason,"
	"   $1::bigint, a.revision + 1, now())"
	"  FROM ca_src n"
	"  WHERE a.assessment_ref = n.assessment_ref"
	"   AND (a.person_ref, a.assessment_type, a.provider_id, a.assessor_ref, a.requested_on,"
	"   a.completed_on, a.summary, a.priority, a.eligible, a.direct_payment_offered,"
	"   a.carer_identified, a.age_band, a.gender, a.ethnicity, a.primary_support_reason)"
	"   IS DISTINCT FROM (n.person_ref, n.assessment_type, n.provider_id, n.assessor_ref,"
	"   n.requested_on, n.completed_on, n.summary, n.priority, n.eligible,"
	"   n.direct_payment_offered, n.carer_identified, n.age_band, n.gender, n.ethnicity,"
	"   n.primary_support_reason)"
	"  RETURNING a.id, to_jsonb(a) AS after"
	"), ev AS ("
	"  INSERT INTO events (actor, action, entity, entity_id, before, after)"
	"  SELECT $2, 'assessment.updated', 'assessment', o.assessment_ref,"
	"   ca_jsonb_changed(to_jsonb(o), upd.after), ca_jsonb_changed(upd.after, to_jsonb(o))"
	"  FROM upd JOIN assessments o ON o.id = upd.id"
	")"
	" SELECT count(*) FROM upd";

/*
 * New references: plain inserts (the import lock keeps other imports out,
 * so no ON CONFLICT machinery is needed).  Each reference is looked up in
 * the index (OFFSET 0 keeps the lookup a lookup): as a join, the planner
 * hashes all the stored references, and once they outgrow work_mem it
 * writes the staged rows, narratives and all, to disk to join them in
 * batches (a million unchanged rows: 8.2 s instead of 3.6 s).
 */
static const char insert[] =
	"WITH ins AS ("
	"  INSERT INTO assessments (assessment_ref, " ASSESSMENT_COLUMNS ", import_id)"
	"  SELECT n.*, $1::bigint FROM ca_src n"
	"  WHERE NOT EXISTS (SELECT 1 FROM assessments a WHERE a.assessment_ref = n.assessment_ref"
	"   OFFSET 0)"
	"  RETURNING 1"
	")"
	" SELECT count(*) FROM ins";

const ca_import_kind ca_import_assessments = {
	.kind = "assessments",
	.ref_column = "assessment_ref",
	.columns = columns,
	.ncolumns = (int)(sizeof columns / sizeof columns[0]),
	.row_check_column = "completed_on",
	.row_check_sql = completed_check,
	.prepare_sql = prepare,
	.update_sql = update,
	.insert_sql = insert,
};
