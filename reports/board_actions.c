/*
 * board_actions.c - actions agreed from audits (open, overdue, done, by
 * owner) and safeguarding escalations, counted on the period's census
 * day so that a past period's figures stay as they were.
 *
 * Nothing here is withheld for small numbers (trends.h says why): these
 * count work, not people, and a board must never read "fewer than 5"
 * about safeguarding concerns.
 */
#include "board_private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "heading.h"
#include "paragraph.h"
#include "strbuf.h"
#include "table.h"
#include "words.h"

static void
owners(ca_doc *d, const ca_trends_actions *a)
{
	static const ca_table_col cols[] = {
		{ "Owner", 0, 1, CA_LEFT },
		{ "Open", 56, 0, CA_RIGHT },
		{ "Overdue", 56, 0, CA_RIGHT },
		{ "Done in the period", 80, 0, CA_RIGHT },
	};
	ca_table *t;

	if (a->nowners == 0)
		return;
	t = ca_table_begin(d, cols, 4);
	ca_table_keep(t, a->nowners);
	for (size_t i = 0; i < a->nowners; i++) {
		const ca_trends_owner *o = &a->owners[i];
		char who[256], open[24], overdue[24], done[24];
		const char *cells[4] = { who, open, overdue, done };

		snprintf(who, sizeof who, "%s%s", o->name, o->staff ? " (member of staff)" : "");
		snprintf(open, sizeof open, "%ld", o->open);
		snprintf(overdue, sizeof overdue, "%ld", o->overdue);
		snprintf(done, sizeof done, "%ld", o->done);
		ca_table_row(t, cells);
	}
	ca_table_end(t);
	ca_note(d, "Most overdue first. Members of staff are shown by staff reference.");
}

static void
escalations(ca_doc *d, const ca_trends_actions *a, const char *census)
{
	ca_strbuf s;

	ca_strbuf_init(&s);
	ca_heading(d, 2, "Safeguarding escalations");
	if (a->escalations == 0)
		ca_strbuf_adds(&s, "No safeguarding concern found in an audit was escalated in the "
		    "period.");
	else {
		ca_strbuf_addf(&s, "%ld safeguarding %s found in audits %s escalated in the period: "
		    "%ld acknowledged by %s and %ld not.", a->escalations,
		    a->escalations == 1 ? "concern" : "concerns",
		    a->escalations == 1 ? "was" : "were", a->acknowledged, census,
		    a->unacknowledged);
		if (a->acknowledged > 0 && isfinite(a->ack_median) && isfinite(a->ack_longest))
			ca_strbuf_addf(&s, " From raising to acknowledging took %.0f days at the "
			    "median and %.0f at the longest.", a->ack_median, a->ack_longest);
	}
	if (!ca_strbuf_failed(&s))
		ca_para(d, s.data);
	ca_strbuf_reset(&s);
	if (a->escalations_open > 0) {
		ca_strbuf_addf(&s, "On %s, %ld %s, raised in this period or earlier, still waited "
		    "to be acknowledged.", census, a->escalations_open,
		    a->escalations_open == 1 ? "escalation" : "escalations");
		if (!ca_strbuf_failed(&s))
			ca_para_bold(d, s.data);
	} else {
		ca_strbuf_addf(&s, "On %s no escalation was waiting to be acknowledged.", census);
		if (!ca_strbuf_failed(&s))
			ca_para(d, s.data);
	}
	if (ca_strbuf_failed(&s))
		ca_doc_fail(d, CA_EX_SOFTWARE, "board report: out of memory");
	ca_strbuf_free(&s);
}

void
board_actions(ca_doc *d, const board *b)
{
	const ca_trends_actions *a = &b->now->actions;
	char census[32], line[512];

	ca_words_date(a->census, census, sizeof census);
	ca_heading(d, 1, "Actions and escalations");
	snprintf(line, sizeof line, "Actions agreed from audits' findings, of this period's "
	    "audits or earlier ones, counted on %s: %ld set in the period and %ld done in it; "
	    "%ld open on that day, %ld of them overdue.", census, a->set, a->done, a->open,
	    a->overdue);
	ca_para(d, line);
	owners(d, a);
	escalations(d, a, census);
}
