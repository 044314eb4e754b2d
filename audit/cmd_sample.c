/*
 * cmd_sample.c - `caseaudit sample size|run|show|verify`: sample sizes,
 * drawing a plan's run by hand, and showing and verifying runs.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "date.h"
#include "db.h"
#include "listing.h"
#include "output.h"
#include "plan.h"
#include "sample.h"
#include "stats.h"

const char ca_help_sample[] =
	"usage: caseaudit sample size --population N --margin E [--confidence C]\n"
	"                             [--proportion P]\n"
	"       caseaudit sample run --plan NAME --period YYYY-MM|YYYY-Qn [--seed S]\n"
	"                            [--redraw] [--format table|json] [--verbose]\n"
	"       caseaudit sample show RUN [--format table|csv|json]\n"
	"       caseaudit sample verify RUN\n"
	"\n"
	"size: how many cases to audit to estimate a rate within a margin:\n"
	"  n0 = z^2 P (1 - P) / E^2, n = ceil(n0 / (1 + (n0 - 1) / N)), never more\n"
	"  than N; z is the two-sided normal quantile for confidence C (default\n"
	"  0.95, z = 1.959964) and P the expected rate (default 0.5, the cautious\n"
	"  choice).  N = 400, E = 0.05 gives 197.\n"
	"\n"
	"run: draw a plan's sample for an ended period now, rather than waiting for\n"
	"  the daemon.  One run per plan and period: asking again shows the run\n"
	"  already drawn.  --redraw draws it again with a new seed, only while none\n"
	"  of its audits has started; the old draw stays in the trail.  --seed S (0\n"
	"  to 18446744073709551615) fixes the seed; otherwise one is drawn from the\n"
	"  operating system.  Either way it is recorded.  --verbose logs each step's\n"
	"  time to standard error (key=value: wall clock seconds, and this\n"
	"  program's own CPU seconds; the rest is the database's).\n"
	"\n"
	"show: the run's plan, period, method, parameters, seed, population digest,\n"
	"  strata with sizes and allocations, and the selected cases with their\n"
	"  inclusion probabilities and audits; then, apart, any targeted cases:\n"
	"  re-audits the run added outside its random draw (`caseaudit audit\n"
	"  reaudit`), which verify leaves alone.  CSV gives the selected cases only.\n"
	"\n"
	"verify: draw the run again from its recorded seed and population and say\n"
	"  `verified` (exit 0), or show every difference (exit 1).\n"
	"\n"
	"exit status: 0 done (verified), 1 verify found differences, 64 usage,\n"
	"65 invalid request (unknown plan or run, period not ended, redraw of a\n"
	"started run), 69 database unavailable, 70 internal error\n";

enum { OPT_POP = 256, OPT_MARGIN, OPT_CONF, OPT_PROP, OPT_PLAN, OPT_PERIOD, OPT_SEED,
	OPT_REDRAW, OPT_FORMAT, OPT_DB, OPT_VERBOSE };

static const struct option options[] = {
	{ "population", required_argument, NULL, OPT_POP },
	{ "margin", required_argument, NULL, OPT_MARGIN },
	{ "confidence", required_argument, NULL, OPT_CONF },
	{ "proportion", required_argument, NULL, OPT_PROP },
	{ "plan", required_argument, NULL, OPT_PLAN },
	{ "period", required_argument, NULL, OPT_PERIOD },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "redraw", no_argument, NULL, OPT_REDRAW },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "db", required_argument, NULL, OPT_DB },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

typedef struct args {
	const char *population, *margin, *confidence, *proportion;
	const char *plan, *period, *seed, *db;
	int redraw, verbose;
	ca_format fmt;
	int fmt_given;
} args;

static int
parse(int argc, char **argv, args *a)
{
	int ch, rc;

	memset(a, 0, sizeof *a);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (ch) {
		case OPT_POP: a->population = optarg; break;
		case OPT_MARGIN: a->margin = optarg; break;
		case OPT_CONF: a->confidence = optarg; break;
		case OPT_PROP: a->proportion = optarg; break;
		case OPT_PLAN: a->plan = optarg; break;
		case OPT_PERIOD: a->period = optarg; break;
		case OPT_SEED: a->seed = optarg; break;
		case OPT_REDRAW: a->redraw = 1; break;
		case OPT_VERBOSE: a->verbose = 1; break;
		case OPT_DB: a->db = optarg; break;
		case OPT_FORMAT:
			if ((rc = ca_format_parse("sample", optarg, &a->fmt)) != 0)
				return rc;
			a->fmt_given = 1;
			break;
		default:
			return ca_cli_usage("sample", "unknown option");
		}
	}
	return 0;
}

static int
number(const char *opt, const char *arg, double dflt, double *out)
{
	if (arg == NULL) {
		*out = dflt;
		return 0;
	}
	if (ca_cli_parse_double(arg, out) != 0)
		return ca_cli_usage("sample", "%s must be a number, not '%s'", opt, arg);
	return 0;
}

static int
sample_size(const args *a)
{
	double E, C, P;
	uint64_t N;
	long n;
	ca_err err = { 0 };
	int rc;

	if (a->population == NULL || a->margin == NULL)
		return ca_cli_usage("sample", "sample size needs --population N and --margin E");
	if (ca_cli_parse_u64(a->population, 100000000, &N) != 0)
		return ca_cli_usage("sample", "--population must be a whole number from 0 to "
		    "100000000, not '%s'", a->population);
	if ((rc = number("--margin", a->margin, 0, &E)) != 0 ||
	    (rc = number("--confidence", a->confidence, 0.95, &C)) != 0 ||
	    (rc = number("--proportion", a->proportion, 0.5, &P)) != 0)
		return rc;
	if ((rc = ca_sample_size((long)N, E, C, P, &n, &err)) != 0) {
		fprintf(stderr, "caseaudit: %s\nTry 'caseaudit sample --help'.\n", err.msg);
		return rc;
	}
	if (a->fmt == CA_FORMAT_JSON)
		printf("{\"population\": %" PRIu64 ", \"margin\": %g, \"confidence\": %g, "
		    "\"proportion\": %g, \"z\": %.6f, \"n\": %ld}\n", N, E, C, P,
		    ca_normal_quantile(0.5 + C / 2), n);
	else
		printf("%ld\n", n);
	return 0;
}

/* ", and 2 re-audits added" when the run took any. */
static const char *
targeted_note(const ca_sample_outcome *out)
{
	static char note[64];

	note[0] = '\0';
	if (out->targeted > 0)
		snprintf(note, sizeof note, ", and %ld re-audit%s added", out->targeted,
		    out->targeted == 1 ? "" : "s");
	return note;
}

