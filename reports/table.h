/*
 * table.h - tables that flow with the document: a bold header row on a
 * tinted band, wrapped cell text, striped rows, and page breaks between
 * rows with the header row repeated at the top of each new page.
 *
 * A row is never split across pages, except a row taller than a whole
 * page: that one is split between its lines, all of its text shown, and
 * goes on under the repeated header.  Nothing is ever cut off.
 *
 * Rows are streamed (ca_table_row draws at once), so a table of any
 * length needs memory for one row only; a short table kept together
 * (ca_table_keep) holds its rows until it is whole.  Errors go to the document, like
 * everything else drawn on it.
 */
#ifndef CASEAUDIT_TABLE_H
#define CASEAUDIT_TABLE_H

#include <stddef.h>

#include "doc.h"

typedef struct ca_table_col {
	const char *title;      /* the header cell; may be NULL */
	double width;           /* > 0: fixed, in points; 0: a share of the rest */
	double share;           /* with width 0: the share (0 counts as 1) */
	ca_align align;         /* CA_RIGHT for numbers */
} ca_table_col;

typedef struct ca_table ca_table;

/* A table with ncols columns across the frame: fixed widths first, the
 * rest shared (all scaled down if the fixed widths alone are too wide).
 * cols must live until ca_table_end.  NULL when out of memory (recorded
 * in the document; the other calls accept NULL). */
ca_table *ca_table_begin(ca_doc *d, const ca_table_col *cols, size_t ncols);

/* Before the first row: the table will have nrows rows.  They are held
 * back until all are made (or ca_table_end), and if together they would
 * fit on a fresh page but not below the cursor, the table starts on the
 * next page, its heading with it, rather than leave a row or two
 * stranded at the foot of this one.  A table that could not fit on a page
 * even at one line a row flows as it comes, streamed. */
void ca_table_keep(ca_table *t, size_t nrows);

/* A row of ncols cells (NULL cells are empty). */
void ca_table_row(ca_table *t, const char *const *cells);
/* The same in bold, e.g. a totals row. */
void ca_table_row_bold(ca_table *t, const char *const *cells);

/* The closing rule; frees t.  A table with no rows shows its header and
 * "None". */
void ca_table_end(ca_table *t);

#endif
