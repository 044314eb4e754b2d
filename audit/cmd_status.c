/*
 * cmd_status.c - `caseaudit status`: is the daemon alive, how much work is
 * waiting, and when each sampling plan runs next.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "date.h"
#include "db.h"
#include "output.h"
#include "work.h"
#include "strbuf.h"

const char ca_help_status[] =
	"usage: caseaudit status [--format table|json] [--db CONNINFO]\n"
	"\n"
	"Show what the daemons are doing:\n"
	"  daemons     each caseauditd that has recorded a heartbeat: alive when seen\n"
	"              in the last 3 minutes (a daemon records one at least every\n"
	"              tick, 60 s by default), idle or working and on which job, and\n"
	"              how long ago it was seen.  A daemon that stopped cleanly has\n"
	"              removed its heartbeat; one that is listed but not alive was\n"
	"              killed or lost its database.\n"
	"  queue       jobs queued (and of those, runnable now), running, and dead;\n"
	"              `caseaudit jobs --failed` lists the dead ones\n"
	"  plans       for each sampling plan, the next period to be sampled (the\n"
	"              earliest period from the plan's first period that has no run)\n"
	"              and the day it is due, the day after the period ends; or\n"
	"              \"paused\"\n"
	"\n"
	"options:\n"
	"  --format F       table (default) or json\n"
	"  --db CONNINFO    the database (default: libpq's PG* environment)\n"
	"\n"
	"exit status: 0 ok, 64 usage, 69 database unavailable, 70 internal error,\n"
	"74 output error\n";

enum format { FMT_TABLE, FMT_JSON };

static const char daemons_sql[] =
	"SELECT daemon_id, host, pid, version, state, coalesce(job_id::text, ''),"
	" to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" to_char(seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" greatest(0, extract(epoch FROM now() - seen_at))::bigint,"
	" seen_at > now() - interval '3 minutes'"
	" FROM daemon_heartbeats ORDER BY daemon_id";

static const char queue_sql[] =
	"SELECT count(*) FILTER (WHERE state = 'queued'),"
	" count(*) FILTER (WHERE state = 'queued' AND run_after <= now()),"
	" count(*) FILTER (WHERE state = 'running'),"
	" count(*) FILTER (WHERE state = 'dead')"
	" FROM jobs";

typedef struct status {
	PGresult *daemons, *queue;
	ca_next_run *plans;
	size_t nplans;
} status;

static int
load(PGconn *conn, status *s, ca_err *err)
{
	if ((s->daemons = ca_db_query(conn, err, "status: reading heartbeats", daemons_sql,
	    0, NULL)) == NULL ||
	    (s->queue = ca_db_query(conn, err, "status: counting jobs", queue_sql,
	    0, NULL)) == NULL ||
	    ca_work_next_runs(conn, &s->plans, &s->nplans, err) != 0)
		return err->code;
	return 0;
}

static const char *
v(const PGresult *res, int row, int col)
{
	return PQgetvalue(res, row, col);
}

static int
yes(const PGresult *res, int row, int col)
{
	return strcmp(PQgetvalue(res, row, col), "t") == 0;
}

static void
print_table(const status *s)
{
	int n = PQntuples(s->daemons);

	printf("daemons:\n");
	if (n == 0)
		printf("  none running\n");
	for (int i = 0; i < n; i++) {
		printf("  %-30s %-9s %-8s", v(s->daemons, i, 0),
		    yes(s->daemons, i, 9) ? "alive" : "not seen", v(s->daemons, i, 4));
		if (*v(s->daemons, i, 5))
			printf(" job %s", v(s->daemons, i, 5));
		printf("  seen %s s ago, version %s\n", v(s->daemons, i, 8), v(s->daemons, i, 3));
	}
	printf("\nqueue: %s queued (%s runnable now), %s running, %s dead\n",
	    v(s->queue, 0, 0), v(s->queue, 0, 1), v(s->queue, 0, 2), v(s->queue, 0, 3));
	if (strcmp(v(s->queue, 0, 3), "0") != 0)
		printf("       see `caseaudit jobs --failed`\n");
	printf("\nnext sampling runs:\n");
	if (s->nplans == 0)
		printf("  no sampling plans\n");
	for (size_t i = 0; i < s->nplans; i++) {
		char due[11];

		printf("  %-30s %-8s ", s->plans[i].plan, s->plans[i].every);
		ca_date_uk(s->plans[i].due, due);
		if (s->plans[i].paused)
			printf("paused\n");
		else
			printf("%-8s due %s\n", s->plans[i].period, due);
	}
}

static void
json_daemons(ca_strbuf *b, const PGresult *r)
{
	static const char *const names[] = { "daemon_id", "host", "pid", "version", "state",
		"job_id", "started_at", "seen_at", "seen_seconds_ago", "alive" };

	ca_strbuf_adds(b, "\"daemons\": [");
	for (int i = 0; i < PQntuples(r); i++) {
		ca_strbuf_adds(b, i ? ", {" : "{");
		for (int c = 0; c < 10; c++) {
			ca_strbuf_addf(b, "%s\"%s\": ", c ? ", " : "", names[c]);
			if (c == 2 || c == 8)
				ca_strbuf_adds(b, v(r, i, c));
			else if (c == 5)
				ca_strbuf_adds(b, *v(r, i, c) ? v(r, i, c) : "null");
			else if (c == 9)
				ca_strbuf_adds(b, yes(r, i, c) ? "true" : "false");
			else
				ca_json_string(b, v(r, i, c));
		}
		ca_strbuf_adds(b, "}");
	}
	ca_strbuf_adds(b, "]");
}

static void
json_plans(ca_strbuf *b, const ca_next_run *p, size_t n)
{
	ca_strbuf_adds(b, "\"plans\": [");
	for (size_t i = 0; i < n; i++) {
		ca_strbuf_adds(b, i ? ", {\"plan\": " : "{\"plan\": ");
		ca_json_string(b, p[i].plan);
		ca_strbuf_adds(b, ", \"every\": ");
		ca_json_string(b, p[i].every);
		ca_strbuf_addf(b, ", \"paused\": %s, \"next_period\": ",
		    p[i].paused ? "true" : "false");
		if (p[i].paused) {
			ca_strbuf_adds(b, "null, \"due_on\": null}");
		} else {
			ca_json_string(b, p[i].period);
			ca_strbuf_adds(b, ", \"due_on\": ");
			ca_json_string(b, p[i].due);
			ca_strbuf_adds(b, "}");
		}
	}
	ca_strbuf_adds(b, "]");
}

static int
print_json(const status *s)
{
	ca_strbuf b;
	int ok;

	ca_strbuf_init(&b);
	ca_strbuf_adds(&b, "{");
	json_daemons(&b, s->daemons);
	ca_strbuf_addf(&b, ",\n \"queue\": {\"queued\": %s, \"runnable\": %s, \"running\": %s, "
	    "\"dead\": %s},\n ", v(s->queue, 0, 0), v(s->queue, 0, 1), v(s->queue, 0, 2),
	    v(s->queue, 0, 3));
	json_plans(&b, s->plans, s->nplans);
	ca_strbuf_adds(&b, "}\n");
	ok = !ca_strbuf_failed(&b);
	if (ok)
		fputs(b.data, stdout);
	ca_strbuf_free(&b);
	return ok;
}

static int
show_status(const char *conninfo, enum format fmt)
{
	status s = { NULL, NULL, NULL, 0 };
	ca_err err = { 0 };
	PGconn *conn;
	int rc;

	if ((rc = ca_cli_connect(conninfo, &conn)) != 0)
		return rc;
	rc = load(conn, &s, &err);
	ca_db_close(conn);
	if (rc == 0) {
		if (fmt == FMT_JSON) {
			if (!print_json(&s))
				rc = ca_err_set(&err, CA_EX_SOFTWARE, "status: out of memory");
		} else {
			print_table(&s);
		}
		if (rc == 0 && fflush(stdout) != 0)
			rc = ca_err_set(&err, CA_EX_IOERR, "status: cannot write the status");
	}
	PQclear(s.daemons);
	PQclear(s.queue);
	free(s.plans);
	return rc != 0 ? ca_cli_fail(&err) : 0;
}

int
ca_cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conninfo = NULL;
	enum format fmt = FMT_TABLE;
	int ch;

	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_status);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "table") == 0)
				fmt = FMT_TABLE;
			else if (strcmp(optarg, "json") == 0)
				fmt = FMT_JSON;
			else
				return ca_cli_usage("status", "--format is table or json, not '%s'",
				    optarg);
			break;
		case 'd':
			conninfo = optarg;
			break;
		default:
			return ca_cli_usage("status", "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return ca_cli_usage("status", "unexpected argument '%s'", argv[optind]);
	return show_status(conninfo, fmt);
}
