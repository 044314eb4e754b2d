/*
 * moderation.h - moderation: a share of submitted audits drawn at random
 * for a second, independent view by a moderator (staff with the psw role,
 * the principal social worker or a senior practitioner standing in), the
 * moderator's grade and ratings kept beside the auditor's, and how far the
 * two agree.
 *
 * Selection (the daemon's `moderate` job, ca_moderation_run):
 *   - every submission of an audit (submitted, feedback or closed) is
 *     drawn once: a uniform u in [0, 1) from the project's generator
 *     (rng.h) seeded by the operating system; it is selected when
 *     u < share, share = the moderation_percent setting / 100 (0..100,
 *     10 when missing or out of range).  Each draw, its share and the
 *     outcome are kept in moderation_draws, so anybody can see the
 *     selection was random and not hand-picked;
 *   - once a quarter has ended, an auditor who submitted audits in it (by
 *     the day each submission was made) and none of whose submissions in
 *     it is being or was moderated gets one of those submissions chosen
 *     uniformly at random (reason quarter_minimum; the event keeps the
 *     draw).  Only an audit's current submission, still submitted, in
 *     feedback or closed, can be chosen;
 *   - a pending moderation of a submission the audit has since replaced
 *     (returned and resubmitted), or of a cancelled audit, is withdrawn:
 *     the new submission is drawn on its own;
 *   - each new moderation goes to a moderator: active, psw, not the
 *     audit's auditor, not employed by the partner organisation assessed
 *     and not the assessor; the fewest pending moderations first, ties to
 *     the lowest staff_ref.  With nobody available it waits (no moderator)
 *     and the next run tries again.  The moderator gets a reminder (kind
 *     moderation) due when the feedback window ends: an audit with a
 *     moderation pending is not closed.
 * One transaction, under an advisory lock: two daemons never select or
 * assign twice, and running it again changes nothing.
 *
 * Moderating (`caseaudit moderate`, ca_moderate): the moderator records
 * a grade and a rating for every question the auditor answered, may
 * comment, and may return the audit to its auditor.  Statistics
 * (`caseaudit moderation stats`, ca_moderation_stats): agreement and
 * linearly weighted Cohen's kappa with its 95% interval (stats.h) on
 * grades and on question ratings.
 */
#ifndef CASEAUDIT_MODERATION_H
#define CASEAUDIT_MODERATION_H

#include <stddef.h>
#include <stdint.h>
#include <libpq-fe.h>

#include "error.h"
#include "stats.h"
#include "workflow.h"

typedef struct ca_moderation_counts {
	long withdrawn;        /* pending moderations of replaced submissions */
	long drawn;            /* submissions drawn this run */
	long sampled;          /* of which selected */
	long quarter_minimum;  /* chosen for an auditor's quarter */
	long assigned;         /* moderations given a moderator */
	long waiting;          /* pending with nobody able to take them */
} ca_moderation_counts;

/* The daemon's job, in the caller's transaction, as of `today`
 * (YYYY-MM-DD).  seed: NULL draws one from the operating system (the
 * daemon); a test may fix it.  counts may be NULL. */
int ca_moderation_run(PGconn *conn, const char *today, const char *actor,
    const uint64_t *seed, ca_moderation_counts *counts, ca_err *err);

/* Whether ca_moderation_run has anything to do by today: a submission to
 * draw, a pending moderation to withdraw or to give a moderator who is
 * available, or an ended quarter whose minimum is owed.  For the
 * scheduler. */
int ca_moderation_due(PGconn *conn, const char *today, int *due, ca_err *err);

/* `caseaudit moderate`.  The moderator rates the questions the auditor
 * answered: listed in agree (comma-separated ids) the rating is the
 * auditor's; listed in disagree ("question:rating,...") it is the rating
 * given, which must be in the question's scale; any other answered
 * question is agreed with when agree_rest says so, and otherwise not
 * rated (no moderation_ratings row: it counts neither for nor against
 * agreement).  return_audit sends the audit back to its auditor with
 * reason (required then). */
typedef struct ca_moderation_request {
	const char *grade;
	const char *agree;
	const char *disagree;
	int agree_rest;
	const char *comment;
	int return_audit;
	const char *reason;
} ca_moderation_request;

typedef struct ca_moderation_outcome {
	long long id;              /* the moderation */
	int submission;
	int requested;             /* made now, at the moderator's request */
	char auditor_grade[24];
	long agreed, disagreed;    /* question ratings */
	long unrated;              /* answered, not listed, and no --agree-rest */
} ca_moderation_outcome;

/* Who may: staff with the psw role, independent of the audit as an
 * auditor must be (not its auditor, not staff of the partner assessed,
 * not the assessor), and, when the submission's moderation is pending
 * with another moderator, only that one.  The audit must be submitted or
 * in feedback; a pending moderation may also be done on a closed audit,
 * which cannot then be returned.  A submission without a pending
 * moderation is moderated at the moderator's request (reason requested);
 * each submission is moderated once.  65 with the reason otherwise; 75
 * when actor->expect_version is stale.  out may be NULL. */
int ca_moderate(PGconn *conn, const ca_actor *actor, long long audit_id,
    const ca_moderation_request *rq, ca_moderation_outcome *out, ca_err *err);

/* Agreement between auditors and moderators over the moderations done,
 * for the submissions made from `from` to `to` (YYYY-MM-DD, inclusive;
 * NULL: unbounded), overall, per auditor (staff_ref) or per question id.
 *
 * Grades are ordered outstanding > good > requires_improvement >
 * inadequate; ratings by their score in the question's scale on three
 * levels (1, 0.5 and 0, a score going to the nearest), which for the
 * standard scale is met > partially_met > not_met.  A rating pair
 * where either side is not scored (not_applicable) is left out of the
 * rating statistics and counted in not_applicable.  Kappa is linearly
 * weighted (ca_kappa_compute) with a 95% interval; *_ok is 0 when there
 * is nothing to measure (no pairs).  A question row has no grade
 * statistics (grade_ok 0, moderated counts the moderations that rated
 * it). */
typedef enum ca_moderation_by {
	CA_MODERATION_BY_OVERALL, CA_MODERATION_BY_AUDITOR, CA_MODERATION_BY_QUESTION
} ca_moderation_by;

typedef struct ca_moderation_stat {
	char group[72];           /* "all", a staff_ref or a question id */
	long moderated;
	long grades_agreed;       /* the same grade exactly */
	int grade_ok;
	ca_kappa grade;
	long ratings;             /* scored pairs */
	long ratings_agreed;      /* the same rating exactly */
	int rating_ok;
	ca_kappa rating;
	long not_applicable;      /* pairs left out */
	long returned;            /* audits the moderator returned */
	long regraded;            /* returned and resubmitted with another grade */
} ca_moderation_stat;

/* Rows in group order; free *rows with free(). */
int ca_moderation_stats(PGconn *conn, ca_moderation_by by, const char *from, const char *to,
    ca_moderation_stat **rows, size_t *n, ca_err *err);

#endif
