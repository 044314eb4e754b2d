/*
 * board_private.h - the board report's figures as its sections read
 * them, loaded once (board_data.c), and the sections (board_*.c).
 */
#ifndef CASEAUDIT_BOARD_PRIVATE_H
#define CASEAUDIT_BOARD_PRIVATE_H

#include <stddef.h>

#include "board.h"
#include "chart.h"
#include "doc.h"
#include "moderation.h"
#include "period.h"
#include "trends.h"

/* A sampling run of the period, for the appendix. */
typedef struct board_run {
	long long id;
	char *plan;
	char period[8];
	char method[16];
	long population, sample, targeted;
	char seed[24];
	char digest[65];
	int draw;
	char run_on[11];
} board_run;

/* Where a partner sits on the funnel plot. */
typedef enum board_position {
	BOARD_NOT_PLOTTED,      /* withheld, or no audits to plot */
	BOARD_WITHIN,           /* inside the 95% limits */
	BOARD_HIGH_95, BOARD_HIGH_998,  /* above the 95% (99.8%) upper limit */
	BOARD_LOW_95, BOARD_LOW_998
} board_position;

typedef struct board {
	const char *title;          /* the cover's: "Quality assurance board report" */
	char *partner;              /* a provider report's partner; NULL for the board */
	long long partner_id;
	ca_period period;
	char name[8];               /* "2025-Q1" */
	char words[48];             /* "January to March 2025" */
	char first[11], last[11];   /* the period's days */
	char as_of[11];             /* the day the data was taken */
	int ended;                  /* the period ended before that day */
	char *org;                  /* the organisation_name setting */

	ca_trends *range;           /* up to 24 periods ending with this one, with
	                             * the recurring themes of the last */
	ca_trends *now;             /* this period alone, with its equity groups,
	                             * waits, actions and escalations */
	ca_trends *whole;           /* a provider report's period for all partners,
	                             * with waits: what the partner is compared with
	                             * (the board's is `now`: board_compared) */

	/* moderation of the audits submitted in the period */
	ca_moderation_stat *mod_all, *mod_by;
	size_t nmod_all, nmod_by;

	board_run *runs;
	size_t nruns;

	double target[CA_TRENDS_SERIES];    /* NaN: the board set none */

	/* per partner of board_compared(b)->providers: where it falls on the funnel plot
	 * (trends.h), its label there ("A"; "" when not plotted) and position */
	double overall;             /* the funnel's centre, NaN when none */
	ca_trends_funnel_point *funnel;
	char (*label)[16];
	board_position *position;
} board;

/* Load the period's figures; of one partner, named as imported, when
 * partner is not NULL (65 when nobody is called that). */
int  board_load(PGconn *conn, const ca_period *p, const char *partner, board *b,
    ca_err *err);
void board_free(board *b);

/* A provider report's funnel plot labels its own partner's point so, and
 * no other. */
#define BOARD_PARTNER_LABEL "This partner"

/* The period for every partner: what the funnel plot places and a
 * provider report compares its partner with. */
static inline const ca_trends *
board_compared(const board *b)
{
	return b->whole != NULL ? b->whole : b->now;
}

/* Nothing to report: no audit of the period was completed. */
int  board_empty(const board *b);

/* A control chart of the range's series s (trends.h), with the Making
 * Data Count icons in a column at its right; y the value axis. */
void board_chart(ca_doc *d, const board *b, int series, const char *title, ca_axis y);

/* The measures charted, as a board member names them: "Holistic
 * consideration of needs"; and in the middle of a sentence: "holistic
 * needs". */
const char *board_measure_title(int series);
const char *board_measure_words(int series);

/* What a measure's control chart says about its latest point. */
typedef enum board_signal {
	BOARD_UNCHARTED,        /* fewer than two periods to chart */
	BOARD_COMMON,
	BOARD_IMPROVEMENT,
	BOARD_CONCERN,
	BOARD_NEUTRAL
} board_signal;

board_signal board_measure_signal(const board *b, int series);

/* The measures the report charts, in its order. */
#define BOARD_NMEASURES (1 + CA_DOMAINS)

/* The moderation of the whole period, or NULL when fewer than five audits
 * were moderated (too few to say anything about agreement). */
const ca_moderation_stat *board_moderation_overall(const board *b);

/* The sections, in the report's order. */
void board_cover(ca_doc *d, const board *b);
void board_summary(ca_doc *d, const board *b);
void board_measures(ca_doc *d, const board *b);
void board_partners(ca_doc *d, const board *b);
void board_themes(ca_doc *d, const board *b);
void board_moderation(ca_doc *d, const board *b);
void board_actions(ca_doc *d, const board *b);
void board_waits(ca_doc *d, const board *b);
void board_equity(ca_doc *d, const board *b);
void board_appendix(ca_doc *d, const board *b);

/* The partners placed on the funnel plot; the plot itself with the
 * paragraphs that explain it (nothing when none is placed); and a
 * position in words ("Above the 95% limit"). */
size_t board_plotted(const board *b);
void board_funnel(ca_doc *d, const board *b);
const char *board_position_words(board_position p);

/* The partners' table: the board's has every partner with its letter on
 * the funnel plot, a provider report's its own partner; then all
 * partners. */
void board_partner_table(ca_doc *d, const board *b);

/* A section of a report: it starts on a page of its own. */
typedef void (*board_section)(ca_doc *, const board *);

/* A kind of report made of the board's sections. */
typedef struct board_kind {
	const char *title;              /* the cover's */
	const char *short_title;        /* the running header's, before the period */
	const board_section *sections;  /* after the cover and contents */
	size_t nsections;
} board_kind;

/* Load the period (checked already), of partner when not NULL, and render
 * it as k: the cover, contents and k's sections, or the short report when
 * the period has nothing to show.  *partner_id (when not NULL) gets the
 * partner's organisation.  Errors as board_load and ca_doc_render. */
int  board_report(PGconn *conn, const board_kind *k, const char *period, const char *partner,
    const char *font_dir, ca_report_pdf *pdf, long long *partner_id, ca_err *err);

/* The appendix's sampling runs alone, for the short report. */
void board_runs(ca_doc *d, const board *b);

#endif
