/*
 * cmd_moderate.c - `caseaudit moderate` (the moderator's view of an audit)
 * and `caseaudit moderation list|stats` (what is waiting for moderation,
 * and how far auditors and moderators agree).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "date.h"
#include "db.h"
#include "listing.h"
#include "moderation.h"

const char ca_help_moderate[] =
	"usage: caseaudit moderate ID --grade G --as STAFF [--agree Q1,Q2,...]\n"
	"                          [--disagree Q3:RATING,...] [--agree-rest]\n"
	"                          [--comment TEXT] [--return --reason TEXT]\n"
	"                          [--version N] [--today YYYY-MM-DD] [--db CONNINFO]\n"
	"\n"
	"A moderator (staff with the psw role, --as) records their own, independent\n"
	"view of submitted audit ID: the grade they would give, and a rating for\n"
	"every question the auditor answered.\n"
	"\n"
	"  --grade G          outstanding, good, requires_improvement or inadequate\n"
	"  --agree Q1,Q2      questions where the moderator gives the auditor's rating\n"
	"  --disagree Q:R,..  questions where the moderator gives rating R instead\n"
	"                     (R must be one of the question's scale)\n"
	"  --agree-rest       agree with the auditor on every answered question not\n"
	"                     listed; without it, every answered question must be in\n"
	"                     --agree or --disagree, so no rating counts as agreed\n"
	"                     unless the moderator said so\n"
	"  --comment TEXT     the moderator's comment, for the auditor\n"
	"  --return           send the audit back to its auditor (with --reason TEXT),\n"
	"                     who answers again and resubmits; the new submission is\n"
	"                     drawn for moderation afresh\n"
	"  --version N        refuse (75) if the audit has changed since version N\n"
	"  --today D          the date the moderation is made (default: today)\n"
	"\n"
	"Who may: a moderator independent of the work (not the audit's auditor, not\n"
	"staff of the partner organisation assessed, not the assessor).  An audit\n"
	"the daemon selected for moderation is moderated by the moderator it was\n"
	"given (`caseaudit moderation list`); one waiting for a moderator, or not\n"
	"selected, may be moderated by any moderator (recorded as requested).  The\n"
	"audit must be submitted or in feedback; one selected before it closed may\n"
	"still be moderated, but no longer returned.  Each submission is moderated\n"
	"once.  Recorded in the trail.\n"
	"\n"
	"exit status: 0 done, 64 usage, 65 not allowed or bad data (with the reason),\n"
	"69 database unavailable, 70 internal error, 75 the audit changed: retry\n";

const char ca_help_moderation[] =
	"usage: caseaudit moderation list [--moderator REF] [--status S]\n"
	"                                 [--format table|csv|json] [--db CONNINFO]\n"
	"       caseaudit moderation stats [--from P] [--to P]\n"
	"                                  [--by overall|auditor|question]\n"
	"                                  [--format table|csv|json] [--db CONNINFO]\n"
	"\n"
	"list: moderations, waiting and pending first: id, audit, submission, why it\n"
	"  was selected (sampled: the random draw; quarter_minimum: the auditor's\n"
	"  one for a quarter with none drawn; requested: by a moderator), status\n"
	"  (waiting: no moderator available yet; pending: with its moderator; done;\n"
	"  withdrawn: the audit was submitted again or cancelled), moderator,\n"
	"  auditor, date selected, the auditor's and the moderator's grades,\n"
	"  whether it was returned, and the date done.\n"
	"  --status S         waiting, pending, done or withdrawn\n"
	"\n"
	"The daemon draws every submission once and selects it when the draw is\n"
	"below the moderation_percent setting (0 to 100; 10 by default); each draw\n"
	"is kept (moderation_draws) so the selection can be shown to be random.\n"
	"\n"
	"exit status: 0 ok, 64 usage, 69 database unavailable, 70 internal error\n";

/* ---- moderate ----------------------------------------------------------- */

