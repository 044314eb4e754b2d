/*
 * sample.c - drawing, recording and verifying sampling runs (sample.h).
 *
 * The database says what the population is; design.c decides what is
 * drawn from it.  Both the run and its verification read the design from
 * the same JSON (the plan's parameters, copied into the run), so a
 * verification can only disagree when the recorded data does.
 */
#include "sample.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "assign.h"
#include "db.h"
#include "date.h"
#include "design.h"
#include "period.h"
#include "reaudit.h"
#include "sha256.h"
#include "strbuf.h"

/* Rows fetched from the population cursor at a time. */
#define FETCH_ROWS "20000"

/* Risk weights and Neyman variability: see sample.h, which documents the
 * same numbers. */
#define WEIGHT_SQL \
	"1.0 + coalesce(cardinality(array_remove(cs.flags, 'personal_data')), 0)" \
	" + CASE a.priority WHEN 'urgent' THEN 2 WHEN 'high' THEN 1 ELSE 0 END" \
	" + CASE WHEN least(coalesce(a.completed_on, $2::date), $2::date) - a.requested_on > 182" \
	"   THEN 2 WHEN least(coalesce(a.completed_on, $2::date), $2::date) - a.requested_on > 91" \
	"   THEN 1 ELSE 0 END"
#define NEYMAN_MIN_GRADED 10

typedef struct stratum {
	char *label;
	char *provider_id;     /* text, as the database gave it */
	char *type;            /* NULL unless strata by provider and type */
	long size;
	double variability;
	size_t order;          /* position in label order */
} stratum;

typedef struct population {
	size_t N, cap;
	long long *id;
	int *stratum;
	double *weight;
	stratum *strata;
	size_t H, hcap;
	char sha256[CA_SHA256_HEX_LEN + 1];
} population;

typedef struct plan_row {
	long long id;
	char name[80];
	char every[16];
	int paused;
	int due_days;
	char form_version_id[24];
	char *parameters;      /* JSON */
	int by_type;           /* strata by provider and type */
	ca_design design;
} plan_row;

static void
population_free(population *p)
{
	for (size_t h = 0; h < p->H; h++) {
		free(p->strata[h].label);
		free(p->strata[h].provider_id);
		free(p->strata[h].type);
	}
	free(p->strata);
	free(p->id);
	free(p->stratum);
	free(p->weight);
	memset(p, 0, sizeof *p);
}

static int
population_grow(population *p)
{
	size_t cap = p->cap ? p->cap * 2 : 65536;
	long long *id = realloc(p->id, cap * sizeof *id);
	int *st;
	double *w;

	if (id == NULL)
		return -1;
	p->id = id;
	if ((st = realloc(p->stratum, cap * sizeof *st)) == NULL)
		return -1;
	p->stratum = st;
	if ((w = realloc(p->weight, cap * sizeof *w)) == NULL)
		return -1;
	p->weight = w;
	p->cap = cap;
	return 0;
}

/* The stratum for a label, added when new.  Strata are few (partners,
 * perhaps times three types): a linear search costs less than hashing. */
static int
stratum_index(population *p, const char *label, const char *provider_id, const char *type)
{
	for (size_t h = p->H; h-- > 0;)
		if (strcmp(p->strata[h].label, label) == 0)
			return (int)h;
	if (p->H == p->hcap) {
		size_t cap = p->hcap ? p->hcap * 2 : 16;
		stratum *s = realloc(p->strata, cap * sizeof *s);

		if (s == NULL)
			return -1;
		p->strata = s;
		p->hcap = cap;
	}
	memset(&p->strata[p->H], 0, sizeof p->strata[p->H]);
	p->strata[p->H].label = strdup(label);
	p->strata[p->H].provider_id = provider_id ? strdup(provider_id) : NULL;
	p->strata[p->H].type = type ? strdup(type) : NULL;
	p->strata[p->H].variability = 0.5;
	if (p->strata[p->H].label == NULL)
		return -1;
	return (int)p->H++;
}

static int
cmp_label(const void *a, const void *b)
{
	return strcmp((*(stratum *const *)a)->label, (*(stratum *const *)b)->label);
}

/* Put strata in label order (byte order) and renumber the units' strata:
 * the draw goes through strata in that order on every machine. */
static int
population_order_strata(population *p)
{
	stratum **by = malloc((p->H + 1) * sizeof *by), *sorted;
	int *map = malloc((p->H + 1) * sizeof *map);

	sorted = malloc((p->H + 1) * sizeof *sorted);
	if (by == NULL || map == NULL || sorted == NULL) {
		free(by);
		free(map);
		free(sorted);
		return -1;
	}
	for (size_t h = 0; h < p->H; h++)
		by[h] = &p->strata[h];
	qsort(by, p->H, sizeof *by, cmp_label);
	for (size_t h = 0; h < p->H; h++) {
		map[by[h] - p->strata] = (int)h;
		sorted[h] = *by[h];
	}
	for (size_t i = 0; i < p->N; i++)
		p->stratum[i] = map[p->stratum[i]];
	free(p->strata);
	p->strata = sorted;
	p->hcap = p->H;
	free(by);
	free(map);
	return 0;
}

/*
 * Read a population through a cursor over `sql` (its rows: id,
 * assessment_ref, stratum label, provider id, type or NULL, weight or
 * NULL, in assessment_ref byte order), hashing the refs as they pass.
 * Must run inside a transaction.
 */
