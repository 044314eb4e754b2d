/*
 * forms_store.c - checklist versions and screening rule sets in
 * PostgreSQL: storing, listing, showing; see forms.h.
 *
 * A version is stored once, by its content hash, and never changed (the
 * database refuses it; migrations/0002_forms.sql).  Its sections and
 * questions are derived in SQL from the canonical JSON just stored, so the
 * tables and the definition can never disagree.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "forms.h"

/* "caseform" in ASCII as a big-endian 64-bit integer: the advisory lock
 * every `forms load` takes for its transaction. */
#define FORMS_LOCK_KEY "7161131761843270253"

int
ca_forms_lock(PGconn *conn, ca_err *err)
{
	return ca_db_exec(conn, err, "waiting for other loads of checklists",
	    "SELECT pg_advisory_xact_lock(" FORMS_LOCK_KEY ")", 0, NULL);
}

/* ---- storing -------------------------------------------------------------- */

static const char insert_sections_sql[] =
	"INSERT INTO form_sections (form_version_id, position, title, domain)"
	" SELECT v.id, s.ord, s.value->>'title', s.value->>'domain'"
	" FROM form_versions v,"
	"  jsonb_array_elements(v.definition->'sections') WITH ORDINALITY AS s(value, ord)"
	" WHERE v.id = $1::bigint";

static const char insert_questions_sql[] =
	"INSERT INTO form_questions (form_version_id, section_position, position, question_id,"
	"  text, guidance_good, guidance_partial, guidance_poor, scale, weight, required,"
	"  evidence_required_for, prompts)"
	" SELECT v.id, s.ord, row_number() OVER (ORDER BY s.ord, q.ord), q.value->>'id',"
	"  q.value->>'text', q.value->'guidance'->>'good', q.value->'guidance'->>'partial',"
	"  q.value->'guidance'->>'poor', q.value->>'scale', (q.value->>'weight')::numeric,"
	"  (q.value->>'required')::boolean,"
	"  ARRAY(SELECT e FROM jsonb_array_elements_text(q.value->'evidence_required_for')"
	"        WITH ORDINALITY AS x(e, i) ORDER BY i),"
	"  ARRAY(SELECT e FROM jsonb_array_elements_text(q.value->'prompts')"
	"        WITH ORDINALITY AS x(e, i) ORDER BY i)"
	" FROM form_versions v,"
	"  jsonb_array_elements(v.definition->'sections') WITH ORDINALITY AS s(value, ord),"
	"  jsonb_array_elements(s.value->'questions') WITH ORDINALITY AS q(value, ord)"
	" WHERE v.id = $1::bigint";

