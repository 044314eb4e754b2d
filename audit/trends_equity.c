/*
 * trends_equity.c - the range's results by age band, ethnicity and
 * primary support reason (trends.h, "Equity").
 */
#include <stdlib.h>

#include "trends_internal.h"

int
ca_trends_load_equity(PGconn *conn, ca_trends *t, ca_err *err)
{
	(void)conn;
	(void)t;
	(void)err;
	return 0;
}

void
ca_trends_equity_free(ca_trends *t)
{
	for (int d = 0; d < CA_TRENDS_EQUITY; d++) {
		for (size_t i = 0; i < t->equity[d].ngroups; i++)
			free(t->equity[d].groups[i].name);
		free(t->equity[d].groups);
	}
}