static int
read_population(PGconn *conn, const char *sql, int nparams, const char *const *params,
    population *p, ca_err *err)
{
	ca_sha256 sha;
	PGresult *res;
	int rc = 0, rows;

	memset(p, 0, sizeof *p);
	/* Every row is wanted, not the first tenth a cursor plans for; a
	 * query run once gains nothing from JIT compilation (0.5 s of it); and
	 * a million refs sort in memory rather than through 70 MB of disk. */
	if (ca_db_exec_script(conn, err, "reading the population",
	    "SET LOCAL cursor_tuple_fraction = 1.0; SET LOCAL jit = off;"
	    " SET LOCAL work_mem = '256MB'") != 0)
		return err->code;
	if ((res = ca_db_query(conn, err, "reading the population", sql, nparams, params)) == NULL)
		return err->code;
	PQclear(res);
	if (ca_sha256_init(&sha) != 0)
		return ca_err_set(err, CA_EX_SOFTWARE, "hashing the population: out of memory");
	do {
		res = ca_db_query(conn, err, "reading the population",
		    "FETCH " FETCH_ROWS " FROM population", 0, NULL);
		if (res == NULL) {
			rc = err->code;
			break;
		}
		rows = PQntuples(res);
		for (int r = 0; r < rows && rc == 0; r++) {
			const char *ref = PQgetvalue(res, r, 1);
			int h;

			if (p->N == p->cap && population_grow(p) != 0) {
				rc = ca_err_set(err, CA_EX_SOFTWARE, "reading the population: out of memory");
				break;
			}
			h = stratum_index(p, PQgetvalue(res, r, 2),
			    PQgetisnull(res, r, 3) ? NULL : PQgetvalue(res, r, 3),
			    PQgetisnull(res, r, 4) ? NULL : PQgetvalue(res, r, 4));
			if (h < 0) {
				rc = ca_err_set(err, CA_EX_SOFTWARE, "reading the population: out of memory");
				break;
			}
			p->id[p->N] = strtoll(PQgetvalue(res, r, 0), NULL, 10);
			p->stratum[p->N] = h;
			p->weight[p->N] = PQgetisnull(res, r, 5) ? 1.0 : strtod(PQgetvalue(res, r, 5), NULL);
			p->strata[h].size++;
			p->N++;
			ca_sha256_update(&sha, ref, strlen(ref));
			ca_sha256_update(&sha, "\n", 1);
		}
		PQclear(res);
	} while (rc == 0 && rows > 0);
	ca_sha256_final_hex(&sha, p->sha256);
	if (rc == 0)
		rc = ca_db_exec(conn, err, "reading the population", "CLOSE population", 0, NULL);
	if (rc == 0 && population_order_strata(p) != 0)
		rc = ca_err_set(err, CA_EX_SOFTWARE, "reading the population: out of memory");
	if (rc != 0)
		population_free(p);
	return rc;
}

/* Draw the design over a population read by read_population: the same
 * call for a run and for its verification. */
static int
draw_population(const ca_design *d, const population *pop, uint64_t seed, ca_selection *sel,
    ca_err *err)
{
	long *sizes = malloc((pop->H + 1) * sizeof *sizes);
	double *var = malloc((pop->H + 1) * sizeof *var);
	ca_population cp = { .N = pop->N, .stratum = pop->stratum, .weight = pop->weight,
	    .H = pop->H, .size = sizes, .variability = var };
	int rc;

	if (sizes == NULL || var == NULL) {
		rc = ca_err_set(err, CA_EX_SOFTWARE, "drawing the sample: out of memory");
	} else {
		for (size_t h = 0; h < pop->H; h++) {
			sizes[h] = pop->strata[h].size;
			var[h] = pop->strata[h].variability;
		}
		rc = ca_design_draw(d, &cp, seed, sel, err);
	}
	free(sizes);
	free(var);
	return rc;
}

/* ---- the design, from the plan's parameters --------------------------- */

static int
design_from_json(PGconn *conn, const char *json, ca_design *d, int *by_type, ca_err *err)
{
	const char *p[1] = { json };
	PGresult *res;

	res = ca_db_query(conn, err, "reading the plan's parameters",
	    "SELECT j->>'method', j->>'size_rule', (j->>'size_value')::float8,"
	    " (j->>'confidence')::float8, (j->>'proportion')::float8,"
	    " (j->>'per_stratum')::boolean, j->>'allocation', (j->>'stratum_floor')::int,"
	    " (j->>'core_share')::float8, j->>'strata'"
	    " FROM (SELECT $1::jsonb j) x", 1, p);
	if (res == NULL)
		return err->code;
	memset(d, 0, sizeof *d);
	d->method = strcmp(PQgetvalue(res, 0, 0), "random") == 0 ? CA_METHOD_RANDOM :
	    strcmp(PQgetvalue(res, 0, 0), "stratified") == 0 ? CA_METHOD_STRATIFIED :
	    CA_METHOD_RISK;
	d->size_rule = strcmp(PQgetvalue(res, 0, 1), "size") == 0 ? CA_SIZE_FIXED :
	    strcmp(PQgetvalue(res, 0, 1), "percent") == 0 ? CA_SIZE_PERCENT : CA_SIZE_MARGIN;
	d->size_value = strtod(PQgetvalue(res, 0, 2), NULL);
	d->confidence = strtod(PQgetvalue(res, 0, 3), NULL);
	d->proportion = strtod(PQgetvalue(res, 0, 4), NULL);
	d->per_stratum = PQgetvalue(res, 0, 5)[0] == 't';
	d->neyman = strcmp(PQgetvalue(res, 0, 6), "neyman") == 0;
	d->floor = strtol(PQgetvalue(res, 0, 7), NULL, 10);
	d->core_share = strtod(PQgetvalue(res, 0, 8), NULL);
	*by_type = strcmp(PQgetvalue(res, 0, 9), "provider_type") == 0;
	PQclear(res);
	return 0;
}

