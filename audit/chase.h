/*
 * chase.h - chasing audits and actions.
 *
 * Audits: a reminder to the auditor when an audit is due within
 * remind_days, another once it is overdue, and an escalation to every
 * active QA lead when it is more than escalate_days overdue (an
 * unassigned audit too: nobody is doing it).
 *
 * Actions agreed from audits (actions.h), the same way: action_due_soon
 * and action_overdue to the owner (the member of staff, or the partner
 * organisation), action_escalation to every active QA lead.  Actions of a
 * cancelled audit are not chased: the case was withdrawn.
 *
 * Each reminder is a row in `reminders` and an event in the trail; one per
 * audit or action, kind, recipient and due date, so chasing twice on a
 * day, or after a crash, adds nothing.
 */
#ifndef CASEAUDIT_CHASE_H
#define CASEAUDIT_CHASE_H

#include <libpq-fe.h>

#include "error.h"

typedef struct ca_chase_counts {
	long due_soon, overdue, escalated;                      /* audits */
	long action_due_soon, action_overdue, action_escalated; /* actions */
} ca_chase_counts;

/* Audits and actions, in the caller's transaction.  The escalated counts
 * are of audits or actions escalated, not of reminders sent. */
int ca_chase(PGconn *conn, const char *today, int remind_days, int escalate_days,
    const char *actor, ca_chase_counts *counts, ca_err *err);

#endif
