/*
 * import.c - the CSV import driver; see import.h for the steps.
 *
 * The SQL built here is assembled only from the program's own constants
 * (the column specifications); values from the file travel through COPY
 * and query parameters, never through SQL text.
 */
#include "import.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csvscan.h"
#include "db.h"
#include "strbuf.h"

#define DEFAULT_MAX_RECORD (16u * 1024 * 1024)
#define MAX_HEADER_COLUMNS 100
#define RAW_KEEP (64 * 1024)          /* bytes of a broken record kept */
#define COPY_FLUSH (256 * 1024)

/* One lock for all imports: they create organisations and teams and must
 * not interleave their upserts.  "caseimpt" in ASCII, as a big-endian
 * 64-bit integer. */
#define IMPORT_LOCK_KEY "7161131761893470324"

typedef struct import_run {
	PGconn *conn;
	const ca_import_kind *kind;
	const ca_import_opts *opts;
	ca_import_result *result;
	ca_err *err;
	ca_csv_reader *csv;
	int ncols;                  /* columns in the file's header */
	int *spec_of;               /* header position -> index in kind->columns */
	ca_strbuf out;              /* COPY data waiting to be sent */
	char id[32];                /* the imports row's id, as text */
	struct timespec step_start;
} import_run;

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* One log line per finished step, key=value, when asked for (--verbose):
 * where an import spends its time, and never anything from the rows. */
static void
step_done(import_run *run, const char *step)
{
	if (run->opts->log != NULL)
		fprintf(run->opts->log, "import kind=%s step=%s seconds=%.3f records=%lld\n",
		    run->kind->kind, step, seconds_since(&run->step_start), run->result->records);
	clock_gettime(CLOCK_MONOTONIC, &run->step_start);
}

const ca_import_kind *
ca_import_kind_named(const char *name)
{
	if (strcmp(name, ca_import_assessments.kind) == 0)
		return &ca_import_assessments;
	if (strcmp(name, ca_import_staff.kind) == 0)
		return &ca_import_staff;
	return NULL;
}

/* "FILE:LINE: column: problem", or without the column when none applies. */
static void
report(import_run *run, long long line, const char *column, const char *problem)
{
	FILE *f = run->opts->problems;

	run->result->problems++;
	if (f == NULL)
		return;
	if (column != NULL && *column != '\0')
		fprintf(f, "%s:%lld: %s: %s\n", run->opts->path, line, column, problem);
	else
		fprintf(f, "%s:%lld: %s\n", run->opts->path, line, problem);
}

/* ---- COPY ------------------------------------------------------------- */

static int
copy_begin(import_run *run, const char *sql)
{
	PGresult *res = PQexec(run->conn, sql);

	if (PQresultStatus(res) != PGRES_COPY_IN) {
		ca_db_fail(run->conn, res, run->err, "starting COPY");
		PQclear(res);
		return run->err->code;
	}
	PQclear(res);
	return 0;
}

static int
copy_send(import_run *run, const char *p, size_t n)
{
	if (PQputCopyData(run->conn, p, (int)n) != 1)
		return ca_db_fail(run->conn, NULL, run->err, "sending rows to COPY");
	return 0;
}

static int
copy_flush(import_run *run)
{
	int rc = 0;

	if (ca_strbuf_failed(&run->out))
		return ca_err_set(run->err, CA_EX_SOFTWARE, "out of memory");
	if (run->out.len > 0)
		rc = copy_send(run, run->out.data, run->out.len);
	ca_strbuf_reset(&run->out);
	return rc;
}

/* End COPY and collect its outcome.  When `abort_msg` is given the COPY is
 * abandoned instead. */
