/*
 * trends.h - the audit programme's figures over a range of periods: how
 * many audits, the share met per domain and question with Wilson 95%
 * intervals, the grade distribution, whether auditors confirmed what
 * screening flagged, overdue and late work, and XmR signals on the
 * per-period series.  `caseaudit trends` prints them and the board and
 * provider reports draw them; nothing else computes these numbers, so
 * every table and chart agrees.
 *
 * ca_trends_load reads everything in a few set-based queries in one
 * read-only snapshot and returns plain structs: the range's periods, its
 * partner organisations and its total as groups of the same shape, the
 * per-period series with their control charts, and (on request) every
 * question.  Grouping by period, provider, domain or question is how a
 * caller chooses to show them; they are all computed from the same rows.
 *
 * Methodology (the report's appendix; the words are meant to be read by a
 * principal social worker as well as a developer):
 *
 *   Range.  From and to are months (YYYY-MM) or quarters (YYYY-Qn), both
 *     of one kind, from not after to, at most CA_TRENDS_MAX_PERIODS
 *     periods.  Without either: the twelve months ending with the latest
 *     month that has a submitted audit (of the provider, when one is
 *     asked for), or ending with today's month when there is none.  With
 *     only to: the twelve months or four quarters ending with it.  With
 *     only from: from to the latest period with a submitted audit, or from
 *     alone when that is earlier.
 *
 *   Period of an audit.  The period containing its assessment's
 *     completed_on: when the work was done, which is what sampling runs
 *     are drawn by, not when it was audited.  A person still waiting when
 *     sampled has no completed_on; the end of the run's period stands in.
 *
 *   Which audits count.  Submitted, feedback or closed: the grade and the
 *     domain scores exist.  Audits of targeted re-audit cases
 *     (sampling_run_targeted) are not a random sample: they are counted
 *     apart (`targeted`) and left out of every share, grade and flag
 *     figure.  Only audits of the random draw (sampling_run_members) make
 *     the headline figures.
 *
 *   Weighting back to the population.  Each audit weighs 1/pi, pi its
 *     case's inclusion probability in its run.  Shares are Hajek-weighted,
 *     sum(w x) / sum(w), and their intervals use Kish's effective number
 *     of audits, n_eff = (sum w)^2 / sum(w^2), which is below the raw
 *     number when weights differ (the price of unequal weights).  A simple
 *     random or proportionally allocated sample gives every audit of a
 *     run the same weight, and then share and n_eff are the unweighted
 *     share and the raw n.  Both the weighted share and the raw n (and
 *     the unweighted share) are reported.  Over several periods, each
 *     period counts in proportion to the population it was drawn from.
 *
 *   Domain share met.  The weighted mean of the audits' domain scores
 *     (domain_scores.score, scores.h: met 1, partially met 0.5, not met 0,
 *     weighted by question); an audit where no question of the domain
 *     applied has no score and is left out.  Interval: Wilson 95% with
 *     x = share * n_eff successes of n_eff.  A score is a proportion in
 *     [0, 1], whose variance is at most p (1 - p), so treating the sum of
 *     scores as a count of successes gives an interval at least as wide as
 *     it needs to be: conservative.
 *
 *   Question share met.  Of the answers met, partially met or not met,
 *     the weighted share met; partially met counts as not met here and is
 *     reported beside it.  Not applicable is left out (and counted).
 *     Questions are grouped by checklist name and question id across the
 *     checklist's versions; wording, domain and order are the newest
 *     version's.  Ratings outside those four (a checklist's own scale) are
 *     left out.
 *
 *   Grades.  Counts of outstanding, good, requires improvement and
 *     inadequate, and the weighted share good or outstanding with its
 *     Wilson interval.
 *
 *   Screening flags confirmed.  Each flag of the audited assessment's
 *     current screening (the current_screenings view) belongs to a domain
 *     (ca_trends_flag_domain): single issue to holistic; no person's voice
 *     and deficit language to strengths; risk without a plan and a
 *     safeguarding concern to risk; a carer without an offer to carers.
 *     The auditor confirmed it when the audit's score in that domain is
 *     below 0.5, did not when 0.5 or more; when the domain had no score
 *     (not applicable) it is neither.  The share confirmed is of flags
 *     confirmed or not, unweighted: it describes how well screening
 *     predicts auditors, not the population.
 *
 *   Overdue and late.  About the audit work, so targeted re-audits count
 *     here: open audits (unassigned, assigned, in progress, returned) due
 *     before today; submitted audits whose last submission came after
 *     their due date (late); open actions of the group's audits due before
 *     today.  `today` is a parameter (NULL: the database's current date).
 *
 *   Small numbers.  A group (a period, a provider, the whole range) with
 *     one to four headline audits is suppressed: its counts, shares and
 *     intervals are withheld, not only flagged (zero counts, NaN shares,
 *     `suppressed` set), so no consumer can print them by mistake.  Within
 *     a group shown, a share over fewer than five audits (a domain that
 *     applied to four, a question answered in four, a flag raised on four)
 *     is suppressed in the same way, and the work figures are suppressed
 *     when the group holds fewer than five audits of any status.  A group
 *     with no audits at all is empty, not suppressed: nobody can be
 *     recognised in a zero.
 *
 *   Control charts.  The per-period series of the share good or
 *     outstanding and of each domain's share met (higher is better), and
 *     of the audits overdue or late (open past due plus submitted late;
 *     lower is better), are charted with ca_xmr_compute (xmr.h: mean,
 *     limits at 2.66 mean moving ranges, the four special-cause rules).
 *     Periods suppressed or without a value are left out of the series, so
 *     their neighbours become neighbours.  Each point's signal is marked
 *     improvement or concern in its period's share; a series with fewer
 *     than two points is not charted.
 *
 * The figures below are loaded only when the query asks for them.
 *
 *   Equity (q.equity).  The range's headline audits grouped three ways by
 *     what the assessment records about the person: age band, ethnicity
 *     and primary support reason, each as written in the import (spaces
 *     trimmed); an empty or missing value makes the group "not recorded".
 *     Per group: the audits, the share good or outstanding and each
 *     domain's share met, weighted with Wilson 95% intervals on Kish's n
 *     exactly as above.  A group of one to four audits is suppressed
 *     whole: its count as well as its shares, since "2 audits, 0% good"
 *     says as much as the share.  And because every grouping adds up to
 *     the same total, one group withheld alone could be worked out by
 *     subtraction from the others: while the groups withheld in a grouping
 *     hold one to four audits between them, the smallest group still shown
 *     is withheld too (`secondary`; the later of two the same size, in the
 *     order shown), so what is withheld always hides five or more.
 *     Within a group shown, a domain share over fewer than five audits is
 *     withheld as in any group.
 *
 *   Waiting (q.waits).  From the assessments themselves, every one of
 *     them, audited or not, of every type: the wait is the days from
 *     requested_on to completed_on.  Completed: assessments completed in
 *     the range, with the median and the 90th percentile of their waits.
 *     Still waiting: assessments requested on or before the census date
 *     (the range's last day, or today when that is earlier) and not
 *     completed by it, with the median and 90th percentile of the days
 *     waited so far.  Per partner organisation and for all of them.
 *     Percentiles are percentile_cont: the continuous percentile that
 *     interpolates between the two nearest waits (for an even number, the
 *     median is the mean of the middle two), which is what a spreadsheet's
 *     MEDIAN and PERCENTILE.INC give, so a board member can check it, and
 *     it moves smoothly as one wait changes rather than jumping from one
 *     person's wait to the next.  Fewer than five completed (or waiting)
 *     in a partner, or overall: that half of its figures is suppressed,
 *     counts included.  Nothing further is withheld: a withheld partner's
 *     count can be worked out from the total, and says how many
 *     assessments an organisation did, nothing about anyone in them.
 *
 *   Recurring themes (q.themes = N).  The questions most often not met in
 *     the range's last period: of the answers met, partially met or not
 *     met, the weighted share not met (partially met is not counted as
 *     not met here, so this is not one minus the share met above), with
 *     its Wilson interval.  Only questions answered (met, partially met or
 *     not met) five or more times in the last period are ranked; the N
 *     highest shares not met come first (ties: more answers first, then
 *     by checklist, position and question id).  For each, its share not
 *     met in every period of the range (suppressed where one to four
 *     answers) and in the earlier periods pooled together (the answers of
 *     all periods before the last, weighted as one sample).  The trend
 *     word compares the last period with the earlier ones: rising when
 *     the last period's 95% interval lies wholly above the earlier
 *     periods' interval, falling when wholly below, steady when the two
 *     overlap; none when the earlier periods hold fewer than five
 *     answers.  Intervals that do not overlap are a strict test (stricter
 *     than a 5% significance test), so "rising" is only said when the
 *     change is clear; "steady" means no clear change, not proof of none.
 *     Rising means the question is not met more often: worse.
 *     Screening flags against auditors' findings over the range are the
 *     groups' flag figures above (all.flag[f]: raised, confirmed, not
 *     confirmed, not applicable).
 *
 *   Partner funnel (ca_trends_funnel).  For a share measure (good or
 *     outstanding, or a domain), each partner's share against the funnel
 *     limits around the whole range's share p0 (stats.h
 *     ca_funnel_limits, 95% and 99.8%), at the partner's effective number
 *     of audits: Kish's n_eff rounded down (the raw number when weights
 *     are equal; rounding down widens the limits a little, never
 *     narrows them).  A partner is outside a limit when its share is
 *     strictly beyond it.  Partners whose share is suppressed are not
 *     placed.  With a provider filter the whole is that partner, so the
 *     funnel says nothing; draw it for all partners.
 *
 *   Actions and escalations (q.actions).  For the range's last period,
 *     counted on its census date (its last day, or today when earlier),
 *     so that a past period's figures do not change as actions are done
 *     later: every action of an audit in scope (of the provider's
 *     assessments when one is asked for; any period's audit) that was set
 *     on or before the census date: open then (not done by it), overdue
 *     (open and due before it), done in the period, set in the period;
 *     and the same open, overdue and done per owner, an organisation by
 *     name or a member of staff by staff ref.  Safeguarding escalations
 *     raised in the period: how many, how many acknowledged by the
 *     census date and how many not, the median and longest days from
 *     raised to acknowledged (percentile_cont, as for waits); and every
 *     escalation still unacknowledged on the census date, whenever
 *     raised.  These count work, not people: no text, and nothing is
 *     suppressed, because an owner must be accountable for every overdue
 *     action and a board must never read "<5" about safeguarding
 *     concerns; nothing about any person goes with a count.
 */
