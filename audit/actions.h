/*
 * actions.h - actions agreed from an audit's findings: what is to be done,
 * by whom (a partner organisation or a member of staff) and by when, and
 * marking an action done.  The daemon chases open actions (chase.h);
 * `caseaudit actions` lists them.
 *
 * Who may add an action: the audit's auditor while the findings are theirs
 * (in progress, returned, submitted, feedback), and the principal social
 * worker or a QA lead on any audit that has an auditor and is not
 * cancelled.  Who may mark one done: the member of staff who owns it, any
 * active member of staff of the organisation that owns it, or a QA lead.
 * Each change is one transaction with an events row (entity 'action',
 * "audit" in the JSON, so the audit's history finds it); adding an action
 * also bumps the audit's version, since the findings grew.
 */
#ifndef CASEAUDIT_ACTIONS_H
#define CASEAUDIT_ACTIONS_H

#include <libpq-fe.h>

#include "error.h"
#include "workflow.h"

/* `audit action`: add an action to the audit.  owner names a staff_ref or
 * an organisation exactly; "staff:REF" or "org:NAME" says which when a
 * name is both (otherwise refused, 65).  due is YYYY-MM-DD or DD/MM/YYYY,
 * not before the actor's today; text is required free text.  The locked
 * audit's version is checked against actor->expect_version (75 when
 * stale).  *action_id (may be NULL) receives the new action's id. */
int ca_action_create(PGconn *conn, const ca_actor *actor, long long audit_id,
    const char *owner, const char *due, const char *text, long long *action_id,
    ca_err *err);

/* `action done`: mark an open action done on the actor's today.  65 with
 * a sentence when it is unknown, done already, or not the actor's to
 * close.  actor->expect_version is ignored: an action is closed by people
 * who never read the audit. */
int ca_action_done(PGconn *conn, const ca_actor *actor, long long action_id, ca_err *err);

#endif
