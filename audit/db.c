/*
 * db.c - connections, parameterised queries and error mapping; see db.h.
 */
#include "db.h"

#include <string.h>

#include "clock.h"

static const char *session_setup =
	"SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, DMY'; "
	"SET TimeZone = 'Europe/London'; SET client_min_messages = warning";

PGconn *
ca_db_connect(const char *conninfo, ca_err *err)
{
	return ca_db_connect_as(conninfo, "caseaudit", err);
}

PGconn *
ca_db_connect_as(const char *conninfo, const char *application_name, ca_err *err)
{
	/* expand_dbname lets conninfo be a URI or key=value string; every key
	 * it does not give falls back to the PG* environment, as libpq says.
	 * Our defaults come first so that the user's conninfo overrides them.
	 * Keepalives matter to the daemon: a connection that sits idle in
	 * LISTEN would otherwise never learn that the network went away. */
	const char *keys[8], *vals[8];
	PGconn *conn;
	const char *msg;
	size_t len;
	int n = 0;

	keys[n] = "application_name", vals[n++] = application_name;
	keys[n] = "connect_timeout", vals[n++] = "10";
	keys[n] = "keepalives", vals[n++] = "1";
	keys[n] = "keepalives_idle", vals[n++] = "60";
	keys[n] = "keepalives_interval", vals[n++] = "10";
	keys[n] = "keepalives_count", vals[n++] = "6";
	if (conninfo != NULL && *conninfo != '\0')
		keys[n] = "dbname", vals[n++] = conninfo;
	keys[n] = NULL, vals[n] = NULL;
	conn = PQconnectdbParams(keys, vals, 1);
	if (conn == NULL) {
		ca_err_set(err, CA_EX_SOFTWARE, "cannot connect to the database: out of memory");
		return NULL;
	}
	if (PQstatus(conn) != CONNECTION_OK) {
		msg = PQerrorMessage(conn);
		len = strlen(msg);
		while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
			len--;
		ca_err_set(err, CA_EX_UNAVAILABLE, "cannot connect to the database: %.*s",
		    (int)len, msg);
		PQfinish(conn);
		return NULL;
	}
	/* Narratives hold any character; a database in another encoding would
	 * refuse some of them half-way through an import. */
	msg = PQparameterStatus(conn, "server_encoding");
	if (msg == NULL || strcmp(msg, "UTF8") != 0) {
		ca_err_set(err, CA_EX_UNAVAILABLE, "the database uses the encoding %s; caseaudit "
		    "needs a UTF8 database (createdb -E UTF8 -T template0 NAME)", msg ? msg : "unknown");
		PQfinish(conn);
		return NULL;
	}
	if (ca_db_exec_script(conn, err, "setting up the session", session_setup) != 0) {
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

void
ca_db_close(PGconn *conn)
{
	if (conn != NULL)
		PQfinish(conn);
}

/* Trim libpq's trailing newline and keep the first line: the rest is
 * context that may quote data. */
static int
first_line_len(const char *s)
{
	size_t n = strcspn(s, "\n");

	return (int)n;
}

int
ca_db_fail(PGconn *conn, const PGresult *res, ca_err *err, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
	int code = CA_EX_SOFTWARE;

	if (PQstatus(conn) == CONNECTION_BAD)
		code = CA_EX_TEMPFAIL;
	else if (state != NULL && (strcmp(state, "40001") == 0 ||
	    strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0 ||
	    strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0))
		code = CA_EX_TEMPFAIL;
	if (msg == NULL || *msg == '\0')
		msg = PQerrorMessage(conn);
	if (strncmp(msg, "ERROR:  ", 8) == 0)
		msg += 8;
	return ca_err_set(err, code, "%s: %.*s", what, first_line_len(msg), msg);
}

/* Per thread, so that threads with connections of their own keep their
 * own account. */
static _Thread_local double spent;
static _Thread_local long statements_sent;

void
ca_db_spent(double *seconds, long *statements)
{
	*seconds = spent;
	*statements = statements_sent;
}

PGresult *
ca_db_query(PGconn *conn, ca_err *err, const char *what,
    const char *sql, int nparams, const char *const *params)
{
	double t0 = ca_clock_seconds();
	PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	spent += ca_clock_seconds() - t0;
	statements_sent++;

	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return res;
	ca_db_fail(conn, res, err, what);
	PQclear(res);
	return NULL;
}

int
ca_db_exec(PGconn *conn, ca_err *err, const char *what,
    const char *sql, int nparams, const char *const *params)
{
	PGresult *res = ca_db_query(conn, err, what, sql, nparams, params);

	if (res == NULL)
		return err ? err->code : CA_EX_SOFTWARE;
	PQclear(res);
	return 0;
}

int
ca_db_exec_script(PGconn *conn, ca_err *err, const char *what, const char *sql)
{
	PGresult *res = PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(res);
	int rc = 0;

	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && st != PGRES_EMPTY_QUERY)
		rc = ca_db_fail(conn, res, err, what);
	PQclear(res);
	return rc;
}

int
ca_db_begin(PGconn *conn, ca_err *err)
{
	return ca_db_exec(conn, err, "starting a transaction",
	    "BEGIN ISOLATION LEVEL READ COMMITTED", 0, NULL);
}

int
ca_db_commit(PGconn *conn, ca_err *err)
{
	return ca_db_exec(conn, err, "committing", "COMMIT", 0, NULL);
}

void
ca_db_rollback(PGconn *conn)
{
	if (conn != NULL && PQtransactionStatus(conn) != PQTRANS_IDLE)
		PQclear(PQexec(conn, "ROLLBACK"));
}
