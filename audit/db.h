/*
 * db.h - the one way caseaudit talks to PostgreSQL.
 *
 * Connections come from libpq's own environment (PGHOST, PGPORT,
 * PGDATABASE, PGUSER, service files) or an explicit conninfo string.  Every
 * query is parameterised.  Failures are turned into the sysexits codes of
 * the outside contract: unreachable server 69, lost connection or
 * serialisation conflict 75 (retry), anything else 70.
 */
#ifndef CASEAUDIT_DB_H
#define CASEAUDIT_DB_H

#include <libpq-fe.h>

#include "error.h"

/* Connect using conninfo (NULL or "" means the libpq environment).  Sets
 * application_name, client_encoding UTF8, DateStyle ISO and the time zone
 * Europe/London.  On failure returns NULL with err set (69). */
PGconn *ca_db_connect(const char *conninfo, ca_err *err);
/* The same, naming the program in application_name (what pg_stat_activity
 * shows).  Both set a connect timeout and TCP keepalives, so that a server
 * or network that vanished is noticed; settings in conninfo win. */
PGconn *ca_db_connect_as(const char *conninfo, const char *application_name, ca_err *err);
void    ca_db_close(PGconn *conn);

/* Run a statement with text parameters.  Returns the result on success
 * (caller PQclear()s it) or NULL with err set; `what` names the step for
 * the message ("recording the import"). */
PGresult *ca_db_query(PGconn *conn, ca_err *err, const char *what,
    const char *sql, int nparams, const char *const *params);

/* As ca_db_query for statements whose result is not needed. */
int ca_db_exec(PGconn *conn, ca_err *err, const char *what,
    const char *sql, int nparams, const char *const *params);

/* How long this thread has waited on ca_db_query and ca_db_exec so far,
 * in seconds (sending, the server's work, receiving), and how many
 * statements it sent: read before and after a piece of work, the
 * difference says how much of it was the database's (`--verbose`). */
void ca_db_spent(double *seconds, long *statements);

/* Run SQL text that may hold several statements (migrations), no params. */
int ca_db_exec_script(PGconn *conn, ca_err *err, const char *what, const char *sql);

/* BEGIN at READ COMMITTED whatever the server's default: units of work
 * that first wait on a lock must see what the previous holder committed. */
int  ca_db_begin(PGconn *conn, ca_err *err);
int  ca_db_commit(PGconn *conn, ca_err *err);
/* Roll back if a transaction is open; safe to call on any path. */
void ca_db_rollback(PGconn *conn);

/* Map a failed result (or the connection state) to err; returns the code. */
int ca_db_fail(PGconn *conn, const PGresult *res, ca_err *err, const char *what);

#endif