#ifndef CASEAUDIT_TRENDS_H
#define CASEAUDIT_TRENDS_H

#include <stddef.h>
#include <libpq-fe.h>

#include "error.h"
#include "period.h"
#include "scores.h"
#include "xmr.h"

#define CA_TRENDS_CONFIDENCE 0.95
#define CA_TRENDS_MIN_GROUP 5       /* fewer audits than this are suppressed */
#define CA_TRENDS_MAX_PERIODS 240   /* twenty years of months */

#define CA_GRADES 4
/* outstanding, good, requires_improvement, inadequate: best first. */
extern const char *const ca_trends_grade_names[CA_GRADES];

/* The screening flags auditors can confirm, and each one's domain (an
 * index into ca_domain_names).  personal_data is about the record, not
 * practice, and is not among them. */
#define CA_TRENDS_FLAGS 6
extern const char *const ca_trends_flag_names[CA_TRENDS_FLAGS];
extern const int ca_trends_flag_domain[CA_TRENDS_FLAGS];

/* A weighted share with its interval. */
typedef struct ca_trends_share {
	int suppressed;      /* 1..4 audits: everything below withheld */
	long n;              /* audits (or answers) with a value: the raw n */
	double n_eff;        /* Kish's effective n */
	double share;        /* Hajek-weighted, 0..1; NaN when n is 0 or suppressed */
	double raw;          /* unweighted */
	double lo, hi;       /* Wilson 95% around share on n_eff; NaN likewise */
	ca_xmr_kind signal;  /* periods: the control chart's verdict; else COMMON */
} ca_trends_share;