static void
plan_row_free(plan_row *pl)
{
	free(pl->parameters);
	pl->parameters = NULL;
}

/* The plan, locked so that one run per plan is drawn at a time. */
static int
load_plan(PGconn *conn, long long plan_id, plan_row *pl, ca_err *err)
{
	char id[24];
	const char *p[1] = { id };
	PGresult *res;
	int rc;

	memset(pl, 0, sizeof *pl);
	snprintf(id, sizeof id, "%lld", plan_id);
	res = ca_db_query(conn, err, "reading the plan",
	    "SELECT p.name, p.every, p.paused, p.due_days, f.current_version_id,"
	    "  (to_jsonb(p) - 'id' - 'created_at' - 'created_by' - 'paused' - 'form_id')"
	    "  || jsonb_build_object('form', f.name, 'providers', coalesce((SELECT"
	    "     jsonb_agg(o.name ORDER BY o.name) FROM sampling_plan_providers pp"
	    "     JOIN organisations o ON o.id = pp.organisation_id WHERE pp.plan_id = p.id),"
	    "     '[]'::jsonb))"
	    " FROM sampling_plans p JOIN forms f ON f.id = p.form_id"
	    " WHERE p.id = $1 FOR UPDATE OF p", 1, p);
	if (res == NULL)
		return err->code;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return ca_err_set(err, CA_EX_DATAERR, "there is no sampling plan %lld", plan_id);
	}
	pl->id = plan_id;
	snprintf(pl->name, sizeof pl->name, "%s", PQgetvalue(res, 0, 0));
	snprintf(pl->every, sizeof pl->every, "%s", PQgetvalue(res, 0, 1));
	pl->paused = PQgetvalue(res, 0, 2)[0] == 't';
	pl->due_days = atoi(PQgetvalue(res, 0, 3));
	snprintf(pl->form_version_id, sizeof pl->form_version_id, "%s", PQgetvalue(res, 0, 4));
	pl->parameters = strdup(PQgetvalue(res, 0, 5));
	PQclear(res);
	if (pl->parameters == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "reading the plan: out of memory");
	if ((rc = design_from_json(conn, pl->parameters, &pl->design, &pl->by_type, err)) != 0)
		plan_row_free(pl);
	return rc;
}

/* ---- the population of a run ------------------------------------------ */

/*
 * The plan's population for a period, in assessment_ref byte order.  One
 * query for every method: the stratum label is "all" unless stratified,
 * and the weight is computed (and the screenings read) only for risk.
 *
 * The plan's own settings come in as parameters rather than by joining the
 * plan: the planner can then estimate how many assessments match, and
 * scans and hashes instead of looping over an index a million times.  The
 * people to leave out are found once, not once per assessment.
 */
static const char population_sql[] =
	"DECLARE population NO SCROLL CURSOR FOR"
	" WITH excluded AS MATERIALIZED (SELECT x.person_ref FROM audits au"
	"     JOIN sampling_runs r ON r.id = au.run_id"
	"     JOIN assessments x ON x.id = au.assessment_id"
	"     WHERE au.status <> 'cancelled'"
	"       AND r.id IS DISTINCT FROM $3::bigint AND r.period_start <= $2::date"
	"       AND r.period_end > $2::date - make_interval(months => $8::int))"
	" SELECT a.id, a.assessment_ref,"
	"   CASE WHEN $5 <> 'stratified' THEN 'all'"
	"        WHEN $4::boolean THEN o.name || ' / ' || a.assessment_type ELSE o.name END,"
	"   CASE WHEN $5 = 'stratified' THEN a.provider_id END,"
	"   CASE WHEN $5 = 'stratified' AND $4::boolean THEN a.assessment_type END,"
	"   CASE WHEN $5 = 'risk' THEN " WEIGHT_SQL " END"
	" FROM assessments a JOIN organisations o ON o.id = a.provider_id"
	" LEFT JOIN screenings cs ON $5 = 'risk' AND cs.assessment_id = a.id"
	"   AND cs.assessment_revision = a.revision"
	"   AND cs.rule_set_id = (SELECT rule_set_id FROM screening_rules_current)"
	" WHERE a.assessment_type = ANY ($6::text[])"
	"   AND ($9::bigint[] IS NULL OR a.provider_id = ANY ($9::bigint[]))"
	"   AND ((a.completed_on BETWEEN $1::date AND $2::date)"
	"     OR ($7::int IS NOT NULL AND a.requested_on <= $2::date - $7::int"
	"         AND (a.completed_on IS NULL OR a.completed_on > $2::date)))"
	"   AND NOT EXISTS (SELECT 1 FROM excluded e WHERE e.person_ref = a.person_ref)"
	" ORDER BY a.assessment_ref COLLATE \"C\"";