static int
sample_run(const args *a)
{
	ca_sample_request rq = { 0 };
	ca_sample_outcome out;
	ca_err err = { 0 };
	PGconn *conn;
	int rc;

	if (a->plan == NULL || a->period == NULL)
		return ca_cli_usage("sample", "sample run needs --plan NAME and --period PERIOD");
	if (a->seed != NULL) {
		if (ca_cli_parse_u64(a->seed, UINT64_MAX, &rq.seed) != 0)
			return ca_cli_usage("sample", "--seed must be a whole number from 0 to %"
			    PRIu64 ", not '%s'", UINT64_MAX, a->seed);
		rq.have_seed = 1;
	}
	rq.period = a->period;
	rq.redraw = a->redraw;
	rq.actor = ca_os_user();
	rq.log = a->verbose ? stderr : NULL;
	if ((rc = ca_cli_connect(a->db, &conn)) != 0)
		return rc;
	if ((rc = ca_plan_find(conn, a->plan, &rq.plan_id, &err)) == 0 &&
	    (rc = ca_db_begin(conn, &err)) == 0) {
		rc = ca_sample_run(conn, &rq, &out, &err);
		if (rc == 0) {
			struct timespec t0, t1;

			clock_gettime(CLOCK_MONOTONIC, &t0);
			rc = ca_db_commit(conn, &err);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			if (rq.log != NULL)
				fprintf(rq.log, "sample step=commit seconds=%.3f\n",
				    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec -
				    t0.tv_nsec) / 1e9);
		} else
			ca_db_rollback(conn);
	}
	ca_db_close(conn);
	if (rc != 0)
		return ca_cli_fail(&err);
	if (a->fmt == CA_FORMAT_JSON) {
		ca_strbuf b;

		ca_strbuf_init(&b);
		ca_strbuf_addf(&b, "{\"run\": %lld, \"plan\": ", out.run_id);
		ca_json_string(&b, a->plan);
		ca_strbuf_adds(&b, ", \"period\": ");
		ca_json_string(&b, a->period);
		ca_strbuf_addf(&b, ", \"existed\": %s, \"population\": %ld, \"sample\": %ld, "
		    "\"assigned\": %ld, \"unassigned\": %ld, \"targeted\": %ld}\n",
		    out.existed ? "true" : "false", out.population, out.sample, out.assigned,
		    out.unassigned, out.targeted);
		fputs(ca_strbuf_failed(&b) ? "" : b.data, stdout);
		ca_strbuf_free(&b);
	} else if (out.existed)
		printf("run %lld for plan %s, period %s, was already drawn: population %ld, "
		    "sample %ld, %ld unassigned (`caseaudit sample show %lld`)\n", out.run_id,
		    a->plan, a->period, out.population, out.sample, out.unassigned, out.run_id);
	else
		printf("run %lld for plan %s, period %s: population %ld, sample %ld, assigned %ld, "
		    "unassigned %ld%s\n", out.run_id, a->plan, a->period, out.population,
		    out.sample, out.assigned, out.unassigned, targeted_note(&out));
	return 0;
}

