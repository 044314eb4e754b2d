/*
 * listing.h - printing a query's rows as a table for people, or as CSV or
 * JSON for scripts: the `--format table|csv|json` of every listing command.
 *
 * The query returns one column per field, in the order of the column list
 * given here, as PostgreSQL's text output (dates ISO, booleans t/f).  The
 * column kind decides how each value is shown:
 *   TEXT    as it is; JSON string
 *   NUMBER  as it is; JSON number
 *   BOOL    yes/no in a table and CSV; JSON true/false
 *   DATE    DD/MM/YYYY in a table, ISO in CSV and JSON
 *   JSON    the value is already JSON (a table shows it as it is)
 * NULL is "-" in a table, empty in CSV and null in JSON.
 */
#ifndef CASEAUDIT_LISTING_H
#define CASEAUDIT_LISTING_H

#include <stdio.h>
#include <libpq-fe.h>

#include "strbuf.h"

typedef enum ca_format { CA_FORMAT_TABLE, CA_FORMAT_CSV, CA_FORMAT_JSON } ca_format;

typedef enum ca_col_kind {
	CA_COL_TEXT, CA_COL_NUMBER, CA_COL_BOOL, CA_COL_DATE, CA_COL_JSON
} ca_col_kind;

typedef struct ca_column {
	const char *name;      /* JSON key and CSV heading: snake_case */
	const char *heading;   /* table heading: "DUE" */
	ca_col_kind kind;
} ca_column;

/* "table", "csv" or "json" into *f; otherwise a usage message for
 * `command` and CA_EX_USAGE. */
int ca_format_parse(const char *command, const char *arg, ca_format *f);

/* Print every row of res.  A table with no rows prints `empty` (a
 * sentence saying what is missing and what to do) instead. */
void ca_listing_print(FILE *f, const PGresult *res, const ca_column *cols, int ncols,
    ca_format fmt, const char *empty);

/* One row (row r of res) as a JSON object, appended to b. */
void ca_listing_json_object(ca_strbuf *b, const PGresult *res, int r, const ca_column *cols,
    int ncols);

#endif
