/*
 * board_summary.c - the executive summary: in sentences, what the period
 * shows, what is a signal and what is noise, and what the board is asked
 * to note.
 */
#include "board_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heading.h"
#include "paragraph.h"
#include "strbuf.h"
#include "words.h"

static void
para_buf(ca_doc *d, ca_strbuf *s)
{
	if (!ca_strbuf_failed(s) && s->len > 0)
		ca_para(d, s->data);
	ca_strbuf_reset(s);
}

static void
scope(ca_doc *d, const board *b, ca_strbuf *s)
{
	char as_of[32], last[32];

	ca_words_date(b->as_of, as_of, sizeof as_of);
	ca_words_date(b->last, last, sizeof last);
	if (b->partner != NULL)
		ca_strbuf_addf(s, "This report covers the audits of the assessments %s "
		    "completed in %s, set against all partners', from the audit records as they "
		    "stood on %s.", b->partner, b->words, as_of);
	else
		ca_strbuf_addf(s, "This report covers the audits of assessments completed in %s, "
		    "from the audit records as they stood on %s.", b->words, as_of);
	if (!b->ended)
		ca_strbuf_addf(s, " The period has not yet ended (it runs to %s), so the "
		    "figures are partial.", last);
	para_buf(d, s);
}

static void
work(ca_doc *d, const board *b, ca_strbuf *s)
{
	const ca_trends_work *w = &b->now->all.work;
	char n[48], c1[32], c2[32], c3[32];

	if (w->suppressed) {
		ca_strbuf_addf(s, "Fewer than 5 audits were drawn for the period; how many are "
		    "open or overdue is not shown.");
		para_buf(d, s);
		return;
	}
	ca_words_n(w->audits, "audit was", "audits were", n, sizeof n);
	if (w->open == 0)
		ca_strbuf_addf(s, "%s drawn for the period, and all have been completed.", n);
	else
		ca_strbuf_addf(s, "%s drawn for the period: %s completed and %s still open, "
		    "of which %s %s overdue.", n, ca_words_count(w->audits - w->open, c1, sizeof c1),
		    ca_words_count(w->open, c2, sizeof c2), ca_words_count(w->overdue, c3,
		    sizeof c3), w->overdue == 1 ? "is" : "are");
	if (w->late > 0)
		ca_strbuf_addf(s, " Of those completed, %s %s submitted after %s due date.",
		    ca_words_count(w->late, c1, sizeof c1), w->late == 1 ? "was" : "were",
		    w->late == 1 ? "its" : "their");
	para_buf(d, s);
}

static void
grades(ca_doc *d, const board *b, ca_strbuf *s)
{
	const ca_trends_group *g = &b->now->all;
	char n[48], share[64], c[CA_GRADES][32];

	if (g->suppressed) {
		ca_strbuf_addf(s, "Fewer than 5 audits of the random sample were completed, so "
		    "their grades and shares are not shown: with so few, the people concerned "
		    "could be recognised, and the figures would say little.");
		para_buf(d, s);
		return;
	}
	ca_words_n(g->audits, "audit", NULL, n, sizeof n);
	for (int k = 0; k < CA_GRADES; k++)
		ca_words_count(g->grades[k], c[k], sizeof c[k]);
	ca_strbuf_addf(s, "Of the %s of the random sample completed, %s %s graded "
	    "outstanding, %s good, %s requires improvement and %s inadequate.", n, c[0],
	    g->grades[0] == 1 ? "was" : "were", c[1], c[2], c[3]);
	ca_strbuf_addf(s, " Weighted to the cases they were drawn from, %s were good or "
	    "outstanding.", ca_words_share(&g->good, share, sizeof share));
	if (b->whole != NULL && !b->whole->all.suppressed)
		ca_strbuf_addf(s, " For all partners it was %s.", ca_words_share(&b->whole->all.good,
		    share, sizeof share));
	if (g->targeted > 0)
		ca_strbuf_addf(s, " %ld targeted re-%s of earlier findings %s counted apart: "
		    "they were chosen, not drawn at random.", g->targeted,
		    g->targeted == 1 ? "audit" : "audits", g->targeted == 1 ? "is" : "are");
	para_buf(d, s);
}

