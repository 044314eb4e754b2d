/*
 * words.h - figures as a board member reads them: periods and dates in
 * words, counts with thousands separators, shares as percentages with
 * their 95% intervals, lists joined with "and", and the one phrase every
 * report uses for a small group it withholds.
 *
 * Only wording: the figures themselves come from trends.h and its
 * neighbours, already computed, already suppressed.
 */
#ifndef CASEAUDIT_WORDS_H
#define CASEAUDIT_WORDS_H

#include <stddef.h>

#include "period.h"
#include "stats.h"
#include "strbuf.h"
#include "trends.h"

/* What a withheld figure says, everywhere. */
#define CA_WORDS_FEWER "fewer than 5"

/* "March 2025"; "January to March 2025". */
void ca_words_period(const ca_period *p, char *buf, size_t size);

/* The same, short: "March 2025"; "Jan–Mar 2025". */
void ca_words_period_short(const ca_period *p, char *buf, size_t size);

/* "2025-03-31" as "31 March 2025"; anything else copied. */
void ca_words_date(const char *iso, char *buf, size_t size);

/* 1250 as "1,250"; returns buf, for a count in the middle of a
 * sentence. */
const char *ca_words_count(long n, char *buf, size_t size);

/* A proportion as a whole percentage: 0.625 as "62%" (NaN: "–"). */
void ca_words_percent(double p, char *buf, size_t size);

/* A share with its interval, "62% (95% CI 51–72%)"; CA_WORDS_FEWER when
 * suppressed, "no audits" when there was nothing to measure.  Returns
 * buf. */
const char *ca_words_share(const ca_trends_share *s, char *buf, size_t size);

/* The interval alone, "51–72%", or "" when there is none. */
const char *ca_words_interval(double lo, double hi, char *buf, size_t size);

/* Cohen's kappa with its interval, "0.62 (95% CI 0.41–0.83)"; "not
 * measurable" when it is not defined. */
const char *ca_words_kappa(const ca_kappa *k, char *buf, size_t size);

/* items joined as "a, b and c" (none: nothing). */
void ca_words_list(ca_strbuf *b, const char *const *items, size_t n);

/* "1 audit", "2 audits": n and the noun, singular or plural (plural is
 * the singular plus "s" unless given). */
void ca_words_n(long n, const char *one, const char *many, char *buf, size_t size);

#endif
