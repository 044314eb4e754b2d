/*
 * cmd_demo.c - `caseaudit demo`: tools for the demonstration.
 *
 * `demo generate` writes the synthetic caseload (generate.h) that the
 * demo imports, and that tests and benchmarks use when they need
 * realistic data of any size.  `demo simulate` plays the people over the
 * audits in the database (simulate.h), so the demo has findings to show.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "error.h"
#include "date.h"
#include "generate.h"
#include "simulate.h"

const char ca_help_demo[] =
"usage: caseaudit demo generate [--assessments N] [--seed S] [--out DIR]\n"
"                               [--as-of YYYY-MM-DD] [--staff-only]\n"
"       caseaudit demo simulate --today YYYY-MM-DD [--seed S] [--db CONNINFO]\n"
"\n"
"generate:\n"
"Write a synthetic caseload for the demo and for tests: assessments.csv\n"
"and staff.csv, ready for `caseaudit import`, and a README.md saying\n"
"what they are.  No real people: every name, reference and narrative is\n"
"invented.  The same options always write byte-for-byte the same files.\n"
"\n"
"The caseload belongs to Eastshire County Council and eight partner\n"
"organisations of different sizes whose practice differs: some look at\n"
"the whole of a person's life, some at one issue; some record strengths\n"
"and the person's own words, some only deficits; some plan for risk and\n"
"offer carers an assessment more often than others.  About one narrative\n"
"in twenty-five contains personal data for `caseaudit redact` to find.\n"
"\n"
"options:\n"
"  --assessments N     how many assessments, 0 to 100000000 (default 2000)\n"
"  --seed S            the random seed, 0 to 18446744073709551615\n"
"                      (default 1)\n"
"  --out DIR           where to write, created if missing (default var/demo)\n"
"  --as-of YYYY-MM-DD  the extract date: requests fall in the 18 months\n"
"                      before it (default " CA_GENERATE_DEFAULT_AS_OF ")\n"
"  --staff-only        write staff.csv and README.md only\n"
"  -h, --help          show this help\n"
"\n"
"\n"
"simulate: A SIMULATION, for demonstrations and benchmarks only.  Plays\n"
"the auditors, partners, QA leads and moderator over the audits in the\n"
"database as of --today: auditors complete the audits whose time has come\n"
"(mostly in time, some late) with ratings drawn from each partner's\n"
"practice profile and the screening flags (a single-issue narrative is\n"
"likely to fail the holistic questions); a few safeguarding concerns turn\n"
"out not to have been acted on and are escalated; QA leads acknowledge\n"
"them; partners sometimes comment; weak audits get actions; the moderator\n"
"moderates what the daemon selected, mostly agreeing.  Everything goes\n"
"through the real workflow as the staff concerned; every text it writes\n"
"begins \"Simulated:\" and each run is recorded as a demo.simulated event.\n"
"The same seed on the same data plays the same way.  Never run it on real\n"
"data.\n"
"  --today YYYY-MM-DD  the day to play up to (required)\n"
"  --seed S            the random seed (default 1)\n"
"\n"
"examples:\n"
"  caseaudit demo generate --assessments 10000 --seed 42 --out var/demo\n"
"  caseaudit demo simulate --today 2026-03-01\n"
"\n"
"exit status: 0 done, 64 usage, 69 database unavailable, 70 internal error,\n"
"74 (generate) a file could not be written; simulate stops with the\n"
"workflow's own 65 (a step refused) or 75 (retry later) should one fail\n";

/* Sizes the way people read them: 48 kB, 3.1 MB, 1.5 GB. */
static void
format_size(char *buf, size_t size, unsigned long long bytes)
{
	if (bytes < 1000000ULL)
		snprintf(buf, size, "%llu kB", (bytes + 999) / 1000);
	else if (bytes < 1000000000ULL)
		snprintf(buf, size, "%llu.%llu MB", (bytes + 50000) / 1000000,
		    (bytes + 50000) / 100000 % 10);
	else
		snprintf(buf, size, "%llu.%llu GB",
		    (bytes + 50000000) / 1000000000,
		    (bytes + 50000000) / 100000000 % 10);
}

