/*
 * cmd_audits.c - `caseaudit audits`: listing audits, safeguarding
 * escalations first.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "escalations.h"
#include "listing.h"

const char ca_help_audits[] =
	"usage: caseaudit audits [--auditor REF] [--status S] [--overdue] [--run RUN]\n"
	"                        [--format table|csv|json] [--db CONNINFO]\n"
	"\n"
	"List audits, those with a safeguarding concern not yet acknowledged first,\n"
	"then the most urgent: id, status, assessment ref, partner organisation,\n"
	"auditor (staff ref; none while unassigned), due date and, for an unassigned\n"
	"audit, why nobody could take it; CSV and JSON add the grade, whether a\n"
	"safeguarding concern waits (safeguarding) and the audit's version.\n"
	"Unassigned audits are assigned automatically by the daemon when capacity\n"
	"frees.\n"
	"\n"
	"  --auditor REF   only this auditor's audits\n"
	"  --status S      unassigned, assigned, in_progress, submitted, returned,\n"
	"                  feedback, closed or cancelled\n"
	"  --overdue       only open audits past their due date\n"
	"  --run RUN       only audits of this sampling run\n"
	"  --format F      table (default), csv or json\n"
	"\n"
	"exit status: 0 done, 64 usage, 69 database unavailable, 70 internal error\n";

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
	{ "grade", "GRADE", CA_COL_TEXT },
	{ "safeguarding", "SAFEGUARDING", CA_COL_BOOL },
	{ "version", "VERSION", CA_COL_NUMBER },
};
#define NCOLUMNS (int)(sizeof columns / sizeof columns[0])

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
	    "  f.name || ' v' || v.version, au.run_id, au.unassigned_reason, au.grade,"
	    "  EXISTS (SELECT 1 FROM escalations e WHERE e.audit_id = au.id"
	    "    AND e.acknowledged_on IS NULL) AS safeguarding, au.version"
	    " FROM audits au JOIN assessments a ON a.id = au.assessment_id"
	    " JOIN organisations o ON o.id = a.provider_id"
	    " JOIN form_versions v ON v.id = au.form_version_id JOIN forms f ON f.id = v.form_id"
	    " LEFT JOIN staff s ON s.id = au.auditor_id"
	    " WHERE ($1::text IS NULL OR s.staff_ref = $1)"
	    "   AND ($2::text IS NULL OR au.status = $2)"
	    "   AND (NOT $3::boolean OR (au.due_on < current_date"
	    "        AND au.status IN ('unassigned', 'assigned', 'in_progress', 'returned')))"
	    "   AND ($4::bigint IS NULL OR au.run_id = $4::bigint)"
	    " ORDER BY safeguarding DESC, au.due_on, au.id", 4, p);
	if (res != NULL && fmt == CA_FORMAT_TABLE && ca_escalations_banner(conn, stdout, &err)
	    != 0) {
		PQclear(res);
		res = NULL;
	}
	if (res != NULL)
		ca_listing_print(stdout, res, columns, fmt == CA_FORMAT_TABLE ? 9 : NCOLUMNS, fmt,
		    "No audits match.");
	PQclear(res);
	ca_db_close(conn);
	return res == NULL ? ca_cli_fail(&err) : 0;
}
