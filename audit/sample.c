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
#include <time.h>

#include "assign.h"
#include "binary.h"
#include "db.h"
#include "date.h"
#include "design.h"
#include "period.h"
#include "reaudit.h"
#include "sha256.h"
#include "strbuf.h"

/* Rows fetched from a cursor at a time.  Small batches keep both sides
 * busy (FETCH_AHEAD): at 20,000 rows a million took a fifth longer. */
#define FETCH_ROWS "5000"

/* Risk weights and Neyman variability: see sample.h, which documents the
 * same numbers.  The population query gives 1 + priority + wait; the
 * screening flags are added as they are read (add_screening_flags). */
#define BASE_WEIGHT_SQL \
	"1 + CASE a.priority WHEN 'urgent' THEN 2 WHEN 'high' THEN 1 ELSE 0 END" \
	" + CASE WHEN least(coalesce(a.completed_on, $2::date), $2::date) - a.requested_on > 182" \
	"   THEN 2 WHEN least(coalesce(a.completed_on, $2::date), $2::date) - a.requested_on > 91" \
	"   THEN 1 ELSE 0 END"
#define NEYMAN_MIN_GRADED 10

typedef struct stratum {
	long long group;       /* as read: the provider (a run) or recorded stratum (verify) */
	char *type;            /* NULL unless strata by provider and type */
	char *label;
	char *provider_id;     /* text; NULL unless strata by provider */
	long size;
	double variability;
} stratum;

typedef struct population {
	size_t N, cap;
	long long *id;
	int *stratum;
	double *weight;
	int *revision;         /* risk runs, to match screenings; else NULL */
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

/* Where a run spends its time (--verbose): wall clock and this process's
 * CPU per step, so that the server's share is the difference. */
typedef struct steps {
	FILE *log;
	struct timespec wall, cpu;
} steps;

static double
seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void
step_done(steps *s, const char *step)
{
	struct timespec wall, cpu;

	if (s->log == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &wall);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	if (step != NULL)
		fprintf(s->log, "sample step=%s seconds=%.3f cpu=%.3f\n", step,
		    seconds_between(&s->wall, &wall), seconds_between(&s->cpu, &cpu));
	s->wall = wall;
	s->cpu = cpu;
}

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
	free(p->revision);
	memset(p, 0, sizeof *p);
}

static int
population_grow(population *p, int with_revision)
{
	size_t cap = p->cap ? p->cap * 2 : 65536;
	long long *id = realloc(p->id, cap * sizeof *id);
	int *st, *rev;
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
	if (with_revision) {
		if ((rev = realloc(p->revision, cap * sizeof *rev)) == NULL)
			return -1;
		p->revision = rev;
	}
	p->cap = cap;
	return 0;
}

