/*
 * trends_waits.c - how long people waited for their assessment, and how
 * many are still waiting (trends.h, "Waiting").
 */
#include <stdlib.h>

#include "trends_internal.h"

int
ca_trends_load_waits(PGconn *conn, ca_trends *t, const ca_trends_params *pp, ca_err *err)
{
	(void)conn;
	(void)t;
	(void)pp;
	(void)err;
	return 0;
}

void
ca_trends_waits_free(ca_trends *t)
{
	for (size_t i = 0; i < t->waits.nproviders; i++)
		free(t->waits.providers[i].name);
	free(t->waits.providers);
	free(t->waits.all.name);
}
