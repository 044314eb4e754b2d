/*
 * report_pdf.h - a rendered report as the `reports` table keeps it: the
 * PDF's bytes, how many pages it has and the as-of time of the data it
 * was drawn from (never the clock, so that the same data gives the same
 * bytes).  Every report's render function fills one.
 */
#ifndef CASEAUDIT_REPORT_PDF_H
#define CASEAUDIT_REPORT_PDF_H

#include <stddef.h>

typedef struct ca_report_pdf {
	unsigned char *bytes;   /* malloc'd; ca_report_pdf_free frees it */
	size_t len;
	int pages;
	char as_of[21];         /* YYYY-MM-DDTHH:MM:SSZ, UTC */
} ca_report_pdf;

/* Free the bytes and clear *p (safe on a cleared one). */
void ca_report_pdf_free(ca_report_pdf *p);

#endif
