/*
 * board_equity.c - equity: whether results differ by what the records say
 * about the people assessed (age band, ethnicity, primary support
 * reason), for each group with five or more audits.
 *
 * The groups are as the case-management system wrote them, through the
 * redaction function like all free text.  trends.h withholds small groups
 * and, where one withheld group could be worked out from the total and
 * the others, the next smallest as well; the report says which is which.
 */
#include "board_private.h"

#include <stdio.h>

#include "heading.h"
#include "paragraph.h"
#include "table.h"
#include "words.h"

static const char *const grouping_title[CA_TRENDS_EQUITY] = {
	"By age band", "By ethnicity", "By primary support reason",
};

static const char *const grouping_column[CA_TRENDS_EQUITY] = {
	"Age band", "Ethnicity", "Primary support reason",
};

static void
grouping(ca_doc *d, const board *b, int e)
{
	const ca_table_col cols[] = {
		{ grouping_column[e], 0, 1, CA_LEFT },
		{ "Audits", 68, 0, CA_RIGHT },
		{ "Good or outstanding", 74, 0, CA_RIGHT },
		{ "95% CI", 62, 0, CA_RIGHT },
		{ "Holistic needs met", 66, 0, CA_RIGHT },
		{ "Strengths-based met", 66, 0, CA_RIGHT },
	};
	const ca_trends_equity *q = &b->now->equity[e];
	int secondary = 0;
	ca_table *t;

	ca_heading(d, 2, grouping_title[e]);
	t = ca_table_begin(d, cols, 6);
	ca_table_keep(t, q->ngroups);
	for (size_t i = 0; i < q->ngroups; i++) {
		const ca_trends_equity_group *g = &q->groups[i];
		char n[32], good[16], ci[32], hol[16], str[16];
		const char *cells[6] = { g->recorded ? g->name : "Not recorded", n, good, ci, hol,
			str };

		ci[0] = '\0';
		if (g->suppressed) {
			snprintf(n, sizeof n, g->secondary ? "withheld*" : CA_WORDS_FEWER);
			snprintf(good, sizeof good, "not shown");
			hol[0] = str[0] = '\0';
			secondary |= g->secondary;
		} else {
			ca_words_count(g->audits, n, sizeof n);
			ca_words_percent(g->good.share, good, sizeof good);
			ca_words_interval(g->good.lo, g->good.hi, ci, sizeof ci);
			if (g->domain[0].suppressed)
				snprintf(hol, sizeof hol, CA_WORDS_FEWER);
			else
				ca_words_percent(g->domain[0].share, hol, sizeof hol);
			if (g->domain[1].suppressed)
				snprintf(str, sizeof str, CA_WORDS_FEWER);
			else
				ca_words_percent(g->domain[1].share, str, sizeof str);
		}
		ca_table_row(t, cells);
	}
	ca_table_end(t);
	if (secondary)
		ca_note(d, "* Withheld although it has five or more audits: with the total and the "
		    "other groups shown, a smaller group withheld could otherwise be worked out.");
}

void
board_equity(ca_doc *d, const board *b)
{
	ca_heading(d, 1, "Equity");
	ca_para(d, "Whether the quality of assessments differs by what the records say about the "
	    "people assessed. Each group is shown only when it has five or more audits this "
	    "period, so that nobody can be recognised; the shares are weighted like every other "
	    "and come with their 95% intervals, which are wide for small groups. A difference "
	    "whose intervals overlap may be chance.");
	if (b->now->all.suppressed) {
		ca_para(d, "Fewer than 5 audits were completed this period: no group is shown.");
		return;
	}
	for (int e = 0; e < CA_TRENDS_EQUITY; e++)
		grouping(d, b, e);
}