static int
plan_population(PGconn *conn, const plan_row *pl, const char *first, const char *last,
    const char *exclude_run, population *pop, ca_err *err)
{
	static const char *const methods[] = { "random", "stratified", "risk" };
	char id[24];
	const char *p[9] = { first, last, exclude_run, pl->by_type ? "t" : "f",
	    methods[pl->design.method] };
	PGresult *res;
	int rc;

	snprintf(id, sizeof id, "%lld", pl->id);
	res = ca_db_query(conn, err, "reading the plan",
	    "SELECT p.assessment_types::text, p.waiting_days::text, p.exclusion_months::text,"
	    "  (SELECT array_agg(organisation_id)::text FROM sampling_plan_providers pp"
	    "   WHERE pp.plan_id = p.id) FROM sampling_plans p WHERE p.id = $1", 1,
	    (const char *const[]){ id });
	if (res == NULL)
		return err->code;
	for (int c = 0; c < 4; c++)
		p[5 + c] = PQgetisnull(res, 0, c) ? NULL : PQgetvalue(res, 0, c);
	rc = read_population(conn, population_sql, 9, p, pop, err);
	PQclear(res);
	return rc;
}

/* Neyman's S_h for each stratum from earlier graded audits (sample.h). */
static int
stratum_variability(PGconn *conn, population *pop, const char *first, ca_err *err)
{
	for (size_t h = 0; h < pop->H; h++) {
		stratum *s = &pop->strata[h];
		const char *p[3] = { first, s->provider_id, s->type };
		PGresult *res;
		long graded, good;

		res = ca_db_query(conn, err, "reading earlier audit results",
		    "SELECT count(*), count(*) FILTER (WHERE au.grade IN ('good', 'outstanding'))"
		    " FROM audits au JOIN sampling_runs r ON r.id = au.run_id"
		    " JOIN assessments a ON a.id = au.assessment_id"
		    " WHERE au.grade IS NOT NULL AND r.period_end < $1::date"
		    "   AND a.provider_id = $2::bigint"
		    "   AND ($3::text IS NULL OR a.assessment_type = $3::text)", 3, p);
		if (res == NULL)
			return err->code;
		graded = atol(PQgetvalue(res, 0, 0));
		good = atol(PQgetvalue(res, 0, 1));
		PQclear(res);
		if (graded >= NEYMAN_MIN_GRADED) {
			double q = (double)good / (double)graded;

			s->variability = sqrt(q * (1.0 - q));
		}
	}
	return 0;
}

/* The ids as a PostgreSQL array literal; with `only`, those in stratum h. */
static void
array_ids(ca_strbuf *b, const long long *v, size_t n, const int *only, int h)
{
	int first = 1;

	ca_strbuf_reset(b);
	ca_strbuf_adds(b, "{");
	for (size_t i = 0; i < n; i++) {
		if (only != NULL && only[i] != h)
			continue;
		ca_strbuf_addf(b, first ? "%lld" : ",%lld", v[i]);
		first = 0;
	}
	ca_strbuf_adds(b, "}");
}

static void
array_doubles(ca_strbuf *b, const double *v, size_t n)
{
	ca_strbuf_reset(b);
	ca_strbuf_adds(b, "{");
	for (size_t i = 0; i < n; i++)
		ca_strbuf_addf(b, i ? ",%.17g" : "%.17g", v[i]);
	ca_strbuf_adds(b, "}");
}

/* Each stratum: its members, weights (risk), size and allocation. */
static int
record_strata(PGconn *conn, const char *run, const plan_row *pl, const population *pop,
    const ca_selection *sel, ca_err *err)
{
	ca_strbuf members, weights;
	int rc = 0;

	ca_strbuf_init(&members);
	ca_strbuf_init(&weights);
	for (size_t h = 0; h < pop->H && rc == 0; h++) {
		const stratum *s = &pop->strata[h];
		char num[4][32];
		const char *p[10];

		array_ids(&members, pop->id, pop->N, pop->H > 1 ? pop->stratum : NULL, (int)h);
		if (pl->design.method == CA_METHOD_RISK)
			array_doubles(&weights, pop->weight, pop->N);
		if (ca_strbuf_failed(&members) || ca_strbuf_failed(&weights)) {
			rc = ca_err_set(err, CA_EX_SOFTWARE, "recording the population: out of memory");
			break;
		}
		snprintf(num[0], sizeof num[0], "%zu", h);
		snprintf(num[1], sizeof num[1], "%ld", s->size);
		snprintf(num[2], sizeof num[2], "%ld", sel->allocation[h]);
		snprintf(num[3], sizeof num[3], "%.17g", s->variability);
		p[0] = run; p[1] = num[0]; p[2] = s->label; p[3] = s->provider_id; p[4] = s->type;
		p[5] = num[1]; p[6] = num[2];
		p[7] = pl->design.method == CA_METHOD_STRATIFIED && pl->design.neyman ? num[3] : NULL;
		p[8] = members.data;
		p[9] = pl->design.method == CA_METHOD_RISK ? weights.data : NULL;
		rc = ca_db_exec(conn, err, "recording the population",
		    "INSERT INTO sampling_run_strata (run_id, stratum, label, provider_id,"
		    "  assessment_type, population, allocation, variability, members, weights)"
		    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::bigint[], $10::float8[])", 10, p);
	}
	ca_strbuf_free(&members);
	ca_strbuf_free(&weights);
	return rc;
}

