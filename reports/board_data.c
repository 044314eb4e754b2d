/*
 * board_data.c - everything the board report shows, read in one snapshot
 * (board_private.h): the trends of the period and of the periods before
 * it, moderation, the sampling runs, the board's targets, and where each
 * partner falls on the funnel plot.
 */
#include "board_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "words.h"

#define OOM(err) ca_err_set((err), CA_EX_SOFTWARE, "board report: out of memory")

/* The period n periods of p's length before p, not before 1900. */
static ca_period
period_back(const ca_period *p, int n)
{
	long idx = (long)p->year * 12 + p->month - 1 - (long)n * p->months;
	ca_period q = *p;

	if (idx < 1900L * 12)
		idx = 1900L * 12;
	q.year = (int)(idx / 12);
	q.month = (int)(idx % 12) + 1;
	return q;
}

static int
load_trends(PGconn *conn, board *b, ca_err *err)
{
	ca_period from = period_back(&b->period, CA_BOARD_CHART_PERIODS - 1);
	char from_name[8];
	/* the range gives the charts and the themes, and a provider report's
	 * whole the figures of all partners; the flags shown are the period's */
	ca_trends_query range = { .from = from_name, .to = b->name, .provider = b->partner,
		.today = b->as_of, .themes = CA_TRENDS_THEMES, .no_flags = 1 };
	ca_trends_query now = { .from = b->name, .to = b->name, .provider = b->partner,
		.today = b->as_of, .equity = 1, .waits = 1, .actions = 1 };
	ca_trends_query whole = { .from = b->name, .to = b->name, .today = b->as_of,
		.waits = 1, .no_flags = 1 };
	int rc;

	ca_period_name(&from, from_name);
	if ((rc = ca_trends_load(conn, &range, &b->range, err)) != 0 ||
	    (rc = ca_trends_load(conn, &now, &b->now, err)) != 0)
		return rc;
	if (b->partner != NULL && (rc = ca_trends_load(conn, &whole, &b->whole, err)) != 0)
		return rc;
	return 0;
}

/* The partner's organisation id, for the reports table: ca_trends_load has
 * already refused a name nobody has. */
static int
load_partner_id(PGconn *conn, board *b, ca_err *err)
{
	const char *p[1] = { b->partner };
	PGresult *res;

	res = ca_db_query(conn, err, "provider report: finding the partner",
	    "SELECT id FROM organisations WHERE name = $1", 1, p);
	if (res == NULL)
		return err->code;
	if (PQntuples(res) == 1)
		b->partner_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return b->partner_id > 0 ? 0 : ca_err_set(err, CA_EX_DATAERR, "no partner "
	    "organisation is called '%s'", b->partner);
}

static int
load_runs(PGconn *conn, board *b, ca_err *err)
{
	char partner[24];
	const char *p[3] = { b->first, b->last, b->partner_id > 0 ? partner : NULL };
	PGresult *res;

	snprintf(partner, sizeof partner, "%lld", b->partner_id);
	/* every run whose period overlaps this one (a quarter's monthly runs,
	 * or the quarterly run a month lies in), and for a partner only the
	 * runs whose population took in its work */
	res = ca_db_query(conn, err, "board report: reading the sampling runs",
	    "SELECT r.id, p.name, r.period, r.method, r.population_size, r.sample_size,"
	    "  r.seed::text, r.population_sha256, r.draw, r.run_on::text,"
	    "  (SELECT count(*) FROM sampling_run_targeted t WHERE t.run_id = r.id)"
	    " FROM sampling_runs r JOIN sampling_plans p ON p.id = r.plan_id"
	    " WHERE r.period_start <= $2::date AND r.period_end >= $1::date"
	    "  AND ($3::bigint IS NULL"
	    "   OR NOT EXISTS (SELECT 1 FROM sampling_plan_providers pp WHERE pp.plan_id = p.id)"
	    "   OR EXISTS (SELECT 1 FROM sampling_plan_providers pp WHERE pp.plan_id = p.id"
	    "    AND pp.organisation_id = $3::bigint))"
	    " ORDER BY r.period_start, p.name, r.id", 3, p);
	if (res == NULL)
		return err->code;
	b->nruns = (size_t)PQntuples(res);
	if (b->nruns > 0 && (b->runs = calloc(b->nruns, sizeof *b->runs)) == NULL) {
		PQclear(res);
		b->nruns = 0;
		return OOM(err);
	}
	for (size_t i = 0; i < b->nruns; i++) {
		board_run *r = &b->runs[i];
		int row = (int)i;

		r->id = strtoll(PQgetvalue(res, row, 0), NULL, 10);
		r->plan = strdup(PQgetvalue(res, row, 1));
		snprintf(r->period, sizeof r->period, "%s", PQgetvalue(res, row, 2));
		snprintf(r->method, sizeof r->method, "%s", PQgetvalue(res, row, 3));
		r->population = strtol(PQgetvalue(res, row, 4), NULL, 10);
		r->sample = strtol(PQgetvalue(res, row, 5), NULL, 10);
		snprintf(r->seed, sizeof r->seed, "%s", PQgetvalue(res, row, 6));
		snprintf(r->digest, sizeof r->digest, "%s", PQgetvalue(res, row, 7));
		r->draw = (int)strtol(PQgetvalue(res, row, 8), NULL, 10);
		snprintf(r->run_on, sizeof r->run_on, "%s", PQgetvalue(res, row, 9));
		r->targeted = strtol(PQgetvalue(res, row, 10), NULL, 10);
		if (r->plan == NULL) {
			PQclear(res);
			return OOM(err);
		}
	}
	PQclear(res);
	return 0;
}