static const ca_column strata_columns[] = {
	{ "stratum", "STRATUM", CA_COL_TEXT },
	{ "population", "POPULATION", CA_COL_NUMBER },
	{ "allocation", "SAMPLE", CA_COL_NUMBER },
	{ "variability", "VARIABILITY", CA_COL_NUMBER },
};

static const ca_column selected_columns[] = {
	{ "assessment_ref", "ASSESSMENT", CA_COL_TEXT },
	{ "stratum", "STRATUM", CA_COL_TEXT },
	{ "part", "PART", CA_COL_TEXT },
	{ "inclusion_probability", "PROBABILITY", CA_COL_NUMBER },
	{ "audit", "AUDIT", CA_COL_NUMBER },
	{ "status", "STATUS", CA_COL_TEXT },
	{ "auditor", "AUDITOR", CA_COL_TEXT },
	{ "due_on", "DUE", CA_COL_DATE },
};

/* Re-audits the run took on purpose, outside the draw (reaudit.h). */
static const ca_column targeted_columns[] = {
	{ "assessment_ref", "ASSESSMENT", CA_COL_TEXT },
	{ "reaudit_of", "RE-AUDIT OF", CA_COL_TEXT },
	{ "request", "REQUEST", CA_COL_NUMBER },
	{ "from_audit", "FROM AUDIT", CA_COL_NUMBER },
	{ "audit", "AUDIT", CA_COL_NUMBER },
	{ "status", "STATUS", CA_COL_TEXT },
	{ "auditor", "AUDITOR", CA_COL_TEXT },
	{ "due_on", "DUE", CA_COL_DATE },
};

static const ca_column run_columns[] = {
	{ "run", "", CA_COL_NUMBER }, { "plan", "", CA_COL_TEXT },
	{ "period", "", CA_COL_TEXT }, { "period_start", "", CA_COL_DATE },
	{ "period_end", "", CA_COL_DATE }, { "method", "", CA_COL_TEXT },
	{ "parameters", "", CA_COL_JSON }, { "seed", "", CA_COL_TEXT },
	{ "seed_source", "", CA_COL_TEXT }, { "population_size", "", CA_COL_NUMBER },
	{ "population_sha256", "", CA_COL_TEXT }, { "sample_size", "", CA_COL_NUMBER },
	{ "form", "", CA_COL_TEXT }, { "form_version", "", CA_COL_NUMBER },
	{ "draw", "", CA_COL_NUMBER }, { "run_on", "", CA_COL_DATE },
	{ "created_by", "", CA_COL_TEXT },
};