/* One screening flag in a group. */
typedef struct ca_trends_flag {
	int suppressed;        /* raised on 1..4 audits */
	long raised;           /* headline audits whose assessment had the flag */
	long confirmed;        /* domain score below 0.5 */
	long not_confirmed;    /* 0.5 or more */
	long not_applicable;   /* the domain had no score */
	double share, lo, hi;  /* confirmed / (confirmed + not confirmed), Wilson 95% */
} ca_trends_flag;

/* The audit work in a group, targeted re-audits included. */
typedef struct ca_trends_work {
	int suppressed;        /* the group has 1..4 audits of any status */
	long audits;           /* audits drawn, not cancelled, any status */
	long open;             /* unassigned, assigned, in progress or returned */
	long overdue;          /* open and due before today */
	long late;             /* submitted after the due date */
	long actions_overdue;  /* open actions due before today */
	ca_xmr_kind signal;    /* periods: the chart of overdue + late */
} ca_trends_work;

/* A period, a provider, or the whole range. */
typedef struct ca_trends_group {
	char *name;                /* "2025-03", the provider's name, or "all" */
	long long provider_id;     /* providers: the organisation; else 0 */
	int suppressed;            /* 1..4 headline audits: figures withheld */
	long audits;               /* headline audits counted */
	long targeted;             /* targeted re-audits counted, apart */
	long grades[CA_GRADES];    /* in ca_trends_grade_names order */
	ca_trends_share good;      /* graded good or outstanding */
	ca_trends_share domain[CA_DOMAINS];
	ca_trends_flag flag[CA_TRENDS_FLAGS];
	ca_trends_flag flags;      /* the six together, counting flags, not audits */
	ca_trends_work work;
} ca_trends_group;

