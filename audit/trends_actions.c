/*
 * trends_actions.c - actions and safeguarding escalations in the range's
 * last period, counted on its census date (trends.h, "Actions and
 * escalations").
 */
#include <stdlib.h>

#include "trends_internal.h"

int
ca_trends_load_actions(PGconn *conn, ca_trends *t, const ca_trends_params *pp,
    ca_err *err)
{
	(void)conn;
	(void)t;
	(void)pp;
	(void)err;
	return 0;
}

void
ca_trends_actions_free(ca_trends *t)
{
	for (size_t i = 0; i < t->actions.nowners; i++)
		free(t->actions.owners[i].name);
	free(t->actions.owners);
}