/* measure_targets' names for the charted series. */
static int
series_of_target(const char *measure)
{
	int k;

	if (strcmp(measure, "good_or_outstanding") == 0)
		return CA_TRENDS_SERIES_GOOD;
	if (strcmp(measure, "overdue") == 0)
		return CA_TRENDS_SERIES_OVERDUE;
	if ((k = ca_domain_index(measure)) >= 0)
		return CA_TRENDS_SERIES_DOMAIN + k;
	return -1;
}

static int
load_targets(PGconn *conn, board *b, ca_err *err)
{
	PGresult *res;

	for (int s = 0; s < CA_TRENDS_SERIES; s++)
		b->target[s] = NAN;
	res = ca_db_query(conn, err, "board report: reading the targets",
	    "SELECT measure, value FROM measure_targets ORDER BY measure", 0, NULL);
	if (res == NULL)
		return err->code;
	for (int r = 0; r < PQntuples(res); r++) {
		int s = series_of_target(PQgetvalue(res, r, 0));

		if (s >= 0)
			b->target[s] = strtod(PQgetvalue(res, r, 1), NULL);
	}
	PQclear(res);
	return 0;
}

/* A, B, ..., Z, AA, AB, ...: the funnel's labels. */
static void
label_of(size_t i, char *buf, size_t size)
{
	char rev[8];
	size_t n = 0;

	i++;
	while (i > 0 && n < sizeof rev) {
		i--;
		rev[n++] = (char)('A' + i % 26);
		i /= 26;
	}
	for (size_t k = 0; k < n && k + 1 < size; k++)
		buf[k] = rev[n - 1 - k];
	buf[n < size ? n : size - 1] = '\0';
}

static board_position
position_of(const ca_trends_funnel_point *p)
{
	if (!p->placed)
		return BOARD_NOT_PLOTTED;
	if (p->outside998 != 0)
		return p->outside998 > 0 ? BOARD_HIGH_998 : BOARD_LOW_998;
	if (p->outside95 != 0)
		return p->outside95 > 0 ? BOARD_HIGH_95 : BOARD_LOW_95;
	return BOARD_WITHIN;
}

/* Where each partner falls on the funnel of audits good or outstanding
 * (trends.h), and its letter there. */
static int
place_partners(board *b, ca_err *err)
{
	const ca_trends *t = board_compared(b);
	size_t n = t->nproviders, shown = 0;
	int rc;

	b->overall = NAN;
	if (n == 0)
		return 0;
	b->funnel = calloc(n, sizeof *b->funnel);
	b->label = calloc(n, sizeof *b->label);
	b->position = calloc(n, sizeof *b->position);
	if (b->funnel == NULL || b->label == NULL || b->position == NULL)
		return OOM(err);
	if ((rc = ca_trends_funnel(t, CA_TRENDS_SERIES_GOOD, &b->overall, b->funnel,
	    err)) != 0)
		return rc;
	/* a provider report names its own partner's point only: the others are
	 * for comparison, not for the partner to read about */
	for (size_t i = 0; i < n; i++) {
		b->position[i] = position_of(&b->funnel[i]);
		if (b->position[i] == BOARD_NOT_PLOTTED)
			continue;
		if (b->partner == NULL)
			label_of(shown++, b->label[i], sizeof b->label[i]);
		else if (t->providers[i].provider_id == b->partner_id)
			snprintf(b->label[i], sizeof b->label[i], "%s", BOARD_PARTNER_LABEL);
	}
	return 0;
}