static int
copy_end(import_run *run, const char *abort_msg)
{
	PGresult *res;
	int rc = 0;

	if (abort_msg == NULL && (rc = copy_flush(run)) != 0)
		abort_msg = "caseaudit stopped sending";
	if (PQputCopyEnd(run->conn, abort_msg) != 1 && rc == 0)
		rc = ca_db_fail(run->conn, NULL, run->err, "ending COPY");
	while ((res = PQgetResult(run->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0 && abort_msg == NULL)
			rc = ca_db_fail(run->conn, res, run->err, "loading rows with COPY");
		PQclear(res);
	}
	return rc;
}

/* Append s as one CSV field, quoted. */
static void
add_quoted(ca_strbuf *b, const char *s)
{
	ca_strbuf_adds(b, "\"");
	for (; *s; s++) {
		if (*s == '"')
			ca_strbuf_adds(b, "\"");
		ca_strbuf_add(b, s, 1);
	}
	ca_strbuf_adds(b, "\"");
}

/* ---- the header ------------------------------------------------------- */

static int
spec_index(const ca_import_kind *kind, const char *name)
{
	for (int j = 0; j < kind->ncolumns; j++)
		if (strcmp(kind->columns[j].name, name) == 0)
			return j;
	return -1;
}

/* Column names as users type them: spaces around, any case. */
static void
normalise_name(char *s)
{
	size_t len, start = 0;

	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	while (start < len && (s[start] == ' ' || s[start] == '\t'))
		start++;
	memmove(s, s + start, len - start);
	s[len - start] = '\0';
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
}

/* Shaped like our column names: lowercase letters, digits and
 * underscores, at most 40.  ("Mrs Jones" is not.) */
static int
plain_name(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return n <= 40;
}

static void
expected_columns(const ca_import_kind *kind, ca_strbuf *b)
{
	for (int j = 0; j < kind->ncolumns; j++)
		ca_strbuf_addf(b, "%s%s", j ? ", " : "", kind->columns[j].name);
}

/* Let PostgreSQL parse the header record, then check the names. */
static int
read_header(import_run *run, const ca_csv_record *rec)
{
	const ca_import_kind *kind = run->kind;
	ca_strbuf sql, msg;
	PGresult *res = NULL;
	int *seen = NULL, bad = 0, known = 0, rc;

	if (rec->problem != CA_CSV_OK) {
		report(run, rec->line, "header", ca_csv_problem_text(rec->problem));
		return ca_err_set(run->err, CA_EX_DATAERR, "%s: the header row is unreadable",
		    run->opts->path);
	}
	if (rec->fields > MAX_HEADER_COLUMNS) {
		report(run, rec->line, "header", "has more than 100 columns");
		return ca_err_set(run->err, CA_EX_DATAERR, "%s: the header row is not a %s header",
		    run->opts->path, kind->kind);
	}
	run->ncols = rec->fields;
	ca_strbuf_init(&sql);
	ca_strbuf_init(&msg);
	ca_strbuf_adds(&sql, "CREATE TEMP TABLE ca_header (");
	for (int i = 0; i < run->ncols; i++)
		ca_strbuf_addf(&sql, "%sc%d text", i ? ", " : "", i);
	ca_strbuf_adds(&sql, ") ON COMMIT DROP");
	if ((rc = ca_db_exec(run->conn, run->err, "preparing the header", sql.data, 0, NULL)) != 0 ||
	    (rc = copy_begin(run, "COPY ca_header FROM STDIN (FORMAT csv)")) != 0)
		goto out;
	ca_strbuf_add(&run->out, rec->data, rec->len);
	ca_strbuf_adds(&run->out, "\n");
	if ((rc = copy_end(run, NULL)) != 0)
		goto out;
	res = ca_db_query(run->conn, run->err, "reading the header", "SELECT * FROM ca_header", 0, NULL);
	if (res == NULL) {
		rc = run->err->code;
		goto out;
	}
	if (PQntuples(res) != 1) {
		/* A header line of \. ends COPY before any row. */
		report(run, rec->line, "header", "is not a row of column names");
		rc = ca_err_set(run->err, CA_EX_DATAERR, "%s: the header row is unreadable",
		    run->opts->path);
		goto out;
	}
	run->spec_of = calloc((size_t)run->ncols, sizeof *run->spec_of);
	seen = calloc((size_t)kind->ncolumns, sizeof *seen);
	if (run->spec_of == NULL || seen == NULL) {
		rc = ca_err_set(run->err, CA_EX_SOFTWARE, "out of memory");
		goto out;
	}
	for (int i = 0; i < run->ncols; i++) {
		char name[256];

		snprintf(name, sizeof name, "%s", PQgetisnull(res, 0, i) ? "" : PQgetvalue(res, 0, i));
		normalise_name(name);
		if (spec_index(kind, name) >= 0)
			known++;
	}
	if (known == 0) {
		/* No column name we know: most likely the file has no header and
		 * this is a record, whose fields must not be echoed. */
		report(run, rec->line, "header", "names none of the expected columns; "
		    "the first row must be a header naming them");
		rc = ca_err_set(run->err, CA_EX_DATAERR,
		    "%s: the header row does not match the %s format; nothing was imported",
		    run->opts->path, kind->kind);
		goto out;
	}
	for (int i = 0; i < run->ncols; i++) {
		char name[256], where[32];
		int j;

		snprintf(name, sizeof name, "%s", PQgetisnull(res, 0, i) ? "" : PQgetvalue(res, 0, i));
		normalise_name(name);
		j = spec_index(kind, name);
		run->spec_of[i] = j;
		snprintf(where, sizeof where, "column %d", i + 1);
		/* A name is echoed only when it looks like a column name: it is
		 * what the user must find and fix, but a stray value must not be
		 * printed, nor a line break that forges another report line. */
		if (!plain_name(name))
			snprintf(name, sizeof name, "%s", where);
		if (name[0] == '\0') {
			report(run, rec->line, where, "has no name");
			bad = 1;
		} else if (j < 0) {
			ca_strbuf_reset(&msg);
			ca_strbuf_adds(&msg, "unknown column (expected: ");
			expected_columns(kind, &msg);
			ca_strbuf_adds(&msg, ")");
			report(run, rec->line, name, msg.data);
			bad = 1;
		} else if (seen[j]++) {
			report(run, rec->line, name, "column appears more than once");
			bad = 1;
		}
	}
	for (int j = 0; j < kind->ncolumns; j++) {
		if (kind->columns[j].required && !seen[j]) {
			report(run, rec->line, kind->columns[j].name, "required column is missing");
			bad = 1;
		}
	}
	if (bad)
		rc = ca_err_set(run->err, CA_EX_DATAERR,
		    "%s: the header row does not match the %s format; nothing was imported",
		    run->opts->path, kind->kind);
out:
	if (ca_strbuf_failed(&sql) && rc == 0)
		rc = ca_err_set(run->err, CA_EX_SOFTWARE, "out of memory");
	PQclear(res);
	free(seen);
	ca_strbuf_free(&sql);
	ca_strbuf_free(&msg);
	return rc;
}

/* ---- streaming the records -------------------------------------------- */

static int
create_stage(import_run *run)
{
	const ca_import_kind *kind = run->kind;
	ca_strbuf sql;
	int rc;

	ca_strbuf_init(&sql);
	ca_strbuf_adds(&sql, "CREATE TEMP TABLE ca_stage (src_line bigint NOT NULL, "
	    "scan_problem text, scan_column text, scan_raw bytea");
	for (int j = 0; j < kind->ncolumns; j++)
		ca_strbuf_addf(&sql, ", %s text", kind->columns[j].name);
	ca_strbuf_adds(&sql, ") ON COMMIT DROP");
	rc = ca_db_exec(run->conn, run->err, "preparing the staging table", sql.data, 0, NULL);
	if (rc == 0) {
		ca_strbuf_reset(&sql);
		ca_strbuf_adds(&sql, "COPY ca_stage (src_line, scan_problem, scan_column, scan_raw");
		for (int i = 0; i < run->ncols; i++)
			ca_strbuf_addf(&sql, ", %s", kind->columns[run->spec_of[i]].name);
		ca_strbuf_adds(&sql, ") FROM STDIN (FORMAT csv)");
		rc = ca_strbuf_failed(&sql) ? ca_err_set(run->err, CA_EX_SOFTWARE, "out of memory")
		    : copy_begin(run, sql.data);
	}
	ca_strbuf_free(&sql);
	return rc;
}

/* A broken record becomes a staging row holding only its line, problem and
 * (the start of) its bytes, so SQL reports it with all the others. */
static void
stage_broken(import_run *run, const ca_csv_record *rec, const char *problem)
{
	static const char hex[] = "0123456789abcdef";
	const char *column = NULL;
	size_t keep = rec->len < RAW_KEEP ? rec->len : RAW_KEEP;

	if (rec->problem != CA_CSV_OK && rec->problem_field >= 0 &&
	    rec->problem_field < run->ncols)
		column = run->kind->columns[run->spec_of[rec->problem_field]].name;
	ca_strbuf_addf(&run->out, "%ld,", rec->line);
	add_quoted(&run->out, problem);
	ca_strbuf_adds(&run->out, ",");
	if (column != NULL)
		add_quoted(&run->out, column);
	ca_strbuf_adds(&run->out, ",\\x");
	for (size_t i = 0; i < keep; i++) {
		unsigned char c = (unsigned char)rec->data[i];
		char h[2] = { hex[c >> 4], hex[c & 15] };

		ca_strbuf_add(&run->out, h, 2);
	}
	for (int i = 0; i < run->ncols; i++)
		ca_strbuf_adds(&run->out, ",");
	ca_strbuf_adds(&run->out, "\n");
}

static int
stream_records(import_run *run)
{
	ca_csv_record rec;
	char problem[160];
	int got, rc;

	while ((got = ca_csv_next(run->csv, &rec, run->err)) == 1) {
		run->result->records++;
		if (rec.problem != CA_CSV_OK) {
			if (rec.problem == CA_CSV_TOO_LONG)
				snprintf(problem, sizeof problem, "record is longer than %zu MB",
				    run->opts->max_record / (1024 * 1024));
			else if (rec.problem_line != rec.line)
				/* Deep in a multi-line narrative: say where. */
				snprintf(problem, sizeof problem, "%s, on line %ld",
				    ca_csv_problem_text(rec.problem), rec.problem_line);
			else
				snprintf(problem, sizeof problem, "%s", ca_csv_problem_text(rec.problem));
			stage_broken(run, &rec, problem);
		} else if (rec.fields != run->ncols) {
			snprintf(problem, sizeof problem, "has %d fields but the header has %d",
			    rec.fields, run->ncols);
			stage_broken(run, &rec, problem);
		} else if (rec.len > COPY_FLUSH) {
			/* A long narrative goes straight to libpq, not through out. */
			ca_strbuf_addf(&run->out, "%ld,,,,", rec.line);
			if ((rc = copy_flush(run)) != 0 || (rc = copy_send(run, rec.data, rec.len)) != 0)
				return rc;
			ca_strbuf_adds(&run->out, "\n");
		} else {
			ca_strbuf_addf(&run->out, "%ld,,,,", rec.line);
			ca_strbuf_add(&run->out, rec.data, rec.len);
			ca_strbuf_adds(&run->out, "\n");
		}
		if (run->out.len >= COPY_FLUSH && (rc = copy_flush(run)) != 0)
			return rc;
	}
	return got < 0 ? run->err->code : 0;
}

/* ---- validation ------------------------------------------------------- */

static void
choices_sql_array(ca_strbuf *b, const char *choices)
{
	/* '{a,b,c}' from "a,b,c": the program's own constants. */
	ca_strbuf_addf(b, "'{%s}'::text[]", choices);
}

static void
choices_words(ca_strbuf *b, const char *choices)
{
	const char *p = choices, *comma;

	while ((comma = strchr(p, ',')) != NULL) {
		ca_strbuf_add(b, p, (size_t)(comma - p));
		p = comma + 1;
		ca_strbuf_adds(b, strchr(p, ',') ? ", " : " or ");
	}
	ca_strbuf_adds(b, p);
}

/* True when the column is empty.  Checked values are trimmed once per row
 * (s.NAME__t).  Free text may be a 10 MB narrative, so it is not trimmed
 * (copied): when its first character is printable ASCII other than space,
 * as it nearly always is, it is not empty; otherwise a regular expression
 * looks for anything but space in the whole of it.  left() reads only the
 * start of a long, compressed value. */
static void
empty_sql(ca_strbuf *b, const ca_import_column *c)
{
	if (c->check == CA_COL_TEXT)
		ca_strbuf_addf(b, "(s.%s IS NULL OR (ascii(left(s.%s, 1)) NOT BETWEEN 33 AND 126"
		    " AND s.%s !~ '[^[:space:]]'))", c->name, c->name, c->name);
	else
		ca_strbuf_addf(b, "coalesce(s.%s__t, '') = ''", c->name);
}

/* One CASE expression giving the first problem of column c, or NULL.  The
 * value is s.NAME__t; a date's parsed value is s.NAME__date. */
static void
column_check_sql(ca_strbuf *b, const ca_import_column *c)
{
	char v[128];

	snprintf(v, sizeof v, "s.%s__t", c->name);
	ca_strbuf_adds(b, "CASE WHEN ");
	empty_sql(b, c);
	ca_strbuf_addf(b, " THEN %s", c->required ? "'required value is empty'" : "NULL");
	switch (c->check) {
	case CA_COL_TEXT:
		if (c->max_len > 0)
			ca_strbuf_addf(b, " WHEN length(s.%s) > %d THEN 'is longer than %d characters'",
			    c->name, c->max_len, c->max_len);
		break;
	case CA_COL_REF:
		ca_strbuf_addf(b, " WHEN length(%s) > 64 THEN 'is longer than 64 characters'"
		    " WHEN %s ~ '[[:cntrl:]]' THEN 'contains a tab, line break or control character'",
		    v, v);
		break;
	case CA_COL_CHOICE:
		/* lower() only for what is not already a choice as written. */
		ca_strbuf_addf(b, " WHEN %s <> ALL (", v);
		choices_sql_array(b, c->choices);
		ca_strbuf_addf(b, ") AND lower(%s) <> ALL (", v);
		choices_sql_array(b, c->choices);
		ca_strbuf_addf(b, ") THEN 'unknown value' || ca_show_code(%s) || ' (expected ", v);
		choices_words(b, c->choices);
		ca_strbuf_adds(b, ")'");
		break;
	case CA_COL_DATE:
		ca_strbuf_addf(b,
		    " WHEN s.%s__date IS NULL AND %s ~ '^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4})$'"
		    " THEN 'no such date' || ca_show_date(%s)"
		    " WHEN s.%s__date IS NULL THEN 'not a date' || ca_show_date(%s) ||"
		    " ' (expected YYYY-MM-DD or DD/MM/YYYY)'"
		    " WHEN s.%s__date > current_date THEN 'is in the future' || ca_show_date(%s)",
		    c->name, v, v, c->name, v, c->name, v);
		break;
	case CA_COL_YESNO:
		ca_strbuf_addf(b, " WHEN %s NOT IN ('yes', 'no') AND lower(%s) NOT IN ('yes', 'no')"
		    " THEN 'expected yes, no or empty, not' || ca_show_code(%s)", v, v, v);
		break;
	case CA_COL_COUNT:
		/* Two arms: CASE guarantees the cast runs only on digits. */
		ca_strbuf_addf(b, " WHEN %s !~ '^[0-9]{1,9}$' THEN 'expected a whole number from 0 to 1000'"
		    " WHEN %s::integer > 1000 THEN 'expected a whole number from 0 to 1000'", v, v);
		break;
	case CA_COL_EMAIL:
		ca_strbuf_addf(b, " WHEN %s !~ '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$'"
		    " THEN 'is not an email address'", v);
		break;
	case CA_COL_ROLES:
		/* Empty pieces ("auditor;") are ignored, as ca_src ignores them. */
		ca_strbuf_addf(b, " WHEN NOT EXISTS (SELECT 1 FROM unnest(string_to_array(%s, ';')) r"
		    " WHERE btrim(r) <> '') THEN 'names no role'", v);
		ca_strbuf_addf(b, " WHEN EXISTS (SELECT 1 FROM unnest(string_to_array(%s, ';')) r"
		    " WHERE btrim(r) <> '' AND lower(btrim(r)) <> ALL (", v);
		choices_sql_array(b, c->choices);
		ca_strbuf_addf(b, ")) THEN 'unknown role' || ca_show_code((SELECT btrim(r)"
		    " FROM unnest(string_to_array(%s, ';')) r WHERE btrim(r) <> ''"
		    " AND lower(btrim(r)) <> ALL (", v);
		choices_sql_array(b, c->choices);
		ca_strbuf_adds(b, ") LIMIT 1)) || ' (expected ");
		choices_words(b, c->choices);
		ca_strbuf_adds(b, ", separated by ;)'");
		break;
	}
	ca_strbuf_adds(b, " END");
}

static int
has_dates(const ca_import_kind *kind)
{
	for (int j = 0; j < kind->ncolumns; j++)
		if (kind->columns[j].check == CA_COL_DATE)
			return 1;
	return 0;
}

/*
 * Every distinct date in the file, parsed once.  A million records hold a
 * few thousand different dates, and ca_parse_date, the slowest check there
 * is, would otherwise run twice for each of their two million mentions
 * (validation, then the upsert).  Both look the parsed date up by its text.
 */
static int
parse_dates(import_run *run)
{
	const ca_import_kind *kind = run->kind;
	ca_strbuf sql;
	int j, n = 0, rc;

	if (!has_dates(kind))
		return 0;
	ca_strbuf_init(&sql);
	ca_strbuf_adds(&sql, "CREATE TEMP TABLE ca_dates ON COMMIT DROP AS"
	    " SELECT t, ca_parse_date(t) AS d FROM (SELECT DISTINCT btrim(unnest(ARRAY[");
	for (j = 0; j < kind->ncolumns; j++)
		if (kind->columns[j].check == CA_COL_DATE)
			ca_strbuf_addf(&sql, "%ss.%s", n++ ? ", " : "", kind->columns[j].name);
	/* No date is longer than 10 bytes (DD/MM/YYYY); what is longer stays
	 * out, to be reported as not a date, and cannot overflow the key that
	 * lets the planner drop the lookups where no date is used. */
	ca_strbuf_adds(&sql, "])) FROM ca_stage s) u(t) WHERE octet_length(t) <= 10;\n"
	    "ALTER TABLE ca_dates ADD PRIMARY KEY (t);\n"
	    "ANALYZE ca_dates");
	rc = ca_strbuf_failed(&sql) ? ca_err_set(run->err, CA_EX_SOFTWARE, "out of memory")
	    : ca_db_exec_script(run->conn, run->err, "reading the dates", sql.data);
	ca_strbuf_free(&sql);
	return rc;
}

/* The staging rows as `s`, each date column's parsed value beside it as
 * NAME__date and, when `trimmed`, every checked value trimmed as NAME__t. */
static void
typed_stage_sql(const ca_import_kind *kind, ca_strbuf *sql, int trimmed)
{
	int j;

	ca_strbuf_adds(sql, "SELECT s.*");
	for (j = 0; j < kind->ncolumns; j++) {
		const ca_import_column *c = &kind->columns[j];

		if (trimmed && c->check != CA_COL_TEXT)
			ca_strbuf_addf(sql, ", btrim(s.%s) AS %s__t", c->name, c->name);
		if (c->check == CA_COL_DATE)
			ca_strbuf_addf(sql, ", ca_d%d.d AS %s__date", j, c->name);
	}
	ca_strbuf_adds(sql, " FROM ca_stage s");
	for (j = 0; j < kind->ncolumns; j++)
		if (kind->columns[j].check == CA_COL_DATE)
			ca_strbuf_addf(sql, " LEFT JOIN ca_dates ca_d%d ON ca_d%d.t = btrim(s.%s)",
			    j, j, kind->columns[j].name);
}

/*
 * All checks in one pass over the staging table.  Each row yields an array
 * of problems, one slot per check, or the one problem csvscan found in a
 * broken record; only rows with a problem are unnested.  (A LATERAL VALUES
 * list of checks was 100 times slower: PostgreSQL sets up its expressions
 * again for every row.)  OFFSET 0 keeps each level computed once per row
 * rather than once per mention: the values trimmed and the dates looked up,
 * then the array.
 */
static void
validation_sql(const ca_import_kind *kind, ca_strbuf *sql)
{
	const char *ref = kind->ref_column;
	int j;

	ca_strbuf_adds(sql,
	    "CREATE TEMP TABLE ca_problems (line bigint NOT NULL, ord integer NOT NULL,"
	    " col text, problem text NOT NULL) ON COMMIT DROP;\n"
	    "INSERT INTO ca_problems (line, ord, col, problem)\n"
	    "SELECT x.src_line, 2 * p.ord, CASE WHEN x.scan_problem IS NULL THEN (ARRAY[");
	for (j = 0; j < kind->ncolumns; j++)
		ca_strbuf_addf(sql, "%s'%s'", j ? ", " : "", kind->columns[j].name);
	if (kind->row_check_sql != NULL)
		ca_strbuf_addf(sql, ", '%s'", kind->row_check_column);
	ca_strbuf_adds(sql, "])[p.ord] ELSE x.scan_column END, p.problem\n"
	    "FROM (SELECT s.src_line, s.scan_problem, s.scan_column,"
	    " CASE WHEN s.scan_problem IS NOT NULL THEN ARRAY[s.scan_problem] ELSE ARRAY[\n    ");
	for (j = 0; j < kind->ncolumns; j++) {
		if (j > 0)
			ca_strbuf_adds(sql, ",\n    ");
		column_check_sql(sql, &kind->columns[j]);
	}
	if (kind->row_check_sql != NULL)
		ca_strbuf_addf(sql, ",\n    %s", kind->row_check_sql);
	ca_strbuf_adds(sql, "] END AS probs\n  FROM (");
	typed_stage_sql(kind, sql, 1);
	ca_strbuf_adds(sql, " OFFSET 0) s OFFSET 0) x\n"
	    "CROSS JOIN LATERAL unnest(x.probs) WITH ORDINALITY AS p(problem, ord)\n"
	    "WHERE num_nonnulls(VARIADIC x.probs) > 0 AND p.problem IS NOT NULL\n"
	    "UNION ALL\n");
	/*
	 * The first occurrence of a reference wins; later ones are reported,
	 * in order right after the reference's own problem if it has one (ord
	 * is twice the check's position).  Grouping finds the repeated
	 * references; on a file without any there is nothing to hash, and the
	 * join ends before it reads a row.
	 */
	for (j = 0; j < kind->ncolumns && strcmp(kind->columns[j].name, ref) != 0; j++)
		;
	ca_strbuf_addf(sql,
	    "SELECT s.src_line, %d, '%s', 'appears again (first on line ' || d.first_line || ')'"
	    " FROM (SELECT btrim(%s) AS ref, min(src_line) AS first_line FROM ca_stage"
	    "  WHERE scan_problem IS NULL AND coalesce(btrim(%s), '') <> ''"
	    "  GROUP BY 1 HAVING count(*) > 1) d"
	    " JOIN ca_stage s ON btrim(s.%s) = d.ref"
	    " WHERE s.scan_problem IS NULL AND s.src_line <> d.first_line",
	    2 * (j + 1) + 1, ref, ref, ref, ref);
}

static int
validate(import_run *run)
{
	ca_strbuf sql;
	int rc;

	ca_strbuf_init(&sql);
	validation_sql(run->kind, &sql);
	rc = ca_strbuf_failed(&sql) ? ca_err_set(run->err, CA_EX_SOFTWARE, "out of memory")
	    : ca_db_exec_script(run->conn, run->err, "validating the rows", sql.data);
	ca_strbuf_free(&sql);
	return rc;
}

/* Print every problem in file order, streaming: there may be millions. */
static int
report_problems(import_run *run, long long *rows)
{
	PGresult *res;
	int rc = 0;

	res = ca_db_query(run->conn, run->err, "counting problems",
	    "SELECT count(DISTINCT line) FROM ca_problems", 0, NULL);
	if (res == NULL)
		return run->err->code;
	*rows = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (*rows == 0)
		return 0;
	if (!PQsendQuery(run->conn, "SELECT line, col, problem FROM ca_problems ORDER BY line, ord") ||
	    !PQsetSingleRowMode(run->conn))
		return ca_db_fail(run->conn, NULL, run->err, "reading problems");
	while ((res = PQgetResult(run->conn)) != NULL) {
		ExecStatusType st = PQresultStatus(res);

		if (st == PGRES_SINGLE_TUPLE)
			report(run, atoll(PQgetvalue(res, 0, 0)),
			    PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1),
			    PQgetvalue(res, 0, 2));
		else if (st != PGRES_TUPLES_OK && rc == 0)
			rc = ca_db_fail(run->conn, res, run->err, "reading problems");
		PQclear(res);
	}
	return rc;
}