/* The selected cases, and an unassigned audit for each. */
static int
record_selection(PGconn *conn, const char *run, const plan_row *pl, const char *due,
    const population *pop, const ca_selection *sel, ca_err *err)
{
	ca_strbuf ids, strata, parts, probs;
	int rc;

	ca_strbuf_init(&ids);
	ca_strbuf_init(&strata);
	ca_strbuf_init(&parts);
	ca_strbuf_init(&probs);
	ca_strbuf_adds(&ids, "{");
	ca_strbuf_adds(&strata, "{");
	ca_strbuf_adds(&parts, "{");
	ca_strbuf_adds(&probs, "{");
	for (size_t i = 0; i < sel->n; i++) {
		const char *sep = i ? "," : "";

		ca_strbuf_addf(&ids, "%s%lld", sep, pop->id[sel->unit[i]]);
		ca_strbuf_addf(&strata, "%s%d", sep, pop->H > 1 ? pop->stratum[sel->unit[i]] : 0);
		ca_strbuf_addf(&parts, "%s%s", sep, ca_part_names[sel->part[i]]);
		ca_strbuf_addf(&probs, "%s%.17g", sep, sel->probability[i]);
	}
	ca_strbuf_adds(&ids, "}");
	ca_strbuf_adds(&strata, "}");
	ca_strbuf_adds(&parts, "}");
	ca_strbuf_adds(&probs, "}");
	if (ca_strbuf_failed(&ids) || ca_strbuf_failed(&strata) || ca_strbuf_failed(&parts) ||
	    ca_strbuf_failed(&probs)) {
		rc = ca_err_set(err, CA_EX_SOFTWARE, "recording the sample: out of memory");
	} else {
		const char *p[7] = { run, ids.data, strata.data, parts.data, probs.data,
		    pl->form_version_id, due };

		rc = ca_db_exec(conn, err, "recording the sample",
		    "WITH m AS (INSERT INTO sampling_run_members (run_id, assessment_id, stratum,"
		    "  part, inclusion_probability)"
		    " SELECT $1, * FROM unnest($2::bigint[], $3::int[], $4::text[], $5::float8[])"
		    " RETURNING assessment_id)"
		    " INSERT INTO audits (run_id, assessment_id, form_version_id, due_on,"
		    "  unassigned_reason)"
		    " SELECT $1, assessment_id, $6, $7::date, 'waiting to be assigned' FROM m", 7, p);
	}
	ca_strbuf_free(&ids);
	ca_strbuf_free(&strata);
	ca_strbuf_free(&parts);
	ca_strbuf_free(&probs);
	return rc;
}

int
ca_sample_system_seed(uint64_t *seed, ca_err *err)
{
	if (getrandom(seed, sizeof *seed, 0) != (ssize_t)sizeof *seed)
		return ca_err_set(err, CA_EX_SOFTWARE, "drawing a seed from the operating system "
		    "failed");
	return 0;
}

/* The run's dates: the period's bounds and today, checked against the
 * plan. */
