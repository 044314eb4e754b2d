/*
 * escalations.h - safeguarding escalations waiting to be acknowledged head
 * every listing a person reads (`audits`, `actions`, `moderation list`,
 * `trends`), so nobody can look at the work without seeing them.
 * Scripts reading CSV or JSON get the `safeguarding` field of each audit
 * instead.
 */
#ifndef CASEAUDIT_ESCALATIONS_H
#define CASEAUDIT_ESCALATIONS_H

#include <stdio.h>
#include <libpq-fe.h>

#include "error.h"

/* Print the banner to f when any escalation waits: how many, the audits
 * (up to ten), and how to acknowledge.  Prints nothing otherwise. */
int ca_escalations_banner(PGconn *conn, FILE *f, ca_err *err);

#endif
