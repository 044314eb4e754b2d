/*
 * date.c - calendar dates and day counts (see date.h).
 */
#include "date.h"

#include <stdio.h>
#include <string.h>

/*
 * Days since 1970-01-01 in the proleptic Gregorian calendar.  Counting in
 * 400-year eras starting on 1 March puts the leap day last in each year,
 * so no month table is needed.
 */
long
ca_days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
ca_civil_from_days(long z, long *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int
ca_days_in_month(long y, int m)
{
	static const int len[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : len[m - 1];
}

int
ca_date_parse(const char *s, long *days)
{
	long y = 0;
	int m, d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	for (int i = 0; i < 4; i++)
		y = y * 10 + (s[i] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > ca_days_in_month(y, m))
		return -1;
	if (days != NULL)
		*days = ca_days_from_civil(y, m, d);
	return 0;
}

int
ca_date_read(const char *s, char *iso)
{
	char buf[11];

	if (s == NULL || strlen(s) != 10)
		return -1;
	if (s[2] == '/' && s[5] == '/') {
		/* DD/MM/YYYY: rearranged, then checked as ISO */
		memcpy(buf, s + 6, 4);
		buf[4] = '-';
		memcpy(buf + 5, s + 3, 2);
		buf[7] = '-';
		memcpy(buf + 8, s, 2);
		buf[10] = '\0';
		s = buf;
	}
	if (ca_date_parse(s, NULL) != 0)
		return -1;
	memmove(iso, s, 11);
	return 0;
}

void
ca_date_format(long days, int day_first, char *out)
{
	long y;
	int m, d;

	ca_civil_from_days(days, &y, &m, &d);
	if (day_first)
		snprintf(out, 11, "%02d/%02d/%04ld", d, m, y);
	else
		snprintf(out, 11, "%04ld-%02d-%02d", y, m, d);
}

void
ca_date_add_days(const char *date, int n, char *out)
{
	long z;

	if (ca_date_parse(date, &z) != 0)
		snprintf(out, 11, "%s", date != NULL ? date : "");
	else
		ca_date_format(z + n, 0, out);
}

void
ca_date_uk(const char *iso, char *out)
{
	long z;

	if (ca_date_parse(iso, &z) != 0)
		snprintf(out, 11, "%s", iso != NULL ? iso : "");
	else
		ca_date_format(z, 1, out);
}