int
ca_cmd_moderate(int argc, char **argv)
{
	static const struct option options[] = {
		{ "grade", required_argument, NULL, 'g' },
		{ "agree", required_argument, NULL, 'a' },
		{ "disagree", required_argument, NULL, 'x' },
		{ "agree-rest", no_argument, NULL, 'A' },
		{ "comment", required_argument, NULL, 'c' },
		{ "return", no_argument, NULL, 'r' },
		{ "reason", required_argument, NULL, 'R' },
		{ "as", required_argument, NULL, 's' },
		{ "version", required_argument, NULL, 'v' },
		{ "today", required_argument, NULL, 't' },
		{ "db", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	ca_moderation_request rq = { 0 };
	ca_moderation_outcome out;
	ca_actor actor = { 0 };
	const char *db = NULL;
	ca_err err = { 0 };
	PGconn *conn;
	uint64_t id, v;
	int ch, rc;

	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_moderate);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (ch) {
		case 'g': rq.grade = optarg; break;
		case 'a':
			if (rq.agree != NULL)
				return ca_cli_usage("moderate", "give --agree once, with the "
				    "questions separated by commas");
			rq.agree = optarg;
			break;
		case 'x':
			if (rq.disagree != NULL)
				return ca_cli_usage("moderate", "give --disagree once, with the "
				    "pairs separated by commas");
			rq.disagree = optarg;
			break;
		case 'A': rq.agree_rest = 1; break;
		case 'c': rq.comment = optarg; break;
		case 'r': rq.return_audit = 1; break;
		case 'R': rq.reason = optarg; break;
		case 's': actor.as = optarg; break;
		case 'v':
			if (ca_cli_parse_u64(optarg, INT32_MAX, &v) != 0 || v == 0)
				return ca_cli_usage("moderate", "--version is the audit's version "
				    "number as shown, not '%s'", optarg);
			actor.expect_version = (long)v;
			break;
		case 't':
			if (ca_date_parse(optarg, NULL) != 0)
				return ca_cli_usage("moderate", "--today is a date written "
				    "YYYY-MM-DD, not '%s'", optarg);
			actor.today = optarg;
			break;
		case 'd': db = optarg; break;
		default: return ca_cli_usage("moderate", "unknown option");
		}
	}
	if (optind + 1 != argc)
		return ca_cli_usage("moderate", "moderate takes one audit ID");
	if (ca_cli_parse_u64(argv[optind], INT64_MAX, &id) != 0)
		return ca_cli_usage("moderate", "ID must be an audit number, not '%s'",
		    argv[optind]);
	if (rq.grade == NULL)
		return ca_cli_usage("moderate", "--grade G is required: the grade the moderator "
		    "would give");
	if (actor.as == NULL)
		return ca_cli_usage("moderate", "--as STAFF is required: who is moderating");
	if ((rc = ca_cli_connect(db, &conn)) != 0)
		return rc;
	rc = ca_moderate(conn, &actor, (long long)id, &rq, &out, &err);
	ca_db_close(conn);
	if (rc == CA_EX_USAGE)
		return ca_cli_usage("moderate", "%s", err.msg);
	if (rc != 0)
		return ca_cli_fail(&err);
	printf("audit %llu moderated (submission %d%s): grade %s, the auditor's %s; "
	    "%ld rating%s agreed, %ld not%s\n", (unsigned long long)id, out.submission,
	    out.requested ? ", on request" : "", rq.grade, out.auditor_grade, out.agreed,
	    out.agreed == 1 ? "" : "s", out.disagreed,
	    rq.return_audit ? "; returned to its auditor" : "");
	return 0;
}

/* ---- moderation list ---------------------------------------------------- */

static const ca_column list_columns[] = {
	{ "id", "MODERATION", CA_COL_NUMBER },
	{ "audit", "AUDIT", CA_COL_NUMBER },
	{ "submission", "SUB", CA_COL_NUMBER },
	{ "reason", "WHY", CA_COL_TEXT },
	{ "status", "STATUS", CA_COL_TEXT },
	{ "moderator", "MODERATOR", CA_COL_TEXT },
	{ "auditor", "AUDITOR", CA_COL_TEXT },
	{ "selected_on", "SELECTED", CA_COL_DATE },
	{ "auditor_grade", "AUDITOR'S GRADE", CA_COL_TEXT },
	{ "grade", "MODERATOR'S GRADE", CA_COL_TEXT },
	{ "returned", "RETURNED", CA_COL_BOOL },
	{ "done_on", "DONE", CA_COL_DATE },
};

static int
moderation_list(int argc, char **argv)
{
	static const struct option options[] = {
		{ "moderator", required_argument, NULL, 'm' },
		{ "status", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const statuses[] = { "waiting", "pending", "done", "withdrawn", NULL };
	const char *moderator = NULL, *status = NULL, *db = NULL;
	ca_format fmt = CA_FORMAT_TABLE;
	ca_err err = { 0 };
	PGconn *conn;
	PGresult *res;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (ch) {
		case 'm': moderator = optarg; break;
		case 's':
			for (const char *const *s = statuses; *s != NULL; s++)
				if (strcmp(optarg, *s) == 0)
					status = optarg;
			if (status == NULL)
				return ca_cli_usage("moderation", "--status is waiting, pending, "
				    "done or withdrawn, not '%s'", optarg);
			break;
		case 'f':
			if ((rc = ca_format_parse("moderation", optarg, &fmt)) != 0)
				return rc;
			break;
		case 'd': db = optarg; break;
		default: return ca_cli_usage("moderation", "unknown option");
		}
	}
	if (optind != argc)
		return ca_cli_usage("moderation", "unexpected argument '%s'", argv[optind]);
	if ((rc = ca_cli_connect(db, &conn)) != 0)
		return rc;
	{
		const char *p[2] = { moderator, status };

		res = ca_db_query(conn, &err, "listing moderations",
		    "SELECT * FROM (SELECT m.id, m.audit_id, m.submission, m.reason,"
		    "  CASE WHEN m.status = 'pending' AND m.moderator_id IS NULL THEN 'waiting'"
		    "   ELSE m.status END AS status, ms.staff_ref AS moderator, a.staff_ref,"
		    "  m.selected_on, m.auditor_grade, m.grade, m.returned, m.done_on"
		    " FROM moderations m JOIN audits au ON au.id = m.audit_id"
		    " LEFT JOIN staff ms ON ms.id = m.moderator_id"
		    " LEFT JOIN staff a ON a.id = au.auditor_id) x"
		    " WHERE ($1::text IS NULL OR moderator = $1)"
		    "   AND ($2::text IS NULL OR status = $2)"
		    " ORDER BY array_position(ARRAY['waiting', 'pending', 'done', 'withdrawn'],"
		    "  status), selected_on, id", 2, p);
	}
	ca_db_close(conn);
	if (res == NULL)
		return ca_cli_fail(&err);
	ca_listing_print(stdout, res, list_columns, 12, fmt, "No moderations match.");
	PQclear(res);
	return 0;
}

int
ca_cmd_moderation(int argc, char **argv)
{
	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_moderation);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return moderation_list(argc - 1, argv + 1);
	return ca_cli_usage("moderation", "say list or stats");
}
