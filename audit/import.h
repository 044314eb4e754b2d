/*
 * import.h - loading CSV extracts (assessments, staff) into PostgreSQL.
 *
 * The contract is DESIGN.md section 5.  One import is one transaction:
 *
 *   1. csvscan finds each record and the physical line it starts on;
 *   2. the header is read through COPY and checked by name (unknown,
 *      missing, repeated columns stop the import);
 *   3. every record streams through COPY (FORMAT csv) into a temporary
 *      staging table, prefixed with its line number; records csvscan
 *      found broken are sent as a line number and a problem instead;
 *   4. SQL validates all rows at once, the same rules for every row;
 *   5. with problems and without --skip-invalid: every problem is
 *      reported as FILE:LINE: column: problem and the transaction rolls
 *      back, so the database is unchanged (65);
 *   6. otherwise the valid rows are upserted by their reference, changes
 *      are written to the events trail with before and after, rejects
 *      are kept in import_rejects, and the imports row records it all.
 *
 * Memory is the read buffer plus the longest record, whatever the file's
 * size.  What differs between assessments and staff is data: the columns
 * and their checks (ca_import_kind) and the upsert SQL.
 */
#ifndef CASEAUDIT_IMPORT_H
#define CASEAUDIT_IMPORT_H

#include <stdio.h>
#include <libpq-fe.h>

#include "error.h"

/* How a column's values are checked and what the message says. */
enum ca_column_check {
	CA_COL_TEXT,    /* free text, at most max_len characters when max_len > 0 */
	CA_COL_REF,     /* an identifier: trimmed, <= 64 characters, no control characters */
	CA_COL_CHOICE,  /* one of `choices` (case and surrounding spaces ignored) */
	CA_COL_DATE,    /* YYYY-MM-DD or DD/MM/YYYY, a real date, not in the future */
	CA_COL_YESNO,   /* yes, no or empty */
	CA_COL_COUNT,   /* a whole number 0..1000 */
	CA_COL_EMAIL,   /* something@domain.tld */
	CA_COL_ROLES    /* one or more of `choices`, separated by ';' */
};

typedef struct ca_import_column {
	const char *name;
	int required;
	enum ca_column_check check;
	const char *choices;   /* comma-separated, for CHOICE and ROLES */
	int max_len;
} ca_import_column;

typedef struct ca_import_kind {
	const char *kind;              /* "assessments": the imports.kind value */
	const char *ref_column;        /* the key rows are upserted by */
	const ca_import_column *columns;
	int ncolumns;
	/* An extra check across columns: a CASE expression over the staging
	 * row `s` giving a problem or NULL, reported against row_check_column.
	 * Checked values are there trimmed as s.NAME__t, and dates parsed as
	 * s.NAME__date.  NULL for none. */
	const char *row_check_column;
	const char *row_check_sql;
	/* Run first: creates what the rows refer to (organisations, teams)
	 * and the temporary view ca_src of the valid rows typed.  The valid
	 * rows are the view ca_valid: the staging columns, and each date
	 * column parsed as NAME__date. */
	const char *prepare_sql;
	/* The upsert of ca_src, as two statements returning one count each.
	 * update_sql runs first: changed rows updated, with their before and
	 * after in the events trail ($1 the import id, $2 the actor); then
	 * insert_sql: new rows ($1 the import id). */
	const char *update_sql;
	const char *insert_sql;
} ca_import_kind;

extern const ca_import_kind ca_import_assessments;
extern const ca_import_kind ca_import_staff;

/* Find a kind by its name ("assessments", "staff"), or NULL. */
const ca_import_kind *ca_import_kind_named(const char *name);

typedef struct ca_import_opts {
	const char *path;
	int skip_invalid;
	const char *actor;        /* who runs it, for imports and events */
	size_t max_record;        /* 0: the default (16 MiB) */
	FILE *problems;           /* where FILE:LINE: column: problem lines go */
	FILE *log;                /* step timings as key=value lines, or NULL */
} ca_import_opts;

typedef struct ca_import_result {
	long long import_id;      /* 0 when nothing was recorded */
	long long records, inserted, updated, unchanged, rejected;
	long long problems;       /* problem lines reported (>= rejected rows) */
	unsigned long long bytes;
	char sha256[65];
} ca_import_result;

/* Import a file.  Returns 0, or 65 when the data had problems and nothing
 * changed, or another sysexits code with err set. */
int ca_import(PGconn *conn, const ca_import_kind *kind, const ca_import_opts *opts,
    ca_import_result *result, ca_err *err);

#endif
