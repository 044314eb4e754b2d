/*
 * plan.h - sampling plans: what to sample each period, and how.
 *
 * A plan names a checklist, the population (assessment types, partner
 * organisations, completed in the period, optionally people still waiting
 * longer than D days at its end), the method, the size rule, the period
 * length, the due days and the exclusion window.  Plans never change once
 * created, except that they can be paused and resumed: every run copies
 * the parameters it used, so a run can always be explained and redrawn.
 */
#ifndef CASEAUDIT_PLAN_H
#define CASEAUDIT_PLAN_H

#include <libpq-fe.h>

#include "error.h"

typedef struct ca_plan_spec {
	const char *name;
	const char *form;          /* checklist name */
	const char *types;         /* "care_act_assessment,review"; NULL: the checklist's */
	const char *providers;     /* organisation names, comma-separated; NULL: all */
	const char *method;        /* random | stratified | risk */
	const char *size_rule;     /* size | percent | margin */
	double size_value;
	double confidence;         /* 0.95 */
	double proportion;         /* 0.5 */
	const char *strata;        /* provider | provider_type */
	int per_stratum;
	const char *allocation;    /* proportional | neyman */
	int floor;                 /* 2 */
	double core_share;         /* 0.5 */
	int waiting_days;          /* -1: completed assessments only */
	const char *every;         /* month | quarter */
	const char *from;          /* first period; NULL: the current one */
	int due_days;              /* 28 */
	int exclusion_months;      /* 12 */
} ca_plan_spec;

/* The defaults above. */
void ca_plan_spec_init(ca_plan_spec *s);

/* Check the spec against the database (the checklist, the types it applies
 * to, the organisations) and store the plan with an event, in one
 * transaction.  Problems are 65 with a sentence naming what is wrong;
 * *id receives the new plan's id. */
int ca_plan_create(PGconn *conn, const ca_plan_spec *s, const char *actor, long long *id,
    ca_err *err);

/* Pause or resume (paused = 0) a plan by name, with an event.  65 when
 * there is no such plan; already in that state is not an error. */
int ca_plan_set_paused(PGconn *conn, const char *name, int paused, const char *actor,
    ca_err *err);

/* The plan's id by name; 65 naming it when there is none. */
int ca_plan_find(PGconn *conn, const char *name, long long *id, ca_err *err);

#endif