static void
print_run_table(const PGresult *run, const PGresult *strata, const PGresult *sel,
    const PGresult *targeted)
{
	char a[11], b[11];

	printf("run %s: plan %s, period %s (%s to %s)\n", PQgetvalue(run, 0, 0),
	    PQgetvalue(run, 0, 1), PQgetvalue(run, 0, 2),
	    (ca_date_uk(PQgetvalue(run, 0, 3), a), a), (ca_date_uk(PQgetvalue(run, 0, 4), b), b));
	printf("  method        %s (draw %s, run on %s by %s)\n", PQgetvalue(run, 0, 5),
	    PQgetvalue(run, 0, 14), (ca_date_uk(PQgetvalue(run, 0, 15), a), a),
	    PQgetvalue(run, 0, 16));
	printf("  checklist     %s version %s\n", PQgetvalue(run, 0, 12), PQgetvalue(run, 0, 13));
	printf("  seed          %s (%s)\n", PQgetvalue(run, 0, 7), PQgetvalue(run, 0, 8));
	printf("  population    %s cases, SHA-256 %s\n", PQgetvalue(run, 0, 9),
	    PQgetvalue(run, 0, 10));
	printf("  sample        %s cases\n", PQgetvalue(run, 0, 11));
	printf("  parameters    %s\n", PQgetvalue(run, 0, 6));
	printf("  verify with   caseaudit sample verify %s\n\nstrata:\n", PQgetvalue(run, 0, 0));
	ca_listing_print(stdout, strata, strata_columns, 4, CA_FORMAT_TABLE, NULL);
	printf("\nselected:\n");
	ca_listing_print(stdout, sel, selected_columns, 8, CA_FORMAT_TABLE,
	    "  none: the population was empty.");
	if (PQntuples(targeted) > 0) {
		printf("\ntargeted (re-audits, added outside the random draw: verification and "
		    "the sample's rates leave them out):\n");
		ca_listing_print(stdout, targeted, targeted_columns, 8, CA_FORMAT_TABLE, NULL);
	}
}

static void
print_run_json(const PGresult *run, const PGresult *strata, const PGresult *sel,
    const PGresult *targeted)
{
	ca_strbuf b;

	ca_strbuf_init(&b);
	ca_listing_json_object(&b, run, 0, run_columns, 17);
	b.len--;
	ca_strbuf_adds(&b, ", \"strata\": [");
	for (int r = 0; r < PQntuples(strata); r++) {
		ca_strbuf_adds(&b, r ? ", " : "");
		ca_listing_json_object(&b, strata, r, strata_columns, 4);
	}
	ca_strbuf_adds(&b, "], \"selected\": [");
	for (int r = 0; r < PQntuples(sel); r++) {
		ca_strbuf_adds(&b, r ? ",\n  " : "\n  ");
		ca_listing_json_object(&b, sel, r, selected_columns, 8);
	}
	ca_strbuf_adds(&b, "], \"targeted\": [");
	for (int r = 0; r < PQntuples(targeted); r++) {
		ca_strbuf_adds(&b, r ? ",\n  " : "\n  ");
		ca_listing_json_object(&b, targeted, r, targeted_columns, 8);
	}
	ca_strbuf_adds(&b, "]}\n");
	fputs(ca_strbuf_failed(&b) ? "" : b.data, stdout);
	ca_strbuf_free(&b);
}

static int
parse_run_id(const char *s, long long *id)
{
	uint64_t v;

	if (ca_cli_parse_u64(s, INT64_MAX, &v) != 0)
		return ca_cli_usage("sample", "RUN must be a run number, not '%s'", s);
	*id = (long long)v;
	return 0;
}