/* ---- loading ---------------------------------------------------------- */

/* The imports row first (its id is on every row loaded), then the rejects
 * with the fields as read, for inspection. */
static int
record_import(import_run *run)
{
	ca_import_result *r = run->result;
	char bytes[32], id[32];
	PGresult *res;

	snprintf(bytes, sizeof bytes, "%llu", r->bytes);
	res = ca_db_query(run->conn, run->err, "recording the import",
	    "INSERT INTO imports (kind, file_name, file_sha256, file_bytes, skip_invalid, imported_by)"
	    " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", 6,
	    (const char *[]){ run->kind->kind, run->opts->path, r->sha256, bytes,
	    run->opts->skip_invalid ? "true" : "false", run->opts->actor });
	if (res == NULL)
		return run->err->code;
	r->import_id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (r->rejected == 0)
		return 0;
	snprintf(id, sizeof id, "%lld", r->import_id);
	return ca_db_exec(run->conn, run->err, "keeping the rejected rows",
	    "INSERT INTO import_rejects (import_id, line, column_name, reason, record, raw)"
	    " SELECT $1::bigint, p.line, p.col, p.problem,"
	    "  CASE WHEN s.scan_problem IS NULL THEN jsonb_strip_nulls(to_jsonb(s)"
	    "   - 'src_line' - 'scan_problem' - 'scan_column' - 'scan_raw') END,"
	    "  s.scan_raw"
	    " FROM ca_problems p JOIN ca_stage s ON s.src_line = p.line"
	    " ORDER BY p.line, p.ord", 1, (const char *[]){ id });
}