/* The measures by what their charts say. */
static void
signals(ca_doc *d, const board *b, ca_strbuf *s)
{
	const char *better[BOARD_NMEASURES], *worse[BOARD_NMEASURES];
	const char *noise[BOARD_NMEASURES], *few[BOARD_NMEASURES], *none[BOARD_NMEASURES];
	size_t nb = 0, nw = 0, nn = 0, nf = 0, nx = 0;

	for (int m = 0; m < BOARD_NMEASURES; m++) {
		switch (board_measure_signal(b, m)) {
		case BOARD_IMPROVEMENT: better[nb++] = board_measure_words(m); break;
		case BOARD_CONCERN: worse[nw++] = board_measure_words(m); break;
		case BOARD_UNCHARTED:
			if (b->range->series[m].n == 0)
				none[nx++] = board_measure_words(m);
			else
				few[nf++] = board_measure_words(m);
			break;
		default: noise[nn++] = board_measure_words(m); break;
		}
	}
	if (nb + nw == 0)
		ca_strbuf_adds(s, "No measure shows special-cause variation: ");
	else {
		ca_strbuf_adds(s, "Special-cause variation, a signal that something has changed: ");
		if (nb > 0) {
			ca_strbuf_adds(s, "improvement in ");
			ca_words_list(s, better, nb);
		}
		if (nw > 0) {
			ca_strbuf_adds(s, nb > 0 ? "; concern in " : "concern in ");
			ca_words_list(s, worse, nw);
		}
		ca_strbuf_adds(s, ". ");
	}
	if (nn > 0) {
		ca_strbuf_adds(s, nb + nw == 0 ? "" : "Common-cause variation only: ");
		ca_words_list(s, noise, nn);
		ca_strbuf_adds(s, nn == 1 ? " varies" : " vary");
		ca_strbuf_adds(s, " from period to period no more than chance would explain.");
	}
	if (nf > 0) {
		ca_strbuf_adds(s, " Too few periods to chart yet: ");
		ca_words_list(s, few, nf);
		ca_strbuf_adds(s, ".");
	}
	if (nx > 0) {
		ca_strbuf_adds(s, " Not measured, because no audit in these periods had a "
		    "question of theirs that applied: ");
		ca_words_list(s, none, nx);
		ca_strbuf_adds(s, ".");
	}
	para_buf(d, s);
}

/* Partner names by where they fall on the funnel. */
static size_t
partners_at(const board *b, board_position a, board_position c, const char **names)
{
	const ca_trends *t = board_compared(b);
	size_t n = 0;

	for (size_t i = 0; i < t->nproviders; i++)
		if ((b->position[i] == a || b->position[i] == c) &&
		    (b->partner == NULL || t->providers[i].provider_id == b->partner_id))
			names[n++] = b->partner != NULL ? b->partner : t->providers[i].name;
	return n;
}

/* Where a provider report's partner sits on the funnel plot. */
static void
partner(ca_doc *d, const board *b, ca_strbuf *s)
{
	const ca_trends *t = board_compared(b);
	board_position at = BOARD_NOT_PLOTTED;

	for (size_t i = 0; i < t->nproviders; i++)
		if (t->providers[i].provider_id == b->partner_id)
			at = b->position[i];
	if (at == BOARD_NOT_PLOTTED)
		ca_strbuf_addf(s, "%s had fewer than five completed audits of the random sample, "
		    "so it is not compared with the other partners.", b->partner);
	else if (at == BOARD_WITHIN)
		ca_strbuf_addf(s, "Among all partners, %s is within the funnel plot's 95%% limits "
		    "for audits good or outstanding: its difference from the overall share is "
		    "what chance would give.", b->partner);
	else {
		int high = at == BOARD_HIGH_95 || at == BOARD_HIGH_998;

		ca_strbuf_addf(s, "Among all partners, %s is %s the funnel plot's %s limit for "
		    "audits good or outstanding: %s of its audits were good or outstanding than "
		    "chance would explain.", b->partner, high ? "above" : "below",
		    at == BOARD_HIGH_998 || at == BOARD_LOW_998 ? "99.8%" : "95%",
		    high ? "more" : "fewer");
	}
	para_buf(d, s);
}