static int
sample_show(const args *a, const char *run_arg)
{
	PGresult *run = NULL, *strata = NULL, *sel = NULL, *targeted = NULL;
	/* a table shows probabilities to four places; CSV and JSON in full */
	const char *p[2] = { run_arg, a->fmt == CA_FORMAT_TABLE ? "t" : "f" };
	ca_err err = { 0 };
	PGconn *conn;
	long long id;
	int rc;

	if ((rc = parse_run_id(run_arg, &id)) != 0 || (rc = ca_cli_connect(a->db, &conn)) != 0)
		return rc;
	run = ca_db_query(conn, &err, "reading the run",
	    "SELECT r.id, p.name, r.period, r.period_start, r.period_end, r.method,"
	    "  r.parameters, r.seed::text, r.seed_source, r.population_size,"
	    "  r.population_sha256, r.sample_size, f.name, v.version, r.draw, r.run_on,"
	    "  r.created_by"
	    " FROM sampling_runs r JOIN sampling_plans p ON p.id = r.plan_id"
	    " JOIN form_versions v ON v.id = r.form_version_id JOIN forms f ON f.id = v.form_id"
	    " WHERE r.id = $1::bigint", 1, p);
	if (run != NULL && PQntuples(run) == 0) {
		ca_err_set(&err, CA_EX_DATAERR, "there is no sampling run %s "
		    "(`caseaudit plan show NAME` lists a plan's runs)", run_arg);
		goto done;
	}
	if (run != NULL)
		strata = ca_db_query(conn, &err, "reading the strata",
		    "SELECT label, population, allocation, round(variability::numeric, 4)"
		    " FROM sampling_run_strata WHERE run_id = $1::bigint ORDER BY stratum", 1, p);
	if (strata != NULL)
		sel = ca_db_query(conn, &err, "reading the selected cases",
		    "SELECT a.assessment_ref, s.label, m.part,"
		    "  CASE WHEN $2::boolean THEN round(m.inclusion_probability::numeric, 4)::text"
		    "       ELSE m.inclusion_probability::text END, au.id,"
		    "  au.status, st.staff_ref, au.due_on"
		    " FROM sampling_run_members m JOIN assessments a ON a.id = m.assessment_id"
		    " JOIN sampling_run_strata s ON s.run_id = m.run_id AND s.stratum = m.stratum"
		    " LEFT JOIN audits au ON au.run_id = m.run_id AND au.assessment_id = m.assessment_id"
		    " LEFT JOIN staff st ON st.id = au.auditor_id"
		    " WHERE m.run_id = $1::bigint ORDER BY a.assessment_ref COLLATE \"C\"", 2, p);
	if (sel != NULL)
		targeted = ca_db_query(conn, &err, "reading the targeted cases",
		    "SELECT a.assessment_ref, q.kind, q.id, q.audit_id, au.id, au.status,"
		    "  st.staff_ref, au.due_on"
		    " FROM sampling_run_targeted t JOIN assessments a ON a.id = t.assessment_id"
		    " JOIN reaudit_requests q ON q.id = t.request_id"
		    " LEFT JOIN audits au ON au.run_id = t.run_id AND au.assessment_id = t.assessment_id"
		    " LEFT JOIN staff st ON st.id = au.auditor_id"
		    " WHERE t.run_id = $1::bigint ORDER BY a.assessment_ref COLLATE \"C\"", 1, p);
	if (targeted == NULL)
		goto done;
	if (a->fmt == CA_FORMAT_JSON)
		print_run_json(run, strata, sel, targeted);
	else if (a->fmt == CA_FORMAT_CSV)
		ca_listing_print(stdout, sel, selected_columns, 8, CA_FORMAT_CSV, NULL);
	else
		print_run_table(run, strata, sel, targeted);
done:
	PQclear(run);
	PQclear(strata);
	PQclear(sel);
	PQclear(targeted);
	ca_db_close(conn);
	return err.code ? ca_cli_fail(&err) : 0;
}

static int
sample_verify(const args *a, const char *run_arg)
{
	ca_err err = { 0 };
	PGconn *conn;
	long long id = 0;
	int rc, same;

	if ((rc = parse_run_id(run_arg, &id)) != 0 || (rc = ca_cli_connect(a->db, &conn)) != 0)
		return rc;
	rc = ca_sample_verify(conn, id, &same, stdout, &err);
	ca_db_close(conn);
	if (rc != 0)
		return ca_cli_fail(&err);
	if (same) {
		printf("verified: run %lld drawn again from its recorded seed and population gives "
		    "the same cases\n", id);
		return 0;
	}
	printf("NOT verified: run %lld drawn again differs from what is recorded (above)\n", id);
	return 1;
}

int
ca_cmd_sample(int argc, char **argv)
{
	const char *sub;
	args a;
	int rc;

	if (argc < 2)
		return ca_cli_usage("sample", "say size, run, show or verify");
	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_sample);
	sub = argv[1];
	if ((rc = parse(argc - 1, argv + 1, &a)) != 0)
		return rc;
	argc--;
	argv++;
	if (strcmp(sub, "size") == 0 && optind == argc)
		return sample_size(&a);
	if (strcmp(sub, "run") == 0 && optind == argc)
		return sample_run(&a);
	if ((strcmp(sub, "show") == 0 || strcmp(sub, "verify") == 0) && optind + 1 == argc)
		return sub[0] == 's' ? sample_show(&a, argv[optind]) :
		    sample_verify(&a, argv[optind]);
	return ca_cli_usage("sample", "say size, run, show RUN or verify RUN");
}
