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

typedef struct ca_trends_query {
	const char *from, *to;      /* "YYYY-MM" or "YYYY-Qn"; NULL: see Range */
	const char *provider;       /* a partner organisation's name; NULL: all */
	const char *today;          /* "YYYY-MM-DD"; NULL: the database's date */
	int questions;              /* also load every question (the heaviest query) */
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
} ca_trends;

/*
 * Load the figures for q into *out (the caller frees it with
 * ca_trends_free).  Reads in one snapshot and changes nothing: in a
 * repeatable-read transaction of its own when conn is idle, else inside
 * the caller's transaction (its snapshot), undone to a savepoint; a
 * failure leaves the caller's transaction usable.  A range with no audits is not an error: empty is set
 * and every share NaN.  Errors: 64 for periods that are not periods, of
 * different lengths, in the wrong order or too many, or a today that is
 * not a date; 65 for a provider nobody is called; 69, 70 or 75 from the
 * database.  *out is NULL on failure.
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

#endif
