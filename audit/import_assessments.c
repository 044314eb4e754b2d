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
static const char row_checks[] =
	"('completed_on', CASE WHEN ca_parse_date(btrim(s.completed_on))"
	" < ca_parse_date(btrim(s.requested_on))"
	" THEN 'is before requested_on' || ca_show(btrim(s.requested_on)) END)";

static const char prepare[] =
	"INSERT INTO organisations (name)"
	" SELECT DISTINCT btrim(provider) FROM ca_valid"
	" ON CONFLICT (name) DO NOTHING";

/*
 * One statement: the typed rows, the upsert, and an event with before and
 * after for each changed row.  Every part sees the same snapshot, so
 * `assessments o` below is the row as it was before this statement.
 * Unchanged rows are not touched at all (the WHERE of DO UPDATE).
 */
static const char upsert[] =
	"WITH src AS ("
	"  SELECT btrim(v.assessment_ref) AS assessment_ref, btrim(v.person_ref) AS person_ref,"
	"   lower(btrim(v.assessment_type)) AS assessment_type, o.id AS provider_id,"
	"   btrim(v.assessor_ref) AS assessor_ref,"
	"   ca_parse_date(btrim(v.requested_on)) AS requested_on,"
	"   ca_parse_date(nullif(btrim(v.completed_on), '')) AS completed_on,"
	"   v.summary,"
	"   lower(nullif(btrim(v.priority), '')) AS priority,"
	"   ca_parse_yesno(v.eligible) AS eligible,"
	"   ca_parse_yesno(v.direct_payment_offered) AS direct_payment_offered,"
	"   ca_parse_yesno(v.carer_identified) AS carer_identified,"
	"   nullif(btrim(v.age_band), '') AS age_band, nullif(btrim(v.gender), '') AS gender,"
	"   nullif(btrim(v.ethnicity), '') AS ethnicity,"
	"   nullif(btrim(v.primary_support_reason), '') AS primary_support_reason"
	"  FROM ca_valid v JOIN organisations o ON o.name = btrim(v.provider)"
	"), up AS ("
	"  INSERT INTO assessments AS a (assessment_ref, person_ref, assessment_type, provider_id,"
	"   assessor_ref, requested_on, completed_on, summary, priority, eligible,"
	"   direct_payment_offered, carer_identified, age_band, gender, ethnicity,"
	"   primary_support_reason, import_id)"
	"  SELECT src.*, $1::bigint FROM src"
	"  ON CONFLICT (assessment_ref) DO UPDATE SET"
	"   person_ref = EXCLUDED.person_ref, assessment_type = EXCLUDED.assessment_type,"
	"   provider_id = EXCLUDED.provider_id, assessor_ref = EXCLUDED.assessor_ref,"
	"   requested_on = EXCLUDED.requested_on, completed_on = EXCLUDED.completed_on,"
	"   summary = EXCLUDED.summary, priority = EXCLUDED.priority, eligible = EXCLUDED.eligible,"
	"   direct_payment_offered = EXCLUDED.direct_payment_offered,"
	"   carer_identified = EXCLUDED.carer_identified, age_band = EXCLUDED.age_band,"
	"   gender = EXCLUDED.gender, ethnicity = EXCLUDED.ethnicity,"
	"   primary_support_reason = EXCLUDED.primary_support_reason,"
	"   import_id = EXCLUDED.import_id, revision = a.revision + 1, updated_at = now()"
	"  WHERE (a.person_ref, a.assessment_type, a.provider_id, a.assessor_ref, a.requested_on,"
	"   a.completed_on, a.summary, a.priority, a.eligible, a.direct_payment_offered,"
	"   a.carer_identified, a.age_band, a.gender, a.ethnicity, a.primary_support_reason)"
	"   IS DISTINCT FROM (EXCLUDED.person_ref, EXCLUDED.assessment_type, EXCLUDED.provider_id,"
	"   EXCLUDED.assessor_ref, EXCLUDED.requested_on, EXCLUDED.completed_on, EXCLUDED.summary,"
	"   EXCLUDED.priority, EXCLUDED.eligible, EXCLUDED.direct_payment_offered,"
	"   EXCLUDED.carer_identified, EXCLUDED.age_band, EXCLUDED.gender, EXCLUDED.ethnicity,"
	"   EXCLUDED.primary_support_reason)"
	"  RETURNING a.*"
	"), ev AS ("
	"  INSERT INTO events (actor, action, entity, entity_id, before, after)"
	"  SELECT $2, 'assessment.updated', 'assessment', up.assessment_ref,"
	"   ca_jsonb_changed(to_jsonb(o), to_jsonb(up)), ca_jsonb_changed(to_jsonb(up), to_jsonb(o))"
	"  FROM up JOIN assessments o ON o.id = up.id"
	")"
	" SELECT count(*) FILTER (WHERE o.id IS NULL), count(o.id)"
	" FROM up LEFT JOIN assessments o ON o.id = up.id";

const ca_import_kind ca_import_assessments = {
	.kind = "assessments",
	.ref_column = "assessment_ref",
	.columns = columns,
	.ncolumns = (int)(sizeof columns / sizeof columns[0]),
	.row_checks_sql = row_checks,
	.prepare_sql = prepare,
	.upsert_sql = upsert,
};
