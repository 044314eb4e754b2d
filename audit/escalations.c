/*
 * escalations.c - the safeguarding banner (escalations.h).
 */
#include "escalations.h"

#include <stdlib.h>

#include "date.h"
#include "db.h"

int
ca_escalations_banner(PGconn *conn, FILE *f, ca_err *err)
{
	PGresult *res;
	long n;

	res = ca_db_query(conn, err, "reading safeguarding escalations",
	    "SELECT count(DISTINCT audit_id), (SELECT string_agg(a::text, ', ' ORDER BY a)"
	    "   FROM (SELECT DISTINCT audit_id AS a FROM escalations"
	    "     WHERE acknowledged_on IS NULL ORDER BY 1 LIMIT 10) t), min(raised_on)"
	    " FROM escalations WHERE acknowledged_on IS NULL", 0, NULL);
	if (res == NULL)
		return err->code;
	n = atol(PQgetvalue(res, 0, 0));
	if (n > 0) {
		char since[11];

		ca_date_uk(PQgetvalue(res, 0, 2), since);
		fprintf(f, "SAFEGUARDING: %ld audit%s with a concern not yet acknowledged "
		    "(the oldest raised %s): audit%s %s%s\n"
		    "  Read it with `caseaudit audit show ID`; a QA lead or the principal social "
		    "worker acknowledges\n  with `caseaudit audit acknowledge ID --as STAFF`.\n\n",
		    n, n == 1 ? "" : "s", since, n == 1 ? "" : "s", PQgetvalue(res, 0, 1),
		    n > 10 ? ", ..." : "");
	}
	PQclear(res);
	return 0;
}