static int
demo_generate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "assessments", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "staff-only", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	ca_generate_opts o = {
		.assessments = 2000,
		.seed = 1,
		.as_of = CA_GENERATE_DEFAULT_AS_OF,
		.out_dir = "var/demo",
	};
	ca_generate_stats st;
	ca_err err = { 0 };
	uint64_t v;
	char size[32];
	int ch;

	/* argv[0] is "generate"; getopt must start afresh after whatever
	 * parsed the command line before us. */
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			if (ca_cli_parse_u64(optarg,
			    (uint64_t)CA_GENERATE_MAX_ASSESSMENTS, &v) != 0)
				return ca_cli_usage("demo", "--assessments must "
				    "be a whole number from 0 to %ld, not \"%s\"",
				    CA_GENERATE_MAX_ASSESSMENTS, optarg);
			o.assessments = (long)v;
			break;
		case 's':
			if (ca_cli_parse_u64(optarg, UINT64_MAX, &v) != 0)
				return ca_cli_usage("demo", "--seed must be a "
				    "whole number from 0 to %" PRIu64
				    ", not \"%s\"", UINT64_MAX, optarg);
			o.seed = v;
			break;
		case 'o':
			if (optarg[0] == '\0')
				return ca_cli_usage("demo",
				    "--out must name a directory");
			o.out_dir = optarg;
			break;
		case 'a':
			if (ca_date_parse(optarg, NULL) != 0)
				return ca_cli_usage("demo", "--as-of must be a "
				    "real date written YYYY-MM-DD, not \"%s\"",
				    optarg);
			o.as_of = optarg;
			break;
		case 'S':
			o.staff_only = 1;
			break;
		case ':':
			return ca_cli_usage("demo", "%s needs a value",
			    argv[optind - 1]);
		default:
			if (optopt != 0)
				return ca_cli_usage("demo",
				    "unknown option \"-%c\"", optopt);
			return ca_cli_usage("demo", "unknown option \"%s\"",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return ca_cli_usage("demo", "unexpected argument \"%s\"",
		    argv[optind]);

	if (ca_generate(&o, &st, &err) != 0)
		return ca_cli_fail(&err);
	format_size(size, sizeof size, st.bytes);
	if (o.staff_only)
		printf("wrote %ld staff in %ld organisations to %s (%s); "
		    "seed %" PRIu64 "\n", st.staff, st.organisations,
		    o.out_dir, size, o.seed);
	else
		printf("wrote %ld assessments (%ld still waiting), %ld staff "
		    "in %ld organisations to %s (%s); seed %" PRIu64 "\n",
		    st.assessments, st.waiting, st.staff, st.organisations,
		    o.out_dir, size, o.seed);
	return 0;
}

static int
demo_simulate(int argc, char **argv)
{
	static const struct option options[] = {
		{ "today", required_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 's' },
		{ "db", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	const char *today = NULL, *db = NULL;
	ca_sim_counts n;
	ca_err err = { 0 };
	uint64_t seed = 1;
	PGconn *conn;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (ch) {
		case 't':
			if (ca_date_parse(optarg, NULL) != 0)
				return ca_cli_usage("demo", "--today must be a date as YYYY-MM-DD, "
				    "not '%s'", optarg);
			today = optarg;
			break;
		case 's':
			if (ca_cli_parse_u64(optarg, UINT64_MAX, &seed) != 0)
				return ca_cli_usage("demo", "--seed must be a whole number, not '%s'",
				    optarg);
			break;
		case 'd': db = optarg; break;
		default: return ca_cli_usage("demo", "unknown option for demo simulate");
		}
	}
	if (optind != argc)
		return ca_cli_usage("demo", "unexpected argument '%s'", argv[optind]);
	if (today == NULL)
		return ca_cli_usage("demo", "demo simulate needs --today YYYY-MM-DD");
	if ((rc = ca_cli_connect(db, &conn)) != 0)
		return rc;
	rc = ca_simulate(conn, today, seed, &n, &err);
	ca_db_close(conn);
	printf("SIMULATION to %s: %ld audits submitted (%ld late, %ld answers), %ld safeguarding "
	    "escalations, %ld acknowledged, %ld partner comments, %ld actions set, %ld done, "
	    "%ld moderated, %ld returned\n", today, n.submitted, n.late, n.answers,
	    n.escalations, n.acknowledged, n.comments, n.actions, n.actions_done, n.moderated,
	    n.returned);
	return rc != 0 ? ca_cli_fail(&err) : 0;
}

int
ca_cmd_demo(int argc, char **argv)
{
	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_demo);
	if (argc < 2)
		return ca_cli_usage("demo", "say what to do: "
		    "`caseaudit demo generate`");
	if (strcmp(argv[1], "generate") == 0)
		return demo_generate(argc - 1, argv + 1);
	if (strcmp(argv[1], "simulate") == 0)
		return demo_simulate(argc - 1, argv + 1);
	return ca_cli_usage("demo", "unknown subcommand \"%s\"; "
	    "expected \"generate\" or \"simulate\"", argv[1]);
}