static int
run_dates(PGconn *conn, const ca_sample_request *rq, const plan_row *pl, char *first,
    char *last, char *today, ca_err *err)
{
	ca_period per;

	if (ca_period_parse(rq->period, &per) != 0)
		return ca_err_set(err, CA_EX_DATAERR, "'%s' is not a period: write a month as "
		    "YYYY-MM or a quarter as YYYY-Qn", rq->period);
	if ((per.months == 3) != (strcmp(pl->every, "quarter") == 0))
		return ca_err_set(err, CA_EX_DATAERR, "plan '%s' samples every %s; %s is a %s",
		    pl->name, pl->every, rq->period, per.months == 3 ? "quarter" : "month");
	ca_period_bounds(&per, first, last);
	if (rq->today != NULL) {
		snprintf(today, 11, "%s", rq->today);
	} else {
		PGresult *res = ca_db_query(conn, err, "reading today's date",
		    "SELECT to_char(current_date, 'YYYY-MM-DD')", 0, NULL);

		if (res == NULL)
			return err->code;
		snprintf(today, 11, "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	if (!ca_period_ended(&per, today)) {
		char uk[11];

		ca_date_uk(last, uk);
		return ca_err_set(err, CA_EX_DATAERR, "period %s has not ended yet (its last day "
		    "is %s): a sample is drawn once the period's work is all in", rq->period, uk);
	}
	return 0;
}

/* The run already drawn for the plan and period, if any: its id in run
 * (empty when none) and whether any of its audits has started.  An audit
 * that has an action or a safeguarding escalation has work on it even
 * while only assigned, and those rows would stop its deletion. */
static int
existing_run(PGconn *conn, const plan_row *pl, const char *period, char *run,
    ca_sample_outcome *out, long long *started, ca_err *err)
{
	char id[24];
	const char *p[2] = { id, period };
	PGresult *res;

	snprintf(id, sizeof id, "%lld", pl->id);
	res = ca_db_query(conn, err, "looking for the run",
	    "SELECT r.id, r.population_size, r.sample_size,"
	    "  (SELECT count(*) FROM audits au WHERE au.run_id = r.id"
	    "     AND au.status = 'unassigned'),"
	    "  (SELECT min(au.id) FROM audits au WHERE au.run_id = r.id"
	    "     AND (au.status NOT IN ('unassigned', 'assigned')"
	    "       OR EXISTS (SELECT 1 FROM actions x WHERE x.audit_id = au.id)"
	    "       OR EXISTS (SELECT 1 FROM escalations e WHERE e.audit_id = au.id))),"
	    "  (SELECT count(*) FROM sampling_run_targeted t WHERE t.run_id = r.id)"
	    " FROM sampling_runs r WHERE r.plan_id = $1 AND r.period = $2 FOR UPDATE", 2, p);
	if (res == NULL)
		return err->code;
	run[0] = '\0';
	*started = 0;
	if (PQntuples(res) > 0) {
		snprintf(run, 24, "%s", PQgetvalue(res, 0, 0));
		out->run_id = strtoll(run, NULL, 10);
		out->population = atol(PQgetvalue(res, 0, 1));
		out->sample = atol(PQgetvalue(res, 0, 2));
		out->unassigned = atol(PQgetvalue(res, 0, 3));
		if (!PQgetisnull(res, 0, 4))
			*started = strtoll(PQgetvalue(res, 0, 4), NULL, 10);
		out->targeted = atol(PQgetvalue(res, 0, 5));
	}
	PQclear(res);
	return 0;
}

/* Before a redraw: keep the old draw in the trail, then clear it.  The
 * audits go (none has started), and with them any reminders already sent;
 * those stay in the trail as audit.reminded events. */
static int
clear_for_redraw(PGconn *conn, const char *run, const char *actor, ca_err *err)
{
	const char *p[2] = { run, actor };

	return ca_db_exec(conn, err, "clearing the run for a redraw",
	    "WITH old AS (SELECT r.id, jsonb_build_object('draw', r.draw, 'seed', r.seed::text,"
	    "    'seed_source', r.seed_source, 'population_size', r.population_size,"
	    "    'population_sha256', r.population_sha256, 'sample_size', r.sample_size,"
	    "    'selected', (SELECT coalesce(jsonb_agg(a.assessment_ref ORDER BY"
	    "       a.assessment_ref COLLATE \"C\"), '[]') FROM sampling_run_members m"
	    "       JOIN assessments a ON a.id = m.assessment_id WHERE m.run_id = r.id)) AS draw"
	    "  FROM sampling_runs r WHERE r.id = $1),"
	    " ev AS (INSERT INTO events (actor, action, entity, entity_id, before)"
	    "  SELECT $2, 'sample.redraw', 'sampling_run', id::text, draw FROM old),"
	    " rem AS (DELETE FROM reminders WHERE audit_id IN"
	    "  (SELECT id FROM audits WHERE run_id = $1)),"
	    " aud AS (DELETE FROM audits WHERE run_id = $1)"
	    " DELETE FROM sampling_run_strata WHERE run_id = $1", 2, p);
}

/* Insert the run (or, for a redraw, replace its draw); run receives its
 * id. */
static int
record_run(PGconn *conn, const ca_sample_request *rq, const plan_row *pl, const char *first,
    const char *last, const char *today, uint64_t seed, const population *pop,
    const ca_selection *sel, char *run, ca_err *err)
{
	char plan[24], seedtext[24], size[24], n[24];
	const char *p[14];
	PGresult *res;

	snprintf(plan, sizeof plan, "%lld", pl->id);
	snprintf(seedtext, sizeof seedtext, "%" PRIu64, seed);
	snprintf(size, sizeof size, "%zu", pop->N);
	snprintf(n, sizeof n, "%zu", sel->n);
	p[0] = plan; p[1] = rq->period; p[2] = first; p[3] = last;
	p[4] = pl->design.method == CA_METHOD_RANDOM ? "random" :
	    pl->design.method == CA_METHOD_STRATIFIED ? "stratified" : "risk";
	p[5] = pl->parameters; p[6] = seedtext; p[7] = rq->have_seed ? "given" : "system";
	p[8] = size; p[9] = pop->sha256; p[10] = n; p[11] = pl->form_version_id;
	p[12] = today; p[13] = rq->actor;
	if (run[0] == '\0')
		res = ca_db_query(conn, err, "recording the run",
		    "INSERT INTO sampling_runs (plan_id, period, period_start, period_end, method,"
		    "  parameters, seed, seed_source, population_size, population_sha256,"
		    "  sample_size, form_version_id, run_on, created_by)"
		    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
		    " RETURNING id", 14, p);
	else {
		p[0] = run;
		res = ca_db_query(conn, err, "recording the redraw",
		    "UPDATE sampling_runs SET method = $5, parameters = $6, seed = $7,"
		    "  seed_source = $8, population_size = $9, population_sha256 = $10,"
		    "  sample_size = $11, form_version_id = $12, run_on = $13, created_by = $14,"
		    "  draw = draw + 1, created_at = now()"
		    " WHERE id = $1 AND period = $2 AND period_start = $3 AND period_end = $4"
		    " RETURNING id", 14, p);
	}
	if (res == NULL)
		return err->code;
	snprintf(run, 24, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int
record_event(PGconn *conn, const char *run, const char *actor, ca_err *err)
{
	const char *p[2] = { run, actor };

	return ca_db_exec(conn, err, "recording the run in the trail",
	    "INSERT INTO events (actor, action, entity, entity_id, after)"
	    " SELECT $2, CASE WHEN r.draw = 1 THEN 'sample.drawn' ELSE 'sample.redrawn' END,"
	    "  'sampling_run', r.id::text, jsonb_build_object('plan', p.name, 'period', r.period,"
	    "  'draw', r.draw, 'method', r.method, 'seed', r.seed::text,"
	    "  'seed_source', r.seed_source, 'population_size', r.population_size,"
	    "  'population_sha256', r.population_sha256, 'sample_size', r.sample_size,"
	    "  'targeted', (SELECT count(*) FROM sampling_run_targeted t WHERE t.run_id = r.id))"
	    " FROM sampling_runs r JOIN sampling_plans p ON p.id = r.plan_id WHERE r.id = $1",
	    2, p);
}

int
ca_sample_run(PGconn *conn, const ca_sample_request *rq, ca_sample_outcome *out,
    ca_err *err)
{
	char first[11], last[11], today[11], due[11], run[24];
	population pop = { 0 };
	ca_selection sel = { 0 };
	plan_row pl;
	long long started = 0;
	uint64_t seed = rq->seed;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = load_plan(conn, rq->plan_id, &pl, err)) != 0)
		return rc;
	if ((rc = run_dates(conn, rq, &pl, first, last, today, err)) != 0 ||
	    (rc = existing_run(conn, &pl, rq->period, run, out, &started, err)) != 0)
		goto done;
	if (run[0] != '\0' && !rq->redraw) {
		out->existed = 1;
		goto done;
	}
	if (run[0] == '\0' && pl.paused) {
		if (rq->scheduled)
			out->skipped = 1;
		else
			rc = ca_err_set(err, CA_EX_DATAERR, "plan '%s' is paused; resume it with "
			    "`caseaudit plan resume %s` to sample it", pl.name, pl.name);
		goto done;
	}
	if (run[0] != '\0') {
		if (started != 0) {
			rc = ca_err_set(err, CA_EX_DATAERR, "run %s cannot be redrawn: audit %lld "
			    "has started, and a sample is redrawn only before any work on it",
			    run, started);
			goto done;
		}
		if ((rc = ca_reaudit_release(conn, run, rq->actor, err)) != 0 ||
		    (rc = clear_for_redraw(conn, run, rq->actor, err)) != 0)
			goto done;
	}
	if (!rq->have_seed && (rc = ca_sample_system_seed(&seed, err)) != 0)
		goto done;
	if ((rc = plan_population(conn, &pl, first, last, run[0] ? run : NULL, &pop, err)) != 0)
		goto done;
	if (pl.design.method == CA_METHOD_STRATIFIED && pl.design.neyman &&
	    (rc = stratum_variability(conn, &pop, first, err)) != 0)
		goto done;
	if (pop.H == 0 && stratum_index(&pop, "all", NULL, NULL) < 0) {
		rc = ca_err_set(err, CA_EX_SOFTWARE, "drawing the sample: out of memory");
		goto done;
	}
	if ((rc = draw_population(&pl.design, &pop, seed, &sel, err)) != 0)
		goto done;
	ca_date_add_days(today, pl.due_days, due);
	if ((rc = record_run(conn, rq, &pl, first, last, today, seed, &pop, &sel, run, err)) != 0 ||
	    (rc = record_strata(conn, run, &pl, &pop, &sel, err)) != 0 ||
	    (rc = record_selection(conn, run, &pl, due, &pop, &sel, err)) != 0 ||
	    (rc = ca_reaudit_fulfil(conn, run, due, rq->actor, &out->targeted, err)) != 0 ||
	    (rc = record_event(conn, run, rq->actor, err)) != 0)
		goto done;
	out->run_id = strtoll(run, NULL, 10);
	out->population = (long)pop.N;
	out->sample = (long)sel.n;
	rc = ca_assign_pending(conn, out->run_id, rq->actor, &out->assigned, &out->unassigned, err);
done:
	ca_selection_free(&sel);
	population_free(&pop);
	plan_row_free(&pl);
	return rc;
}

/* ---- verification ------------------------------------------------------ */

typedef struct recorded {
	long long id;
	char *ref;
	int part;
	double probability;
	int matched;
} recorded;

static int
cmp_recorded(const void *a, const void *b)
{
	long long x = ((const recorded *)a)->id, y = ((const recorded *)b)->id;

	return x < y ? -1 : x > y;
}

static int
part_code(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(ca_part_names[i], s) == 0)
			return i;
	return -1;
}

