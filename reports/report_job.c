/*
 * report_job.c - the daemon's `report` job (work.h): each period's board
 * report, rendered and kept once the period's audits are all due.
 *
 * Scheduling.  A period is one a sampling run was drawn for (so monthly
 * plans give monthly reports, quarterly plans quarterly ones).  Its
 * report is queued once the latest due date of its audits (cancelled ones
 * aside) is more than report_after_days before today, unless a board
 * report of the period is kept already (the CLI may have rendered it) or
 * a job for it exists in any state (a dead one waits for `caseaudit jobs
 * retry`).  So each period is rendered once by the daemon; anybody may
 * render it again with `caseaudit report board`.
 *
 * Running.  In the daemon's transaction: the report reads the data and
 * is kept with its job's `done`.  Run twice, the second run finds the same
 * bytes kept and adds nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "db.h"
#include "jobs.h"
#include "programs.h"
#include "report.h"
#include "work.h"

#define ACTOR "caseauditd"
#define PRIORITY_REPORT 60

static int
run_report(PGconn *conn, const ca_job *job, const ca_work_config *cfg, char *summary,
    size_t size, ca_err *err)
{
	const char *p[1] = { job->payload };
	ca_board_request rq = { 0 };
	ca_report_meta m = { "board", NULL, 0, 0, ACTOR };
	ca_report_stored st;
	ca_report_pdf pdf;
	PGresult *res;
	int rc;

	(void)cfg;
	res = ca_db_query(conn, err, "reading the job",
	    "SELECT $1::jsonb->>'period' WHERE $1::jsonb->>'kind' = 'board'", 1, p);
	if (res == NULL)
		return err->code;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
		PQclear(res);
		return ca_err_set(err, CA_EX_DATAERR, "job %lld: a report job needs kind board "
		    "and a period", job->id);
	}
	rq.period = m.period = PQgetvalue(res, 0, 0);
	if ((rc = ca_board_render(conn, &rq, &pdf, err)) == 0 &&
	    (rc = ca_report_store(conn, &m, &pdf, &st, err)) == 0)
		snprintf(summary, size, "report=%lld kind=board period=%s as_of=%s pages=%d "
		    "bytes=%zu sha256=%s existed=%s", st.id, rq.period, pdf.as_of, pdf.pages,
		    pdf.len, st.sha256, st.existed ? "yes" : "no");
	ca_report_pdf_free(&pdf);
	PQclear(res);
	return rc;
}

static int
schedule_reports(PGconn *conn, const ca_work_config *cfg, int *queued, ca_err *err)
{
	char after[16];
	const char *p[2] = { cfg->today, after };
	PGresult *res;
	int rc = 0;

	snprintf(after, sizeof after, "%d", cfg->report_after_days);
	/* periods already reported are left out before their audits are read:
	 * this runs every tick */
	res = ca_db_query(conn, err, "looking for board reports due",
	    "SELECT r.period FROM sampling_runs r"
	    " JOIN audits a ON a.run_id = r.id AND a.status <> 'cancelled'"
	    " WHERE NOT EXISTS (SELECT 1 FROM reports b WHERE b.kind = 'board'"
	    "   AND b.period = r.period)"
	    "  AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.key = 'report:board:' || r.period)"
	    " GROUP BY r.period"
	    " HAVING max(a.due_on) + $2::int < $1::date"
	    " ORDER BY min(r.period_start), r.period", 2, p);
	if (res == NULL)
		return err->code;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		char key[40], payload[64];
		int added = 0;

		snprintf(key, sizeof key, "report:board:%s", PQgetvalue(res, i, 0));
		snprintf(payload, sizeof payload, "{\"kind\": \"board\", \"period\": \"%s\"}",
		    PQgetvalue(res, i, 0));
		rc = ca_job_enqueue(conn, "report", key, payload, PRIORITY_REPORT, &added, err);
		*queued += added;
	}
	PQclear(res);
	return rc;
}

static const ca_work_kind report_kind = {
	"report", PRIORITY_REPORT, 1, run_report, schedule_reports
};

int
ca_reports_register_jobs(void)
{
	return ca_work_register(&report_kind);
}