/* One question over the whole range. */
typedef struct ca_trends_question {
	char *form;                /* checklist name */
	char *id;                  /* question id */
	char *text;                /* the newest version's wording */
	int domain;                /* index into ca_domain_names, -1 unknown */
	int position;              /* in the newest version */
	long met, partially_met, not_met, not_applicable;  /* 0 when suppressed */
	ca_trends_share share;     /* met of met, partially met and not met */
} ca_trends_question;

/* The measures charted per period. */
enum {
	CA_TRENDS_SERIES_GOOD = 0,                         /* good or outstanding */
	CA_TRENDS_SERIES_DOMAIN = 1,                       /* + domain index */
	CA_TRENDS_SERIES_OVERDUE = 1 + CA_DOMAINS,         /* overdue or late */
	CA_TRENDS_SERIES = 2 + CA_DOMAINS
};

/* One control chart: the points are the periods not left out. */
typedef struct ca_trends_series {
	const char *measure;        /* "good_or_outstanding", a domain, "overdue_or_late" */
	ca_xmr_direction direction;
	int charted;                /* at least two points: chart and points filled */
	ca_xmr chart;
	size_t n;                   /* points */
	size_t *period;             /* each point's index into ca_trends.periods */
	double *value;
	ca_xmr_point *point;
} ca_trends_series;

/* ---- equity ---- */

/* The groupings of equity, by what the assessment records. */
enum {
	CA_TRENDS_AGE_BAND = 0,
	CA_TRENDS_ETHNICITY = 1,
	CA_TRENDS_SUPPORT_REASON = 2,
	CA_TRENDS_EQUITY = 3
};
/* "age_band", "ethnicity", "support_reason". */
extern const char *const ca_trends_equity_names[CA_TRENDS_EQUITY];
/* The name of the group of assessments that record nothing. */
#define CA_TRENDS_NOT_RECORDED "not recorded"

typedef struct ca_trends_equity_group {
	char *name;                /* as recorded, or CA_TRENDS_NOT_RECORDED */
	int recorded;              /* 0: the not recorded group */
	int suppressed;            /* withheld: audits 0, every share NaN */
	int secondary;             /* withheld so a smaller one cannot be worked out */
	long audits;               /* headline audits */
	ca_trends_share good;      /* graded good or outstanding */
	ca_trends_share domain[CA_DOMAINS];
} ca_trends_equity_group;

