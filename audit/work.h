/*
 * work.h - what the daemon does: the scheduler that turns the calendar,
 * the plans and new imports into jobs, and the handlers that do each kind
 * of job.  The daemon (daemon.h) owns the loop, the queue and the
 * connection; this module owns the meaning of the work.
 *
 * Kinds, in the order they run (priority):
 *   screen  screen assessments that are new or changed (ca_screen_stored);
 *           manages its own transactions, one per batch
 *   sample  open one plan's run for one period, draw it and assign it;
 *           payload {"plan": ID, "period": "2025-03"}
 *   assign  assign audits left unassigned, now that capacity may have freed
 *   moderate  draw new submissions for moderation, choose each ended
 *           quarter's minimum per auditor, withdraw moderations of replaced
 *           submissions and give waiting ones a moderator
 *           (ca_moderation_run, moderation.h), as of the scheduler's today
 *   chase   reminders for audits and actions due soon and overdue,
 *           escalation to the QA leads past the escalation threshold
 *           (chase.h); payload {"date": D}
 *   close   close the submitted audits whose feedback window ended before
 *           today and that no moderation waits for (ca_audits_close_due);
 *           queued only when there is one, a job of its own so that
 *           closing can run again the same day once a moderation is done
 *   report  render the board report of one period and store it (reports/,
 *           which this library cannot link: caseauditd registers the kind
 *           with ca_work_register); queued for each period of the sampling
 *           runs once the latest due date of its audits is more than
 *           report_after_days before today, while no board report of the
 *           period is stored and no job for it is dead; payload
 *           {"kind": "board", "period": "2025-03"}
 * Every handler is idempotent: run twice, it changes nothing the second
 * time.
 */
#ifndef CASEAUDIT_WORK_H
#define CASEAUDIT_WORK_H

#include <libpq-fe.h>

#include "error.h"
#include "jobs.h"

typedef struct ca_work_config {
	char today[11];       /* YYYY-MM-DD: the scheduler's idea of today */
	int remind_days;      /* remind the auditor this many days before due (3) */
	int escalate_days;    /* escalate to QA leads this many days overdue (7) */
	int screen_batch;     /* assessments per screening transaction (1000) */
	int report_after_days;  /* board report this many days after the period's
	                         * audits are all due (0) */
} ca_work_config;

void ca_work_config_defaults(ca_work_config *cfg);

/* Enqueue everything due by cfg->today: a sample job for every period of
 * every active plan that has ended without a run (from the plan's first
 * period; a monthly plan samples the previous month from the 1st), a screen
 * job first when there are assessments to screen, an assign job when
 * audits are unassigned, a moderate job when ca_moderation_due says so,
 * one chase job per day, and a close job when an audit's feedback window
 * has ended.  One transaction.
 * *queued (may be NULL) receives how many jobs were added. */
int ca_work_schedule(PGconn *conn, const ca_work_config *cfg, int *queued, ca_err *err);

/* The next run of each plan as the scheduler sees it: the earliest period
 * from the plan's first without a run, due the day after it ends (the
 * period and due date are empty for a paused plan).  For `caseaudit
 * status`; free with free(). */
typedef struct ca_next_run {
	char plan[80];
	char every[8];
	int paused;
	char period[8];
	char due[11];
} ca_next_run;

int ca_work_next_runs(PGconn *conn, ca_next_run **rows, size_t *n, ca_err *err);

/* A job's handler.  When in_transaction is set the daemon has begun a
 * transaction before calling run and, if run returns 0, calls
 * ca_job_finish and commits; otherwise run manages its own transactions
 * and the daemon finishes the job in a transaction of its own afterwards.
 * `summary` (may be NULL) receives a short key=value text for the log
 * ("run=12 population=431 sample=40 unassigned=0"), no personal data.
 * `schedule` (NULL for the library's own kinds, which ca_work_schedule
 * knows) queues the kind's jobs due by cfg->today inside the scheduler's
 * transaction, adding how many to *queued. */
typedef struct ca_work_kind {
	const char *kind;
	int priority;
	int in_transaction;
	int (*run)(PGconn *conn, const ca_job *job, const ca_work_config *cfg,
	    char *summary, size_t summary_size, ca_err *err);
	int (*schedule)(PGconn *conn, const ca_work_config *cfg, int *queued, ca_err *err);
} ca_work_kind;

/* The handler for a kind, or NULL for a kind this version does not know
 * (the daemon fails such a job with a clear error). */
const ca_work_kind *ca_work_find(const char *kind);

/* Add a kind from outside the library (the daemon program registers the
 * report job of reports/).  k must live as long as the program; call it
 * before the daemon starts.  0, or -1 when the name is taken or
 * CA_WORK_MAX_EXTRA kinds are registered already. */
#define CA_WORK_MAX_EXTRA 8
int ca_work_register(const ca_work_kind *k);

#endif
