/*
 * board_appendix.c - the methodology appendix: every sampling run of the
 * period with what anybody needs to check it, and what each measure means
 * and how it is worked out, in the words of trends.h and xmr.h for a
 * reader who is not a statistician.
 */
#include "board_private.h"

#include <stdio.h>
#include <string.h>

#include "heading.h"
#include "paragraph.h"
#include "table.h"
#include "words.h"

static const char *
method_words(const char *method)
{
	if (strcmp(method, "random") == 0)
		return "Simple random";
	if (strcmp(method, "stratified") == 0)
		return "Stratified by partner";
	if (strcmp(method, "risk") == 0)
		return "Weighted by risk";
	return method;
}

void
board_runs(ca_doc *d, const board *b)
{
	/* the plan's name has what is left, a name like "care-act-monthly" on
	 * one line; a method on two; a seed of twenty digits on one */
	static const ca_table_col cols[] = {
		{ "Run", 34, 0, CA_LEFT },
		{ "Plan", 0, 1, CA_LEFT },
		{ "Period", 50, 0, CA_LEFT },
		{ "Method", 68, 0, CA_LEFT },
		{ "Population", 66, 0, CA_RIGHT },
		{ "Sample", 48, 0, CA_RIGHT },
		{ "Seed", 126, 0, CA_RIGHT },
	};
	char line[96];
	ca_table *t;

	ca_heading(d, 2, "Sampling runs of the period");
	if (b->nruns == 0) {
		ca_para(d, "No sampling run covers this period.");
		return;
	}
	ca_para(d, "Each run drew its cases at random from a recorded population, with a "
	    "recorded seed, so that nobody can say the cases were picked by hand and anybody "
	    "can draw the same sample again.");
	t = ca_table_begin(d, cols, 7);
	ca_table_keep(t, b->nruns);
	for (size_t i = 0; i < b->nruns; i++) {
		const board_run *r = &b->runs[i];
		char id[24], pop[32], sample[32], method[64];
		const char *cells[7] = { id, r->plan, r->period, method, pop, sample, r->seed };

		snprintf(id, sizeof id, "%lld", r->id);
		ca_words_count(r->population, pop, sizeof pop);
		ca_words_count(r->sample, sample, sizeof sample);
		snprintf(method, sizeof method, "%s%s", method_words(r->method),
		    r->draw > 1 ? " (redrawn)" : "");
		ca_table_row(t, cells);
	}
	ca_table_end(t);
	ca_para(d, "The SHA-256 digest of each run's population (its assessment references in "
	    "order) identifies exactly what was sampled from:");
	for (size_t i = 0; i < b->nruns; i++) {
		snprintf(line, sizeof line, "Run %lld: %s", b->runs[i].id, b->runs[i].digest);
		ca_note(d, line);
	}
	snprintf(line, sizeof line, "caseaudit sample verify %lld", b->runs[0].id);
	{
		const ca_run check[] = { { "To check a run, ", 0 },
			{ "caseaudit sample verify RUN", 1 }, { " (for example ", 0 }, { line, 1 },
			{ ") draws the sample again from the recorded population and seed and says "
			  "whether the same cases come out.", 0 } };

		ca_para_runs(d, check, 5);
	}
	for (size_t i = 0; i < b->nruns; i++)
		if (b->runs[i].targeted > 0) {
			ca_para(d, "Some runs also audit cases on purpose (targeted re-audits asked "
			    "for by earlier findings). Those are outside the random draw and are "
			    "left out of every share in this report.");
			break;
		}
}