typedef struct ca_trends_equity {
	size_t ngroups;
	ca_trends_equity_group *groups;  /* by name, not recorded last */
} ca_trends_equity;

/* ---- waiting ---- */

/* The waits of a partner organisation, or of all of them. */
typedef struct ca_trends_wait {
	char *name;                /* the partner's name, or "all" */
	long long provider_id;     /* 0 for all */
	int suppressed;            /* 1..4 completed: completed, median, p90 withheld */
	long completed;            /* assessments completed in the range */
	double median, p90;        /* days requested to completed; NaN: none or withheld */
	int waiting_suppressed;    /* 1..4 still waiting: withheld likewise */
	long waiting;              /* still waiting on the census date */
	double waiting_median, waiting_p90;  /* days waited so far */
} ca_trends_wait;

typedef struct ca_trends_waits {
	char census[11];           /* the day still waiting is counted on */
	size_t nproviders;
	ca_trends_wait *providers; /* partners with an assessment completed or waiting */
	ca_trends_wait all;
} ca_trends_waits;

/* ---- recurring themes ---- */

typedef enum ca_trends_trend {
	CA_TRENDS_TREND_NONE = 0,  /* too few earlier answers to say */
	CA_TRENDS_STEADY,          /* the intervals overlap */
	CA_TRENDS_RISING,          /* not met more often: worse */
	CA_TRENDS_FALLING          /* not met less often: better */
} ca_trends_trend;

/* A question often not met in the range's last period. */
typedef struct ca_trends_theme {
	char *form;                /* checklist name */
	char *id;                  /* question id */
	char *text;                /* the newest version's wording */
	int domain;                /* index into ca_domain_names, -1 unknown */
	int position;              /* in the newest version */
	long met, partially_met, not_met, not_applicable;  /* in the last period */
	ca_trends_share share;     /* not met, of met, partially met and not met */
	ca_trends_share earlier;   /* the same over the periods before the last, pooled */
	ca_trends_share *periods;  /* the same per period of the range (nperiods), oldest first */
	ca_trends_trend trend;     /* the last period against the earlier ones */
} ca_trends_theme;

/* ---- actions and escalations ---- */

/* Who owns actions: a partner organisation or a member of staff. */
typedef struct ca_trends_owner {
	char *name;                /* the organisation's name, or the staff ref */
	int staff;                 /* 1: a member of staff, 0: an organisation */
	long open;                 /* open on the census date */
	long overdue;              /* of those, due before it */
	long done;                 /* done in the period */
} ca_trends_owner;

typedef struct ca_trends_actions {
	char period[8];            /* the range's last period */
	char first[11];            /* its first day */
	char census[11];           /* its last day, or today when earlier */
	long set;                  /* actions set in the period */
	long open;                 /* open on the census date, set whenever */
	long overdue;              /* of those, due before the census date */
	long done;                 /* done in the period */
	size_t nowners;
	ca_trends_owner *owners;   /* most overdue first, then most open, then by name */
	long escalations;          /* safeguarding escalations raised in the period */
	long acknowledged;         /* of those, acknowledged by the census date */
	long unacknowledged;       /* of those, not */
	double ack_median;         /* days raised to acknowledged; NaN when none */
	double ack_longest;
	long escalations_open;     /* unacknowledged on the census date, raised whenever */
} ca_trends_actions;

/* ---- the query and its figures ---- */

/* How many recurring themes a report usually shows. */
#define CA_TRENDS_THEMES 5

typedef struct ca_trends_query {
	const char *from, *to;      /* "YYYY-MM" or "YYYY-Qn"; NULL: see Range */
	const char *provider;       /* a partner organisation's name; NULL: all */
	const char *today;          /* "YYYY-MM-DD"; NULL: the database's date */
	int questions;              /* also load every question (the heaviest query) */
	int equity;                 /* also the equity groupings */
	int waits;                  /* also waiting times */
	int themes;                 /* also the N questions most often not met (0: none) */
	int actions;                /* also actions and escalations of the last period */
	int no_flags;               /* leave the screening flags out (all zero): they
	                             * read every audit's screening, a cost a caller
	                             * that does not show them need not pay */
} ca_trends_query;