static int
same_type(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/* The stratum of (group, type), added when new; labelled later
 * (stratum_label).  Strata are few (partners, perhaps times three types):
 * a linear search costs less than hashing. */
static int
stratum_for(population *p, long long group, const char *type)
{
	for (size_t h = p->H; h-- > 0;)
		if (p->strata[h].group == group && same_type(p->strata[h].type, type))
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
	p->strata[p->H].group = group;
	p->strata[p->H].variability = 0.5;
	if (type != NULL && (p->strata[p->H].type = strdup(type)) == NULL)
		return -1;
	return (int)p->H++;
}

/* Give a stratum its label (and provider, as text, when it has one). */
static int
stratum_label(stratum *s, const char *label, const char *provider_id)
{
	free(s->label);
	free(s->provider_id);
	s->label = strdup(label);
	s->provider_id = provider_id != NULL ? strdup(provider_id) : NULL;
	return s->label == NULL || (provider_id != NULL && s->provider_id == NULL) ? -1 : 0;
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

/* Ready to draw: an empty population still has its one stratum, "all";
 * strata in label order. */
static int
population_ready(population *p)
{
	if (p->H == 0 && (stratum_for(p, 0, NULL) < 0 ||
	    stratum_label(&p->strata[0], "all", NULL) != 0))
		return -1;
	return population_order_strata(p);
}

/* ---- reading cursors in binary ---------------------------------------- */

typedef int (*row_fn)(void *ctx, const PGresult *res, int r, ca_err *err);

/* Whether res has the columns expected: a query and its reader must
 * agree on binary types, or numbers would be read as garbage. */
static int
check_columns(const PGresult *res, const unsigned *types, int ntypes, const char *what,
    ca_err *err)
{
	if (PQnfields(res) != ntypes)
		return ca_err_set(err, CA_EX_SOFTWARE, "%s: %d columns, not %d", what,
		    PQnfields(res), ntypes);
	for (int c = 0; c < ntypes; c++)
		if (PQftype(res, c) != types[c])
			return ca_err_set(err, CA_EX_SOFTWARE, "%s: column %d has type %u, not %u",
			    what, c + 1, PQftype(res, c), types[c]);
	return 0;
}

/* FETCHes kept in flight (pipeline mode): the server reads the next batch
 * while this process takes in the last, rather than each waiting for the
 * other. */
#define FETCH_AHEAD 2

/* Leave pipeline mode after fetch_cursor, whatever happened: read what is
 * still on its way up to the sync point. */
static int
fetch_finish(PGconn *conn, const char *what, int rc, ca_err *err)
{
	PGresult *res;

	if (PQpipelineSync(conn) != 1) {
		if (rc == 0)
			rc = ca_db_fail(conn, NULL, err, what);
		return rc;
	}
	for (;;) {
		res = PQgetResult(conn);
		if (res == NULL) {
			if (PQstatus(conn) == CONNECTION_BAD)
				break;
			continue;
		}
		if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		if (rc == 0 && PQresultStatus(res) == PGRES_FATAL_ERROR)
			rc = ca_db_fail(conn, res, err, what);
		PQclear(res);
	}
	if (PQexitPipelineMode(conn) != 1 && rc == 0)
		rc = ca_db_fail(conn, NULL, err, what);
	return rc;
}

/*
 * Run `declare` (DECLARE name NO SCROLL CURSOR FOR ...) and hand each of
 * its rows to row, fetched in binary FETCH_ROWS at a time: no number goes
 * through text, and a million rows never sit in one result.  Must run
 * inside a transaction.
 */
static int
fetch_cursor(PGconn *conn, const char *what, const char *name, const char *declare,
    int nparams, const char *const *params, const unsigned *types, int ntypes, row_fn row,
    void *ctx, ca_err *err)
{
	char fetch[64], close[64];
	PGresult *res;
	int rc = 0, sent = 0, received = 0, end = 0;

	snprintf(fetch, sizeof fetch, "FETCH " FETCH_ROWS " FROM %s", name);
	snprintf(close, sizeof close, "CLOSE %s", name);
	if ((res = ca_db_query(conn, err, what, declare, nparams, params)) == NULL)
		return err->code;
	PQclear(res);
	if (PQenterPipelineMode(conn) != 1)
		return ca_db_fail(conn, NULL, err, what);
	while (rc == 0 && !end) {
		for (; sent - received < FETCH_AHEAD; sent++)
			if (PQsendQueryParams(conn, fetch, 0, NULL, NULL, NULL, NULL, 1) != 1 ||
			    PQsendFlushRequest(conn) != 1)
				break;
		if (sent - received < FETCH_AHEAD || PQflush(conn) != 0) {
			rc = ca_db_fail(conn, NULL, err, what);
			break;
		}
		res = PQgetResult(conn);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			rc = ca_db_fail(conn, res, err, what);
			PQclear(res);
			break;
		}
		rc = check_columns(res, types, ntypes, what, err);
		for (int r = 0; r < PQntuples(res) && rc == 0; r++)
			rc = row(ctx, res, r, err);
		end = PQntuples(res) == 0;
		PQclear(res);
		/* the end of this FETCH's results */
		if ((res = PQgetResult(conn)) != NULL) {
			PQclear(res);
			if (rc == 0)
				rc = ca_err_set(err, CA_EX_SOFTWARE, "%s: more than one result", what);
		}
		received++;
	}
	rc = fetch_finish(conn, what, rc, err);
	if (rc == 0)
		rc = ca_db_exec(conn, err, what, close, 0, NULL);
	return rc;
}

/* ---- the population --------------------------------------------------- */

/* A population row: id, assessment_ref, group (the stratum's provider or
 * recorded number; 0 when there is one stratum), assessment type or NULL,
 * weight or NULL, revision or NULL; in assessment_ref byte order. */
static const unsigned population_types[] = { CA_OID_INT8, CA_OID_TEXT, CA_OID_INT8,
	CA_OID_TEXT, CA_OID_FLOAT8, CA_OID_INT4 };

typedef struct population_reader {
	population *p;
	ca_sha256 sha;
	int with_revision;
} population_reader;

static int
population_row(void *ctx, const PGresult *res, int r, ca_err *err)
{
	population_reader *rd = ctx;
	population *p = rd->p;
	int h;

	if (p->N == p->cap && population_grow(p, rd->with_revision) != 0)
		return ca_err_set(err, CA_EX_SOFTWARE, "reading the population: out of memory");
	h = stratum_for(p, ca_bin_int8(PQgetvalue(res, r, 2)),
	    PQgetisnull(res, r, 3) ? NULL : PQgetvalue(res, r, 3));
	if (h < 0)
		return ca_err_set(err, CA_EX_SOFTWARE, "reading the population: out of memory");
	p->id[p->N] = ca_bin_int8(PQgetvalue(res, r, 0));
	p->stratum[p->N] = h;
	p->weight[p->N] = PQgetisnull(res, r, 4) ? 1.0 : ca_bin_float8(PQgetvalue(res, r, 4));
	if (rd->with_revision)
		p->revision[p->N] = PQgetisnull(res, r, 5) ? 0 : ca_bin_int4(PQgetvalue(res, r, 5));
	p->strata[h].size++;
	p->N++;
	ca_sha256_update(&rd->sha, PQgetvalue(res, r, 1), (size_t)PQgetlength(res, r, 1));
	ca_sha256_update(&rd->sha, "\n", 1);
	return 0;
}

/*
 * Read a population through the cursor `declare` declares (rows as
 * population_types), hashing the refs as they pass.  The strata are
 * grouped as read, not yet labelled or ordered.
 */
static int
read_population(PGconn *conn, const char *declare, int nparams, const char *const *params,
    int with_revision, population *p, ca_err *err)
{
	population_reader rd = { .p = p, .with_revision = with_revision };
	int rc;

	memset(p, 0, sizeof *p);
	/* Every row is wanted, not the first tenth a cursor plans for; a
	 * query run once gains nothing from JIT compilation (0.5 s of it);
	 * and the people to leave out are hashed in memory, never looked
	 * up row by row. */
	if (ca_db_exec_script(conn, err, "reading the population",
	    "SET LOCAL cursor_tuple_fraction = 1.0; SET LOCAL jit = off;"
	    " SET LOCAL work_mem = '256MB'") != 0)
		return err->code;
	if (ca_sha256_init(&rd.sha) != 0)
		return ca_err_set(err, CA_EX_SOFTWARE, "hashing the population: out of memory");
	rc = fetch_cursor(conn, "reading the population", "population", declare, nparams,
	    params, population_types, 6, population_row, &rd, err);
	ca_sha256_final_hex(&rd.sha, p->sha256);
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
 * The plan's population for a period, in assessment_ref byte order: one
 * query for every method, grouped by provider (and type) when stratified,
 * with the weight before screening flags for risk.
 *
 * The plan's own settings come in as parameters rather than by joining the
 * plan: the planner can then estimate how many assessments match.  When
 * the period covers most of the table, it reads the covering index of
 * 0008_sampling_at_scale, already in ref order: no sort, no heap.  Nothing
 * is joined, so that the order holds: the people to leave out are a hashed
 * subplan (NOT IN over a NOT NULL column means NOT EXISTS here), partner
 * names are added to the few strata afterwards, and screenings are read
 * apart (add_screening_flags).
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
	"   CASE WHEN $5 = 'stratified' THEN a.provider_id ELSE 0 END::bigint,"
	"   CASE WHEN $5 = 'stratified' AND $4::boolean THEN a.assessment_type END,"
	"   CASE WHEN $5 = 'risk' THEN (" BASE_WEIGHT_SQL ")::float8 END,"
	"   CASE WHEN $5 = 'risk' THEN a.revision END"
	" FROM assessments a"
	" WHERE a.assessment_type = ANY ($6::text[])"
	"   AND ($9::bigint[] IS NULL OR a.provider_id = ANY ($9::bigint[]))"
	"   AND ((a.completed_on BETWEEN $1::date AND $2::date)"
	"     OR ($7::int IS NOT NULL AND a.requested_on <= $2::date - $7::int"
	"         AND (a.completed_on IS NULL OR a.completed_on > $2::date)))"
	"   AND a.person_ref NOT IN (SELECT e.person_ref FROM excluded e)"
	" ORDER BY a.assessment_ref COLLATE \"C\"";

/* Label a run's strata: the partner's name, with " / type" when strata
 * are by provider and type; "all" when there is one stratum. */
static int
label_strata(PGconn *conn, const plan_row *pl, population *pop, ca_err *err)
{
	PGresult *res;
	int rc = 0;

	if (pl->design.method != CA_METHOD_STRATIFIED) {
		for (size_t h = 0; h < pop->H && rc == 0; h++)
			if (stratum_label(&pop->strata[h], "all", NULL) != 0)
				rc = ca_err_set(err, CA_EX_SOFTWARE, "reading the population: out of "
				    "memory");
		return rc;
	}
	res = ca_db_query(conn, err, "reading the partner organisations",
	    "SELECT id, name FROM organisations", 0, NULL);
	if (res == NULL)
		return err->code;
	for (size_t h = 0; h < pop->H && rc == 0; h++) {
		stratum *s = &pop->strata[h];
		char provider[24];
		ca_strbuf label;
		int r;

		snprintf(provider, sizeof provider, "%lld", s->group);
		for (r = 0; r < PQntuples(res); r++)
			if (strcmp(PQgetvalue(res, r, 0), provider) == 0)
				break;
		if (r == PQntuples(res)) {
			rc = ca_err_set(err, CA_EX_SOFTWARE, "reading the population: partner "
			    "organisation %s is missing", provider);
			break;
		}
		ca_strbuf_init(&label);
		ca_strbuf_adds(&label, PQgetvalue(res, r, 1));
		if (s->type != NULL)
			ca_strbuf_addf(&label, " / %s", s->type);
		if (ca_strbuf_failed(&label) || stratum_label(s, label.data, provider) != 0)
			rc = ca_err_set(err, CA_EX_SOFTWARE, "reading the population: out of memory");
		ca_strbuf_free(&label);
	}
	PQclear(res);
	return rc;
}

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
	rc = read_population(conn, population_sql, 9, p, pl->design.method == CA_METHOD_RISK,
	    pop, err);
	PQclear(res);
	if (rc == 0 && (rc = label_strata(conn, pl, pop, err)) != 0)
		population_free(pop);
	return rc;
}

/* ---- screening flags of a risk population ------------------------------ */

/* Where each assessment id sits in the population: open addressing over
 * the ids themselves, slots holding index + 1 (0: empty). */
typedef struct id_index {
	uint32_t *slot;
	size_t mask;
	int shift;
} id_index;

static size_t
id_slot(const id_index *x, long long id)
{
	return (size_t)(((uint64_t)id * UINT64_C(0x9E3779B97F4A7C15)) >> x->shift) & x->mask;
}

static int
id_index_build(id_index *x, const population *p)
{
	int bits = 4;

	while (bits < 31 && ((size_t)1 << bits) < 2 * p->N)
		bits++;
	x->mask = ((size_t)1 << bits) - 1;
	x->shift = 64 - bits;
	if ((x->slot = calloc(x->mask + 1, sizeof *x->slot)) == NULL)
		return -1;
	for (size_t i = 0; i < p->N; i++) {
		size_t s = id_slot(x, p->id[i]);

		while (x->slot[s] != 0)
			s = (s + 1) & x->mask;
		x->slot[s] = (uint32_t)(i + 1);
	}
	return 0;
}

/* The population index of id, or -1. */
static long
id_index_find(const id_index *x, const population *p, long long id)
{
	for (size_t s = id_slot(x, id); x->slot[s] != 0; s = (s + 1) & x->mask)
		if (p->id[x->slot[s] - 1] == id)
			return (long)(x->slot[s] - 1);
	return -1;
}

/*
 * The current rule set's screenings with a flag that weighs (any but
 * personal_data) in the population's range of ids: (id, revision screened,
 * flags that weigh).  A screening counts only for the revision it read,
 * as in the view current_screenings.  Reading them apart and matching in
 * memory keeps the population query free of joins, and so in order.
 */
static const char flags_sql[] =
	"DECLARE flags NO SCROLL CURSOR FOR"
	" SELECT s.assessment_id, s.assessment_revision,"
	"   cardinality(array_remove(s.flags, 'personal_data'))"
	" FROM screenings s"
	" WHERE s.rule_set_id = (SELECT rule_set_id FROM screening_rules_current)"
	"   AND s.assessment_id BETWEEN $1::bigint AND $2::bigint"
	"   AND NOT (s.flags <@ ARRAY['personal_data'])";

static const unsigned flags_types[] = { CA_OID_INT8, CA_OID_INT4, CA_OID_INT4 };

typedef struct flags_reader {
	population *p;
	id_index index;
} flags_reader;

static int
flags_row(void *ctx, const PGresult *res, int r, ca_err *err)
{
	flags_reader *rd = ctx;
	long i = id_index_find(&rd->index, rd->p, ca_bin_int8(PQgetvalue(res, r, 0)));

	(void)err;
	if (i >= 0 && rd->p->revision[i] == ca_bin_int4(PQgetvalue(res, r, 1)))
		rd->p->weight[i] += ca_bin_int4(PQgetvalue(res, r, 2));
	return 0;
}

/* Add each member's screening flags to its risk weight. */
static int
add_screening_flags(PGconn *conn, population *pop, ca_err *err)
{
	flags_reader rd = { .p = pop };
	char lo[24], hi[24];
	const char *p[2] = { lo, hi };
	long long min = 0, max = -1;
	int rc;

	for (size_t i = 0; i < pop->N; i++) {
		if (i == 0 || pop->id[i] < min)
			min = pop->id[i];
		if (i == 0 || pop->id[i] > max)
			max = pop->id[i];
	}
	if (pop->N == 0)
		return 0;
	snprintf(lo, sizeof lo, "%lld", min);
	snprintf(hi, sizeof hi, "%lld", max);
	if (id_index_build(&rd.index, pop) != 0)
		return ca_err_set(err, CA_EX_SOFTWARE, "reading the screenings: out of memory");
	rc = fetch_cursor(conn, "reading the screenings", "flags", flags_sql, 2, p, flags_types,
	    3, flags_row, &rd, err);
	free(rd.index.slot);
	/* Matched: the revisions are not needed again. */
	free(pop->revision);
	pop->revision = NULL;
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

/* The members of stratum h (all of them when h < 0) as array text. */
static void
array_ids(ca_strbuf *b, const population *pop, int h)
{
	int first = 1;

	ca_strbuf_reset(b);
	ca_strbuf_adds(b, "{");
	for (size_t i = 0; i < pop->N; i++) {
		if (h >= 0 && pop->stratum[i] != h)
			continue;
		ca_strbuf_addf(b, first ? "%lld" : ",%lld", pop->id[i]);
		first = 0;
	}
	ca_strbuf_adds(b, "}");
}

/* Risk weights are whole numbers (sample.h): printed as such they read
 * back the same as with %.17g, without its cost. */
static void
array_doubles(ca_strbuf *b, const double *v, size_t n)
{
	ca_strbuf_reset(b);
	ca_strbuf_adds(b, "{");
	for (size_t i = 0; i < n; i++) {
		if (v[i] == floor(v[i]) && fabs(v[i]) < 1e15)
			ca_strbuf_addf(b, i ? ",%lld" : "%lld", (long long)v[i]);
		else
			ca_strbuf_addf(b, i ? ",%.17g" : "%.17g", v[i]);
	}
	ca_strbuf_adds(b, "}");
}

/* Each stratum: its members, weights (risk), size and allocation.  As
 * array text: in binary a million ids took a third more memory (twelve
 * bytes each, against eight), twice over counting libpq's copy, and saved
 * less than a tenth of a second. */
static int
record_strata(PGconn *conn, const char *run, const plan_row *pl, const population *pop,
    const ca_selection *sel, ca_err *err)
{
	ca_strbuf members, weights;
	int rc = 0;

	ca_strbuf_init(&members);
	ca_strbuf_init(&weights);
	if (pl->design.method == CA_METHOD_RISK)
		array_doubles(&weights, pop->weight, pop->N);
	for (size_t h = 0; h < pop->H && rc == 0; h++) {
		const stratum *s = &pop->strata[h];
		char num[4][32];
		const char *p[10];

		array_ids(&members, pop, pop->H > 1 ? (int)h : -1);
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

/* The selected cases with their strata and inclusion probabilities. */
static int
record_selection(PGconn *conn, const char *run, const population *pop,
    const ca_selection *sel, ca_err *err)
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
		ca_strbuf_addf(&strata, "%s%d", sep, pop->stratum[sel->unit[i]]);
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
		const char *p[5] = { run, ids.data, strata.data, parts.data, probs.data };

		rc = ca_db_exec(conn, err, "recording the sample",
		    "INSERT INTO sampling_run_members (run_id, assessment_id, stratum, part,"
		    "  inclusion_probability)"
		    " SELECT $1, * FROM unnest($2::bigint[], $3::int[], $4::text[], $5::float8[])",
		    5, p);
	}
	ca_strbuf_free(&ids);
	ca_strbuf_free(&strata);
	ca_strbuf_free(&parts);
	ca_strbuf_free(&probs);
	return rc;
}

/* An audit for each selected case, assigned as it is made, in
 * assessment_ref order (the population's): the order ca_assign_pending
 * takes a run's cases in, all of them being due the same day. */
static int
make_audits(PGconn *conn, const char *run, const plan_row *pl, const char *due,
    const population *pop, const ca_selection *sel, const char *actor, ca_sample_outcome *out,
    ca_err *err)
{
	long long *ids = malloc((sel->n + 1) * sizeof *ids);
	int rc;

	if (ids == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "recording the audits: out of memory");
	for (size_t i = 0; i < sel->n; i++)
		ids[i] = pop->id[sel->unit[i]];
	rc = ca_assign_new(conn, run, pl->form_version_id, due, ids, sel->n, actor,
	    &out->assigned, &out->unassigned, err);
	free(ids);
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
	steps st = { .log = rq->log };
	long long started = 0;
	uint64_t seed = rq->seed;
	int rc;

	memset(out, 0, sizeof *out);
	step_done(&st, NULL);
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
	step_done(&st, "plan");
	if ((rc = plan_population(conn, &pl, first, last, run[0] ? run : NULL, &pop, err)) != 0)
		goto done;
	step_done(&st, "population");
	if (pl.design.method == CA_METHOD_RISK) {
		if ((rc = add_screening_flags(conn, &pop, err)) != 0)
			goto done;
		step_done(&st, "screenings");
	}
	if (pl.design.method == CA_METHOD_STRATIFIED && pl.design.neyman &&
	    (rc = stratum_variability(conn, &pop, first, err)) != 0)
		goto done;
	if (population_ready(&pop) != 0) {
		rc = ca_err_set(err, CA_EX_SOFTWARE, "drawing the sample: out of memory");
		goto done;
	}
	if ((rc = draw_population(&pl.design, &pop, seed, &sel, err)) != 0)
		goto done;
	step_done(&st, "draw");
	ca_date_add_days(today, pl.due_days, due);
	if ((rc = record_run(conn, rq, &pl, first, last, today, seed, &pop, &sel, run, err)) != 0)
		goto done;
	step_done(&st, "run");
	if ((rc = record_strata(conn, run, &pl, &pop, &sel, err)) != 0)
		goto done;
	step_done(&st, "strata");
	if ((rc = record_selection(conn, run, &pop, &sel, err)) != 0)
		goto done;
	step_done(&st, "selection");
	if ((rc = make_audits(conn, run, &pl, due, &pop, &sel, rq->actor, out, err)) != 0)
		goto done;
	step_done(&st, "audits");
	if ((rc = ca_reaudit_fulfil(conn, run, due, rq->actor, &out->targeted, err)) != 0 ||
	    (rc = record_event(conn, run, rq->actor, err)) != 0)
		goto done;
	out->run_id = strtoll(run, NULL, 10);
	out->population = (long)pop.N;
	out->sample = (long)sel.n;
	/* Re-audits come after the draw's cases, unassigned: assign them now,
	 * with whatever capacity the draw left. */
	if (out->targeted > 0) {
		long more;

		rc = ca_assign_pending(conn, out->run_id, rq->actor, &more, &out->unassigned, err);
		out->assigned += more;
	}
	step_done(&st, "reaudits_and_trail");
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
	    " SELECT m.id, a.assessment_ref, s.stratum::bigint, NULL::text, m.w, NULL::int"
	    " FROM sampling_run_strata s"
	    " CROSS JOIN LATERAL unnest(s.members, s.weights) AS m(id, w)"
	    " JOIN assessments a ON a.id = m.id"
	    " WHERE s.run_id = $1 ORDER BY a.assessment_ref COLLATE \"C\"", 1, p, 0, &pop, err);
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
	    "SELECT label, allocation, variability, stratum FROM sampling_run_strata"
	    " WHERE run_id = $1 ORDER BY stratum", 1, p);
	if (res == NULL) {
		rc = err->code;
		goto done;
	}
	/* Each stratum read takes its recorded label; then they go in label
	 * order, as for the run. */
	for (size_t h = 0; h < pop.H && rc == 0; h++)
		for (int r = 0; r < PQntuples(res) && rc == 0; r++)
			if (strtoll(PQgetvalue(res, r, 3), NULL, 10) == pop.strata[h].group &&
			    stratum_label(&pop.strata[h], PQgetvalue(res, r, 0), NULL) != 0)
				rc = ca_err_set(err, CA_EX_SOFTWARE, "verifying: out of memory");
	if (rc == 0 && population_ready(&pop) != 0)
		rc = ca_err_set(err, CA_EX_SOFTWARE, "verifying: out of memory");
	if (rc != 0) {
		PQclear(res);
		goto done;
	}
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
