/*
 * report_pdf.h - a rendered report as the `reports` table keeps it: the
 * PDF's bytes, how many pages it has and the as-of time of the data it
 * was drawn from (never the clock, so that the same data gives the same
 * bytes).  Every report's render function fills one, with where its time
 * went beside it (for --verbose; never in the bytes).
 */
#ifndef CASEAUDIT_REPORT_PDF_H
#define CASEAUDIT_REPORT_PDF_H

#include <stddef.h>

/* Seconds a render spent reading its figures (the database's part of
 * that counted apart: db.h ca_db_spent) and drawing the PDF (laying out,
 * drawing, compressing). */
typedef struct ca_report_timing {
	double read;            /* from the start to the figures in hand */
	double queries;         /* of read, waiting on the database */
	long statements;        /* sent while reading */
	double draw;            /* from the figures in hand to the bytes */
	double mark, db_mark;   /* the clocks at the last step, for the next */
} ca_report_timing;

typedef struct ca_report_pdf {
	unsigned char *bytes;   /* malloc'd; ca_report_pdf_free frees it */
	size_t len;
	int pages;
	char as_of[21];         /* YYYY-MM-DDTHH:MM:SSZ, UTC */
	ca_report_timing timing;
} ca_report_pdf;

/* A render calls these in turn: before it reads anything, once it has
 * its figures, once it has its bytes. */
void ca_report_timing_start(ca_report_timing *t);
void ca_report_timing_read(ca_report_timing *t);
void ca_report_timing_drawn(ca_report_timing *t);

/* Free the bytes and clear *p (safe on a cleared one). */
void ca_report_pdf_free(ca_report_pdf *p);

#endif