typedef struct ca_trends {
	ca_period from, to;         /* the range used */
	char from_name[8], to_name[8];
	char today[11];
	char *provider;             /* the filter, or NULL */
	int empty;                  /* no audit counted in the range: nothing to show */
	size_t nperiods;
	ca_trends_group *periods;   /* every period of the range, oldest first */
	size_t nproviders;
	ca_trends_group *providers; /* providers with audits in the range, by name */
	ca_trends_group all;        /* the whole range */
	ca_trends_series series[CA_TRENDS_SERIES];
	size_t nquestions;
	ca_trends_question *questions;  /* by checklist, then position; when asked */
	ca_trends_equity equity[CA_TRENDS_EQUITY];  /* when asked */
	ca_trends_waits waits;      /* when asked */
	size_t nthemes;
	ca_trends_theme *themes;    /* most often not met first; when asked */
	ca_trends_actions actions;  /* when asked */
} ca_trends;

/*
 * Load the figures for q into *out (the caller frees it with
 * ca_trends_free).  Reads in one snapshot and changes nothing: in a
 * repeatable-read transaction of its own when conn is idle, else inside
 * the caller's transaction (its snapshot), undone to a savepoint; a
 * failure leaves the caller's transaction usable.  A range with no
 * audits is not an error: empty is set and every share NaN; the waits,
 * themes and actions asked for are still read (assessments wait whether
 * or not anyone audits them).  Errors: 64 for periods that are not
 * periods, of different lengths, in the wrong order or too many, a today
 * that is not a date, or a negative number of themes; 65 for a provider
 * nobody is called; 69, 70 or 75 from the database.  *out is NULL on
 * failure.
 */
int ca_trends_load(PGconn *conn, const ca_trends_query *q, ca_trends **out, ca_err *err);

/* What ca_trends_load checks before it reads anything (the periods' form,
 * today, the provider's encoding), for a caller to check before it
 * connects: 0, 64 or 65 as ca_trends_load would say. */
int ca_trends_query_check(const ca_trends_query *q, ca_err *err);

void ca_trends_free(ca_trends *t);

/* "improvement", "concern", "neutral", or NULL for common-cause
 * variation: the words a table or chart legend uses. */
const char *ca_trends_signal_name(ca_xmr_kind k);

/* "rising", "falling", "steady", or NULL when there is no trend to say. */
const char *ca_trends_trend_name(ca_trends_trend k);

/* Where a partner lies on the funnel plot of a measure. */
typedef struct ca_trends_funnel_point {
	int placed;                /* 0: its share is withheld or there is none */
	long n;                    /* effective audits, the limits' n and the plot's x */
	double share;              /* the partner's share */
	double lo95, hi95;         /* the limits at its n; NaN when not placed */
	double lo998, hi998;
	int outside95;             /* -1 below the lower limit, 1 above the upper, 0 within */
	int outside998;
} ca_trends_funnel_point;

/*
 * The funnel plot of `measure` (CA_TRENDS_SERIES_GOOD, or
 * CA_TRENDS_SERIES_DOMAIN + a domain's index) over t's partners:
 * *overall the whole range's share (the funnel's centre; NaN when there is
 * none, and then no partner is placed) and points[i] for t->providers[i],
 * t->nproviders of them (the caller's array).  Pure: no database.
 * Returns 0, or 64 when measure is not a share.
 */
int ca_trends_funnel(const ca_trends *t, int measure, double *overall,
    ca_trends_funnel_point *points, ca_err *err);

/* The measure's name as in ca_trends_series ("good_or_outstanding", a
 * domain), or NULL when it is not a share measure; and back (-1). */
const char *ca_trends_measure_name(int measure);
int ca_trends_measure_index(const char *name);

#endif