static const char *const definitions[][2] = {
	{ "Period of an audit. ", "The month or quarter in which the assessment audited was "
	  "completed: when the work was done, which is what the samples are drawn by, not "
	  "when it was audited. A person still waiting when sampled counts in the period of "
	  "the sample." },
	{ "Audits counted. ", "Audits submitted by their auditor (including those now in "
	  "feedback or closed), so that a grade and domain scores exist. Only audits of the "
	  "random sample make the shares, grades and comparisons; targeted re-audits are "
	  "counted apart." },
	{ "Weighting. ", "Each audit stands for the cases it was drawn from: an audit of a "
	  "case that had one chance in four of being drawn counts four times as much as one "
	  "that had one chance in one. The intervals allow for this through the effective "
	  "number of audits, which is below the real number when weights differ." },
	{ "Graded good or outstanding. ", "The weighted share of audits whose overall grade "
	  "was outstanding or good, out of outstanding, good, requires improvement and "
	  "inadequate." },
	{ "Share met in a domain. ", "Each audit's score in the domain is the share of the "
	  "domain's questions met, partly met counting half and not applicable left out, "
	  "weighted by question. The domain's share met is the weighted mean of those "
	  "scores over the audits where the domain applied." },
	{ "95% confidence interval. ", "The Wilson interval: the range the true share for "
	  "all cases very probably lies in, given the sample. 18 of 24 is 75%, 95% CI 55–88%. "
	  "Narrow intervals come from many audits." },
	{ "Control charts. ", "A chart of one value per period with its mean and process "
	  "limits at the mean plus and minus 2.66 times the average change from one period "
	  "to the next. Special cause is a point beyond a limit, seven points in a row on one "
	  "side of the mean, seven in a row each higher (or lower) than the last, or two of "
	  "three beyond two thirds of the way to a limit. Periods with too few audits are "
	  "left out. With fewer than 15 periods the limits are provisional." },
	{ "Variation and assurance icons. ", "The variation icon says what the latest point "
	  "is. Where the board has set a target, the assurance icon says whether the process, "
	  "as its limits show, will consistently pass it, consistently fail it, or hit and "
	  "miss." },
	{ "Funnel plot. ", "Each partner's share against its number of audits, with limits "
	  "around the share for all partners at 95% and 99.8% (the overall share plus and "
	  "minus 1.96 and 3.09 standard errors), which narrow as the number of audits grows." },
	{ "Overdue and late. ", "An audit is overdue when it is still open after its due "
	  "date, counted on the day the data was taken; late when it was submitted after its "
	  "due date. These count every audit drawn, targeted re-audits included." },
	{ "Recurring themes. ", "For each checklist question answered five or more times "
	  "this period: of the answers met, partly met or not met, the weighted share not met "
	  "(partly met is not counted as not met). The questions with the highest shares come "
	  "first. Rising or falling is said only when this period's 95% interval and the "
	  "earlier periods' (pooled) do not overlap, a strict test: \"no clear change\" is not "
	  "proof of none." },
	{ "Screening flags confirmed. ", "A flag screening raised on an audited assessment is "
	  "confirmed when the auditor scored its domain below 50%. The share confirmed is not "
	  "weighted: it says how well screening predicts auditors." },
	{ "Actions and escalations. ", "Counted on the period's last day (or the day the data "
	  "was taken, if earlier), so that a past period's figures do not change as actions are "
	  "done later: actions set on or before that day and not yet done are open, and overdue "
	  "when their due date has passed. Nothing here is withheld for small numbers: these "
	  "count work, not people, and a board must always see every safeguarding escalation." },
	{ "Waiting. ", "From every assessment, audited or not: the days from request to "
	  "completion for those completed in the period, and for people still waiting on the "
	  "period's last day the days waited so far. The median and the 90th percentile are "
	  "what a spreadsheet's MEDIAN and PERCENTILE.INC give." },
	{ "Equity. ", "The period's audits grouped by age band, ethnicity and primary support "
	  "reason as the assessment records them (\"not recorded\" when empty). A group of one "
	  "to four audits is withheld whole; where a withheld group could be worked out from the "
	  "total and the other groups, the smallest group shown is withheld too." },
	{ "Moderation agreement. ", "Cohen's kappa with linear weights over the four grades "
	  "(and over met, partly met and not met for questions), with its 95% interval." },
	{ "Small numbers. ", "A group of one to four audits is withheld everywhere in this "
	  "report (shown as \"fewer than 5\"), so that no person can be recognised; a group "
	  "with none is shown as none." },
	{ "When the data was taken. ", "The latest date the audit work recorded (a sample "
	  "drawn, an answer, a submission, an action, a moderation, an escalation, feedback, a "
	  "reminder). Overdue work is counted on that day, so the same records always give "
	  "the same report, byte for byte." },
};

void
board_appendix(ca_doc *d, const board *b)
{
	ca_heading(d, 1, "Methodology");
	board_runs(d, b);
	ca_heading(d, 2, "What the measures mean");
	for (size_t i = 0; i < sizeof definitions / sizeof definitions[0]; i++) {
		const ca_run r[] = { { definitions[i][0], 1 }, { definitions[i][1], 0 } };

		/* a provider report has no moderation to define */
		if (b->partner != NULL && strncmp(definitions[i][0], "Moderation", 10) == 0)
			continue;
		ca_para_runs(d, r, 2);
	}
}
