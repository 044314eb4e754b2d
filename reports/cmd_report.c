/*
 * cmd_report.c - `caseaudit report`: render a report as a PDF, keep it in
 * the database with its digest, write it to a file; and list the reports
 * kept.
 *
 * Each kind of report is one line of the table below: a function that
 * reads its own options and renders, then hands the PDF to deliver(),
 * which stores, writes and prints the same way for every kind.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_report.h"
#include "board.h"
#include "cli.h"
#include "clock.h"
#include "db.h"
#include "doc.h"
#include "listing.h"
#include "output.h"
#include "period.h"
#include "programs.h"
#include "provider.h"
#include "report.h"
#include "words.h"

static const char help_report[] =
	"usage: caseaudit report board --period P [--out FILE.pdf] [--verbose]\n"
	"                              [--db CONNINFO]\n"
	"       caseaudit report provider NAME --period P [--out FILE.pdf] [--verbose]\n"
	"                                 [--db CONNINFO]\n"
	"       caseaudit report audit ID [--out FILE.pdf] [--verbose] [--db CONNINFO]\n"
	"       caseaudit report list [--kind K] [--period P] [--format table|csv|json]\n"
	"                             [--db CONNINFO]\n"
	"\n"
	"Render a quality report as a PDF, keep it in the database with its SHA-256\n"
	"digest, and write it to FILE.  The same data and period always give the same\n"
	"bytes: rendering again finds the report already kept (same digest) instead of\n"
	"adding another, so a PDF shown later can be proved to be the one the board\n"
	"read.  Prints where the file went, its pages, size and digest.\n"
	"\n"
	"  board     the quality-assurance board's report for a period: summary,\n"
	"            domain measures with control charts, partners on a funnel plot,\n"
	"            moderation, and the sampling runs and definitions\n"
	"  provider  one partner organisation's report for a period, for contract\n"
	"            meetings: the board's measures for that partner against all\n"
	"            partners (the others unnamed), its control charts, where it sits\n"
	"            on the funnel plot, its recurring themes, the actions it owns, the\n"
	"            safeguarding escalations of its cases, its waits and equity.\n"
	"            NAME as the assessments name it (quote it: \"Northgate Care\")\n"
	"  audit     one audit's feedback for the practitioner and their partner\n"
	"            organisation: what was done well, what to improve, every question\n"
	"            with its rating and evidence, actions with owners and dates, the\n"
	"            comment window; once the audit is submitted\n"
	"  list      the reports kept, newest first\n"
	"\n"
	"  --period P  a month (2025-03) or a quarter (2025-Q1)\n"
	"  --out FILE  also write the PDF to FILE (replacing it)\n"
	"  --kind K    list only board, provider or audit reports\n"
	"  --format F  table (default), csv or json\n"
	"  --verbose   log where the time went to standard error (key=value):\n"
	"              reading the figures (and how much of that was waiting on the\n"
	"              database), drawing the PDF, keeping and writing it\n"
	"\n"
	"The data is taken as it stands: the report says on its cover the latest day\n"
	"the audit work recorded, and counts overdue work on that day, never the\n"
	"clock.  Reports name no person; groups of fewer than five audits are\n"
	"withheld.  The daemon renders each period's board report by itself once the\n"
	"period's audits are due (caseauditd --help, report_after_days).\n"
	"\n"
	"exit status: 0 done, 64 usage, 66 fonts missing (fonts-dejavu-core),\n"
	"69 database unavailable, 70 internal error, 74 the file could not be\n"
	"written, 75 retry\n";

enum { OPT_PERIOD = 1, OPT_OUT, OPT_DB, OPT_KIND, OPT_FORMAT, OPT_VERBOSE };

static const struct option options[] = {
	{ "period", required_argument, NULL, OPT_PERIOD },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "db", required_argument, NULL, OPT_DB },
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

typedef struct report_args {
	const char *period, *out, *db, *kind;
	const char *what;           /* report audit ID, report provider NAME */
	ca_format fmt;
	int verbose;
} report_args;

/* The options of `report SUB ...`; argv[0] is SUB. */
static int
parse(int argc, char **argv, report_args *a)
{
	int ch, rc;

	memset(a, 0, sizeof *a);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (ch) {
		case OPT_PERIOD: a->period = optarg; break;
		case OPT_OUT: a->out = optarg; break;
		case OPT_DB: a->db = optarg; break;
		case OPT_KIND: a->kind = optarg; break;
		case OPT_FORMAT:
			if ((rc = ca_format_parse("report", optarg, &a->fmt)) != 0)
				return rc;
			break;
		case OPT_VERBOSE: a->verbose = 1; break;
		default:
			return ca_cli_usage("report", "unknown option for report %s", argv[0]);
		}
	}
	if (optind < argc && (strcmp(argv[0], "audit") == 0 ||
	    strcmp(argv[0], "provider") == 0))
		a->what = argv[optind++];
	if (optind != argc)
		return ca_cli_usage("report", "unexpected argument '%s'", argv[optind]);
	return 0;
}

