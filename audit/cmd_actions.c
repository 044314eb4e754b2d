/*
 * cmd_actions.c - actions agreed from audits: `caseaudit actions` (listing
 * them) and `caseaudit action done` (closing one).  `caseaudit audit
 * action` adds one (cmd_audit.c).  The rules are actions.h's.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "cli.h"
#include "date.h"
#include "db.h"
#include "escalations.h"
#include "listing.h"

const char ca_help_actions[] =
	"usage: caseaudit actions [--owner OWNER] [--overdue] [--audit ID] [--open|--all]\n"
	"                         [--today YYYY-MM-DD] [--format table|csv|json]\n"
	"                         [--db CONNINFO]\n"
	"\n"
	"List actions agreed from audits, open ones first and the most overdue of\n"
	"those first: action number, audit, owner (staff ref or organisation) and\n"
	"whether a member of staff or an organisation, due date, status, who agreed\n"
	"it, when it was done, whether it is overdue and by how many days, and the\n"
	"action itself.  The daemon reminds owners of actions due within three days\n"
	"and overdue, and tells the QA leads of those a week overdue.\n"
	"\n"
	"  --owner OWNER   only actions owned by this member of staff or\n"
	"                  organisation (staff:REF or org:NAME to say which)\n"
	"  --overdue       only open actions past their due date\n"
	"  --audit ID      only the actions of this audit\n"
	"  --open          only open actions (the default)\n"
	"  --all           done actions too\n"
	"  --today DATE    count overdue days as on DATE; default: today\n"
	"  --format F      table (default), csv or json\n"
	"\n"
	"exit status: 0 done, 64 usage, 69 database unavailable, 70 internal error\n";

const char ca_help_action[] =
	"usage: caseaudit action done ID --as STAFF [--today YYYY-MM-DD] [--db CONNINFO]\n"
	"\n"
	"done: mark action ID done.  The member of staff who owns it, any active\n"
	"  staff of the organisation that owns it, or a QA lead may; it is recorded\n"
	"  in the trail with who and when.\n"
	"\n"
	"  --as STAFF      who is marking it done (CASEAUDIT_AS in the environment if\n"
	"                  not given)\n"
	"  --today DATE    act as on DATE (simulations); default: today\n"
	"\n"
	"exit status: 0 done, 64 usage, 65 not allowed (with the reason),\n"
	"69 database unavailable, 70 internal error\n";

enum { OPT_OWNER = 256, OPT_OVERDUE, OPT_AUDIT, OPT_OPEN, OPT_ALL, OPT_TODAY, OPT_AS,
	OPT_FORMAT, OPT_DB };

/* --today DATE, for acting or counting as on another day (simulations). */
static int
parse_today(const char *command, const char *arg, char *today)
{
	if (ca_date_parse(arg, NULL) != 0)
		return ca_cli_usage(command, "--today must be a date as YYYY-MM-DD, not '%s'", arg);
	snprintf(today, 11, "%s", arg);
	return 0;
}

/* An action's or an audit's number. */
static int
parse_number(const char *command, const char *what, const char *arg, long long *id)
{
	uint64_t v;

	if (ca_cli_parse_u64(arg, INT64_MAX, &v) != 0 || v == 0)
		return ca_cli_usage(command, "%s must be %s number, not '%s'", what,
		    strcmp(what, "--audit") == 0 ? "an audit" : "an action", arg);
	*id = (long long)v;
	return 0;
}

/* ---- the listing -------------------------------------------------------- */

static const ca_column columns[] = {
	{ "id", "ACTION", CA_COL_NUMBER },
	{ "audit", "AUDIT", CA_COL_NUMBER },
	{ "owner", "OWNER", CA_COL_TEXT },
	{ "owner_kind", "KIND", CA_COL_TEXT },
	{ "due_on", "DUE", CA_COL_DATE },
	{ "status", "STATUS", CA_COL_TEXT },
	{ "created_by", "AGREED BY", CA_COL_TEXT },
	{ "done_on", "DONE", CA_COL_DATE },
	{ "overdue", "OVERDUE", CA_COL_BOOL },
	{ "days_overdue", "DAYS", CA_COL_NUMBER },
	{ "text", "ACTION TEXT", CA_COL_TEXT },
};

