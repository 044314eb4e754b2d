/*
 * trends_themes.c - the questions most often not met in the range's last
 * period and their trend (trends.h, "Recurring themes").
 */
#include <stdlib.h>

#include "trends_internal.h"

int
ca_trends_load_themes(PGconn *conn, ca_trends *t, int n, ca_err *err)
{
	(void)conn;
	(void)t;
	(void)n;
	(void)err;
	return 0;
}

void
ca_trends_themes_free(ca_trends *t)
{
	for (size_t i = 0; i < t->nthemes; i++) {
		free(t->themes[i].form);
		free(t->themes[i].id);
		free(t->themes[i].text);
		free(t->themes[i].periods);
	}
	free(t->themes);
}
