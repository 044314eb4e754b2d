/*
 * cmd_plan.c - `caseaudit plan create|list|show|pause|resume`: sampling
 * plans (plan.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "listing.h"
#include "output.h"
#include "plan.h"

const char ca_help_plan[] =
	"usage: caseaudit plan create NAME --form FORM --method random|stratified|risk\n"
	"                 (--size N | --percent P | --margin E [--confidence C] [--proportion P])\n"
	"                 [--types T,..] [--providers P,..] [--every month|quarter]\n"
	"                 [--from PERIOD] [--due-days D] [--waiting-days D]\n"
	"                 [--exclusion-months M] [--strata provider|provider_type]\n"
	"                 [--per-stratum] [--allocation proportional|neyman] [--floor N]\n"
	"                 [--core-share S]\n"
	"       caseaudit plan list [--format table|csv|json]\n"
	"       caseaudit plan show NAME [--format table|json]\n"
	"       caseaudit plan pause|resume NAME\n"
	"\n"
	"A sampling plan says what to audit each period and how.  The daemon\n"
	"(caseauditd) draws each period's sample once the period has ended: a\n"
	"monthly plan samples the previous month from the 1st.  Plans do not change\n"
	"once created (every run records the parameters it used); pause a plan and\n"
	"create another to change course.\n"
	"\n"
	"population (each period):\n"
	"  --types T,..         assessment types (care_act_assessment,\n"
	"                       carers_assessment, review); default: those the\n"
	"                       checklist applies to\n"
	"  --providers P,..     only these partner organisations (default: all)\n"
	"                       assessments completed in the period (completed_on)\n"
	"  --waiting-days D     also people still waiting more than D days at the\n"
	"                       period's end\n"
	"  --exclusion-months M leave out people whose file was audited in a period\n"
	"                       ending in the last M months (default 12)\n"
	"\n"
	"method:\n"
	"  random        simple random sample without replacement\n"
	"  stratified    strata by partner organisation (--strata provider_type: and\n"
	"                assessment type); the size rule applies overall and is\n"
	"                shared in proportion to the strata (largest remainder), each\n"
	"                stratum getting at least --floor (default 2) cases, or with\n"
	"                --per-stratum applies to each stratum; --allocation neyman\n"
	"                shares by size times variability from earlier audit grades\n"
	"  risk          a random core (--core-share, default 0.5 of the sample) plus\n"
	"                an oversample weighted by screening flags, priority and wait;\n"
	"                every case keeps a chance and records its probability\n"
	"\n"
	"size (one of):\n"
	"  --size N        N cases (all, when fewer)\n"
	"  --percent P     P% of the population, rounded up\n"
	"  --margin E      enough to estimate a rate within E (0.05 = 5 points) at\n"
	"                  --confidence C (default 0.95), assuming --proportion P\n"
	"                  (default 0.5); see `caseaudit sample size`\n"
	"\n"
	"timing:\n"
	"  --form FORM     the checklist (`caseaudit forms list`)\n"
	"  --every E       month (default) or quarter\n"
	"  --from PERIOD   the first period to sample: YYYY-MM or YYYY-Qn (default:\n"
	"                  the current one)\n"
	"  --due-days D    audits are due D days after the run (default 28)\n"
	"\n"
	"  --format F      table (default), csv or json\n"
	"  --db CONNINFO   the database (default: libpq's PG* environment)\n"
	"\n"
	"example:\n"
	"  caseaudit plan create monthly-care-act --form care-act-assessment \\\n"
	"      --method stratified --margin 0.1 --every month --from 2025-11\n"
	"\n"
	"exit status: 0 done, 64 usage, 65 invalid plan (unknown checklist or\n"
	"organisation, name taken), 69 database unavailable, 70 internal error\n";

enum {
	OPT_FORM = 256, OPT_TYPES, OPT_PROVIDERS, OPT_METHOD, OPT_SIZE, OPT_PERCENT, OPT_MARGIN,
	OPT_CONFIDENCE, OPT_PROPORTION, OPT_EVERY, OPT_FROM, OPT_DUE, OPT_WAITING, OPT_EXCL,
	OPT_STRATA, OPT_PER_STRATUM, OPT_ALLOCATION, OPT_FLOOR, OPT_CORE, OPT_FORMAT, OPT_DB
};

static const struct option options[] = {
	{ "form", required_argument, NULL, OPT_FORM },
	{ "types", required_argument, NULL, OPT_TYPES },
	{ "providers", required_argument, NULL, OPT_PROVIDERS },
	{ "method", required_argument, NULL, OPT_METHOD },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "percent", required_argument, NULL, OPT_PERCENT },
	{ "margin", required_argument, NULL, OPT_MARGIN },
	{ "confidence", required_argument, NULL, OPT_CONFIDENCE },
	{ "proportion", required_argument, NULL, OPT_PROPORTION },
	{ "every", required_argument, NULL, OPT_EVERY },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "due-days", required_argument, NULL, OPT_DUE },
	{ "waiting-days", required_argument, NULL, OPT_WAITING },
	{ "exclusion-months", required_argument, NULL, OPT_EXCL },
	{ "strata", required_argument, NULL, OPT_STRATA },
	{ "per-stratum", no_argument, NULL, OPT_PER_STRATUM },
	{ "allocation", required_argument, NULL, OPT_ALLOCATION },
	{ "floor", required_argument, NULL, OPT_FLOOR },
	{ "core-share", required_argument, NULL, OPT_CORE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "db", required_argument, NULL, OPT_DB },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int
one_of(const char *v, const char *a, const char *b, const char *c)
{
	return strcmp(v, a) == 0 || strcmp(v, b) == 0 || (c != NULL && strcmp(v, c) == 0);
}

static int
whole(const char *opt, const char *arg, long max, int *out)
{
	uint64_t v;

	if (ca_cli_parse_u64(arg, (uint64_t)max, &v) != 0)
		return ca_cli_usage("plan", "%s must be a whole number from 0 to %ld, not '%s'",
		    opt, max, arg);
	*out = (int)v;
	return 0;
}

static int
fraction(const char *opt, const char *arg, double lo, double hi, double *out)
{
	if (ca_cli_parse_double(arg, out) != 0 || !(*out > lo && *out < hi))
		return ca_cli_usage("plan", "%s must be a number between %g and %g (exclusive), "
		    "not '%s'", opt, lo, hi, arg);
	return 0;
}

/* Options into the spec; CA_EX_USAGE (with the message printed) on error. */
static int
parse_create(int argc, char **argv, ca_plan_spec *s, const char **db)
{
	int ch, rc = 0, sizes = 0;

	while (rc == 0 && (ch = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (ch) {
		case OPT_FORM: s->form = optarg; break;
		case OPT_TYPES: s->types = optarg; break;
		case OPT_PROVIDERS: s->providers = optarg; break;
		case OPT_METHOD:
			if (!one_of(optarg, "random", "stratified", "risk"))
				return ca_cli_usage("plan", "--method is random, stratified or risk, "
				    "not '%s'", optarg);
			s->method = optarg;
			break;
		case OPT_SIZE: {
			int n = 0;

			if ((rc = whole("--size", optarg, 1000000, &n)) == 0 && n < 1)
				rc = ca_cli_usage("plan", "--size must be at least 1");
			s->size_rule = "size";
			s->size_value = n;
			sizes++;
			break;
		}
		case OPT_PERCENT:
			if (ca_cli_parse_double(optarg, &s->size_value) != 0 ||
			    !(s->size_value > 0 && s->size_value <= 100))
				return ca_cli_usage("plan", "--percent must be a number above 0 and at "
				    "most 100, not '%s'", optarg);
			s->size_rule = "percent";
			sizes++;
			break;
		case OPT_MARGIN:
			rc = fraction("--margin", optarg, 0, 1, &s->size_value);
			s->size_rule = "margin";
			sizes++;
			break;
		case OPT_CONFIDENCE: rc = fraction("--confidence", optarg, 0, 1, &s->confidence); break;
		case OPT_PROPORTION: rc = fraction("--proportion", optarg, 0, 1, &s->proportion); break;
		case OPT_CORE:
			if (ca_cli_parse_double(optarg, &s->core_share) != 0 ||
			    !(s->core_share >= 0 && s->core_share <= 1))
				return ca_cli_usage("plan", "--core-share must be a number from 0 to "
				    "1, not '%s'", optarg);
			break;
		case OPT_EVERY:
			if (!one_of(optarg, "month", "quarter", NULL))
				return ca_cli_usage("plan", "--every is month or quarter, not '%s'",
				    optarg);
			s->every = optarg;
			break;
		case OPT_FROM: s->from = optarg; break;
		case OPT_DUE:
			if ((rc = whole("--due-days", optarg, 365, &s->due_days)) == 0 &&
			    s->due_days < 1)
				rc = ca_cli_usage("plan", "--due-days must be at least 1");
			break;
		case OPT_WAITING: rc = whole("--waiting-days", optarg, 3650, &s->waiting_days); break;
		case OPT_EXCL: rc = whole("--exclusion-months", optarg, 120, &s->exclusion_months); break;
		case OPT_FLOOR: rc = whole("--floor", optarg, 1000, &s->floor); break;
		case OPT_STRATA:
			if (!one_of(optarg, "provider", "provider_type", NULL))
				return ca_cli_usage("plan", "--strata is provider or provider_type, "
				    "not '%s'", optarg);
			s->strata = optarg;
			break;
		case OPT_PER_STRATUM: s->per_stratum = 1; break;
		case OPT_ALLOCATION:
			if (!one_of(optarg, "proportional", "neyman", NULL))
				return ca_cli_usage("plan", "--allocation is proportional or neyman, "
				    "not '%s'", optarg);
			s->allocation = optarg;
			break;
		case OPT_DB: *db = optarg; break;
		default:
			return ca_cli_usage("plan", "unknown option");
		}
	}
	if (rc != 0)
		return rc;
	if (optind + 1 != argc)
		return ca_cli_usage("plan", "plan create takes one NAME");
	s->name = argv[optind];
	if (s->form == NULL)
		return ca_cli_usage("plan", "--form FORM is required: the checklist to use");
	if (s->method == NULL)
		return ca_cli_usage("plan", "--method is required: random, stratified or risk");
	if (sizes != 1)
		return ca_cli_usage("plan", "give exactly one of --size, --percent and --margin");
	return 0;
}

static int
plan_create(int argc, char **argv)
{
	ca_plan_spec s;
	const char *db = NULL;
	PGconn *conn;
	ca_err err = { 0 };
	long long id;
	int rc;

	ca_plan_spec_init(&s);
	optind = 1;
	if ((rc = parse_create(argc, argv, &s, &db)) != 0)
		return rc;
	if ((rc = ca_cli_connect(db, &conn)) != 0)
		return rc;
	rc = ca_plan_create(conn, &s, ca_os_user(), &id, &err);
	ca_db_close(conn);
	if (rc != 0)
		return ca_cli_fail(&err);
	printf("created plan %s (id %lld): %s sample every %s with checklist %s\n", s.name, id,
	    s.method, s.every, s.form);
	return 0;
}

static const ca_column list_columns[] = {
	{ "name", "NAME", CA_COL_TEXT },
	{ "form", "CHECKLIST", CA_COL_TEXT },
	{ "types", "TYPES", CA_COL_TEXT },
	{ "providers", "PROVIDERS", CA_COL_TEXT },
	{ "method", "METHOD", CA_COL_TEXT },
	{ "size", "SIZE", CA_COL_TEXT },
	{ "every", "EVERY", CA_COL_TEXT },
	{ "first_period", "FROM", CA_COL_TEXT },
	{ "paused", "PAUSED", CA_COL_BOOL },
	{ "runs", "RUNS", CA_COL_NUMBER },
	{ "last_period", "LAST RUN", CA_COL_TEXT },
};

#define PLAN_ROWS_SQL \
	"SELECT p.name, f.name, array_to_string(p.assessment_types, ','),"             \
	"  coalesce((SELECT string_agg(o.name, ',' ORDER BY o.name)"                   \
	"    FROM sampling_plan_providers pp JOIN organisations o"                      \
	"    ON o.id = pp.organisation_id WHERE pp.plan_id = p.id), 'all'),"           \
	"  p.method, CASE p.size_rule WHEN 'size' THEN p.size_value::bigint::text"      \
	"    WHEN 'percent' THEN p.size_value::text || '%'"                             \
	"    ELSE 'margin ' || p.size_value::text || ' at ' || p.confidence::text END"   \
	"    || CASE WHEN p.method = 'stratified' AND p.per_stratum"                     \
	"       THEN ' per stratum' ELSE '' END,"                                        \
	"  p.every, p.first_period, p.paused,"                                           \
	"  (SELECT count(*) FROM sampling_runs r WHERE r.plan_id = p.id),"               \
	"  (SELECT max(r.period) FROM sampling_runs r WHERE r.plan_id = p.id)"

static int
plan_list(ca_format fmt, const char *db)
{
	PGconn *conn;
	PGresult *res;
	ca_err err = { 0 };
	int rc;

	if ((rc = ca_cli_connect(db, &conn)) != 0)
		return rc;
	res = ca_db_query(conn, &err, "listing the plans",
	    PLAN_ROWS_SQL " FROM sampling_plans p JOIN forms f ON f.id = p.form_id"
	    " ORDER BY p.name", 0, NULL);
	if (res != NULL)
		ca_listing_print(stdout, res, list_columns, 11, fmt,
		    "No sampling plans yet (caseaudit plan create --help).");
	PQclear(res);
	ca_db_close(conn);
	return res == NULL ? ca_cli_fail(&err) : 0;
}

static const ca_column run_columns[] = {
	{ "run", "RUN", CA_COL_NUMBER },
	{ "period", "PERIOD", CA_COL_TEXT },
	{ "draw", "DRAW", CA_COL_NUMBER },
	{ "population", "POPULATION", CA_COL_NUMBER },
	{ "sample", "SAMPLE", CA_COL_NUMBER },
	{ "unassigned", "UNASSIGNED", CA_COL_NUMBER },
	{ "run_on", "RUN ON", CA_COL_DATE },
	{ "seed", "SEED", CA_COL_TEXT },
};

static int
plan_show(const char *name, ca_format fmt, const char *db)
{
	const char *p[1] = { name };
	PGresult *plan = NULL, *runs = NULL;
	PGconn *conn;
	ca_err err = { 0 };
	int rc;

	if ((rc = ca_cli_connect(db, &conn)) != 0)
		return rc;
	plan = ca_db_query(conn, &err, "reading the plan",
	    PLAN_ROWS_SQL ", p.due_days, p.exclusion_months, p.waiting_days, p.strata,"
	    "  p.allocation, p.stratum_floor, p.core_share, p.id"
	    " FROM sampling_plans p JOIN forms f ON f.id = p.form_id WHERE p.name = $1", 1, p);
	if (plan != NULL && PQntuples(plan) == 0) {
		ca_err_set(&err, CA_EX_DATAERR, "there is no sampling plan named '%s' "
		    "(`caseaudit plan list` shows them)", name);
		goto done;
	}
	if (plan != NULL)
		runs = ca_db_query(conn, &err, "reading the plan's runs",
		    "SELECT r.id, r.period, r.draw, r.population_size, r.sample_size,"
		    "  (SELECT count(*) FROM audits au WHERE au.run_id = r.id"
		    "     AND au.status = 'unassigned'), r.run_on, r.seed::text"
		    " FROM sampling_runs r JOIN sampling_plans p ON p.id = r.plan_id"
		    " WHERE p.name = $1 ORDER BY r.period", 1, p);
	if (plan == NULL || runs == NULL)
		goto done;
	if (fmt == CA_FORMAT_JSON) {
		static const ca_column extra[] = {
			{ "name", "", CA_COL_TEXT }, { "form", "", CA_COL_TEXT },
			{ "types", "", CA_COL_TEXT }, { "providers", "", CA_COL_TEXT },
			{ "method", "", CA_COL_TEXT }, { "size", "", CA_COL_TEXT },
			{ "every", "", CA_COL_TEXT }, { "first_period", "", CA_COL_TEXT },
			{ "paused", "", CA_COL_BOOL }, { "runs_count", "", CA_COL_NUMBER },
			{ "last_period", "", CA_COL_TEXT }, { "due_days", "", CA_COL_NUMBER },
			{ "exclusion_months", "", CA_COL_NUMBER },
			{ "waiting_days", "", CA_COL_NUMBER }, { "strata", "", CA_COL_TEXT },
			{ "allocation", "", CA_COL_TEXT }, { "stratum_floor", "", CA_COL_NUMBER },
			{ "core_share", "", CA_COL_NUMBER }, { "id", "", CA_COL_NUMBER },
		};
		ca_strbuf b;

		ca_strbuf_init(&b);
		ca_listing_json_object(&b, plan, 0, extra, 19);
		b.len--;   /* reopen the object to add the runs */
		ca_strbuf_adds(&b, ", \"runs\": [");
		for (int r = 0; r < PQntuples(runs); r++) {
			ca_strbuf_adds(&b, r ? ", " : "");
			ca_listing_json_object(&b, runs, r, run_columns, 8);
		}
		ca_strbuf_adds(&b, "]}\n");
		fputs(ca_strbuf_failed(&b) ? "" : b.data, stdout);
		ca_strbuf_free(&b);
	} else {
		printf("plan %s (id %s)%s\n", name, PQgetvalue(plan, 0, 18),
		    PQgetvalue(plan, 0, 8)[0] == 't' ? ": PAUSED" : "");
		printf("  checklist       %s\n", PQgetvalue(plan, 0, 1));
		printf("  population      %s by %s, completed in the period",
		    PQgetvalue(plan, 0, 2), PQgetvalue(plan, 0, 3));
		if (!PQgetisnull(plan, 0, 13))
			printf(", and people waiting more than %s days at its end",
			    PQgetvalue(plan, 0, 13));
		printf("\n  exclusion       not audited in the last %s months\n",
		    PQgetvalue(plan, 0, 12));
		printf("  method          %s", PQgetvalue(plan, 0, 4));
		if (strcmp(PQgetvalue(plan, 0, 4), "stratified") == 0)
			printf(" by %s, %s allocation, at least %s per stratum",
			    PQgetvalue(plan, 0, 14), PQgetvalue(plan, 0, 15), PQgetvalue(plan, 0, 16));
		else if (strcmp(PQgetvalue(plan, 0, 4), "risk") == 0)
			printf(", random core %s of the sample", PQgetvalue(plan, 0, 17));
		printf("\n  size            %s\n", PQgetvalue(plan, 0, 5));
		printf("  every           %s from %s; audits due %s days after the run\n",
		    PQgetvalue(plan, 0, 6), PQgetvalue(plan, 0, 7), PQgetvalue(plan, 0, 11));
		printf("\nruns:\n");
		ca_listing_print(stdout, runs, run_columns, 8, CA_FORMAT_TABLE,
		    "  none yet: the daemon draws each period once it has ended.");
	}
done:
	PQclear(plan);
	PQclear(runs);
	ca_db_close(conn);
	return err.code ? ca_cli_fail(&err) : 0;
}

static int
plan_pause(const char *name, int paused, const char *db)
{
	PGconn *conn;
	ca_err err = { 0 };
	int rc;

	if ((rc = ca_cli_connect(db, &conn)) != 0)
		return rc;
	rc = ca_plan_set_paused(conn, name, paused, ca_os_user(), &err);
	ca_db_close(conn);
	if (rc != 0)
		return ca_cli_fail(&err);
	printf("plan %s %s\n", name, paused ? "paused: no new runs until resumed" :
	    "resumed: the daemon samples its ended periods again");
	return 0;
}

int
ca_cmd_plan(int argc, char **argv)
{
	const char *db = NULL, *sub;
	ca_format fmt = CA_FORMAT_TABLE;
	int ch, rc;

	if (argc < 2 || ca_cli_wants_help(argc, argv))
		return argc < 2 ? ca_cli_usage("plan", "say create, list, show, pause or resume") :
		    ca_cli_help(ca_help_plan);
	sub = argv[1];
	if (strcmp(sub, "create") == 0)
		return plan_create(argc - 1, argv + 1);
	optind = 1;
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (ch == OPT_FORMAT) {
			if ((rc = ca_format_parse("plan", optarg, &fmt)) != 0)
				return rc;
		} else if (ch == OPT_DB) {
			db = optarg;
		} else {
			return ca_cli_usage("plan", "plan %s takes only --format and --db", sub);
		}
	}
	if (strcmp(sub, "list") == 0 && optind == argc)
		return plan_list(fmt, db);
	if (optind + 1 != argc)
		return ca_cli_usage("plan", "plan %s takes one NAME", sub);
	if (strcmp(sub, "show") == 0)
		return plan_show(argv[optind], fmt, db);
	if (strcmp(sub, "pause") == 0 || strcmp(sub, "resume") == 0)
		return plan_pause(argv[optind], strcmp(sub, "pause") == 0, db);
	return ca_cli_usage("plan", "unknown subcommand '%s': say create, list, show, pause or "
	    "resume", sub);
}