int
ca_cmd_actions(int argc, char **argv)
{
	static const struct option options[] = {
		{ "owner", required_argument, NULL, OPT_OWNER },
		{ "overdue", no_argument, NULL, OPT_OVERDUE },
		{ "audit", required_argument, NULL, OPT_AUDIT },
		{ "open", no_argument, NULL, OPT_OPEN },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "today", required_argument, NULL, OPT_TODAY },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "db", required_argument, NULL, OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *owner = NULL, *kind = NULL, *audit = NULL, *db = NULL, *p[6];
	char today[11] = "";
	ca_format fmt = CA_FORMAT_TABLE;
	ca_err err = { 0 };
	PGconn *conn;
	PGresult *res;
	long long id;
	int ch, rc, overdue = 0, all = 0, open = 0;

	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_actions);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (ch) {
		case OPT_OWNER: owner = optarg; break;
		case OPT_OVERDUE: overdue = 1; break;
		case OPT_AUDIT:
			if ((rc = parse_number("actions", "--audit", optarg, &id)) != 0)
				return rc;
			audit = optarg;
			break;
		case OPT_OPEN: open = 1; break;
		case OPT_ALL: all = 1; break;
		case OPT_TODAY:
			if ((rc = parse_today("actions", optarg, today)) != 0)
				return rc;
			break;
		case OPT_FORMAT:
			if ((rc = ca_format_parse("actions", optarg, &fmt)) != 0)
				return rc;
			break;
		case OPT_DB: db = optarg; break;
		default: return ca_cli_usage("actions", "unknown option");
		}
	}
	if (optind != argc)
		return ca_cli_usage("actions", "unexpected argument '%s'", argv[optind]);
	if (open && all)
		return ca_cli_usage("actions", "say --open or --all, not both");
	/* a name that is not text would reach the server as an encoding error */
	if (owner != NULL && ca_wf_check_text(owner, "--owner", 1, &err) != 0)
		return ca_cli_fail(&err);
	if (owner != NULL && strncmp(owner, "staff:", 6) == 0) {
		kind = "staff";
		owner += 6;
	} else if (owner != NULL && strncmp(owner, "org:", 4) == 0) {
		kind = "organisation";
		owner += 4;
	}
	if ((rc = ca_cli_connect(db, &conn)) != 0)
		return rc;
	p[0] = today[0] ? today : NULL; p[1] = owner; p[2] = kind; p[3] = overdue ? "t" : "f";
	p[4] = audit; p[5] = all ? "t" : "f";
	res = ca_db_query(conn, &err, "listing actions",
	    "WITH x AS (SELECT x.*, coalesce(s.staff_ref, o.name) AS owner,"
	    "   CASE WHEN x.owner_staff_id IS NULL THEN 'organisation' ELSE 'staff' END AS kind,"
	    "   x.status = 'open' AND x.due_on < d.today AS late,"
	    "   CASE WHEN x.status = 'open' THEN greatest(d.today - x.due_on, 0) END AS days"
	    "   FROM actions x CROSS JOIN (SELECT coalesce($1::date, current_date) AS today) d"
	    "   LEFT JOIN staff s ON s.id = x.owner_staff_id"
	    "   LEFT JOIN organisations o ON o.id = x.owner_organisation_id)"
	    " SELECT x.id, x.audit_id, x.owner, x.kind, x.due_on, x.status, c.staff_ref,"
	    "  x.done_on, x.late, x.days, x.text"
	    " FROM x JOIN staff c ON c.id = x.created_by"
	    " WHERE ($2::text IS NULL OR x.owner = $2) AND ($3::text IS NULL OR x.kind = $3)"
	    "   AND (NOT $4::boolean OR x.late)"
	    "   AND ($5::bigint IS NULL OR x.audit_id = $5::bigint)"
	    "   AND ($6::boolean OR x.status = 'open')"
	    " ORDER BY x.status = 'done', x.due_on, x.id", 6, p);
	if (res != NULL && fmt == CA_FORMAT_TABLE && ca_escalations_banner(conn, stdout, &err)
	    != 0) {
		PQclear(res);
		res = NULL;
	}
	if (res != NULL)
		ca_listing_print(stdout, res, columns, 11, fmt, all ? "No actions match." :
		    "No open actions match (`--all` shows done ones too).");
	PQclear(res);
	ca_db_close(conn);
	return res == NULL ? ca_cli_fail(&err) : 0;
}

/* ---- closing one ------------------------------------------------------- */

static int
action_done(int argc, char **argv)
{
	static const struct option options[] = {
		{ "as", required_argument, NULL, OPT_AS },
		{ "today", required_argument, NULL, OPT_TODAY },
		{ "db", required_argument, NULL, OPT_DB },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = NULL;
	char today[11] = "";
	ca_actor actor = { 0 };
	ca_err err = { 0 };
	PGconn *conn;
	long long id;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (ch) {
		case OPT_AS: actor.as = optarg; break;
		case OPT_TODAY:
			if ((rc = parse_today("action", optarg, today)) != 0)
				return rc;
			actor.today = today;
			break;
		case OPT_DB: db = optarg; break;
		default: return ca_cli_usage("action", "unknown option");
		}
	}
	if (optind + 1 != argc)
		return ca_cli_usage("action", "action done takes one action ID");
	if ((rc = parse_number("action", "ID", argv[optind], &id)) != 0)
		return rc;
	/* as for `caseaudit audit`: the environment may say who is acting */
	if (actor.as == NULL && (actor.as = getenv("CASEAUDIT_AS")) != NULL &&
	    actor.as[0] == '\0')
		actor.as = NULL;
	if (actor.as == NULL)
		return ca_cli_usage("action", "--as STAFF is required: who is marking it done "
		    "(or set CASEAUDIT_AS)");
	if ((rc = ca_cli_connect(db, &conn)) != 0)
		return rc;
	rc = ca_action_done(conn, &actor, id, &err);
	ca_db_close(conn);
	if (rc != 0)
		return ca_cli_fail(&err);
	printf("action %lld done\n", id);
	return 0;
}

int
ca_cmd_action(int argc, char **argv)
{
	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_action);
	if (argc >= 2 && strcmp(argv[1], "done") == 0)
		return action_done(argc - 1, argv + 1);
	return ca_cli_usage("action", "say done");
}
