/*
 * daemon.h - caseauditd's loop as library code: the scheduler tick, the
 * job runner, waking on LISTEN/NOTIFY, riding out a database that goes
 * away, heartbeats, signals and the configuration file.
 *
 * The loop is here rather than in caseauditd.c so that tests and other
 * front ends can run it; caseauditd.c only parses the command line.
 *
 * What a cycle does: ask work.h's scheduler to queue whatever is due
 * (ca_work_schedule), then claim and run jobs (jobs.h) until none is
 * runnable.  A cycle runs at start, every tick, when a notification on
 * channel caseaudit_work arrives (a hint only: the tick still runs), and
 * after every reconnection (notifications sent while disconnected are
 * lost, so the cycle catches up).
 *
 * Everything the daemon does is logged to the log stream as one line per
 * event, key=value pairs with a UTC timestamp first:
 *   ts=2026-11-22T14:03:05Z level=info event=job_done job=12 kind=sample ...
 * Values holding spaces are quoted.  No personal data is ever logged.
 */
#ifndef CASEAUDIT_DAEMON_H
#define CASEAUDIT_DAEMON_H

#include <stdio.h>

#include "error.h"
#include "work.h"

/* What the configuration file sets.  The file is `key = value` lines; a
 * `#` starts a comment.  Keys not in the file keep their defaults. */
typedef struct ca_daemon_config {
	int tick_seconds;    /* schedule at least this often (60) */
	int lease_seconds;   /* a claimed job's lease (300) */
	ca_work_config work; /* remind_days, escalate_days, screen_batch */
} ca_daemon_config;

/* One problem found in a configuration file. */
typedef struct ca_config_problem {
	int line;
	char text[160];
} ca_config_problem;

#define CA_CONFIG_MAX_PROBLEMS 16

typedef struct ca_config_problems {
	int count;          /* may exceed CA_CONFIG_MAX_PROBLEMS; the rest are not kept */
	ca_config_problem p[CA_CONFIG_MAX_PROBLEMS];
} ca_config_problems;

/* Fill cfg from base, then from the file at path.  Returns 0; 66 when the
 * file cannot be read; 64 when it has problems, which are listed in
 * *problems (cfg is then untouched, so a reload keeps the old settings). */
int ca_daemon_config_load(const char *path, const ca_daemon_config *base,
    ca_daemon_config *cfg, ca_config_problems *problems, ca_err *err);

typedef struct ca_daemon_opts {
	const char *conninfo;     /* NULL or "": the libpq environment */
	int once;                 /* do the due work and return */
	const char *config_path;  /* NULL: no configuration file */
	char today[11];           /* YYYY-MM-DD, or "" for the real date in Europe/London */
	int lease_seconds;        /* 300, unless the configuration file says otherwise */
	int tick_seconds;         /* 60, likewise */
	char daemon_id[300];      /* host:pid */
	FILE *log;                /* where events go (stderr) */
} ca_daemon_opts;

/* Defaults, with daemon_id set to this host and process. */
void ca_daemon_opts_defaults(ca_daemon_opts *o);

/* Run the daemon until SIGTERM or SIGINT (returns 0), or with once set
 * until no job is runnable.  Installs handlers for SIGTERM, SIGINT and
 * SIGHUP (restored on return) and ignores SIGPIPE.
 *
 * Returns 0; 64 or 66 when the configuration file is bad or missing at
 * start; 69 when, with once set, the database cannot be reached at start
 * (without once the daemon waits for it, however long); 75 when, with
 * once set, a job failed (it is queued again or dead) or the connection
 * was lost; 70 on an internal error. */
int ca_daemon_run(const ca_daemon_opts *o, ca_err *err);

#endif