/* --verbose: where the time went, one key=value line a step, naming the
 * report but nothing in it. */
static void
log_steps(const ca_report_meta *m, const ca_report_pdf *pdf, double store, int existed)
{
	const ca_report_timing *t = &pdf->timing;
	char about[48];

	if (m->provider_id > 0)
		snprintf(about, sizeof about, "period=%s provider=%lld", m->period,
		    m->provider_id);
	else if (m->period != NULL)
		snprintf(about, sizeof about, "period=%s", m->period);
	else
		snprintf(about, sizeof about, "audit=%lld", m->audit_id);
	fprintf(stderr, "report kind=%s %s step=read seconds=%.3f queries=%.3f "
	    "statements=%ld\n", m->kind, about, t->read, t->queries, t->statements);
	fprintf(stderr, "report kind=%s %s step=draw seconds=%.3f pages=%d bytes=%zu\n",
	    m->kind, about, t->draw, pdf->pages, pdf->len);
	fprintf(stderr, "report kind=%s %s step=store seconds=%.3f existed=%s\n", m->kind,
	    about, store, existed ? "yes" : "no");
}

/* Keep the report, write the file, say what happened.  Storing comes
 * first: every PDF that leaves caseaudit is on record. */
static int
deliver(PGconn *conn, const ca_report_meta *m, const ca_report_pdf *pdf, const char *out,
    int verbose)
{
	ca_report_stored st;
	ca_err err = { 0 };
	char size[32];
	double t0 = ca_clock_seconds();

	if (ca_report_store(conn, m, pdf, &st, &err) != 0 ||
	    (out != NULL && ca_doc_write(out, pdf->bytes, pdf->len, &err) != 0))
		return ca_cli_fail(&err);
	if (verbose)
		log_steps(m, pdf, ca_clock_seconds() - t0, st.existed);
	ca_words_count((long)pdf->len, size, sizeof size);
	printf("%s report%s%s: %s, %d page%s, %s bytes, data as at %.10s\n", m->kind,
	    m->period != NULL ? " " : "", m->period != NULL ? m->period : "",
	    out != NULL ? out : "not written to a file", pdf->pages, pdf->pages == 1 ? "" : "s",
	    size, pdf->as_of);
	printf("sha256 %s\n", st.sha256);
	if (st.existed)
		printf("already kept as report %lld: the data has not changed since\n", st.id);
	else
		printf("kept as report %lld\n", st.id);
	return 0;
}

/* What each kind of report renders from: its request, filled in by its
 * subcommand, and m's partner or audit. */
typedef struct report_request {
	ca_report_meta m;
	ca_board_request board;
	ca_provider_request provider;
} report_request;

static int
render_board(PGconn *conn, report_request *j, ca_report_pdf *pdf, ca_err *err)
{
	return ca_board_render(conn, &j->board, pdf, err);
}

static int
render_provider(PGconn *conn, report_request *j, ca_report_pdf *pdf, ca_err *err)
{
	return ca_provider_render(conn, &j->provider, pdf, &j->m.provider_id, err);
}

static int
render_audit(PGconn *conn, report_request *j, ca_report_pdf *pdf, ca_err *err)
{
	return ca_report_audit_render(conn, j->m.audit_id, pdf, err);
}

/* Connect, render, and keep and write what was rendered. */
static int
run(const report_args *a, report_request *j,
    int (*render)(PGconn *, report_request *, ca_report_pdf *, ca_err *))
{
	ca_report_pdf pdf = { 0 };
	ca_err err = { 0 };
	PGconn *conn;
	int rc;

	if ((rc = ca_cli_connect(a->db, &conn)) != 0)
		return rc;
	if ((rc = render(conn, j, &pdf, &err)) != 0)
		rc = ca_cli_fail(&err);
	else
		rc = deliver(conn, &j->m, &pdf, a->out, a->verbose);
	ca_report_pdf_free(&pdf);
	ca_db_close(conn);
	return rc;
}

static int
report_board(int argc, char **argv)
{
	report_request j = { .m = { "board", NULL, 0, 0, ca_os_user() } };
	ca_err err = { 0 };
	report_args a;
	int rc;

	if ((rc = parse(argc, argv, &a)) != 0)
		return rc;
	if (a.period == NULL)
		return ca_cli_usage("report", "report board needs --period P (2025-03 or "
		    "2025-Q1)");
	j.board.period = j.m.period = a.period;
	if (ca_board_check(&j.board, &err) != 0)
		return ca_cli_usage("report", "%s", err.msg);
	return run(&a, &j, render_board);
}