/* The run's recorded selection, sorted by assessment id. */
static int
load_recorded(PGconn *conn, const char *run, recorded **rec, size_t *n, ca_err *err)
{
	const char *p[1] = { run };
	PGresult *res;

	res = ca_db_query(conn, err, "reading the recorded sample",
	    "SELECT m.assessment_id, a.assessment_ref, m.part, m.inclusion_probability"
	    " FROM sampling_run_members m JOIN assessments a ON a.id = m.assessment_id"
	    " WHERE m.run_id = $1", 1, p);
	if (res == NULL)
		return err->code;
	*n = (size_t)PQntuples(res);
	*rec = calloc(*n + 1, sizeof **rec);
	for (size_t i = 0; *rec != NULL && i < *n; i++) {
		(*rec)[i].id = strtoll(PQgetvalue(res, (int)i, 0), NULL, 10);
		(*rec)[i].ref = strdup(PQgetvalue(res, (int)i, 1));
		(*rec)[i].part = part_code(PQgetvalue(res, (int)i, 2));
		(*rec)[i].probability = strtod(PQgetvalue(res, (int)i, 3), NULL);
	}
	PQclear(res);
	if (*rec == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "reading the recorded sample: out of memory");
	qsort(*rec, *n, sizeof **rec, cmp_recorded);
	return 0;
}

static void
recorded_free(recorded *rec, size_t n)
{
	for (size_t i = 0; rec != NULL && i < n; i++)
		free(rec[i].ref);
	free(rec);
}