static void
partners(ca_doc *d, const board *b, ca_strbuf *s, const char **names)
{
	size_t plotted = board_plotted(b), n;

	if (b->partner != NULL) {
		partner(d, b, s);
		return;
	}
	if (plotted == 0) {
		ca_strbuf_adds(s, "No partner organisation had five or more completed audits, so "
		    "none is compared with the others.");
		para_buf(d, s);
		return;
	}
	if ((n = partners_at(b, BOARD_LOW_998, BOARD_LOW_95, names)) > 0) {
		ca_strbuf_adds(s, "Below the funnel plot's limits, fewer audits good or "
		    "outstanding than chance would explain: ");
		ca_words_list(s, names, n);
		ca_strbuf_adds(s, ". ");
	}
	if ((n = partners_at(b, BOARD_HIGH_998, BOARD_HIGH_95, names)) > 0) {
		ca_strbuf_adds(s, "Above the limits: ");
		ca_words_list(s, names, n);
		ca_strbuf_adds(s, ". ");
	}
	if (s->len == 0)
		ca_strbuf_addf(s, "All %zu partner organisations compared are within the funnel "
		    "plot's 95%% limits: their differences are what chance would give.", plotted);
	para_buf(d, s);
}

static void
themes(ca_doc *d, const board *b, ca_strbuf *s)
{
	const ca_trends *t = b->range;
	const ca_trends_theme *q;
	char pc[16], ci[32];
	size_t rising = 0;

	if (t->nthemes == 0)
		return;
	q = &t->themes[0];
	ca_words_percent(q->share.share, pc, sizeof pc);
	ca_strbuf_addf(s, "The question most often not met was \u201c%s\u201d: %s of answers "
	    "(95%% CI %s).", q->text, pc, ca_words_interval(q->share.lo, q->share.hi, ci,
	    sizeof ci));
	for (size_t i = 0; i < t->nthemes; i++)
		rising += t->themes[i].trend == CA_TRENDS_RISING;
	if (rising > 0)
		ca_strbuf_addf(s, " %zu of the %zu questions most often not met %s not met more "
		    "often than in earlier periods.", rising, t->nthemes, rising == 1 ? "is" : "are");
	para_buf(d, s);
}

/* Safeguarding: never withheld, never left out of the summary. */
static void
escalations(ca_doc *d, const board *b, ca_strbuf *s)
{
	const ca_trends_actions *a = &b->now->actions;
	char census[32], acked[32], c[32];

	ca_words_date(a->census, census, sizeof census);
	if (a->acknowledged == 0 || a->acknowledged == a->escalations)
		snprintf(acked, sizeof acked, a->acknowledged == 0 ? "none" : "all");
	else
		ca_words_count(a->acknowledged, acked, sizeof acked);
	if (a->escalations == 0)
		ca_strbuf_adds(s, "No safeguarding concern found in an audit was escalated in the "
		    "period.");
	else
		ca_strbuf_addf(s, "%s safeguarding %s found in audits %s escalated in the period; "
		    "%s acknowledged by %s.", ca_words_count(a->escalations, c, sizeof c),
		    a->escalations == 1 ? "concern" : "concerns",
		    a->escalations == 1 ? "was" : "were", acked, census);
	if (a->escalations_open > 0)
		ca_strbuf_addf(s, " %s %s still waited to be acknowledged on %s.",
		    ca_words_count(a->escalations_open, c, sizeof c),
		    a->escalations_open == 1 ? "escalation" : "escalations",
		    census);
	if (a->overdue > 0)
		ca_strbuf_addf(s, " %s %s agreed from audits %s overdue on %s.",
		    ca_words_count(a->overdue, c, sizeof c),
		    a->overdue == 1 ? "action" : "actions", a->overdue == 1 ? "was" : "were",
		    census);
	para_buf(d, s);
}

static void
moderation(ca_doc *d, const board *b, ca_strbuf *s)
{
	const ca_moderation_stat *m = board_moderation_overall(b);
	char k[64], c1[32], c2[32];

	if (m == NULL)
		return;
	ca_strbuf_addf(s, "%s audits submitted in the period were moderated; the moderator "
	    "gave the auditor's grade in %s of them. Agreement on grades, as weighted kappa, was %s",
	    ca_words_count(m->moderated, c1, sizeof c1), ca_words_count(m->grades_agreed, c2,
	    sizeof c2), ca_words_kappa(&m->grade, k, sizeof k));
	if (isfinite(m->grade.kappa) && m->grade.kappa < 0.6)
		ca_strbuf_adds(s, ": below 0.6, a sign that auditors need calibrating.");
	else
		ca_strbuf_adds(s, ".");
	para_buf(d, s);
}