static int
report_provider(int argc, char **argv)
{
	report_request j = { .m = { "provider", NULL, 0, 0, ca_os_user() } };
	ca_err err = { 0 };
	report_args a;
	int rc;

	if ((rc = parse(argc, argv, &a)) != 0)
		return rc;
	if (a.what == NULL || a.period == NULL)
		return ca_cli_usage("report", "report provider needs the partner's NAME and "
		    "--period P (2025-03 or 2025-Q1)");
	j.provider.period = j.m.period = a.period;
	j.provider.provider = a.what;
	if ((rc = ca_provider_check(&j.provider, &err)) != 0)
		return rc == CA_EX_USAGE ? ca_cli_usage("report", "%s", err.msg) :
		    ca_cli_fail(&err);
	return run(&a, &j, render_provider);
}

static int
report_audit(int argc, char **argv)
{
	report_request j = { .m = { "audit", NULL, 0, 0, ca_os_user() } };
	report_args a;
	uint64_t id;
	int rc;

	if ((rc = parse(argc, argv, &a)) != 0)
		return rc;
	if (a.what == NULL)
		return ca_cli_usage("report", "report audit needs the audit's ID");
	if (a.period != NULL)
		return ca_cli_usage("report", "report audit takes no --period: an audit's report "
		    "is about the audit");
	if (ca_cli_parse_u64(a.what, INT64_MAX, &id) != 0 || id == 0)
		return ca_cli_usage("report", "ID must be an audit number, not '%.40s'", a.what);
	j.m.audit_id = (long long)id;
	return run(&a, &j, render_audit);
}

static const ca_column list_columns[] = {
	{ "id", "ID", CA_COL_NUMBER },
	{ "kind", "KIND", CA_COL_TEXT },
	{ "period", "PERIOD", CA_COL_TEXT },
	{ "about", "PARTNER OR AUDIT", CA_COL_TEXT },
	{ "as_of", "DATA AS AT", CA_COL_DATE },
	{ "pages", "PAGES", CA_COL_NUMBER },
	{ "bytes", "BYTES", CA_COL_NUMBER },
	{ "sha256", "SHA-256", CA_COL_TEXT },
	{ "generated_by", "BY", CA_COL_TEXT },
	{ "generated_at", "AT", CA_COL_TEXT },
};

static int
report_list(int argc, char **argv)
{
	ca_err err = { 0 };
	report_args a;
	PGresult *res;
	PGconn *conn;
	ca_period p;
	int rc;

	if ((rc = parse(argc, argv, &a)) != 0)
		return rc;
	if (a.period != NULL && ca_period_parse(a.period, &p) != 0)
		return ca_cli_usage("report", "--period must be a month (2025-03) or a quarter "
		    "(2025-Q1), not '%s'", a.period);
	if (a.kind != NULL && strcmp(a.kind, "board") != 0 && strcmp(a.kind, "provider") != 0 &&
	    strcmp(a.kind, "audit") != 0)
		return ca_cli_usage("report", "--kind is board, provider or audit, not '%s'",
		    a.kind);
	if ((rc = ca_cli_connect(a.db, &conn)) != 0)
		return rc;
	{
		const char *params[2] = { a.kind, a.period };

		res = ca_db_query(conn, &err, "listing the reports",
		    "SELECT r.id, r.kind, r.period, coalesce(o.name, r.audit_id::text),"
		    "  r.as_of::date, r.pages, length(r.bytes), r.sha256, r.generated_by,"
		    "  to_char(r.generated_at, 'DD/MM/YYYY HH24:MI')"
		    " FROM reports r LEFT JOIN organisations o ON o.id = r.provider_id"
		    " WHERE ($1::text IS NULL OR r.kind = $1) AND ($2::text IS NULL OR r.period = $2)"
		    " ORDER BY r.id DESC", 2, params);
	}
	if (res == NULL)
		rc = ca_cli_fail(&err);
	else
		ca_listing_print(stdout, res, list_columns, 10, a.fmt, "No reports have been "
		    "rendered yet: try `caseaudit report board --period P --out FILE.pdf`.");
	PQclear(res);
	ca_db_close(conn);
	return rc;
}

/* The kinds of report, and listing. */
static const struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
} subcommands[] = {
	{ "board", report_board },
	{ "provider", report_provider },
	{ "audit", report_audit },
	{ "list", report_list },
};

static int
ca_cmd_report(int argc, char **argv)
{
	if (argc < 2 || ca_cli_wants_help(argc, argv))
		return argc < 2 ? ca_cli_usage("report", "say which report: board, provider, audit, or list") :
		    ca_cli_help(help_report);
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(argc - 1, argv + 1);
	return ca_cli_usage("report", "unknown report '%.40s': say board, provider, audit, or list", argv[1]);
}

const ca_cli_command ca_reports_commands[] = {
	{ "report", "render a report as PDF (board, provider, audit) and keep it; list them",
	    ca_cmd_report, help_report },
};
const size_t ca_reports_ncommands = sizeof ca_reports_commands / sizeof ca_reports_commands[0];
