/*
 * period.h - audit periods: a calendar month ("2025-03") or quarter
 * ("2025-Q1"), their first and last days, and the periods a plan has
 * finished by a given day.
 *
 * Dates are calendar dates as "YYYY-MM-DD" (date.h).
 */
#ifndef CASEAUDIT_PERIOD_H
#define CASEAUDIT_PERIOD_H

typedef struct ca_period {
	int year;
	int month;     /* first month, 1..12 */
	int months;    /* 1 for a month, 3 for a quarter */
} ca_period;

/* Parse "YYYY-MM" or "YYYY-Qn" (years 1900..2999).  0, or -1 when s is
 * neither. */
int  ca_period_parse(const char *s, ca_period *p);

/* The period's name again ("2025-03", "2025-Q1"); buf holds 8 bytes. */
void ca_period_name(const ca_period *p, char *buf);

/* First and last day as "YYYY-MM-DD"; each buffer holds 11 bytes. */
void ca_period_bounds(const ca_period *p, char *first, char *last);

/* The period after p, of the same length. */
ca_period ca_period_next(const ca_period *p);

/* The month or quarter (months 1 or 3) containing date "YYYY-MM-DD".
 * 0, or -1 when date is not a real date. */
int  ca_period_containing(const char *date, int months, ca_period *p);

/* True when the period has ended by `today` ("YYYY-MM-DD"): its last day
 * is before today.  A monthly period is due from the 1st of the next
 * month. */
int  ca_period_ended(const ca_period *p, const char *today);

#endif
