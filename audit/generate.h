/*
 * generate.h - the deterministic synthetic caseload behind the demo and
 * the tests.
 *
 * `caseaudit demo generate` writes what a council's case-management
 * system would export: assessments.csv and staff.csv in the formats that
 * `caseaudit import` reads (DESIGN.md section 5), for Eastshire County
 * Council and eight partner organisations of different sizes and
 * practice.  A README.md beside them says that the data are synthetic.
 *
 * The same options give byte-identical files on any machine: every choice
 * comes from the documented ca_rng stream, and nothing depends on the
 * clock, the locale or floating-point printing.  Rows are written as they
 * are made, so memory stays flat however many are asked for.
 */
#ifndef CASEAUDIT_GENERATE_H
#define CASEAUDIT_GENERATE_H

#include <stdint.h>

#include "error.h"
#include "narrative.h"

#define CA_GENERATE_MAX_ASSESSMENTS 100000000L
#define CA_GENERATE_DEFAULT_AS_OF "2026-10-31"

typedef struct ca_generate_opts {
	long assessments;      /* number of assessment rows, >= 0 */
	uint64_t seed;
	const char *as_of;     /* "YYYY-MM-DD": the extract date; NULL for
	                          CA_GENERATE_DEFAULT_AS_OF */
	const char *out_dir;   /* created if missing (mkdir -p semantics) */
	int staff_only;        /* write staff.csv and README.md only */
} ca_generate_opts;

typedef struct ca_generate_stats {
	long assessments;      /* rows written to assessments.csv */
	long staff;            /* rows written to staff.csv */
	long organisations;    /* the council and its partners */
	long waiting;          /* assessments with no completed_on */
	unsigned long long bytes;  /* all files written, together */
} ca_generate_stats;

/*
 * Write assessments.csv, staff.csv and README.md into o->out_dir.
 * Returns 0, CA_EX_USAGE for options out of range, or CA_EX_IOERR when a
 * file or the directory cannot be written ("cannot write PATH: why").
 * A file is replaced only once it has been written completely.
 */
/* The practice profile the generator gives the partner organisation of
 * that name, or NULL for an organisation it does not make.  The demo
 * simulator draws audit findings from the same profile the narratives
 * were written with. */
const ca_narr_profile *ca_generate_profile(const char *partner);

int ca_generate(const ca_generate_opts *o, ca_generate_stats *st,
    ca_err *err);

#endif
