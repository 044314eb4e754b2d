/*
 * cmd_migrate.c - `caseaudit migrate`: bring the schema up to date.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "db.h"
#include "migrate.h"

const char ca_help_migrate[] =
	"usage: caseaudit migrate [--db CONNINFO] [--dir DIR]\n"
	"\n"
	"Apply the database migrations that have not been applied yet, in order,\n"
	"each in its own transaction.  Running it again does nothing.  A migration\n"
	"that was changed after it was applied is refused (exit 65) and named.\n"
	"Several migrate commands at once are safe: they wait for each other.\n"
	"\n"
	"options:\n"
	"  --db CONNINFO  the database (default: libpq's PG* environment)\n"
	"  --dir DIR      apply NNNN_name.sql files from DIR instead of the\n"
	"                 migrations built into this program\n";

int
ca_cmd_migrate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "dir", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conninfo = NULL, *dir = NULL;
	ca_migrate_result result;
	ca_err err = { 0 };
	PGconn *conn;
	int ch, rc;

	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_migrate);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			conninfo = optarg;
			break;
		case 'D':
			dir = optarg;
			break;
		default:
			return ca_cli_usage("migrate", "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return ca_cli_usage("migrate", "unexpected argument '%s'", argv[optind]);
	if ((rc = ca_cli_connect(conninfo, &conn)) != 0)
		return rc;
	rc = ca_migrate(conn, dir, stdout, &result, &err);
	ca_db_close(conn);
	if (rc != 0)
		return ca_cli_fail(&err);
	if (result.unknown > 0)
		fprintf(stderr, "caseaudit: warning: the database has %d migration%s this program "
		    "does not know (first: %s); it was migrated by a newer caseaudit\n",
		    result.unknown, result.unknown == 1 ? "" : "s", result.first_unknown);
	if (result.applied == 0)
		printf("schema up to date (%d migrations applied)\n", result.present);
	else
		printf("applied %d migration%s; %d already present\n", result.applied,
		    result.applied == 1 ? "" : "s", result.present);
	return 0;
}
