/*
 * cmd_import.c - `caseaudit import assessments|staff FILE`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "strbuf.h"
#include "cli.h"
#include "db.h"
#include "import.h"

const char ca_help_import[] =
	"usage: caseaudit import assessments FILE [--skip-invalid] [--db CONNINFO]\n"
	"       caseaudit import staff FILE [--skip-invalid] [--db CONNINFO]\n"
	"\n"
	"Import a CSV extract.  The file is UTF-8 (a byte-order mark is fine), with\n"
	"a header row naming the columns in any order, LF or CRLF line endings, and\n"
	"\"quoted\" fields that may hold commas, quotes (doubled) and line breaks.\n"
	"Rows are matched by assessment_ref or staff_ref: new ones are added,\n"
	"changed ones updated (the change is kept in the trail), unchanged ones left.\n"
	"\n"
	"An import is all or nothing: if any row is invalid, every problem is listed\n"
	"as FILE:LINE: column: problem, nothing changes, and the exit status is 65.\n"
	"\n"
	"options:\n"
	"  --skip-invalid   load the valid rows and keep the invalid ones, with their\n"
	"                   line and reason, in import_rejects\n"
	"  --format F       the summary as text (default) or json\n"
	"  --verbose        log each step's time to standard error (key=value)\n"
	"  --db CONNINFO    the database (default: libpq's PG* environment)\n"
	"\n"
	"assessment columns: assessment_ref, person_ref, assessment_type\n"
	"  (care_act_assessment, carers_assessment, review), provider, assessor_ref,\n"
	"  requested_on, completed_on (YYYY-MM-DD or DD/MM/YYYY), summary, priority\n"
	"  (urgent, high, medium, low), eligible, direct_payment_offered,\n"
	"  carer_identified (yes, no or empty), age_band, gender, ethnicity,\n"
	"  primary_support_reason.  Required: the first eight except completed_on.\n"
	"staff columns: staff_ref, name, organisation, role (auditor, assessor, psw,\n"
	"  qa_lead, board; several separated by ;), team, max_open_audits, email,\n"
	"  active (yes or no).  Required: staff_ref, name, organisation, role.\n"
	"\n"
	"exit status: 0 imported, 64 usage, 65 invalid data (nothing changed),\n"
	"66 file missing, 69 database unavailable, 70 internal error\n";

static void
print_summary(const char *kind, const char *path, const ca_import_result *r, int json)
{
	if (json) {
		ca_strbuf b;

		ca_strbuf_init(&b);
		ca_strbuf_adds(&b, "{\"kind\": ");
		ca_json_string(&b, kind);
		ca_strbuf_adds(&b, ", \"file\": ");
		ca_json_string(&b, path);
		ca_strbuf_addf(&b, ", \"import_id\": %lld, \"sha256\": \"%s\", \"bytes\": %llu, "
		    "\"records\": %lld, \"inserted\": %lld, \"updated\": %lld, "
		    "\"unchanged\": %lld, \"rejected\": %lld}\n",
		    r->import_id, r->sha256, r->bytes, r->records, r->inserted,
		    r->updated, r->unchanged, r->rejected);
		fputs(ca_strbuf_failed(&b) ? "{}\n" : b.data, stdout);
		ca_strbuf_free(&b);
		return;
	}
	printf("imported %s from %s (%lld records, %.1f %s, SHA-256 %.16s…) as import %lld\n",
	    kind, path, r->records,
	    r->bytes >= 1000000 ? (double)r->bytes / 1e6 : (double)r->bytes / 1e3,
	    r->bytes >= 1000000 ? "MB" : "kB", r->sha256, r->import_id);
	printf("  inserted %lld, updated %lld, unchanged %lld, rejected %lld\n",
	    r->inserted, r->updated, r->unchanged, r->rejected);
	if (r->rejected > 0)
		printf("  the rejected rows are kept in import_rejects (import_id %lld)\n",
		    r->import_id);
}

int
ca_cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "skip-invalid", no_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conninfo = NULL;
	const ca_import_kind *kind;
	ca_import_opts opts = { 0 };
	ca_import_result result;
	ca_err err = { 0 };
	PGconn *conn;
	int ch, rc, json = 0;

	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_import);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			conninfo = optarg;
			break;
		case 's':
			opts.skip_invalid = 1;
			break;
		case 'v':
			opts.log = stderr;
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "text") != 0 && strcmp(optarg, "table") != 0)
				return ca_cli_usage("import", "--format is text or json, not '%s'", optarg);
			break;
		default:
			return ca_cli_usage("import", "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		return ca_cli_usage("import", "expected what to import and a file: "
		    "import assessments|staff FILE");
	if ((kind = ca_import_kind_named(argv[optind])) == NULL)
		return ca_cli_usage("import", "cannot import '%s': expected assessments or staff",
		    argv[optind]);
	opts.path = argv[optind + 1];
	opts.actor = ca_os_user();
	opts.problems = stderr;
	if (access(opts.path, R_OK) != 0) {
		ca_err_set(&err, CA_EX_NOINPUT, "cannot read %s: no such file or not readable",
		    opts.path);
		return ca_cli_fail(&err);
	}
	if ((rc = ca_cli_connect(conninfo, &conn)) != 0)
		return rc;
	rc = ca_import(conn, kind, &opts, &result, &err);
	ca_db_close(conn);
	if (rc != 0)
		return ca_cli_fail(&err);
	print_summary(kind->kind, opts.path, &result, json);
	return 0;
}
