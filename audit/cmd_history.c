/*
 * cmd_history.c - `caseaudit history ID`: an audit's trail, every change
 * with who made it and what it was before and after.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "db.h"
#include "history.h"

const char ca_help_history[] =
	"usage: caseaudit history ID [--format table|csv|json] [--db CONNINFO]\n"
	"\n"
	"Print audit ID's trail, oldest first: when (UK time), who, what, on what\n"
	"(the audit, or one of its actions, moderations or escalations), and what\n"
	"changed, before and after.  Nothing in the trail can be changed or deleted:\n"
	"the database refuses.\n"
	"\n"
	"exit status: 0 done, 64 usage, 65 no such audit, 69 database unavailable,\n"
	"70 internal error\n";

int
ca_cmd_history(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = NULL, *p[1];
	ca_format fmt = CA_FORMAT_TABLE;
	PGresult *res = NULL, *exists;
	ca_err err = { 0 };
	PGconn *conn;
	uint64_t id;
	int ch, rc;

	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_history);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (ch == 'f') {
			if ((rc = ca_format_parse("history", optarg, &fmt)) != 0)
				return rc;
		} else if (ch == 'd') {
			db = optarg;
		} else {
			return ca_cli_usage("history", "unknown option");
		}
	}
	if (optind + 1 != argc)
		return ca_cli_usage("history", "history takes one audit ID");
	if (ca_cli_parse_u64(argv[optind], INT64_MAX, &id) != 0 || id == 0)
		return ca_cli_usage("history", "ID must be an audit number, not '%s'",
		    argv[optind]);
	if ((rc = ca_cli_connect(db, &conn)) != 0)
		return rc;
	p[0] = argv[optind];
	exists = ca_db_query(conn, &err, "reading the audit",
	    "SELECT 1 FROM audits WHERE id = $1", 1, p);
	if (exists == NULL)
		rc = err.code;
	else if (PQntuples(exists) == 0)
		rc = ca_err_set(&err, CA_EX_DATAERR, "there is no audit %s", p[0]);
	else if ((res = ca_history_query(conn, p[0], &err)) == NULL)
		rc = err.code;
	else
		ca_listing_print(stdout, res, ca_history_columns, CA_HISTORY_COLUMNS, fmt,
		    "Nothing has happened to this audit yet.");
	PQclear(exists);
	PQclear(res);
	ca_db_close(conn);
	return rc != 0 ? ca_cli_fail(&err) : 0;
}
