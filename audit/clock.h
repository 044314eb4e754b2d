/*
 * clock.h - a monotonic clock in seconds, for saying how long a step took
 * (the --verbose logs of import, screen and report).  Never for anything
 * a document or the database keeps: those take the data's dates.
 */
#ifndef CASEAUDIT_CLOCK_H
#define CASEAUDIT_CLOCK_H

/* Seconds since some fixed point in the past; only differences mean
 * anything. */
double ca_clock_seconds(void);

#endif
