/*
 * report_pdf.c - a rendered report (report_pdf.h).
 */
#include "report_pdf.h"

#include <stdlib.h>
#include <string.h>

void
ca_report_pdf_free(ca_report_pdf *p)
{
	if (p == NULL)
		return;
	free(p->bytes);
	memset(p, 0, sizeof *p);
}
