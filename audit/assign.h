/*
 * assign.h - giving each sampled case an independent auditor.
 *
 * An auditor is staff with the auditor role, active, under their
 * max_open_audits (open: assigned, in progress or returned), not employed
 * by the partner organisation that carried out the assessment, and not its
 * assessor.  Among those, the least loaded takes the case; ties go to the
 * lowest staff_ref (byte order), so the same state always gives the same
 * assignment.  Cases are taken earliest due first, then by
 * assessment_ref.  A case nobody can take stays unassigned with the
 * reason, and is assigned when capacity frees (the daemon's assign job).
 *
 * Independence is also enforced by a trigger on audits (0004_sampling).
 */
#ifndef CASEAUDIT_ASSIGN_H
#define CASEAUDIT_ASSIGN_H

#include <stddef.h>
#include <libpq-fe.h>

#include "error.h"

typedef struct ca_auditor {
	long long id;
	const char *ref;
	long long organisation_id;
	int open;          /* open audits now */
	int max_open;
} ca_auditor;

typedef enum ca_assign_reason {
	CA_ASSIGN_OK,
	CA_ASSIGN_NO_AUDITORS,      /* nobody active holds the auditor role */
	CA_ASSIGN_NOT_INDEPENDENT,  /* every auditor works for the provider or assessed */
	CA_ASSIGN_FULL              /* every independent auditor is at their maximum */
} ca_assign_reason;

/* The sentence stored as an unassigned audit's reason. */
extern const char *const ca_assign_reasons[4];

/* The auditor for one case: an index into a (sorted by ref), or -1 with
 * *why saying why nobody can take it.  Pure: no database. */
int ca_assign_pick(const ca_auditor *a, size_t n, long long provider_id,
    const char *assessor_ref, ca_assign_reason *why);

/* Assign the unassigned audits of run_id (0: of every run) in the
 * caller's transaction, one assigner at a time (an advisory lock), so that
 * two never overfill an auditor.  Writes an event per assignment; counts go
 * to *assigned and *unassigned (may be NULL). */
int ca_assign_pending(PGconn *conn, long long run_id, const char *actor, long *assigned,
    long *unassigned, ca_err *err);

/* New audits of run for its cases (n assessment ids, in the order they
 * are to be taken), with the checklist version and due date given, each
 * assigned as ca_assign_pending would assign it, or unassigned with the
 * reason: one statement with their events, where an unassigned audit would
 * otherwise be inserted, read back and updated.  Counts go to *assigned
 * and *unassigned. */
int ca_assign_new(PGconn *conn, const char *run, const char *form_version_id,
    const char *due, const long long *ids, size_t n, const char *actor, long *assigned,
    long *unassigned, ca_err *err);

/* `caseaudit audit reassign ID STAFF --as STAFF`: a QA lead moves an open
 * audit to another auditor within the same rules.  Own transaction; 65
 * with a sentence saying why when not allowed. */
int ca_audit_reassign(PGconn *conn, long long audit_id, const char *staff_ref,
    const char *as_ref, ca_err *err);

#endif
