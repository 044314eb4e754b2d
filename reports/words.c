/*
 * words.c - figures in words (words.h).
 */
#include "words.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "date.h"

#define EN_DASH "\xe2\x80\x93"

static const char *const months[12] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December",
};

void
ca_words_period(const ca_period *p, char *buf, size_t size)
{
	if (p->months == 1)
		snprintf(buf, size, "%s %d", months[p->month - 1], p->year);
	else
		snprintf(buf, size, "%s to %s %d", months[p->month - 1],
		    months[(p->month + p->months - 2) % 12], p->year);
}

void
ca_words_period_short(const ca_period *p, char *buf, size_t size)
{
	if (p->months == 1)
		ca_words_period(p, buf, size);
	else
		snprintf(buf, size, "%.3s" EN_DASH "%.3s %d", months[p->month - 1],
		    months[(p->month + p->months - 2) % 12], p->year);
}

void
ca_words_date(const char *iso, char *buf, size_t size)
{
	long days, y;
	int m, d;

	if (iso == NULL || ca_date_parse(iso, &days) != 0) {
		snprintf(buf, size, "%s", iso != NULL ? iso : "");
		return;
	}
	ca_civil_from_days(days, &y, &m, &d);
	snprintf(buf, size, "%d %s %ld", d, months[m - 1], y);
}

const char *
ca_words_count(long n, char *buf, size_t size)
{
	char digits[32];
	size_t len, o = 0;
	int neg = n < 0;

	snprintf(digits, sizeof digits, "%lu", neg ? 0UL - (unsigned long)n : (unsigned long)n);
	len = strlen(digits);
	if (size == 0)
		return buf;
	if (neg && o + 1 < size)
		buf[o++] = '-';
	for (size_t i = 0; i < len && o + 1 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0 && o + 1 < size)
			buf[o++] = ',';
		if (o + 1 < size)
			buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

void
ca_words_percent(double p, char *buf, size_t size)
{
	if (!isfinite(p))
		snprintf(buf, size, EN_DASH);
	else
		snprintf(buf, size, "%.0f%%", p * 100);
}

const char *
ca_words_interval(double lo, double hi, char *buf, size_t size)
{
	if (!isfinite(lo) || !isfinite(hi))
		snprintf(buf, size, "%s", "");
	else
		snprintf(buf, size, "%.0f" EN_DASH "%.0f%%", lo * 100, hi * 100);
	return buf;
}

const char *
ca_words_share(const ca_trends_share *s, char *buf, size_t size)
{
	char pc[16], ci[32];

	if (s->suppressed)
		snprintf(buf, size, CA_WORDS_FEWER);
	else if (s->n == 0 || !isfinite(s->share))
		snprintf(buf, size, "no audits");
	else if (*ca_words_interval(s->lo, s->hi, ci, sizeof ci) == '\0') {
		ca_words_percent(s->share, pc, sizeof pc);
		snprintf(buf, size, "%s", pc);
	} else {
		ca_words_percent(s->share, pc, sizeof pc);
		snprintf(buf, size, "%s (95%% CI %s)", pc, ci);
	}
	return buf;
}

const char *
ca_words_kappa(const ca_kappa *k, char *buf, size_t size)
{
	if (!isfinite(k->kappa))
		snprintf(buf, size, "not measurable");
	else if (!isfinite(k->lo) || !isfinite(k->hi))
		snprintf(buf, size, "%.2f", k->kappa);
	else
		snprintf(buf, size, "%.2f (95%% CI %.2f" EN_DASH "%.2f)", k->kappa, k->lo, k->hi);
	return buf;
}

void
ca_words_list(ca_strbuf *b, const char *const *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			ca_strbuf_adds(b, i + 1 == n ? " and " : ", ");
		ca_strbuf_adds(b, items[i]);
	}
}

void
ca_words_n(long n, const char *one, const char *many, char *buf, size_t size)
{
	char c[32];

	ca_words_count(n, c, sizeof c);
	if (n == 1)
		snprintf(buf, size, "%s %s", c, one);
	else if (many != NULL)
		snprintf(buf, size, "%s %s", c, many);
	else
		snprintf(buf, size, "%s %ss", c, one);
}
