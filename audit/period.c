/*
 * period.c - months and quarters for sampling plans (see period.h).
 */
#include "period.h"

#include <stdio.h>
#include <string.h>

#include "date.h"

static int
two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

int
ca_period_parse(const char *s, ca_period *p)
{
	int hi, lo;

	if (s == NULL || strlen(s) != 7 || s[4] != '-' ||
	    (hi = two_digits(s)) < 0 || (lo = two_digits(s + 2)) < 0)
		return -1;
	p->year = hi * 100 + lo;
	if (p->year < 1900 || p->year > 2999)
		return -1;
	if (s[5] == 'Q' && s[6] >= '1' && s[6] <= '4') {
		p->month = (s[6] - '1') * 3 + 1;
		p->months = 3;
		return 0;
	}
	p->month = two_digits(s + 5);
	p->months = 1;
	return p->month >= 1 && p->month <= 12 ? 0 : -1;
}

void
ca_period_name(const ca_period *p, char *buf)
{
	if (p->months == 3)
		snprintf(buf, 8, "%04u-Q%u", (unsigned)p->year % 10000u,
		    (unsigned)(p->month - 1) / 3u % 4u + 1u);
	else
		snprintf(buf, 8, "%04u-%02u", (unsigned)p->year % 10000u,
		    (unsigned)p->month % 100u);
}

void
ca_period_bounds(const ca_period *p, char *first, char *last)
{
	int lm = p->month + p->months - 1;

	ca_date_format(ca_days_from_civil(p->year, p->month, 1), 0, first);
	ca_date_format(ca_days_from_civil(p->year, lm, ca_days_in_month(p->year, lm)), 0, last);
}

ca_period
ca_period_next(const ca_period *p)
{
	ca_period n = *p;

	n.month += p->months;
	if (n.month > 12) {
		n.month -= 12;
		n.year++;
	}
	return n;
}

int
ca_period_containing(const char *date, int months, ca_period *p)
{
	long z, y;
	int m, d;

	if (ca_date_parse(date, &z) != 0 || (months != 1 && months != 3))
		return -1;
	ca_civil_from_days(z, &y, &m, &d);
	p->year = (int)y;
	p->months = months;
	p->month = months == 3 ? (m - 1) / 3 * 3 + 1 : m;
	return 0;
}

int
ca_period_ended(const ca_period *p, const char *today)
{
	char first[11], last[11];

	ca_period_bounds(p, first, last);
	/* ISO dates compare as strings. */
	return strcmp(last, today) < 0;
}
