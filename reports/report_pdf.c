/*
 * report_pdf.c - a rendered report (report_pdf.h).
 */
#include "report_pdf.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db.h"

void
ca_report_pdf_free(ca_report_pdf *p)
{
	if (p == NULL)
		return;
	free(p->bytes);
	memset(p, 0, sizeof *p);
}

void
ca_report_timing_start(ca_report_timing *t)
{
	memset(t, 0, sizeof *t);
	ca_db_spent(&t->db_mark, &t->statements);
	t->statements = -t->statements;
	t->mark = ca_clock_seconds();
}

void
ca_report_timing_read(ca_report_timing *t)
{
	double now = ca_clock_seconds(), db;
	long n;

	ca_db_spent(&db, &n);
	t->read = now - t->mark;
	t->queries = db - t->db_mark;
	t->statements += n;
	t->mark = now;
}

void
ca_report_timing_drawn(ca_report_timing *t)
{
	double now = ca_clock_seconds();

	t->draw = now - t->mark;
	t->mark = now;
}
