/*
 * cmd_audits.c - `caseaudit audits` (listing audits) and `caseaudit audit
 * reassign` (a QA lead moving an audit to another auditor).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assign.h"
#include "cli.h"
#include "db.h"
#include "listing.h"

const char ca_help_audits[] =
	"usage: caseaudit audits [--auditor REF] [--status S] [--overdue] [--run RUN]\n"
	"                        [--format table|csv|json] [--db CONNINFO]\n"
	"\n"
	"List audits, most urgent first: id, status, assessment ref, partner\n"
	"organisation, auditor (staff ref; none while unassigned), due date and, for\n"
	"an unassigned audit, why nobody could take it.  Unassigned audits are\n"
	"assigned automatically by the daemon when capacity frees.\n"
	"\n"
	"  --auditor REF   only this auditor's audits\n"
	"  --status S      unassigned, assigned, in_progress, submitted, returned,\n"
	"                  feedback, closed or cancelled\n"
	"  --overdue       only open audits past their due date\n"
	"  --run RUN       only audits of this sampling run\n"
	"  --format F      table (default), csv or json\n"
	"\n"
	"exit status: 0 done, 64 usage, 69 database unavailable, 70 internal error\n";

const char ca_help_audit[] =
	"usage: caseaudit audit reassign ID STAFF --as STAFF [--db CONNINFO]\n"
	"\n"
	"reassign: a QA lead (--as) moves an open audit to another auditor, who must\n"
	"  hold the auditor role, be active, be under their maximum of open audits,\n"
	"  and be independent: not employed by the partner organisation that\n"
	"  carried out the assessment, and not its assessor.  Recorded in the trail.\n"
	"\n"
	"exit status: 0 done, 64 usage, 65 not allowed (with the reason),\n"
	"69 database unavailable, 70 internal error\n";

static const ca_column columns[] = {
	{ "id", "AUDIT", CA_COL_NUMBER },
	{ "status", "STATUS", CA_COL_TEXT },
	{ "assessment_ref", "ASSESSMENT", CA_COL_TEXT },
	{ "provider", "PARTNER", CA_COL_TEXT },
	{ "auditor", "AUDITOR", CA_COL_TEXT },
	{ "due_on", "DUE", CA_COL_DATE },
	{ "form", "CHECKLIST", CA_COL_TEXT },
	{ "run", "RUN", CA_COL_NUMBER },
	{ "reason", "WHY UNASSIGNED", CA_COL_TEXT },
};

static const char *const statuses[] = {
	"unassigned", "assigned", "in_progress", "submitted", "returned", "feedback", "closed",
	"cancelled",
};

static int
known_status(const char *s)
{
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (strcmp(s, statuses[i]) == 0)
			return 1;
	return 0;
}

int
ca_cmd_audits(int argc, char **argv)
{
	static const struct option options[] = {
		{ "auditor", required_argument, NULL, 'a' },
		{ "status", required_argument, NULL, 's' },
		{ "overdue", no_argument, NULL, 'o' },
		{ "run", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *auditor = NULL, *status = NULL, *run = NULL, *db = NULL;
	const char *p[4];
	ca_format fmt = CA_FORMAT_TABLE;
	ca_err err = { 0 };
	PGconn *conn;
	PGresult *res;
	uint64_t v;
	int ch, rc, overdue = 0;

	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_audits);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (ch) {
		case 'a': auditor = optarg; break;
		case 's':
			if (!known_status(optarg))
				return ca_cli_usage("audits", "--status is unassigned, assigned, "
				    "in_progress, submitted, returned, feedback, closed or cancelled, "
				    "not '%s'", optarg);
			status = optarg;
			break;
		case 'o': overdue = 1; break;
		case 'r':
			if (ca_cli_parse_u64(optarg, INT64_MAX, &v) != 0)
				return ca_cli_usage("audits", "--run must be a run number, not '%s'",
				    optarg);
			run = optarg;
			break;
		case 'f':
			if ((rc = ca_format_parse("audits", optarg, &fmt)) != 0)
				return rc;
			break;
		case 'd': db = optarg; break;
		default: return ca_cli_usage("audits", "unknown option");
		}
	}
	if (optind != argc)
		return ca_cli_usage("audits", "unexpected argument '%s'", argv[optind]);
	if ((rc = ca_cli_connect(db, &conn)) != 0)
		return rc;
	p[0] = auditor; p[1] = status; p[2] = overdue ? "t" : "f"; p[3] = run;
	res = ca_db_query(conn, &err, "listing audits",
	    "SELECT au.id, au.status, a.assessment_ref, o.name, s.staff_ref, au.due_on,"
	    "  f.name || ' v' || v.version, au.run_id, au.unassigned_reason"
	    " FROM audits au JOIN assessments a ON a.id = au.assessment_id"
	    " JOIN organisations o ON o.id = a.provider_id"
	    " JOIN form_versions v ON v.id = au.form_version_id JOIN forms f ON f.id = v.form_id"
	    " LEFT JOIN staff s ON s.id = au.auditor_id"
	    " WHERE ($1::text IS NULL OR s.staff_ref = $1)"
	    "   AND ($2::text IS NULL OR au.status = $2)"
	    "   AND (NOT $3::boolean OR (au.due_on < current_date"
	    "        AND au.status IN ('unassigned', 'assigned', 'in_progress', 'returned')))"
	    "   AND ($4::bigint IS NULL OR au.run_id = $4::bigint)"
	    " ORDER BY au.due_on, au.id", 4, p);
	if (res != NULL)
		ca_listing_print(stdout, res, columns, 9, fmt, "No audits match.");
	PQclear(res);
	ca_db_close(conn);
	return res == NULL ? ca_cli_fail(&err) : 0;
}

static int
audit_reassign(int argc, char **argv)
{
	static const struct option options[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "db", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	const char *as = NULL, *db = NULL;
	ca_err err = { 0 };
	PGconn *conn;
	uint64_t id;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (ch == 'a')
			as = optarg;
		else if (ch == 'd')
			db = optarg;
		else
			return ca_cli_usage("audit", "unknown option");
	}
	if (optind + 2 != argc)
		return ca_cli_usage("audit", "audit reassign takes an audit ID and a STAFF ref");
	if (as == NULL)
		return ca_cli_usage("audit", "--as STAFF is required: who is reassigning");
	if (ca_cli_parse_u64(argv[optind], INT64_MAX, &id) != 0)
		return ca_cli_usage("audit", "ID must be an audit number, not '%s'", argv[optind]);
	if ((rc = ca_cli_connect(db, &conn)) != 0)
		return rc;
	rc = ca_audit_reassign(conn, (long long)id, argv[optind + 1], as, &err);
	ca_db_close(conn);
	if (rc != 0)
		return ca_cli_fail(&err);
	printf("audit %llu reassigned to %s\n", (unsigned long long)id, argv[optind + 1]);
	return 0;
}

int
ca_cmd_audit(int argc, char **argv)
{
	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_audit);
	if (argc >= 2 && strcmp(argv[1], "reassign") == 0)
		return audit_reassign(argc - 1, argv + 1);
	return ca_cli_usage("audit", "say reassign");
}
