/*
 * chase.h - chasing audits: a reminder to the auditor when an audit is due
 * within remind_days, another once it is overdue, and an escalation to
 * every active QA lead when it is more than escalate_days overdue (an
 * unassigned audit too: nobody is doing it).  Each reminder is a row in
 * `reminders` and an event in the trail; one per audit, kind, recipient
 * and due date, so chasing twice on a day, or after a crash, adds nothing.
 */
#ifndef CASEAUDIT_CHASE_H
#define CASEAUDIT_CHASE_H

#include <libpq-fe.h>

#include "error.h"

typedef struct ca_chase_counts {
	long due_soon, overdue, escalated;
} ca_chase_counts;

/* In the caller's transaction. */
int ca_chase(PGconn *conn, const char *today, int remind_days, int escalate_days,
    const char *actor, ca_chase_counts *counts, ca_err *err);

#endif
