/*
 * history.h - an audit's trail: its own events and those of its actions,
 * moderations, escalations and feedback, oldest first.  `caseaudit
 * history ID` prints it; `audit show` ends with it.
 */
#ifndef CASEAUDIT_HISTORY_H
#define CASEAUDIT_HISTORY_H

#include <libpq-fe.h>

#include "error.h"
#include "listing.h"

#define CA_HISTORY_COLUMNS 6
extern const ca_column ca_history_columns[CA_HISTORY_COLUMNS];

/* The rows for audit_id (decimal text), in ca_history_columns' order;
 * NULL with err set on failure. */
PGresult *ca_history_query(PGconn *conn, const char *audit_id, ca_err *err);

#endif
