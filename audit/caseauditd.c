/*
 * caseauditd.c - the caseaudit daemon's command line.  The loop itself is
 * library code (daemon.c); this file only turns arguments into options.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "daemon.h"
#include "date.h"
#include "error.h"
#include "heap.h"
#include "programs.h"
#include "version.h"

static const char help[] =
	"usage: caseauditd [--once] [--config FILE] [--today YYYY-MM-DD] [--db CONNINFO]\n"
	"       caseauditd --help | --version\n"
	"\n"
	"The caseaudit daemon does the work that nobody should have to remember: it\n"
	"screens newly imported assessments, opens each sampling plan's run when a\n"
	"period has ended, draws and assigns the sample, chases audits that are\n"
	"due soon or overdue, selects submitted audits for moderation and gives\n"
	"them a moderator, and renders each period's board report once its audits\n"
	"are due (kept in the database: `caseaudit report list`).  The work is a\n"
	"queue of jobs in the database (see `caseaudit jobs` and `caseaudit\n"
	"status`); any number of daemons, on one machine or several, can share it,\n"
	"and each job is done once.\n"
	"\n"
	"A daemon schedules and runs what is due when it starts, every tick (60 s),\n"
	"and at once when new work is announced in the database (LISTEN\n"
	"caseaudit_work).  Between times it sleeps and uses no processor time.  Each\n"
	"job's changes and its `done` commit together, so a daemon killed at any\n"
	"moment leaves nothing half-done, and the next daemon to look does the job\n"
	"again from the start.  A failed job is retried after 30 s, 1 min, 2 min...\n"
	"(at most an hour apart) and after 5 attempts is kept as `dead` with its\n"
	"error until `caseaudit jobs retry ID`.\n"
	"\n"
	"If the database goes away the daemon says so once (event=db_unavailable),\n"
	"tries again after 1 s, 2 s, 4 s... (at most 30 s apart), says when it is\n"
	"back (event=db_available) and carries on.  It never exits for that.\n"
	"\n"
	"options:\n"
	"  --once           schedule, run every job that is runnable now, and exit;\n"
	"                   does not wait for an unreachable database\n"
	"  --config FILE    read settings from FILE (below); SIGHUP reads it again\n"
	"  --today DATE     schedule as if today were DATE (YYYY-MM-DD), for tests and\n"
	"                   for catching up; default: today in Europe/London\n"
	"  --db CONNINFO    the database (default: libpq's PG* environment); never\n"
	"                   put a password here: use ~/.pgpass or a service file\n"
	"  --help           this text\n"
	"  --version        the version\n"
	"\n";

/* The rest of --help: one string would pass the length C99 compilers
 * must accept. */
static const char help_more[] =
	"configuration file: `key = value` lines; `#` starts a comment.\n"
	"  tick_seconds   = 60     schedule and look for jobs at least this often (1-3600)\n"
	"  lease_seconds  = 300    how long a claimed job stays this daemon's before\n"
	"                          another may take it over (5-86400); a job whose\n"
	"                          daemon died is taken over at once\n"
	"  remind_days    = 3      remind an auditor this many days before an audit is\n"
	"                          due (0-365)\n"
	"  escalate_days  = 7      tell the QA leads when an audit is this many days\n"
	"                          overdue (0-365)\n"
	"  screen_batch   = 1000   assessments screened per transaction (1-1000000)\n"
	"  report_after_days = 0   render a period's board report this many days\n"
	"                          after the last of its audits fell due (0-365)\n"
	"A problem is reported as FILE:LINE: what is wrong.  At start a bad file stops\n"
	"the daemon (exit 64); on SIGHUP the daemon logs the problems and keeps the\n"
	"settings it had.\n"
	"\n"
	"signals:\n"
	"  SIGTERM, SIGINT  finish the job in hand, remove the heartbeat, exit 0\n"
	"  SIGHUP           read the configuration file again (event=config_reloaded)\n"
	"\n"
	"log: one line per event on standard error, key=value pairs, for example\n"
	"  ts=2026-11-22T14:03:05Z level=info event=job_done job=12 kind=sample\n"
	"  key=sample:3:2026-10 attempts=1 ms=231 run=7 population=431 sample=40\n"
	"Values with spaces are quoted.  Events: starting, scheduled, job_start,\n"
	"job_done, job_failed, job_lost, job_interrupted, db_unavailable,\n"
	"db_available, config_reloaded, config_invalid, config_kept, jobs_purged,\n"
	"stopped.  The log never holds personal data.\n"
	"\n"
	"Each daemon records itself in daemon_heartbeats (host, process, version,\n"
	"idle or working, the job in hand) at start, at each job and every tick;\n"
	"`caseaudit status` shows them.\n"
	"\n"
	"exit status: 0 stopped by SIGTERM or SIGINT, or with --once all work done;\n"
	"64 usage or a bad configuration file; 66 the configuration file cannot be\n"
	"read; 69 with --once, the database cannot be reached; 70 internal error;\n"
	"75 with --once, a job failed (it will be retried) or the connection was lost\n";

static int
usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "caseauditd: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'caseauditd --help'.\n");
	return CA_EX_USAGE;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "config", required_argument, NULL, 'c' },
		{ "today", required_argument, NULL, 't' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	ca_daemon_opts o;
	ca_err err = { 0 };
	int ch, rc;

	setvbuf(stderr, NULL, _IONBF, 0);
	ca_heap_tune();
	/* The report job lives in reports/, which the library cannot link. */
	if (ca_reports_register_jobs() != 0) {
		fprintf(stderr, "caseauditd: registering the report job failed\n");
		return CA_EX_SOFTWARE;
	}
	ca_daemon_opts_defaults(&o);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			o.once = 1;
			break;
		case 'c':
			o.config_path = optarg;
			break;
		case 't':
			if (ca_date_parse(optarg, NULL) != 0)
				return usage("--today is a date written YYYY-MM-DD, not '%s'", optarg);
			snprintf(o.today, sizeof o.today, "%s", optarg);
			break;
		case 'd':
			o.conninfo = optarg;
			break;
		case 'h':
			fputs(help, stdout);
			fputs(help_more, stdout);
			return 0;
		case 'V':
			printf("caseauditd %s\n", CASEAUDIT_VERSION);
			return 0;
		default:
			return usage("unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage("unexpected argument '%s'", argv[optind]);
	rc = ca_daemon_run(&o, &err);
	if (rc != 0)
		fprintf(stderr, "caseauditd: %s\n", err.msg[0] ? err.msg : "failed");
	return rc;
}
