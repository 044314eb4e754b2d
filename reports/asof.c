/*
 * asof.c - what a report takes from the data before it draws anything:
 * the day the data was taken, the settings it prints, and free text made
 * safe to print (report.h).
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "strbuf.h"

/* The dates the audit work runs on (report.h says which and why).
 * greatest() skips NULLs; an empty table gives NULL. */
#define AS_OF_SQL \
	"SELECT greatest(" \
	" (SELECT max(run_on) FROM sampling_runs)," \
	" (SELECT max(greatest(started_on, submitted_on, closed_on)) FROM audits)," \
	" (SELECT max(answered_on) FROM answers)," \
	" (SELECT max(greatest(created_on, done_on)) FROM actions)," \
	" (SELECT max(greatest(selected_on, done_on)) FROM moderations)," \
	" (SELECT max(drawn_on) FROM moderation_draws)," \
	" (SELECT max(greatest(raised_on, acknowledged_on)) FROM escalations)," \
	" (SELECT max(sent_on) FROM feedback)," \
	" (SELECT max(made_on) FROM feedback_comments)," \
	" (SELECT max(created_on) FROM reminders))::text"

int
ca_report_as_of(PGconn *conn, const char *fallback, char as_of[11], ca_err *err)
{
	PGresult *res;

	res = ca_db_query(conn, err, "finding when the data was taken", AS_OF_SQL, 0, NULL);
	if (res == NULL)
		return err->code;
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) &&
	    ca_date_parse(PQgetvalue(res, 0, 0), NULL) == 0)
		snprintf(as_of, 11, "%s", PQgetvalue(res, 0, 0));
	else
		snprintf(as_of, 11, "%s", fallback);
	PQclear(res);
	return 0;
}

int
ca_report_setting(PGconn *conn, const char *key, const char *fallback, char **out,
    ca_err *err)
{
	const char *p[1] = { key };
	PGresult *res;

	*out = NULL;
	res = ca_db_query(conn, err, "reading a setting",
	    "SELECT value FROM settings WHERE key = $1", 1, p);
	if (res == NULL)
		return err->code;
	*out = strdup(PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : fallback);
	PQclear(res);
	if (*out == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "reading a setting: out of memory");
	return 0;
}

int
ca_report_redact(ca_redactor *r, char **s, ca_err *err)
{
	ca_strbuf b;
	ca_err why = { 0 };
	char *clean;

	if (*s == NULL)
		return 0;
	ca_strbuf_init(&b);
	if (ca_redact(r, *s, strlen(*s), &b, &why) != 0 || ca_strbuf_failed(&b)) {
		ca_strbuf_free(&b);
		clean = strdup("[not shown]");
	} else if (b.data == NULL)
		clean = strdup("");
	else
		clean = b.data;
	if (clean == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "report: out of memory");
	free(*s);
	*s = clean;
	return 0;
}