int
ca_forms_store(PGconn *conn, const ca_form *form, const char *json, const char *sha,
    const char *source, const char *file, const char *actor, ca_form_stored *out,
    ca_err *err)
{
	char applies[128] = "{", form_id[32], version_id[32], version[16], previous[16];
	const char *found_id;
	PGresult *res;
	int rc, current, found_version, newest;
	size_t o = 1;

	memset(out, 0, sizeof *out);
	if ((rc = ca_db_exec(conn, err, "recording the checklist",
	    "INSERT INTO forms (name) VALUES ($1) ON CONFLICT (name) DO NOTHING", 1,
	    (const char *[]){ form->name })) != 0)
		return rc;
	res = ca_db_query(conn, err, "looking up the checklist's versions",
	    "SELECT f.id, coalesce(cv.version, 0), coalesce(v.id::text, ''),"
	    "  coalesce(v.version, 0),"
	    "  coalesce((SELECT max(x.version) FROM form_versions x WHERE x.form_id = f.id), 0)"
	    " FROM forms f"
	    " LEFT JOIN form_versions cv ON cv.id = f.current_version_id"
	    " LEFT JOIN form_versions v ON v.form_id = f.id AND v.sha256 = $2"
	    " WHERE f.name = $1", 2, (const char *[]){ form->name, sha });
	if (res == NULL)
		return err->code;
	snprintf(form_id, sizeof form_id, "%s", PQgetvalue(res, 0, 0));
	current = atoi(PQgetvalue(res, 0, 1));
	snprintf(version_id, sizeof version_id, "%s", PQgetvalue(res, 0, 2));
	found_version = atoi(PQgetvalue(res, 0, 3));
	newest = atoi(PQgetvalue(res, 0, 4));
	PQclear(res);
	found_id = version_id;
	out->previous = current;
	snprintf(previous, sizeof previous, "%d", current);

	if (found_version > 0 && found_version == current) {
		out->outcome = CA_FORM_UNCHANGED;
		out->version = current;
		return 0;
	}
	if (found_version > 0) {
		/* The content of an older version again: it becomes current, as a
		 * copy under a new number would hide that nothing is new. */
		out->outcome = CA_FORM_RESTORED;
		out->version = found_version;
		snprintf(version, sizeof version, "%d", found_version);
		if ((rc = ca_db_exec(conn, err, "making the older version current",
		    "UPDATE forms SET current_version_id = $2::bigint WHERE id = $1::bigint", 2,
		    (const char *[]){ form_id, found_id })) != 0)
			return rc;
		return ca_db_exec(conn, err, "recording the change in the trail",
		    "INSERT INTO events (actor, action, entity, entity_id, before, after)"
		    " VALUES ($1, 'form.version_restored', 'form', $2,"
		    "  jsonb_build_object('version', $3::int),"
		    "  jsonb_build_object('version', $4::int, 'sha256', $5::text, 'file', $6::text))",
		    6, (const char *[]){ actor, form->name, previous, version, sha, file });
	}

	for (int t = 0; t < CA_FORM_NTYPES; t++) {
		if (!form->applies[t])
			continue;
		o += (size_t)snprintf(applies + o, sizeof applies - o, "%s%s", o > 1 ? "," : "",
		    ca_form_types[t]);
	}
	snprintf(applies + o, sizeof applies - o, "}");
	out->outcome = CA_FORM_NEW;
	out->version = newest + 1;
	snprintf(version, sizeof version, "%d", out->version);
	res = ca_db_query(conn, err, "storing the checklist version",
	    "INSERT INTO form_versions (form_id, version, sha256, title, applies_to, scale,"
	    "  definition, source, source_file, loaded_by)"
	    " VALUES ($1::bigint, $2::int, $3, $4, $5::text[], ($6::jsonb)->'scales', $6::jsonb,"
	    "  $7, $8, $9)"
	    " RETURNING id", 9,
	    (const char *[]){ form_id, version, sha, form->title, applies, json, source, file,
	    actor });
	if (res == NULL)
		return err->code;
	snprintf(version_id, sizeof version_id, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if ((rc = ca_db_exec(conn, err, "storing the sections", insert_sections_sql, 1,
	    (const char *[]){ version_id })) != 0 ||
	    (rc = ca_db_exec(conn, err, "storing the questions", insert_questions_sql, 1,
	    (const char *[]){ version_id })) != 0 ||
	    (rc = ca_db_exec(conn, err, "making the new version current",
	    "UPDATE forms SET current_version_id = $2::bigint WHERE id = $1::bigint", 2,
	    (const char *[]){ form_id, version_id })) != 0)
		return rc;
	return ca_db_exec(conn, err, "recording the new version in the trail",
	    "INSERT INTO events (actor, action, entity, entity_id, before, after)"
	    " SELECT $1, 'form.version_loaded', 'form_version', v.id::text,"
	    "  CASE WHEN $6::int > 0 THEN jsonb_build_object('version', $6::int) END,"
	    "  jsonb_build_object('form', $3::text, 'version', v.version, 'sha256', v.sha256,"
	    "   'file', $4::text, 'questions',"
	    "   (SELECT count(*) FROM form_questions q WHERE q.form_version_id = v.id),"
	    "   'title', $5::text)"
	    " FROM form_versions v WHERE v.id = $2::bigint", 6,
	    (const char *[]){ actor, version_id, form->name, file, form->title, previous });
}

/*
 * The set in use is screening_rules_current's one row (0007).  Storing a
 * set makes it current by the table's own trigger, so only going back to
 * an older set moves the pointer here.  Screenings made under that set
 * before stay and count again where the narrative has not changed since;
 * the rest are screened by the next `caseaudit screen`.
 */
int
ca_rules_store(PGconn *conn, const char *sha, const char *source, int rule_count,
    const char *file, const char *actor, ca_rules_stored *out, ca_err *err)
{
	char count[16], id[32], previous[32];
	PGresult *res;
	int rc;

	memset(out, 0, sizeof *out);
	snprintf(count, sizeof count, "%d", rule_count);
	res = ca_db_query(conn, err, "looking up the screening rules",
	    "SELECT (SELECT id FROM screening_rule_sets WHERE sha256 = $1),"
	    "  (SELECT rule_set_id FROM screening_rules_current)", 1, (const char *[]){ sha });
	if (res == NULL)
		return err->code;
	out->id = atoll(PQgetvalue(res, 0, 0));
	out->previous = atoll(PQgetvalue(res, 0, 1));
	PQclear(res);
	snprintf(previous, sizeof previous, "%lld", out->previous);

	if (out->id != 0 && out->id == out->previous) {
		out->outcome = CA_FORM_UNCHANGED;
		return 0;
	}
	if (out->id != 0) {
		/* An older set's content again: it becomes current, as storing
		 * a copy under a new id would hide that nothing is new. */
		out->outcome = CA_FORM_RESTORED;
		snprintf(id, sizeof id, "%lld", out->id);
		if ((rc = ca_db_exec(conn, err, "making the older screening rules current",
		    "INSERT INTO screening_rules_current (rule_set_id) VALUES ($1::bigint)"
		    " ON CONFLICT (one_row) DO UPDATE SET rule_set_id = EXCLUDED.rule_set_id,"
		    "  since = now()", 1, (const char *[]){ id })) != 0)
			return rc;
		return ca_db_exec(conn, err, "recording the change in the trail",
		    "INSERT INTO events (actor, action, entity, entity_id, before, after)"
		    " VALUES ($1, 'screening_rules.restored', 'screening_rule_set', $2,"
		    "  jsonb_build_object('rule_set_id', $3::bigint),"
		    "  jsonb_build_object('rule_set_id', $2::text::bigint, 'sha256', $4::text,"
		    "   'file', $5::text))", 5, (const char *[]){ actor, id, previous, sha, file });
	}

	out->outcome = CA_FORM_NEW;
	res = ca_db_query(conn, err, "storing the screening rules",
	    "INSERT INTO screening_rule_sets (sha256, source, rule_count, loaded_by)"
	    " VALUES ($1, $2, $3::int, $4) RETURNING id", 4,
	    (const char *[]){ sha, source, count, actor });
	if (res == NULL)
		return err->code;
	out->id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	snprintf(id, sizeof id, "%lld", out->id);
	return ca_db_exec(conn, err, "recording the screening rules in the trail",
	    "INSERT INTO events (actor, action, entity, entity_id, before, after)"
	    " VALUES ($1, 'screening_rules.loaded', 'screening_rule_set', $2,"
	    "  CASE WHEN $6::bigint > 0 THEN jsonb_build_object('rule_set_id', $6::bigint) END,"
	    "  jsonb_build_object('sha256', $3::text, 'rule_count', $4::int, 'file', $5::text))",
	    6, (const char *[]){ actor, id, sha, count, file, previous });
}

int
ca_rules_current(PGconn *conn, long long *id, char **source, size_t *len, ca_err *err)
{
	PGresult *res;

	*id = 0;
	*source = NULL;
	*len = 0;
	res = ca_db_query(conn, err, "reading the current screening rules",
	    "SELECT r.id, r.source FROM screening_rules_current c"
	    " JOIN screening_rule_sets r ON r.id = c.rule_set_id", 0, NULL);
	if (res == NULL)
		return err->code;
	if (PQntuples(res) == 1) {
		*len = (size_t)PQgetlength(res, 0, 1);
		if ((*source = malloc(*len + 1)) == NULL) {
			PQclear(res);
			return ca_err_set(err, CA_EX_SOFTWARE, "reading the screening rules: out of memory");
		}
		memcpy(*source, PQgetvalue(res, 0, 1), *len + 1);
		*id = atoll(PQgetvalue(res, 0, 0));
	}
	PQclear(res);
	return 0;
}

/* ---- reading ------------------------------------------------------------- */

/* A copy of a result value; sets *oom instead of returning NULL silently. */
static char *
value(const PGresult *res, int row, int col, int *oom)
{
	char *s;

	if (PQgetisnull(res, row, col))
		return NULL;
	if ((s = strdup(PQgetvalue(res, row, col))) == NULL)
		*oom = 1;
	return s;
}

static void
summary_free(ca_form_summary *s)
{
	free(s->name);
	free(s->title);
	free(s->applies_to);
	free(s->loaded_at);
	free(s->loaded_at_utc);
	free(s->loaded_by);
	free(s->sha256);
}

void
ca_form_summaries_free(ca_form_summary *rows, size_t n)
{
	for (size_t i = 0; rows != NULL && i < n; i++)
		summary_free(&rows[i]);
	free(rows);
}

#define SUMMARY_COLUMNS \
	"f.name, v.title, array_to_string(v.applies_to, ','),"                        \
	" to_char(v.loaded_at, 'DD/MM/YYYY HH24:MI'),"                                \
	" to_char(v.loaded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"   \
	" v.loaded_by, v.sha256, v.version,"                                          \
	" (SELECT count(*) FROM form_versions x WHERE x.form_id = f.id),"             \
	" (SELECT count(*) FROM form_questions q WHERE q.form_version_id = v.id)"

static void
summary_from(const PGresult *res, int row, ca_form_summary *s, int *oom)
{
	s->name = value(res, row, 0, oom);
	s->title = value(res, row, 1, oom);
	s->applies_to = value(res, row, 2, oom);
	s->loaded_at = value(res, row, 3, oom);
	s->loaded_at_utc = value(res, row, 4, oom);
	s->loaded_by = value(res, row, 5, oom);
	s->sha256 = value(res, row, 6, oom);
	s->version = atoi(PQgetvalue(res, row, 7));
	s->versions = atoi(PQgetvalue(res, row, 8));
	s->questions = atol(PQgetvalue(res, row, 9));
}

int
ca_forms_list(PGconn *conn, ca_form_summary **rows, size_t *n, ca_err *err)
{
	PGresult *res;
	int oom = 0, nrows;

	*rows = NULL;
	*n = 0;
	res = ca_db_query(conn, err, "listing the checklists",
	    "SELECT " SUMMARY_COLUMNS
	    " FROM forms f JOIN form_versions v ON v.id = f.current_version_id"
	    " ORDER BY f.name", 0, NULL);
	if (res == NULL)
		return err->code;
	nrows = PQntuples(res);
	if (nrows > 0 && (*rows = calloc((size_t)nrows, sizeof **rows)) == NULL)
		oom = 1;
	for (int i = 0; !oom && i < nrows; i++) {
		summary_from(res, i, &(*rows)[i], &oom);
		(*n)++;
	}
	PQclear(res);
	if (oom) {
		ca_form_summaries_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return ca_err_set(err, CA_EX_SOFTWARE, "listing the checklists: out of memory");
	}
	return 0;
}

void
ca_form_version_free(ca_form_version *v)
{
	if (v == NULL)
		return;
	ca_form_free(v->form);
	summary_free(&v->head);
	free(v->source_file);
	free(v->definition);
	free(v);
}

/* "a,b,c" into refs; the stored ids never hold commas (they are checked
 * for the shape of an id when loaded). */
static int
split_refs(const char *s, ca_form_ref **out, size_t *n)
{
	size_t count = 1, i = 0;
	const char *p;

	*out = NULL;
	*n = 0;
	if (s == NULL || *s == '\0')
		return 0;
	for (p = s; *p; p++)
		count += *p == ',';
	if ((*out = calloc(count, sizeof **out)) == NULL)
		return -1;
	for (p = s; i < count; i++) {
		size_t len = strcspn(p, ",");

		if (((*out)[i].id = strndup(p, len)) == NULL)
			return -1;
		(*n)++;
		p += len + (p[len] == ',');
	}
	return 0;
}

/* The scales, rebuilt from the version's scale JSON one rating per row. */
static int
load_scales(PGconn *conn, const char *vid, ca_form *f, ca_err *err)
{
	PGresult *res = ca_db_query(conn, err, "reading the checklist's scales",
	    "SELECT s.value->>'id', r.value->>'id', r.value->>'label', r.value->>'score'"
	    " FROM form_versions v,"
	    "  jsonb_array_elements(v.scale) WITH ORDINALITY AS s(value, so),"
	    "  jsonb_array_elements(s.value->'ratings') WITH ORDINALITY AS r(value, ro)"
	    " WHERE v.id = $1::bigint ORDER BY so, ro", 1, (const char *[]){ vid });
	int rows, oom = 0;

	if (res == NULL)
		return err->code;
	rows = PQntuples(res);
	if (rows > 0 && (f->scales = calloc((size_t)rows, sizeof *f->scales)) == NULL)
		oom = 1;
	for (int i = 0; !oom && i < rows; i++) {
		ca_form_scale *s;
		ca_form_rating *r;

		if (f->n_scales == 0 ||
		    strcmp(f->scales[f->n_scales - 1].id, PQgetvalue(res, i, 0)) != 0) {
			s = &f->scales[f->n_scales++];
			if ((s->id = value(res, i, 0, &oom)) == NULL ||
			    (s->ratings = calloc((size_t)rows, sizeof *s->ratings)) == NULL) {
				oom = 1;
				break;
			}
		}
		s = &f->scales[f->n_scales - 1];
		r = &s->ratings[s->n_ratings++];
		r->id = value(res, i, 1, &oom);
		r->label = value(res, i, 2, &oom);
		r->scored = !PQgetisnull(res, i, 3);
		r->score = r->scored ? strtod(PQgetvalue(res, i, 3), NULL) : 0;
	}
	PQclear(res);
	return oom ? ca_err_set(err, CA_EX_SOFTWARE, "reading the scales: out of memory") : 0;
}

static int
load_sections(PGconn *conn, const char *vid, ca_form *f, ca_err *err)
{
	PGresult *res;
	int rows, oom = 0;

	res = ca_db_query(conn, err, "reading the checklist's sections",
	    "SELECT s.position, s.title, s.domain,"
	    "  (SELECT count(*) FROM form_questions q"
	    "   WHERE q.form_version_id = s.form_version_id AND q.section_position = s.position)"
	    " FROM form_sections s WHERE s.form_version_id = $1::bigint ORDER BY s.position",
	    1, (const char *[]){ vid });
	if (res == NULL)
		return err->code;
	rows = PQntuples(res);
	if (rows > 0 && (f->sections = calloc((size_t)rows, sizeof *f->sections)) == NULL)
		oom = 1;
	for (int i = 0; !oom && i < rows; i++) {
		ca_form_section *s = &f->sections[f->n_sections++];
		size_t nq = (size_t)atol(PQgetvalue(res, i, 3));
		int d = 0;

		s->title = value(res, i, 1, &oom);
		while (ca_form_domains[d] != NULL && strcmp(ca_form_domains[d], PQgetvalue(res, i, 2)) != 0)
			d++;
		s->domain = ca_form_domains[d] != NULL ? ca_form_domains[d] : "holistic";
		if (nq > 0 && (s->questions = calloc(nq, sizeof *s->questions)) == NULL)
			oom = 1;
	}
	PQclear(res);
	if (oom)
		return ca_err_set(err, CA_EX_SOFTWARE, "reading the sections: out of memory");

	res = ca_db_query(conn, err, "reading the checklist's questions",
	    "SELECT section_position, question_id, text, guidance_good, guidance_partial,"
	    "  guidance_poor, scale, weight::text, required,"
	    "  array_to_string(evidence_required_for, ','), array_to_string(prompts, ',')"
	    " FROM form_questions WHERE form_version_id = $1::bigint ORDER BY position",
	    1, (const char *[]){ vid });
	if (res == NULL)
		return err->code;
	rows = PQntuples(res);
	for (int i = 0; !oom && i < rows; i++) {
		int sp = atoi(PQgetvalue(res, i, 0));
		ca_form_section *s;
		ca_form_question *q;

		if (sp < 1 || (size_t)sp > f->n_sections || f->sections[sp - 1].questions == NULL)
			continue;
		s = &f->sections[sp - 1];
		q = &s->questions[s->n_questions++];
		q->id = value(res, i, 1, &oom);
		q->text = value(res, i, 2, &oom);
		q->good = value(res, i, 3, &oom);
		q->partial = value(res, i, 4, &oom);
		q->poor = value(res, i, 5, &oom);
		for (size_t k = 0; k < f->n_scales; k++)
			if (strcmp(f->scales[k].id, PQgetvalue(res, i, 6)) == 0)
				q->scale = k;
		q->weight = strtod(PQgetvalue(res, i, 7), NULL);
		q->required = strcmp(PQgetvalue(res, i, 8), "t") == 0;
		if (split_refs(PQgetvalue(res, i, 9), &q->evidence, &q->n_evidence) != 0 ||
		    split_refs(PQgetvalue(res, i, 10), &q->prompts, &q->n_prompts) != 0)
			oom = 1;
	}
	PQclear(res);
	return oom ? ca_err_set(err, CA_EX_SOFTWARE, "reading the questions: out of memory") : 0;
}

int
ca_forms_show(PGconn *conn, const char *name, int version, ca_form_version **out,
    ca_err *err)
{
	char want[16], vid[32];
	ca_form_version *v;
	PGresult *res;
	int oom = 0, rc, versions;

	*out = NULL;
	snprintf(want, sizeof want, "%d", version);
	res = ca_db_query(conn, err, "reading the checklist",
	    "SELECT " SUMMARY_COLUMNS ", cv.version, v.source_file, v.definition::text,"
	    "  v.definition->>'description', v.id, v.form_id"
	    " FROM forms f"
	    " JOIN form_versions cv ON cv.id = f.current_version_id"
	    " LEFT JOIN form_versions v ON v.form_id = f.id"
	    "  AND v.version = CASE WHEN $2::int = 0 THEN cv.version ELSE $2::int END"
	    " WHERE f.name = $1", 2, (const char *[]){ name, want });
	if (res == NULL)
		return err->code;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return ca_err_set(err, CA_EX_DATAERR, "no such checklist '%.64s' "
		    "(caseaudit forms list shows the checklists there are)", name);
	}
	if (PQgetisnull(res, 0, 15)) {
		PQclear(res);
		res = ca_db_query(conn, err, "reading the checklist",
		    "SELECT count(*) FROM form_versions v JOIN forms f ON f.id = v.form_id"
		    " WHERE f.name = $1", 1, (const char *[]){ name });
		if (res == NULL)
			return err->code;
		versions = atoi(PQgetvalue(res, 0, 0));
		PQclear(res);
		if (versions == 1)
			return ca_err_set(err, CA_EX_DATAERR, "checklist '%s' has no version %d "
			    "(it has only version 1)", name, version);
		return ca_err_set(err, CA_EX_DATAERR, "checklist '%s' has no version %d "
		    "(its versions are 1 to %d)", name, version, versions);
	}
	if ((v = calloc(1, sizeof *v)) == NULL || (v->form = calloc(1, sizeof *v->form)) == NULL) {
		free(v);
		PQclear(res);
		return ca_err_set(err, CA_EX_SOFTWARE, "reading the checklist: out of memory");
	}
	summary_from(res, 0, &v->head, &oom);
	v->current = atoi(PQgetvalue(res, 0, 10));
	v->source_file = value(res, 0, 11, &oom);
	v->definition = value(res, 0, 12, &oom);
	v->form->description = value(res, 0, 13, &oom);
	snprintf(vid, sizeof vid, "%s", PQgetvalue(res, 0, 14));
	v->form->name = value(res, 0, 0, &oom);
	v->form->title = value(res, 0, 1, &oom);
	for (int t = 0; t < CA_FORM_NTYPES && v->head.applies_to != NULL; t++) {
		const char *a = v->head.applies_to;
		size_t len = strlen(ca_form_types[t]);

		for (const char *p = strstr(a, ca_form_types[t]); p != NULL;
		    p = strstr(p + 1, ca_form_types[t]))
			if ((p == a || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
				v->form->applies[t] = 1;
	}
	PQclear(res);
	if (oom) {
		ca_form_version_free(v);
		return ca_err_set(err, CA_EX_SOFTWARE, "reading the checklist: out of memory");
	}
	if ((rc = load_scales(conn, vid, v->form, err)) != 0 ||
	    (rc = load_sections(conn, vid, v->form, err)) != 0) {
		ca_form_version_free(v);
		return rc;
	}
	*out = v;
	return 0;
}

int
ca_rules_summary_get(PGconn *conn, ca_rules_summary *out, ca_err *err)
{
	PGresult *res;

	memset(out, 0, sizeof *out);
	res = ca_db_query(conn, err, "reading the screening rules",
	    "SELECT r.id, coalesce(r.rule_count, -1), r.sha256,"
	    "  coalesce(to_char(r.loaded_at, 'DD/MM/YYYY HH24:MI'), ''),"
	    "  coalesce(to_char(r.loaded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''),"
	    "  (SELECT count(*) FROM screening_rule_sets),"
	    "  (SELECT max(id) FROM screening_rule_sets),"
	    "  to_char(c.since, 'DD/MM/YYYY HH24:MI')"
	    " FROM screening_rules_current c JOIN screening_rule_sets r ON r.id = c.rule_set_id",
	    0, NULL);
	if (res == NULL)
		return err->code;
	if (PQntuples(res) == 1) {
		out->id = atoll(PQgetvalue(res, 0, 0));
		out->rule_count = atoi(PQgetvalue(res, 0, 1));
		snprintf(out->sha256, sizeof out->sha256, "%s", PQgetvalue(res, 0, 2));
		snprintf(out->loaded_at, sizeof out->loaded_at, "%s", PQgetvalue(res, 0, 3));
		snprintf(out->loaded_at_utc, sizeof out->loaded_at_utc, "%s", PQgetvalue(res, 0, 4));
		out->sets = atoll(PQgetvalue(res, 0, 5));
		out->newest = atoll(PQgetvalue(res, 0, 6));
		snprintf(out->current_since, sizeof out->current_since, "%s",
		    PQgetvalue(res, 0, 7));
	}
	PQclear(res);
	return 0;
}
