/*
 * date.h - calendar dates: "YYYY-MM-DD" strings, day counts, and the
 * DD/MM/YYYY form people in English councils read.
 *
 * Day arithmetic goes through a day count (days since 1970-01-01 in the
 * proleptic Gregorian calendar); dates are calendar dates with no time
 * zone (DESIGN.md 8).  Years 1900 to 9999.
 */
#ifndef CASEAUDIT_DATE_H
#define CASEAUDIT_DATE_H

long ca_days_from_civil(long y, int m, int d);
void ca_civil_from_days(long z, long *y, int *m, int *d);
int  ca_days_in_month(long y, int m);

/* Parse "YYYY-MM-DD" strictly (a real date); 0 and *days (may be NULL),
 * or -1. */
int  ca_date_parse(const char *s, long *days);

/* A date as people type it, "YYYY-MM-DD" or "DD/MM/YYYY" (a real date
 * either way), into iso (11 bytes) as "YYYY-MM-DD"; 0, or -1. */
int  ca_date_read(const char *s, char *iso);

/* Day count to "YYYY-MM-DD" (out holds 11 bytes), or to "DD/MM/YYYY" when
 * day_first. */
void ca_date_format(long days, int day_first, char *out);

/* The date n days after "YYYY-MM-DD" (n may be negative); out holds 11.
 * An invalid date is copied unchanged. */
void ca_date_add_days(const char *date, int n, char *out);

/* "YYYY-MM-DD" as "DD/MM/YYYY" for people; out holds 11.  Anything else
 * (empty, NULL) is copied as it is. */
void ca_date_uk(const char *iso, char *out);

#endif
