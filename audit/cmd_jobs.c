/*
 * cmd_jobs.c - `caseaudit jobs`: list the daemon's work queue, and put a
 * dead job back to run (`caseaudit jobs retry ID`).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "jobs.h"
#include "listing.h"

const char ca_help_jobs[] =
	"usage: caseaudit jobs [--failed] [--all] [--format table|csv|json] [--db CONNINFO]\n"
	"       caseaudit jobs retry ID [--db CONNINFO]\n"
	"\n"
	"List the jobs of the daemon's work queue (see `caseauditd --help`): by\n"
	"default those queued, running or dead; with --failed those that are dead\n"
	"or have failed at least once and wait for another attempt; with --all every\n"
	"job, including those done in the last seven days (older ones are purged).\n"
	"\n"
	"columns: id, kind, key (the work it does, such as sample:3:2026-10),\n"
	"state (queued, running, done or dead), attempts, run_after (not before this\n"
	"time, UTC) and last_error.\n"
	"\n"
	"A job that failed is tried again after 30 s, 1 min, 2 min... and after its\n"
	"last attempt (5 by default) is `dead`: it stays in the queue with its error\n"
	"until somebody has dealt with the cause and runs `caseaudit jobs retry ID`,\n"
	"which queues it to run now with its attempts counted from zero.  Only a\n"
	"dead or queued job can be retried, and not while another job for the same\n"
	"work is queued or running.\n"
	"\n"
	"options:\n"
	"  --failed         dead jobs and jobs waiting after a failure\n"
	"  --all            include jobs that are done\n"
	"  --format F       table (default), csv or json\n"
	"  --db CONNINFO    the database (default: libpq's PG* environment)\n"
	"\n"
	"exit status: 0 ok, 64 usage, 65 no such job or it cannot be retried,\n"
	"69 database unavailable, 70 internal error, 74 output error\n";

static const ca_column columns[] = {
	{ "id", "ID", CA_COL_NUMBER },
	{ "kind", "KIND", CA_COL_TEXT },
	{ "key", "KEY", CA_COL_TEXT },
	{ "state", "STATE", CA_COL_TEXT },
	{ "attempts", "ATTEMPTS", CA_COL_NUMBER },
	{ "run_after", "RUN AFTER (UTC)", CA_COL_TEXT },
	{ "last_error", "LAST ERROR", CA_COL_TEXT },
};

static int
list_jobs(const char *conninfo, int failed, int all, ca_format fmt)
{
	const char *params[2] = { failed ? "true" : "false", all ? "true" : "false" };
	ca_err err = { 0 };
	PGresult *res;
	PGconn *conn;
	int rc;

	if ((rc = ca_cli_connect(conninfo, &conn)) != 0)
		return rc;
	res = ca_db_query(conn, &err, "jobs: listing the queue",
	    "SELECT id, kind, key, state, attempts,"
	    " to_char(run_after AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	    " last_error"
	    " FROM jobs"
	    " WHERE ($2::boolean OR state <> 'done')"
	    "   AND (NOT $1::boolean OR state = 'dead' OR last_error IS NOT NULL)"
	    " ORDER BY id", 2, params);
	ca_db_close(conn);
	if (res == NULL)
		return ca_cli_fail(&err);
	ca_listing_print(stdout, res, columns, 7, fmt, "No jobs.");
	PQclear(res);
	if (rc == 0 && fflush(stdout) != 0)
		rc = ca_err_set(&err, CA_EX_IOERR, "jobs: cannot write the list");
	return rc != 0 ? ca_cli_fail(&err) : 0;
}

static int
retry_job(const char *conninfo, const char *idtext)
{
	ca_err err = { 0 };
	PGconn *conn;
	char *end;
	long long id;
	int rc;

	id = strtoll(idtext, &end, 10);
	if (*idtext == '\0' || *end != '\0' || id < 1)
		return ca_cli_usage("jobs", "jobs retry takes a job number, not '%s'", idtext);
	if ((rc = ca_cli_connect(conninfo, &conn)) != 0)
		return rc;
	rc = ca_job_retry(conn, id, &err);
	ca_db_close(conn);
	if (rc != 0)
		return ca_cli_fail(&err);
	printf("job %lld is queued to run now\n", id);
	return 0;
}

int
ca_cmd_jobs(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "failed", no_argument, NULL, 'F' },
		{ "all", no_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conninfo = NULL;
	ca_format fmt = CA_FORMAT_TABLE;
	int ch, rc, failed = 0, all = 0, format_given = 0;

	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_jobs);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'F':
			failed = 1;
			break;
		case 'a':
			all = 1;
			break;
		case 'f':
			format_given = 1;
			if ((rc = ca_format_parse("jobs", optarg, &fmt)) != 0)
				return rc;
			break;
		case 'd':
			conninfo = optarg;
			break;
		default:
			return ca_cli_usage("jobs", "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind < argc && strcmp(argv[optind], "retry") == 0) {
		if (failed || all || format_given)
			return ca_cli_usage("jobs", "jobs retry takes no --failed, --all or --format");
		if (optind + 1 >= argc)
			return ca_cli_usage("jobs", "jobs retry needs the number of the job");
		if (optind + 2 < argc)
			return ca_cli_usage("jobs", "unexpected argument '%s'", argv[optind + 2]);
		return retry_job(conninfo, argv[optind + 1]);
	}
	if (optind < argc)
		return ca_cli_usage("jobs", "unexpected argument '%s'", argv[optind]);
	return list_jobs(conninfo, failed, all, fmt);
}
