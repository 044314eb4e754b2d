/*
 * board_moderation.c - moderation: how far auditors and the moderator
 * agreed on the audits submitted in the period, overall and for each
 * auditor (by staff reference, never by name), and what moderation
 * changed.
 */
#include "board_private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "heading.h"
#include "paragraph.h"
#include "table.h"
#include "words.h"

const ca_moderation_stat *
board_moderation_overall(const board *b)
{
	if (b->nmod_all == 0 || b->mod_all[0].moderated < CA_TRENDS_MIN_GROUP)
		return NULL;
	return &b->mod_all[0];
}

/* Auditors with five or more moderated, one row each; the rest in one
 * sentence (their agreement would say little). */
static void
auditors(ca_doc *d, const board *b)
{
	/* wide enough for each heading's words, for a kappa whose interval
	 * runs below zero, and for thousands of ratings */
	static const ca_table_col cols[] = {
		{ "Auditor", 0, 1, CA_LEFT },
		{ "Moderated", 66, 0, CA_RIGHT },
		{ "Same grade", 44, 0, CA_RIGHT },
		{ "Grade kappa (95% CI)", 126, 0, CA_RIGHT },
		{ "Same rating", 76, 0, CA_RIGHT },
		{ "Returned", 58, 0, CA_RIGHT },
		{ "Regraded", 60, 0, CA_RIGHT },
	};
	size_t few = 0, shown = 0;
	char line[160];
	ca_table *t;

	for (size_t i = 0; i < b->nmod_by; i++)
		shown += b->mod_by[i].moderated >= CA_TRENDS_MIN_GROUP;
	if (shown > 0) {
		t = ca_table_begin(d, cols, 7);
		ca_table_keep(t, shown);
		for (size_t i = 0; i < b->nmod_by; i++) {
			const ca_moderation_stat *m = &b->mod_by[i];
			char n[32], same[32], k[64], rating[80], ret[32], reg[32], x[32], y[32];
			const char *cells[7] = { m->group, n, same, k, rating, ret, reg };

			if (m->moderated < CA_TRENDS_MIN_GROUP)
				continue;
			ca_words_count(m->moderated, n, sizeof n);
			ca_words_count(m->grades_agreed, same, sizeof same);
			if (m->grade_ok)
				ca_words_kappa(&m->grade, k, sizeof k);
			else
				snprintf(k, sizeof k, "not measurable");
			if (m->ratings == 0)
				snprintf(rating, sizeof rating, "none rated");
			else
				snprintf(rating, sizeof rating, "%s of %s",
				    ca_words_count(m->ratings_agreed, x, sizeof x),
				    ca_words_count(m->ratings, y, sizeof y));
			ca_words_count(m->returned, ret, sizeof ret);
			ca_words_count(m->regraded, reg, sizeof reg);
			ca_table_row(t, cells);
		}
		ca_table_end(t);
	}
	for (size_t i = 0; i < b->nmod_by; i++)
		few += b->mod_by[i].moderated > 0 && b->mod_by[i].moderated < CA_TRENDS_MIN_GROUP;
	if (few > 0) {
		snprintf(line, sizeof line, "%s%zu %sauditor%s had fewer than 5 audits moderated "
		    "each: too few to measure agreement, so they are not shown one by one.",
		    shown > 0 ? "" : "All ", few, shown > 0 ? "other " : "", few == 1 ? "" : "s");
		ca_para(d, line);
	}
	ca_note(d, "Auditors are shown by staff reference, never by name.");
}

void
board_moderation(ca_doc *d, const board *b)
{
	const ca_moderation_stat *m = board_moderation_overall(b);
	char first[32], last[32], k[64], line[640], x[32], y[32];

	ca_words_date(b->first, first, sizeof first);
	ca_words_date(b->last, last, sizeof last);
	ca_heading(d, 1, "Moderation");
	ca_para(d, "The principal social worker re-audits a random share of submitted audits "
	    "independently. Agreement is measured with Cohen's kappa, weighted for the order of "
	    "the grades: 1 is perfect agreement and 0 no more than chance would give. Below "
	    "about 0.6, auditors need calibrating.");
	if (b->nmod_all == 0 || b->mod_all[0].moderated == 0) {
		snprintf(line, sizeof line, "No audit submitted from %s to %s has been moderated "
		    "yet.", first, last);
		ca_para(d, line);
		return;
	}
	if (m == NULL) {
		snprintf(line, sizeof line, "Fewer than 5 audits submitted from %s to %s have "
		    "been moderated: too few to measure agreement.", first, last);
		ca_para(d, line);
		return;
	}
	snprintf(line, sizeof line, "%s audits submitted from %s to %s were moderated. The "
	    "moderator gave the auditor's grade in %s of them; weighted kappa on the grades "
	    "was %s.", ca_words_count(m->moderated, x, sizeof x), first, last,
	    ca_words_count(m->grades_agreed, y, sizeof y), ca_words_kappa(&m->grade, k, sizeof k));
	ca_para(d, line);
	if (m->rating_ok) {
		snprintf(line, sizeof line, "On the checklist's questions, the moderator gave the "
		    "auditor's rating in %s of %s; weighted kappa %s.",
		    ca_words_count(m->ratings_agreed, x, sizeof x), ca_words_count(m->ratings, y,
		    sizeof y), ca_words_kappa(&m->rating, k, sizeof k));
		ca_para(d, line);
	}
	ca_heading(d, 2, "What moderation changed");
	if (m->returned == 0)
		snprintf(line, sizeof line, "The moderator returned no audit to its auditor.");
	else
		snprintf(line, sizeof line, "The moderator returned %ld %s to %s auditor%s for "
		    "another look; %ld %s resubmitted with a different grade.", m->returned,
		    m->returned == 1 ? "audit" : "audits", m->returned == 1 ? "its" : "their",
		    m->returned == 1 ? "" : "s", m->regraded, m->regraded == 1 ? "was" : "were");
	ca_para(d, line);
	ca_heading(d, 2, "By auditor");
	auditors(d, b);
}