static void
asked(ca_doc *d, const board *b, ca_strbuf *s, const char **names)
{
	const ca_trends_work *w = &b->now->all.work;
	const ca_moderation_stat *m = board_moderation_overall(b);
	const ca_trends_actions *a = &b->now->actions;
	size_t n, items = 0;

	ca_heading(d, 2, b->partner != NULL ? "For the contract meeting: points to discuss" :
	    "The board is asked to note that");
	if (a->escalations_open > 0) {
		ca_strbuf_addf(s, "%ld safeguarding %s still waiting to be acknowledged at the "
		    "end of the period (Actions and escalations);", a->escalations_open,
		    a->escalations_open == 1 ? "escalation was" : "escalations were");
		ca_bullet(d, s->data);
		ca_strbuf_reset(s);
		items++;
	}
	for (int i = 0; i < BOARD_NMEASURES; i++) {
		board_signal sig = board_measure_signal(b, i);

		if (sig != BOARD_CONCERN && sig != BOARD_IMPROVEMENT)
			continue;
		ca_strbuf_addf(s, "%s shows special-cause variation, %s (Domain measures);",
		    board_measure_words(i), sig == BOARD_CONCERN ? "a concern" : "an improvement");
		ca_bullet(d, s->data);
		ca_strbuf_reset(s);
		items++;
	}
	if ((n = partners_at(b, BOARD_LOW_998, BOARD_LOW_95, names)) > 0) {
		ca_words_list(s, names, n);
		ca_strbuf_addf(s, " %s below the funnel plot's limits for audits good or "
		    "outstanding (%s);", n == 1 ? "is" : "are", b->partner != NULL ?
		    "Among the partners" : "Partner comparison");
		ca_bullet(d, s->data);
		ca_strbuf_reset(s);
		items++;
	}
	if (!w->suppressed && w->overdue > 0) {
		ca_strbuf_addf(s, "%ld %s of the period %s overdue;", w->overdue,
		    w->overdue == 1 ? "audit" : "audits", w->overdue == 1 ? "is" : "are");
		ca_bullet(d, s->data);
		ca_strbuf_reset(s);
		items++;
	}
	for (size_t i = 0; i < b->range->nthemes; i++) {
		if (b->range->themes[i].trend != CA_TRENDS_RISING)
			continue;
		ca_strbuf_addf(s, "\u201c%s\u201d is not met more often than before (Recurring "
		    "themes);", b->range->themes[i].text);
		ca_bullet(d, s->data);
		ca_strbuf_reset(s);
		items++;
	}
	if (m != NULL && isfinite(m->grade.kappa) && m->grade.kappa < 0.6) {
		ca_bullet(d, "agreement between auditors and the moderator is below 0.6 "
		    "(Moderation);");
		items++;
	}
	if (items == 0)
		ca_bullet(d, b->partner != NULL ? "no measure shows a signal of concern and the "
		    "partner is not below the funnel plot's limits;" : "no measure shows a signal "
		    "of concern and no partner organisation is below the funnel plot's limits;");
	ca_bullet(d, "every figure is an estimate from a sample and comes with its 95% "
	    "confidence interval.");
}

void
board_summary(ca_doc *d, const board *b)
{
	const char **names = calloc(board_compared(b)->nproviders + 1, sizeof *names);
	ca_strbuf s;

	if (names == NULL) {
		ca_doc_fail(d, CA_EX_SOFTWARE, "board report: out of memory");
		return;
	}
	ca_strbuf_init(&s);
	ca_heading(d, 1, "Executive summary");
	scope(d, b, &s);
	work(d, b, &s);
	grades(d, b, &s);
	if (!b->now->all.suppressed)
		signals(d, b, &s);
	/* a partner too small to compare is told so */
	if (!b->now->all.suppressed || b->partner != NULL)
		partners(d, b, &s, names);
	themes(d, b, &s);
	escalations(d, b, &s);
	moderation(d, b, &s);
	asked(d, b, &s, names);
	if (ca_strbuf_failed(&s))
		ca_doc_fail(d, CA_EX_SOFTWARE, "board report: out of memory");
	ca_strbuf_free(&s);
	free(names);
}