/* One statement of the upsert, returning one count. */
static int
store(import_run *run, const char *sql, int nparams, long long *count)
{
	PGresult *res;

	res = ca_db_query(run->conn, run->err, "storing the rows", sql, nparams,
	    (const char *[]){ run->id, run->opts->actor });
	if (res == NULL)
		return run->err->code;
	*count = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int
load(import_run *run)
{
	ca_import_result *r = run->result;
	char counts[5][32];
	ca_strbuf sql;
	int rc;

	snprintf(run->id, sizeof run->id, "%lld", r->import_id);
	/* Every broken record has a problem, so this leaves them out too. */
	ca_strbuf_init(&sql);
	ca_strbuf_adds(&sql, "CREATE TEMP VIEW ca_valid AS ");
	typed_stage_sql(run->kind, &sql, 0);
	ca_strbuf_adds(&sql, " WHERE NOT EXISTS (SELECT 1 FROM ca_problems p WHERE p.line = s.src_line)");
	rc = ca_strbuf_failed(&sql) ? ca_err_set(run->err, CA_EX_SOFTWARE, "out of memory")
	    : ca_db_exec(run->conn, run->err, "selecting the valid rows", sql.data, 0, NULL);
	ca_strbuf_free(&sql);
	if (rc != 0)
		return rc;
	if (run->kind->prepare_sql != NULL &&
	    (rc = ca_db_exec_script(run->conn, run->err, "preparing the rows",
	    run->kind->prepare_sql)) != 0)
		return rc;
	step_done(run, "prepare");
	/* Updates first: the rows the insert adds need no comparing. */
	if ((rc = store(run, run->kind->update_sql, 2, &r->updated)) != 0)
		return rc;
	step_done(run, "update");
	if ((rc = store(run, run->kind->insert_sql, 1, &r->inserted)) != 0)
		return rc;
	step_done(run, "insert");
	r->unchanged = r->records - r->rejected - r->inserted - r->updated;

	snprintf(counts[0], sizeof counts[0], "%lld", r->records);
	snprintf(counts[1], sizeof counts[1], "%lld", r->inserted);
	snprintf(counts[2], sizeof counts[2], "%lld", r->updated);
	snprintf(counts[3], sizeof counts[3], "%lld", r->unchanged);
	snprintf(counts[4], sizeof counts[4], "%lld", r->rejected);
	if ((rc = ca_db_exec(run->conn, run->err, "recording the import",
	    "UPDATE imports SET rows_read = $2, inserted = $3, updated = $4,"
	    " unchanged = $5, rejected = $6 WHERE id = $1", 6,
	    (const char *[]){ run->id, counts[0], counts[1], counts[2], counts[3], counts[4] })) != 0)
		return rc;
	if ((rc = ca_db_exec(run->conn, run->err, "recording the import",
	    "INSERT INTO events (actor, action, entity, entity_id, after)"
	    " SELECT $2, 'import.completed', 'import', id::text,"
	    "  jsonb_build_object('kind', kind, 'file', file_name, 'sha256', file_sha256,"
	    "   'rows', rows_read, 'inserted', inserted, 'updated', updated,"
	    "   'unchanged', unchanged, 'rejected', rejected)"
	    " FROM imports WHERE id = $1::bigint", 2,
	    (const char *[]){ run->id, run->opts->actor })) != 0)
		return rc;
	/* Temporary views outlive the transaction; a daemon imports again. */
	return ca_db_exec_script(run->conn, run->err, "tidying up",
	    "DROP VIEW IF EXISTS ca_src; DROP VIEW ca_valid");
}

/* ---- the whole import -------------------------------------------------- */

static int
run_import(import_run *run)
{
	ca_import_result *r = run->result;
	ca_csv_record header;
	long long bad_rows = 0;
	int got, rc;

	if ((rc = ca_db_exec(run->conn, run->err, "waiting for other imports",
	    "SELECT pg_advisory_xact_lock(" IMPORT_LOCK_KEY ")", 0, NULL)) != 0)
		return rc;
	/*
	 * The upsert looks up every staged reference once.  With the default
	 * random_page_cost (tuned for spinning disks) the planner prefers to
	 * hash the whole assessments table, narratives and all, spilling it to
	 * disk in batches; index lookups are 30% faster on a 200,000-row
	 * re-import (bench/import).  JIT compilation made the validation pass
	 * 60% slower, not faster (its expressions run once per row; compiling
	 * them costs more than it saves).  LOCAL: both end with the transaction.
	 */
	if ((rc = ca_db_exec_script(run->conn, run->err, "setting up the import",
	    "SET LOCAL random_page_cost = 1.1; SET LOCAL jit = off")) != 0)
		return rc;
	got = ca_csv_next(run->csv, &header, run->err);
	if (got < 0)
		return run->err->code;
	if (got == 0)
		return ca_err_set(run->err, CA_EX_DATAERR,
		    "%s: the file is empty; a header row naming the columns is expected",
		    run->opts->path);
	if ((rc = read_header(run, &header)) != 0)
		return rc;
	if ((rc = create_stage(run)) != 0)
		return rc;
	rc = stream_records(run);
	if (copy_end(run, rc ? "caseaudit stopped reading the file" : NULL) != 0 && rc == 0)
		rc = run->err->code;
	if (rc != 0)
		return rc;
	r->bytes = ca_csv_bytes(run->csv);
	ca_csv_digest(run->csv, r->sha256);
	step_done(run, "stage");

	if ((rc = parse_dates(run)) != 0 || (rc = validate(run)) != 0)
		return rc;
	step_done(run, "validate");
	if ((rc = report_problems(run, &bad_rows)) != 0)
		return rc;
	r->rejected = bad_rows;
	if (bad_rows > 0 && !run->opts->skip_invalid)
		return ca_err_set(run->err, CA_EX_DATAERR,
		    "%s: %lld of %lld records have problems; nothing was imported "
		    "(fix them, or use --skip-invalid to load the %lld valid records)",
		    run->opts->path, bad_rows, r->records, r->records - bad_rows);
	if ((rc = record_import(run)) != 0)
		return rc;
	step_done(run, "rejects");
	return load(run);
}

int
ca_import(PGconn *conn, const ca_import_kind *kind, const ca_import_opts *opts,
    ca_import_result *result, ca_err *err)
{
	ca_import_opts o = *opts;
	import_run run = { 0 };
	int rc;

	memset(result, 0, sizeof *result);
	if (o.max_record == 0)
		o.max_record = DEFAULT_MAX_RECORD;
	run.conn = conn;
	run.kind = kind;
	run.opts = &o;
	run.result = result;
	run.err = err;
	ca_strbuf_init(&run.out);

	if ((rc = ca_csv_open(&run.csv, o.path, o.max_record, err)) != 0)
		return rc;
	clock_gettime(CLOCK_MONOTONIC, &run.step_start);
	/*
	 * Narratives over 2 kB are compressed as they are stored, twice (staging
	 * and assessments); lz4 does it at a fraction of pglz's cost (25% off a
	 * whole COPY of the demo caseload).  Outside the transaction, and its
	 * failure ignored: a server built without lz4 keeps its default.
	 */
	PQclear(PQexec(conn, "SET default_toast_compression = 'lz4'"));
	if ((rc = ca_db_begin(conn, err)) == 0) {
		rc = run_import(&run);
		if (rc == 0 && (rc = ca_db_commit(conn, err)) == 0)
			step_done(&run, "commit");
		if (rc != 0) {
			ca_db_rollback(conn);
			result->import_id = 0;
		}
	}
	ca_csv_close(run.csv);
	free(run.spec_of);
	ca_strbuf_free(&run.out);
	return rc;
}
