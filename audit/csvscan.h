/*
 * csvscan.h - splitting a CSV file into records, without parsing fields.
 *
 * PostgreSQL's COPY parses the fields (DESIGN.md: no hand-written CSV
 * parser).  What COPY cannot do is tell us the physical line on which each
 * record starts, nor carry on past a broken record.  This scanner does just
 * that much: it follows RFC 4180 quoting to find where records end, counts
 * their fields, checks their bytes are UTF-8 without NULs, and reports the
 * first problem of each broken record, so the importer can send the good
 * ones to COPY and report every bad one.
 *
 * Accepted: a UTF-8 byte-order mark, LF, CRLF or CR line endings, quoted
 * fields holding commas, quotes ("") and line breaks.  Empty lines between
 * records are skipped.  Memory is one read buffer plus the longest record
 * (capped by max_record).
 */
#ifndef CASEAUDIT_CSVSCAN_H
#define CASEAUDIT_CSVSCAN_H

#include <stddef.h>

#include "error.h"

enum ca_csv_problem {
	CA_CSV_OK = 0,
	CA_CSV_BAD_UTF8,      /* bytes that are not UTF-8 */
	CA_CSV_NUL,           /* a NUL byte */
	CA_CSV_UNTERMINATED,  /* a quoted field still open at the end of the file */
	CA_CSV_TOO_LONG       /* longer than max_record: the bytes are cut */
};

typedef struct ca_csv_record {
	const char *data;     /* the bytes, without the line ending; valid until
	                       * the next call, NUL-terminated for convenience */
	size_t len;
	long line;            /* physical line on which the record starts (1-based) */
	int fields;           /* commas outside quotes, plus one */
	enum ca_csv_problem problem;
	long problem_line;    /* physical line of the first problem */
	int problem_field;    /* 0-based field in which it lies, -1 for none */
} ca_csv_record;

typedef struct ca_csv_reader ca_csv_reader;

/* Open path for scanning ("-" is not special).  A missing or unreadable
 * file is CA_EX_NOINPUT. */
int  ca_csv_open(ca_csv_reader **out, const char *path, size_t max_record, ca_err *err);
void ca_csv_close(ca_csv_reader *r);

/* Next record: returns 1 with rec filled, 0 at the end, -1 on a read error
 * (err set, CA_EX_NOINPUT). */
int  ca_csv_next(ca_csv_reader *r, ca_csv_record *rec, ca_err *err);

/* Bytes read so far and their SHA-256, as hex (complete once at the end). */
unsigned long long ca_csv_bytes(const ca_csv_reader *r);
void ca_csv_digest(ca_csv_reader *r, char hex[65]);

/* A sentence for a problem, for "FILE:LINE: column: problem" messages. */
const char *ca_csv_problem_text(enum ca_csv_problem p);

#endif