/* Compare the redraw with the record, line by line into diff. */
static int
compare_selection(PGconn *conn, const char *run, const population *pop,
    const ca_selection *sel, FILE *diff, ca_err *err)
{
	recorded *rec = NULL, key, *hit;
	size_t n = 0;
	int differ = 0, rc;

	if ((rc = load_recorded(conn, run, &rec, &n, err)) != 0)
		return -rc;
	for (size_t i = 0; i < sel->n; i++) {
		key.id = pop->id[sel->unit[i]];
		hit = bsearch(&key, rec, n, sizeof *rec, cmp_recorded);
		if (hit == NULL) {
			char idtext[24];
			const char *p[1] = { idtext };
			PGresult *res;

			snprintf(idtext, sizeof idtext, "%lld", key.id);
			res = ca_db_query(conn, err, "reading a reference",
			    "SELECT assessment_ref FROM assessments WHERE id = $1", 1, p);
			fprintf(diff, "redrawn but not in the recorded sample: %s\n",
			    res != NULL && PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : idtext);
			PQclear(res);
			differ = 1;
			continue;
		}
		hit->matched = 1;
		if (hit->part != sel->part[i]) {
			fprintf(diff, "%s: recorded as %s, redrawn as %s\n", hit->ref,
			    hit->part >= 0 ? ca_part_names[hit->part] : "?",
			    ca_part_names[sel->part[i]]);
			differ = 1;
		}
		if (fabs(hit->probability - sel->probability[i]) > 1e-12) {
			fprintf(diff, "%s: inclusion probability recorded %.17g, redrawn %.17g\n",
			    hit->ref, hit->probability, sel->probability[i]);
			differ = 1;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!rec[i].matched) {
			fprintf(diff, "in the recorded sample but not redrawn: %s\n", rec[i].ref);
			differ = 1;
		}
	recorded_free(rec, n);
	return differ;
}

int
ca_sample_verify(PGconn *conn, long long run_id, int *same, FILE *diff, ca_err *err)
{
	char run[24], sha[CA_SHA256_HEX_LEN + 1];
	const char *p[1] = { run };
	population pop = { 0 };
	ca_selection sel = { 0 };
	ca_design d;
	PGresult *res;
	long *alloc = NULL;
	long recorded_size;
	uint64_t seed;
	int by_type, rc, differ = 0;

	*same = 0;
	snprintf(run, sizeof run, "%lld", run_id);
	if ((rc = ca_db_begin(conn, err)) != 0)
		return rc;
	res = ca_db_query(conn, err, "reading the run",
	    "SELECT parameters::text, seed::text, population_sha256, population_size"
	    " FROM sampling_runs WHERE id = $1", 1, p);
	if (res == NULL) {
		rc = err->code;
		goto done;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		rc = ca_err_set(err, CA_EX_DATAERR, "there is no sampling run %lld "
		    "(`caseaudit plan show NAME` lists a plan's runs)", run_id);
		goto done;
	}
	rc = design_from_json(conn, PQgetvalue(res, 0, 0), &d, &by_type, err);
	seed = strtoull(PQgetvalue(res, 0, 1), NULL, 10);
	snprintf(sha, sizeof sha, "%s", PQgetvalue(res, 0, 2));
	recorded_size = atol(PQgetvalue(res, 0, 3));
	PQclear(res);
	if (rc != 0)
		goto done;
	/* The recorded members, in assessment_ref order again: the stored
	 * order is not trusted, only the set and each member's stratum. */
	rc = read_population(conn,
	    "DECLARE population NO SCROLL CURSOR FOR"
	    " SELECT m.id, a.assessment_ref, s.label, s.provider_id, s.assessment_type, m.w"
	    " FROM sampling_run_strata s"
	    " CROSS JOIN LATERAL unnest(s.members, s.weights) AS m(id, w)"
	    " JOIN assessments a ON a.id = m.id"
	    " WHERE s.run_id = $1 ORDER BY a.assessment_ref COLLATE \"C\"", 1, p, &pop, err);
	if (rc != 0)
		goto done;
	if (strcmp(pop.sha256, sha) != 0) {
		fprintf(diff, "population digest differs: recorded %s, the recorded members give "
		    "%s\n", sha, pop.sha256);
		differ = 1;
	}
	if ((long)pop.N != recorded_size) {
		fprintf(diff, "population size differs: recorded %ld, the recorded members number "
		    "%zu\n", recorded_size, pop.N);
		differ = 1;
	}
	res = ca_db_query(conn, err, "reading the strata",
	    "SELECT label, allocation, variability FROM sampling_run_strata"
	    " WHERE run_id = $1 ORDER BY stratum", 1, p);
	if (res == NULL) {
		rc = err->code;
		goto done;
	}
	if (pop.H == 0)
		stratum_index(&pop, "all", NULL, NULL);
	alloc = calloc(pop.H + 1, sizeof *alloc);
	if (alloc == NULL) {
		PQclear(res);
		rc = ca_err_set(err, CA_EX_SOFTWARE, "verifying: out of memory");
		goto done;
	}
	/* The recorded allocation to compare with, and the recorded
	 * variability to draw with. */
	for (size_t h = 0; h < pop.H; h++) {
		alloc[h] = -1;
		for (int r = 0; r < PQntuples(res); r++)
			if (strcmp(PQgetvalue(res, r, 0), pop.strata[h].label) == 0) {
				alloc[h] = atol(PQgetvalue(res, r, 1));
				if (!PQgetisnull(res, r, 2))
					pop.strata[h].variability = strtod(PQgetvalue(res, r, 2), NULL);
			}
	}
	PQclear(res);
	if ((rc = draw_population(&d, &pop, seed, &sel, err)) != 0)
		goto done;
	for (size_t h = 0; h < pop.H; h++)
		if (alloc[h] != sel.allocation[h]) {
			fprintf(diff, "stratum %s: allocation recorded %ld, redrawn %ld\n",
			    pop.strata[h].label, alloc[h], sel.allocation[h]);
			differ = 1;
		}
	rc = compare_selection(conn, run, &pop, &sel, diff, err);
	if (rc < 0) {
		rc = -rc;
		goto done;
	}
	differ |= rc;
	rc = 0;
	*same = !differ;
done:
	ca_db_rollback(conn);
	free(alloc);
	ca_selection_free(&sel);
	population_free(&pop);
	return rc;
}