/* Every free text the report prints, through the redaction function. */
static int
redact_texts(board *b, ca_err *err)
{
	ca_trends *t = b->now;
	ca_redactor *r;
	int rc;

	if ((rc = ca_redactor_new(&r, err)) != 0)
		return rc;
	rc = ca_report_redact(r, &b->org, err);
	if (rc == 0)
		rc = ca_report_redact(r, &b->partner, err);
	for (size_t i = 0; rc == 0 && b->whole != NULL && i < b->whole->nproviders; i++)
		rc = ca_report_redact(r, &b->whole->providers[i].name, err);
	for (size_t i = 0; rc == 0 && i < t->nproviders; i++)
		rc = ca_report_redact(r, &t->providers[i].name, err);
	for (size_t i = 0; rc == 0 && i < t->waits.nproviders; i++)
		rc = ca_report_redact(r, &t->waits.providers[i].name, err);
	for (size_t i = 0; rc == 0 && i < t->actions.nowners; i++)
		rc = ca_report_redact(r, &t->actions.owners[i].name, err);
	for (int e = 0; rc == 0 && e < CA_TRENDS_EQUITY; e++)
		for (size_t i = 0; rc == 0 && i < t->equity[e].ngroups; i++)
			rc = ca_report_redact(r, &t->equity[e].groups[i].name, err);
	for (size_t i = 0; rc == 0 && i < b->range->nthemes; i++)
		rc = ca_report_redact(r, &b->range->themes[i].text, err);
	for (size_t i = 0; rc == 0 && i < b->nruns; i++)
		rc = ca_report_redact(r, &b->runs[i].plan, err);
	ca_redactor_free(r);
	return rc;
}

static int
load_all(PGconn *conn, board *b, ca_err *err)
{
	int rc;

	if ((rc = ca_report_setting(conn, "organisation_name", "the council", &b->org,
	    err)) != 0 ||
	    (rc = ca_report_as_of(conn, b->last, b->as_of, err)) != 0)
		return rc;
	b->ended = ca_period_ended(&b->period, b->as_of);
	if ((rc = load_trends(conn, b, err)) != 0 ||
	    (b->partner != NULL && (rc = load_partner_id(conn, b, err)) != 0))
		return rc;
	/* moderation checks the council's auditors, not a partner's practice:
	 * the board's report alone has it */
	if (b->partner == NULL &&
	    ((rc = ca_moderation_stats(conn, CA_MODERATION_BY_OVERALL, b->first, b->last,
	    &b->mod_all, &b->nmod_all, err)) != 0 ||
	    (rc = ca_moderation_stats(conn, CA_MODERATION_BY_AUDITOR, b->first, b->last,
	    &b->mod_by, &b->nmod_by, err)) != 0))
		return rc;
	if ((rc = load_runs(conn, b, err)) != 0 ||
	    (rc = load_targets(conn, b, err)) != 0 ||
	    (rc = place_partners(b, err)) != 0)
		return rc;
	return redact_texts(b, err);
}

int
board_load(PGconn *conn, const ca_period *p, const char *partner, board *b, ca_err *err)
{
	int own = PQtransactionStatus(conn) == PQTRANS_IDLE, rc;

	memset(b, 0, sizeof *b);
	if (partner != NULL && (b->partner = strdup(partner)) == NULL)
		return OOM(err);
	b->period = *p;
	ca_period_name(p, b->name);
	ca_words_period(p, b->words, sizeof b->words);
	ca_period_bounds(p, b->first, b->last);
	/* One snapshot, so that every section tells of the same data. */
	if (own && (rc = ca_db_exec(conn, err, "board report: starting a snapshot",
	    "BEGIN ISOLATION LEVEL REPEATABLE READ", 0, NULL)) != 0)
		return rc;
	rc = load_all(conn, b, err);
	if (own)
		ca_db_rollback(conn);
	if (rc != 0)
		board_free(b);
	return rc;
}

void
board_free(board *b)
{
	free(b->org);
	free(b->partner);
	ca_trends_free(b->range);
	ca_trends_free(b->now);
	ca_trends_free(b->whole);
	free(b->mod_all);
	free(b->mod_by);
	for (size_t i = 0; i < b->nruns; i++)
		free(b->runs[i].plan);
	free(b->runs);
	free(b->funnel);
	free(b->label);
	free(b->position);
	memset(b, 0, sizeof *b);
}

int
board_empty(const board *b)
{
	return b->now == NULL || b->now->empty;
}
